"""Case tables (办件): cases, their materials, transitions and clock stops, the daily case
counter, and the outbox that carries every case change to the central server.

Full names and ID numbers of applicants live here and nowhere else in the hall database (the
queue keeps a keyed hash); on PostgreSQL the kiosk and display roles cannot read these tables
(``onewindow db grants``). ``applicant_hash`` is the same keyed hash as the queue's, so the
kiosk's lookup by ID card finds a holder's cases without reading a number.

A case row is never edited without a :class:`CaseTransition` row in the same transaction, and
every transition writes an :class:`OutboxRow` in that transaction too (``common.intake.cases``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base, str_enum
from common.intake.words import CaseAction, CaseState, ClockStopKind, Decision, MaterialMark

__all__ = ["Case", "CaseClockStop", "CaseCounter", "CaseMaterial", "CaseTransition", "OutboxRow"]


class CaseCounter(Base):
    """The last case number issued on a hall day; the row is the numbering lock (gap-free)."""

    __tablename__ = "case_counter"

    hall_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    """One case (办件): who applied for which matter version(s), the decision, and its state."""

    __tablename__ = "intake_case"
    __table_args__ = (
        # 电子监察: open cases by promised date; tolerated items by deadline.
        Index("ix_intake_case_watch", "open", "promised_date"),
        Index("ix_intake_case_supplement", "tolerated_outstanding", "supplement_deadline"),
        Index("ix_intake_case_day", "hall_day", "window"),
        # The counter's case desk: correction notices out, results ready for delivery (0011).
        Index("ix_intake_case_state", "state", "window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    hall_day: Mapped[dt.date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[CaseState] = mapped_column(str_enum(CaseState, "case_state", 32))
    # True while the state is open (a plain column so 电子监察 is one indexed range scan).
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    decision: Mapped[Decision] = mapped_column(str_enum(Decision, "case_decision", 32))
    title: Mapped[str] = mapped_column(String(400))
    # [{"code": ..., "version": ..., "name": ...}] — the matter versions accepted under.
    matters: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    bundle_code: Mapped[str] = mapped_column(String(64), default="")
    catalog_version: Mapped[str] = mapped_column(String(64), default="")
    # Routed to another area's agency (全市通办 / 异地代收代办); empty = decided here.
    route_agency: Mapped[str] = mapped_column(String(200), default="")
    route_area_code: Mapped[str] = mapped_column(String(12), default="")

    applicant_type: Mapped[int] = mapped_column(Integer)
    applicant_name: Mapped[str] = mapped_column(String(100))
    applicant_cert_type: Mapped[str] = mapped_column(String(8))
    applicant_number: Mapped[str] = mapped_column(String(32))
    applicant_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    legal_representative: Mapped[str] = mapped_column(String(100), default="")
    agent_name: Mapped[str] = mapped_column(String(100), default="")
    agent_cert_type: Mapped[str] = mapped_column(String(8), default="")
    agent_number: Mapped[str] = mapped_column(String(32), default="")
    agent_hash: Mapped[str] = mapped_column(String(64), default="", index=True)

    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), default=None)
    ticket_number: Mapped[str] = mapped_column(String(8), default="")
    window: Mapped[int | None] = mapped_column(Integer, default=None)
    staff: Mapped[str] = mapped_column(String(64), default="")
    accepted_at: Mapped[dt.datetime] = mapped_column()
    promised_days: Mapped[int] = mapped_column(Integer, default=0)
    # None for a case that was not accepted (correction notice, rejection).
    promised_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    supplement_deadline: Mapped[dt.date | None] = mapped_column(Date, default=None)
    tolerated_outstanding: Mapped[int] = mapped_column(Integer, default=0)
    # While the promised-date clock is stopped: since when, and why.
    clock_stopped_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    resubmission_of: Mapped[int | None] = mapped_column(ForeignKey("intake_case.id"), default=None)
    updated_at: Mapped[dt.datetime] = mapped_column()
    # The next outbox sequence number of this case (per-case order on the central server).
    outbox_seq: Mapped[int] = mapped_column(Integer, default=0)
    # Changes applied from the central server's feed (they write a transition but no outbox
    # row): a transition's seq is outbox_seq + central_changes (migration 0008).
    central_changes: Mapped[int] = mapped_column(Integer, default=0)
    # Delivery (出件): how, and the mail details when mailed.
    delivery_method: Mapped[str] = mapped_column(String(16), default="")
    delivery_detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CaseMaterial(Base):
    """One checklist row of a case as it was marked, and when a tolerated item was supplied."""

    __tablename__ = "case_material"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("intake_case.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(8))
    copies: Mapped[int] = mapped_column(Integer)
    key_item: Mapped[bool] = mapped_column(Boolean)
    tolerable: Mapped[bool] = mapped_column(Boolean)
    mark: Mapped[MaterialMark] = mapped_column(str_enum(MaterialMark, "material_mark", 16))
    supplied_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class CaseTransition(Base):
    """Who moved a case from which state to which, when and why (never edited, never deleted)."""

    __tablename__ = "case_transition"
    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        # Reports: the decisions (approve / deny) of a period, for the on-time rate (0016).
        Index("ix_case_transition_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("intake_case.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[CaseAction] = mapped_column(str_enum(CaseAction, "case_action", 32))
    from_state: Mapped[CaseState] = mapped_column(str_enum(CaseState, "case_from_state", 32))
    to_state: Mapped[CaseState] = mapped_column(str_enum(CaseState, "case_to_state", 32))
    state_code: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CaseClockStop(Base):
    """A stop of the promised-date clock (补正 during review, 特别程序)."""

    __tablename__ = "case_clock_stop"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("intake_case.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ClockStopKind] = mapped_column(str_enum(ClockStopKind, "clock_stop_kind", 16))
    started: Mapped[dt.date] = mapped_column(Date)
    ended: Mapped[dt.date | None] = mapped_column(Date, default=None)
    working_days: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")


class OutboxRow(Base):
    """A change owed to the central server, written in the same transaction as the change.

    ``key`` is the idempotency key; ``aggregate`` + ``seq`` give the per-case order; the sync
    worker (issue 14) keeps its progress in ``sent_at``, ``attempts``, ``last_error`` and
    ``next_try_at`` so a kill at any line is survivable and the manager can see the backlog.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("aggregate", "seq"),
        Index("ix_outbox_pending", "sent_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(64))
    aggregate: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("intake_case.id"), default=None, index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column()
    sent_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_try_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # The server refused the row for good (its reason in last_error): parked for the hall
    # manager, never sent again, never blocking other rows (migration 0008).
    parked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # The drainer that holds the row until next_try_at (a lease; common.sync.drainer).
    claim: Mapped[str] = mapped_column(String(36), default="")
