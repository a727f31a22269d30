"""The hall database schema (SQLAlchemy 2.x typed models).

Alembic migrations (``common/db/migrations``) are the only way this schema reaches a database;
``tests/common/db/test_migrations.py`` fails when the models and the migrations disagree.

Datetimes are stored as naive UTC (SQLite has no time zone type) and come back aware, through
:class:`UTCDateTime`; the hall's own calendar day is stored separately as ``hall_day``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so migrations can alter them on both engines.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, naive UTC stored, aware UTC out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the hall database; use an aware one")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime, dict[str, Any]: JSON}


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


class Role(enum.StrEnum):
    """Staff roles."""

    WINDOW = "window"  # 窗口人员
    MANAGER = "manager"  # 大厅管理员


def _enum(e: type[enum.StrEnum], name: str) -> Enum:
    # Stored as plain strings (no native PG enum) so adding a value is a code change only.
    return Enum(e, name=name, native_enum=False, length=16, values_callable=lambda x: [m.value for m in x])


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


class Window(Base):
    """A counter window (窗口) and its state."""

    __tablename__ = "window"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(32), default="")
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_reason: Mapped[str] = mapped_column(String(64), default="")
    # Who holds the window (common.staff.claim_window): the claim is live while its heartbeat is
    # recent, so a counter that crashed frees its window after a few minutes.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    staff_station: Mapped[str] = mapped_column(String(32), default="", server_default="")
    staff_heartbeat: Mapped[dt.datetime | None] = mapped_column(default=None)
    services: Mapped[list[WindowService]] = relationship(
        back_populates="window", cascade="all, delete-orphan", lazy="selectin"
    )


class WindowService(Base):
    """A service a window serves, with its weight (板块 3, 全科 2, AB 岗 1 …)."""

    __tablename__ = "window_service"

    window_id: Mapped[int] = mapped_column(ForeignKey("window.id", ondelete="CASCADE"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    weight: Mapped[int] = mapped_column(Integer, default=1)
    window: Mapped[Window] = relationship(back_populates="services")


class Staff(Base):
    """A member of staff who can log in at a counter."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(_enum(Role, "staff_role"), default=Role.WINDOW)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)


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
    priority: Mapped[Priority] = mapped_column(_enum(Priority, "ticket_priority"), default=Priority.NORMAL)
    green_reason: Mapped[str] = mapped_column(String(16), default="")
    appointment_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    issued_at: Mapped[dt.datetime] = mapped_column()
    # Order within the queue: the issue time, moved back on re-queue, kept on transfer.
    queue_key: Mapped[dt.datetime] = mapped_column()
    status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus, "ticket_status"), default=TicketStatus.WAITING)
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

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column()
    hall_day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(24))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), default=None)
    number: Mapped[str] = mapped_column(String(8), default="")
    service_prefix: Mapped[str] = mapped_column(String(1), default="")
    window_number: Mapped[int | None] = mapped_column(Integer, default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuditLog(Base):
    """Who did what, when (staff actions, admin changes)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DeviceStatus(Base):
    """Last known state of a device (printer, reader) per PC, for the hall manager."""

    __tablename__ = "device_status"
    __table_args__ = (UniqueConstraint("station", "device", name="uq_device_status_station"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(24))
    message: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column()
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False)


class ServiceTime(Base):
    """Recent service durations, for estimated waits (kept small; one row per finished ticket)."""

    __tablename__ = "service_time"
    __table_args__ = (Index("ix_service_time_recent", "service_id", "hall_day", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    hall_day: Mapped[dt.date] = mapped_column(Date)
    seconds: Mapped[float] = mapped_column(Float)
