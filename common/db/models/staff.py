"""Staff accounts (who may log in at a counter)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base, str_enum

__all__ = ["Role", "Staff"]


class Role(enum.StrEnum):
    """Staff roles."""

    WINDOW = "window"  # 窗口人员
    MANAGER = "manager"  # 大厅管理员


class Staff(Base):
    """A member of staff who can log in at a counter."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role, "staff_role"), default=Role.WINDOW)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)
