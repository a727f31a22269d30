"""Staff accounts (who may log in at a counter)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base, str_enum

__all__ = ["Role", "Staff", "StaffWindow"]


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
    # Set by the hall manager (common.manager.staffing): a locked account cannot log in at all
    # (unlike locked_until, which is the lock-out after failures and ends by itself).
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # After a reset by the manager: the counter asks for a new password before anything else.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class StaffWindow(Base):
    """A window a member of staff may sit at; none listed means any window."""

    __tablename__ = "staff_window"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    window_number: Mapped[int] = mapped_column(Integer, primary_key=True)
