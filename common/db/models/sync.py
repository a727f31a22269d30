"""What the hall keeps for the sync with the central server (DESIGN.md "Central server and
sync"; STYLE.md habit 14: sync keeps its state in the database, not in memory).

* :class:`SyncCursor` — the change feed's cursor, stored in the same transaction as the changes
  it covers, and the last successful exchange (shown on the counter's status bar).
* :class:`AppliedChange` — one row per change-feed position the hall has handled (applied or
  skipped with its reason): the position is the primary key, so a change is never applied
  twice, and a skipped one leaves a record the hall manager can read.
* :class:`HallCertificate` — e-certificates the back office issued for this hall's holders:
  the national identifier, validity, the holder's keyed hash and masked name. The PDF is not
  stored: it is rebuilt from these fields and the case's applicant
  (:func:`common.sync.feed.certificate_data`).
* :class:`HallAppointment` — appointments booked online for this hall (matched at the kiosk by
  the holder's hash, never by the number), and their check-in (预约签到, migration 0013).

The outbox itself (:class:`~common.db.models.cases.OutboxRow`) lives with the cases; migration
0008 adds its ``parked_at`` and ``claim`` columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base

__all__ = ["AppliedChange", "HallAppointment", "HallCertificate", "SyncCursor"]


class SyncCursor(Base):
    """A named cursor (``changes``: the change feed) and the sync's last outcomes."""

    __tablename__ = "sync_cursor"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # The last exchange with the server that succeeded (a batch answered or a feed page read),
    # and the last failure's text: the status bar and `onewindow sync --status` read them.
    last_success_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class AppliedChange(Base):
    """A change-feed item the hall has handled: ``outcome`` is ``applied`` or ``skipped``."""

    __tablename__ = "sync_applied_change"

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(32))
    case_number: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column()  # the change's time at the centre
    applied_at: Mapped[dt.datetime] = mapped_column()


class HallCertificate(Base):
    """An e-certificate (电子证照) issued centrally for one of this hall's cases."""

    __tablename__ = "hall_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(128), unique=True)
    case_number: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(100))
    issuer_name: Mapped[str] = mapped_column(String(200))
    holder_hash: Mapped[str] = mapped_column(String(64), index=True)
    holder_masked: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date, default=None)
    position: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column()


class HallAppointment(Base):
    """An appointment (预约) booked through the central channel for this hall."""

    __tablename__ = "hall_appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    central_id: Mapped[int] = mapped_column(Integer, unique=True)
    matter_code: Mapped[str] = mapped_column(String(64))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    slot: Mapped[str] = mapped_column(String(16))
    holder_hash: Mapped[str] = mapped_column(String(64), index=True)
    name_masked: Mapped[str] = mapped_column(String(100), default="")
    phone_masked: Mapped[str] = mapped_column(String(32), default="")
    position: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column()
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # 预约签到 at the kiosk (migration 0013): when, and the 预约 ticket it issued (one per
    # appointment). A plain id: no foreign key, so adding it needs no table rebuild on SQLite.
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    ticket_id: Mapped[int | None] = mapped_column(Integer, default=None)
