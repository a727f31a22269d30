"""The audit log: who did what, when. Written through :class:`common.db.unit.UnitOfWork`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base

__all__ = ["AuditLog"]


class AuditLog(Base):
    """Who did what, when (staff actions, admin changes)."""

    __tablename__ = "audit_log"
    # Reports: window claims of a period, for "by staff" (migration 0016).
    __table_args__ = (Index("ix_audit_log_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
