"""Staff accounts as the hall manager keeps them (人员管理), without Qt, SQL or a command line.

Add a member of staff (login, display name, role, the initial password), reset a password,
lock and unlock, change a role, and say which windows a person may sit at (none listed: any
window; :func:`common.staff.claim_window` refuses the others with a clear word). Every change
is one audited unit of work (STYLE.md habit 4); the audit rows never hold a password or a
hash, and :class:`StaffRow` has no hash to show.

A new account and a reset password are *temporary*: the user must choose their own at the next
login (``must_change_password``; the counter's login asks before anything else and calls
:func:`change_password`). Passwords follow the one policy,
:func:`common.passwords.password_problem`.

A manager cannot lock themself or take away their own manager role, so a hall is never left
without someone who can open this page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select

from common.clock import Clock, DatabaseClock
from common.db.engine import HallDatabase
from common.db.models import Role, Staff, StaffWindow, Window
from common.db.unit import UnitOfWork
from common.passwords import hash_password, password_problem, verify_password

__all__ = [
    "USERNAME_PATTERN",
    "StaffAdmin",
    "StaffError",
    "StaffRow",
    "change_password",
]

# Lower-case letters, digits and . _ - ; 2 to 32 characters (what a clerk types at the login).
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class StaffError(ValueError):
    """A change the page refuses; ``zh`` / ``en`` say why in the UI's words."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def text(self, english: bool) -> str:
        return self.en if english else self.zh


@dataclass(frozen=True)
class StaffRow:
    """One account as the staff page lists it (no password hash, ever)."""

    id: int
    username: str
    display_name: str
    role: Role
    locked: bool
    must_change_password: bool
    windows: tuple[int, ...]  # empty: any window
    locked_until: dt.datetime | None  # the lock-out after failed logins, if it still runs


def _check_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem is not None:
        raise StaffError(*problem)


class StaffAdmin:
    """The manager's changes to staff accounts, as ``actor``; every call is audited."""

    def __init__(
        self, db: HallDatabase, clock: Clock | None = None, *, tz: dt.tzinfo | None = None
    ) -> None:
        self.db = db
        self.clock: Clock = clock or DatabaseClock()
        self.tz = tz

    def _unit(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.clock, tz=self.tz)

    @staticmethod
    def _row(uow: UnitOfWork, username: str) -> Staff:
        row = uow.session.scalars(select(Staff).where(Staff.username == username)).first()
        if row is None or not row.active:
            raise StaffError(f"没有用户 {username}", f"No user {username}")
        return row

    # ------------------------------------------------------------------ reading

    def list_staff(self) -> list[StaffRow]:
        """Every active account, managers first, then by user name."""
        with self.db.read() as s:
            now = self.clock.now(self.db, s)
            windows: dict[int, list[int]] = {}
            for sid, number in s.execute(
                select(StaffWindow.staff_id, StaffWindow.window_number).order_by(
                    StaffWindow.window_number
                )
            ):
                windows.setdefault(int(sid), []).append(int(number))
            rows = s.scalars(select(Staff).where(Staff.active).order_by(Staff.username))
            result = [
                StaffRow(
                    id=r.id,
                    username=r.username,
                    display_name=r.display_name,
                    role=r.role,
                    locked=r.locked,
                    must_change_password=r.must_change_password,
                    windows=tuple(windows.get(r.id, ())),
                    locked_until=r.locked_until
                    if r.locked_until is not None and r.locked_until > now
                    else None,
                )
                for r in rows
            ]
        return sorted(result, key=lambda r: (r.role is not Role.MANAGER, r.username))

    def window_numbers(self) -> list[int]:
        """The hall's windows (what a person may be given)."""
        with self.db.read() as s:
            return [int(n) for n in s.scalars(select(Window.number).order_by(Window.number))]

    # ------------------------------------------------------------------ changes

    def _set_windows(self, uow: UnitOfWork, staff_id: int, windows: Iterable[int]) -> list[int]:
        wanted = sorted(set(int(w) for w in windows))
        known = set(uow.session.scalars(select(Window.number)))
        unknown = [w for w in wanted if w not in known]
        if unknown:
            listed = ", ".join(map(str, unknown))
            raise StaffError(f"没有窗口 {listed}", f"No window {listed}")
        uow.session.execute(delete(StaffWindow).where(StaffWindow.staff_id == staff_id))
        uow.session.add_all(StaffWindow(staff_id=staff_id, window_number=w) for w in wanted)
        return wanted

    def add_staff(
        self,
        username: str,
        display_name: str,
        password: str,
        *,
        role: Role = Role.WINDOW,
        windows: Iterable[int] = (),
        actor: str,
    ) -> None:
        """A new account with a temporary password (changed at the first login)."""
        username, display_name = username.strip().lower(), " ".join(display_name.split())
        if not USERNAME_PATTERN.match(username):
            raise StaffError(
                "用户名须为 2–32 位小写字母、数字或 . _ -",
                "User names are 2–32 lower-case letters, digits or . _ -",
            )
        if not display_name or len(display_name) > 32:
            raise StaffError("请填写姓名（32 字以内）", "Enter a display name (up to 32)")
        _check_password(password, username)
        with self._unit() as uow:
            s = uow.session
            old = s.scalars(select(Staff).where(Staff.username == username)).first()
            if old is not None and old.active:
                raise StaffError(f"用户名 {username} 已存在", f"User {username} already exists")
            # A retired account's name may be given again: the row (and its audit history)
            # is reused rather than a second row with the same unique name.
            row = old or Staff(username=username)
            row.display_name, row.role, row.password_hash = (
                display_name,
                role,
                hash_password(password),
            )
            row.active, row.locked, row.must_change_password = True, False, True
            row.failed_logins, row.locked_until = 0, None
            s.add(row)
            s.flush()
            given = self._set_windows(uow, row.id, windows)
            uow.audit(
                actor,
                "manager.staff-add",
                username,
                display_name=display_name,
                role=str(role),
                windows=given,
            )

    def reset_password(self, username: str, password: str, *, actor: str) -> None:
        """A temporary password; the user must choose their own at the next login."""
        with self._unit() as uow:
            row = self._row(uow, username)
            _check_password(password, row.username)
            row.password_hash, row.must_change_password = hash_password(password), True
            row.failed_logins, row.locked_until = 0, None  # a reset also ends a lock-out
            uow.audit(actor, "manager.staff-password-reset", username)

    def set_locked(self, username: str, locked: bool, *, actor: str) -> None:
        """Lock (no login at all) or unlock an account."""
        if locked and username == actor:
            raise StaffError("不能停用自己的账号", "You cannot lock your own account")
        with self._unit() as uow:
            row = self._row(uow, username)
            row.locked = locked
            if not locked:
                row.failed_logins, row.locked_until = 0, None
            action = "manager.staff-lock" if locked else "manager.staff-unlock"
            uow.audit(actor, action, username)

    def set_role(self, username: str, role: Role, *, actor: str) -> None:
        """Window staff (窗口人员) or hall manager (大厅管理员)."""
        if username == actor and role is not Role.MANAGER:
            raise StaffError("不能取消自己的管理员角色", "You cannot drop your own manager role")
        with self._unit() as uow:
            row = self._row(uow, username)
            before, row.role = row.role, role
            uow.audit(actor, "manager.staff-role", username, before=str(before), after=str(role))

    def set_windows(self, username: str, windows: Iterable[int], *, actor: str) -> None:
        """The windows ``username`` may sit at (an empty list: any window)."""
        with self._unit() as uow:
            row = self._row(uow, username)
            before = sorted(
                uow.session.scalars(
                    select(StaffWindow.window_number).where(StaffWindow.staff_id == row.id)
                )
            )
            after = self._set_windows(uow, row.id, windows)
            uow.audit(actor, "manager.staff-windows", username, before=before, after=after)


def change_password(
    db: HallDatabase,
    staff_id: int,
    old: str,
    new: str,
    *,
    station: str = "",
    clock: Clock | None = None,
) -> None:
    """The user's own new password (after a reset, at the login); audited, never logged."""
    with UnitOfWork(db, clock or DatabaseClock()) as uow:
        row = uow.session.get(Staff, staff_id)
        if row is None or not row.active or row.locked:
            raise StaffError("账号不可用", "The account cannot be used")
        if not verify_password(old, row.password_hash):
            raise StaffError("原密码错误", "The current password is wrong")
        if new == old:
            raise StaffError("新密码不能与原密码相同", "Choose a password you have not used")
        _check_password(new, row.username)
        row.password_hash, row.must_change_password = hash_password(new), False
        uow.audit(row.username, "password-changed", station)
