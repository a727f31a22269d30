"""Follow-ups (跟进): bad ratings and 办不成事 / 有诉即办 reports, and the steps taken on them.

One :class:`Followup` row per item, whichever way it came in: every bad rating (level 1–2) opens
one in the rating's own transaction (``rating_id``, unique), and a counter records a citizen's
report that something could not get done (``kind = complaint``). The steps the national 好差评
rules ask for — verify (核实), rectify (整改), call back (回访), close (办结) — are rows of
:class:`FollowupStep`; the item keeps the step it has reached, its deadline in working days and,
like a case, its own outbox counter (``followup:<id>`` messages in order).

Personal data: a report's contact (name optional, phone) is kept in full here for the call back
and masked beside it for every list; a bad rating names nobody until the manager verifies it and
the rated service turns out to belong to a case (the case's applicant and phone are copied then).
On PostgreSQL the kiosk role may only append items (a bad rating at the kiosk), never read them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base

__all__ = ["Followup", "FollowupStepRow"]


class Followup(Base):
    """One bad rating or 办不成事 report in the manager's follow-up loop."""

    __tablename__ = "followup"
    __table_args__ = (
        # The desk's lists: open items by deadline (overdue first); reports by the day opened.
        Index("ix_followup_open", "open", "due_date"),
        Index("ix_followup_day", "opened_day", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # rating | complaint
    rating_id: Mapped[int | None] = mapped_column(
        ForeignKey("rating.id"), unique=True, default=None
    )
    # How a report came in: window (窗口) | hotline (12345) | onsite (现场); "rating" for ratings.
    channel: Mapped[str] = mapped_column(String(16))
    matter_code: Mapped[str] = mapped_column(String(64), default="")
    matter_name: Mapped[str] = mapped_column(String(400), default="")
    blocked: Mapped[str] = mapped_column(Text, default="")  # what stood in the way
    work_order: Mapped[str] = mapped_column(String(64), default="")  # the 12345 work order
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    name_masked: Mapped[str] = mapped_column(String(100), default="")
    phone_masked: Mapped[str] = mapped_column(String(32), default="")
    # Real-name: the citizen is known (a report with a phone, a rating of a case or of a ticket
    # taken with an ID card); every real-name item must be called back before it is closed.
    real_name: Mapped[bool] = mapped_column(Boolean, default=False)
    window: Mapped[int | None] = mapped_column(Integer, default=None)
    staff: Mapped[str] = mapped_column(String(64), default="")  # who recorded / who was rated
    opened_at: Mapped[dt.datetime] = mapped_column()
    opened_day: Mapped[dt.date] = mapped_column(Date)
    working_days: Mapped[int] = mapped_column(Integer)
    # None when the hall calendar does not know the year yet (see common.manager.followup).
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    # open | verified | rectified | called_back | closed
    step: Mapped[str] = mapped_column(String(16))
    step_at: Mapped[dt.datetime] = mapped_column()
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    callbacks: Mapped[int] = mapped_column(Integer, default=0)
    callback_outcome: Mapped[str] = mapped_column(String(16), default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    closed_day: Mapped[dt.date | None] = mapped_column(Date, default=None)
    # The last outbox sequence number of this item (per-item order on the central server).
    outbox_seq: Mapped[int] = mapped_column(Integer, default=0)


class FollowupStepRow(Base):
    """One step taken on a follow-up: what was found, done or heard, by whom, when."""

    __tablename__ = "followup_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(ForeignKey("followup.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))  # verified | rectified | called_back | closed
    at: Mapped[dt.datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16), default="")  # call-back outcome
