"""Queue tables: services and their daily counters, tickets, the event stream, service times."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base, str_enum

__all__ = [
    "EventKind",
    "Priority",
    "QueueEvent",
    "Service",
    "ServiceCounter",
    "ServiceTime",
    "Ticket",
    "TicketStatus",
]


class Priority(enum.StrEnum):
    """Priority class of a ticket."""

    NORMAL = "normal"
    APPOINTMENT = "appointment"  # 网上预约
    GREEN = "green"  # 绿色通道


class TicketStatus(enum.StrEnum):
    """Where a ticket is in its life."""

    WAITING = "waiting"
    CALLED = "called"  # at a window, being served
    FINISHED = "finished"
    NO_SHOW = "no_show"  # 过号 without re-queue
    CANCELLED = "cancelled"


class EventKind(enum.StrEnum):
    """What a :class:`QueueEvent` row says happened (stored as ``queue_event.kind``)."""

    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    REQUEUED = "requeued"  # 过号, back in the queue behind the next N
    NO_SHOW = "no_show"  # 过号, ended
    TRANSFERRED = "transferred"
    FINISHED = "finished"
    PAUSED = "paused"
    RESUMED = "resumed"
    DEVICE = "device"  # a kiosk's or counter's device changed state (common.stations)
    NOTICE = "notice"  # the manager's notice line for kiosks and the display ("" takes it down)
    SERVICE_PAUSED = "service_paused"  # the manager stopped a service's numbers, with a reason
    SERVICE_RESUMED = "service_resumed"


class Service(Base):
    """A service (业务) with a prefix letter and its own daily numbering."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(1), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128), default="")
    area: Mapped[str] = mapped_column(String(32), default="")
    general: Mapped[bool] = mapped_column(Boolean, default=False)
    daily_cap: Mapped[int] = mapped_column(Integer, default=999)
    id_card: Mapped[str] = mapped_column(String(16), default="optional")
    per_id_daily_limit: Mapped[int] = mapped_column(Integer, default=2)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # 暂停取号 by the hall manager (common.manager.actions): no new numbers, with a short reason
    # the kiosk shows on the tile. Day state, like a window's pause: never cached.
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pause_reason: Mapped[str] = mapped_column(String(32), default="", server_default="")


class ServiceCounter(Base):
    """The last number issued for a service on a hall day; the row is the issuing lock."""

    __tablename__ = "service_counter"

    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    hall_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    """A queue number (A001). Holds no personal data beyond a masked name and a keyed hash."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("issue_service_id", "hall_day", "seq", name="uq_ticket_number"),
        # call_next: oldest waiting ticket per service on the day.
        Index("ix_ticket_queue", "hall_day", "status", "service_id", "queue_key"),
        Index("ix_ticket_id_hash", "hall_day", "id_hash"),
        # call_next: the few green-channel and appointment tickets, without scanning the queue.
        Index("ix_ticket_priority", "hall_day", "status", "priority", "queue_key"),
        # A window's current ticket, looked up by every counter action (was a full scan).
        Index("ix_ticket_window", "window_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_day: Mapped[dt.date] = mapped_column(Date)
    # The service whose counter gave the number (never changes) and the service whose queue the
    # ticket is in now (changes on transfer).
    issue_service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(8))
    priority: Mapped[Priority] = mapped_column(
        str_enum(Priority, "ticket_priority"), default=Priority.NORMAL
    )
    green_reason: Mapped[str] = mapped_column(String(16), default="")
    appointment_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    issued_at: Mapped[dt.datetime] = mapped_column()
    # Order within the queue: the issue time, moved back on re-queue, kept on transfer.
    queue_key: Mapped[dt.datetime] = mapped_column()
    status: Mapped[TicketStatus] = mapped_column(
        str_enum(TicketStatus, "ticket_status"), default=TicketStatus.WAITING
    )
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"), default=None)
    called_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    requeue_count: Mapped[int] = mapped_column(Integer, default=0)
    passed_over: Mapped[int] = mapped_column(Integer, default=0)
    transferred_from: Mapped[str] = mapped_column(String(1), default="")
    holder_masked: Mapped[str] = mapped_column(String(32), default="")
    id_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    source: Mapped[str] = mapped_column(String(32), default="")


class QueueEvent(Base):
    """Append-only change stream that counters and displays follow by id."""

    __tablename__ = "queue_event"
    # The few rare kinds a screen looks up at start (today's notice line) without a scan.
    __table_args__ = (Index("ix_queue_event_kind", "kind", "hall_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column()
    hall_day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(24))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), default=None)
    number: Mapped[str] = mapped_column(String(8), default="")
    service_prefix: Mapped[str] = mapped_column(String(1), default="")
    window_number: Mapped[int | None] = mapped_column(Integer, default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ServiceTime(Base):
    """Recent service durations, for estimated waits (kept small; one row per finished ticket)."""

    __tablename__ = "service_time"
    __table_args__ = (Index("ix_service_time_recent", "service_id", "hall_day", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    hall_day: Mapped[dt.date] = mapped_column(Date)
    seconds: Mapped[float] = mapped_column(Float)
