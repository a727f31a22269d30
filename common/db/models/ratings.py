"""Ratings (好差评): one row per rated service, linked to the ticket or case hand-over it rates.

``service_key`` makes "one rating per service" (一次一评) a database rule: ``ticket:<id>`` for a
finished ticket, ``handover:<case number>`` for a result handed over. A rating is written with
its outbox row ``rating.created`` in the same transaction (``common.intake.rating``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base

__all__ = ["Rating"]


class Rating(Base):
    """One citizen's rating of one service: level 1–5, reasons when bad, in-hall dimensions."""

    __tablename__ = "rating"
    # Reports: the ratings of a period (migration 0016).
    __table_args__ = (Index("ix_rating_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_key: Mapped[str] = mapped_column(String(64), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), default=None)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("intake_case.id"), default=None, index=True
    )
    channel: Mapped[str] = mapped_column(String(16))  # counter | kiosk
    window: Mapped[int | None] = mapped_column(Integer, default=None)
    staff: Mapped[str] = mapped_column(String(64), default="")
    level: Mapped[int] = mapped_column(Integer)
    # Bad ratings: the common reasons picked, the citizen's own words, may we call back?
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    callback: Mapped[bool] = mapped_column(Boolean, default=False)
    # In-hall dimensions (overall, efficiency, service, attitude) → level, where the hall asks.
    dimensions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column()
