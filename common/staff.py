"""Staff accounts: scrypt password hashes, login with lock-out after repeated failures, and the
claim a logged-in member of staff holds on a window (one counter per window)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.clock import Clock, DatabaseClock
from common.db.engine import HallDatabase
from common.db.models import Role, Staff, StaffWindow, Window
from common.db.unit import UnitOfWork
from common.passwords import LOCK_MINUTES, MAX_FAILURES, hash_password, verify_password

__all__ = [
    "CLAIM_STALE_AFTER",
    "HEARTBEAT_INTERVAL",
    "LoginFailed",
    "StaffView",
    "WindowHolder",
    "WindowNotAllowed",
    "WindowTaken",
    "authenticate",
    "claim_window",
    "create_staff",
    "hash_password",
    "heartbeat_window",
    "release_window",
    "verify_password",
    "window_holder",
]


@dataclass(frozen=True)
class StaffView:
    """A logged-in member of staff."""

    id: int
    username: str
    display_name: str
    role: Role
    # Reset by the hall manager (or a new account): the counter asks for a new password first.
    must_change_password: bool = False


class LoginFailed(Exception):
    """Wrong user or password, or the account is locked; ``message_zh`` is for the login screen."""

    def __init__(self, message_zh: str, message_en: str, *, locked: bool = False) -> None:
        super().__init__(message_en)
        self.message_zh, self.message_en, self.locked = message_zh, message_en, locked


def create_staff(
    db: HallDatabase, username: str, display_name: str, password: str, role: Role = Role.WINDOW
) -> None:
    """Create or reset an account (used by seeding and the admin CLI)."""
    with db.write() as s:
        row = s.scalars(select(Staff).where(Staff.username == username)).first() or Staff(
            username=username
        )
        row.display_name, row.password_hash, row.role = display_name, hash_password(password), role
        row.active, row.failed_logins, row.locked_until = True, 0, None
        row.locked = False  # a reset from the CLI makes the account usable again
        s.add(row)


def authenticate(
    db: HallDatabase,
    username: str,
    password: str,
    *,
    station: str = "",
    tz: dt.tzinfo | None = None,
    clock: Clock | None = None,
) -> StaffView:
    """Check a login; every attempt is audited; five failures lock the account for 15 minutes.

    ``tz`` is the hall's zone (``settings.hall.tz``): the time a locked account may try again is
    told in hall time, not in whatever zone this PC happens to be set to. ``clock`` defaults to
    the hall's (:class:`~common.clock.DatabaseClock`); tests pass a manual one.
    """
    # The refusal is raised after the unit of work commits: raising inside it would roll back
    # the failure count and the audit row, and the account would never lock.
    refusal: LoginFailed | None = None
    with UnitOfWork(db, clock or DatabaseClock()) as uow:
        s, now = uow.session, uow.now
        row = s.scalars(select(Staff).where(Staff.username == username, Staff.active)).first()
        if row is None:
            uow.audit(username, "login-failed", station, why="unknown")
            refusal = LoginFailed("用户名或密码错误", "Wrong user name or password")
        elif row.locked:
            # Locked by the hall manager (common.manager.staffing): no password is even tried.
            uow.audit(username, "login-locked", station, by="manager")
            refusal = LoginFailed(
                "账号已停用，请联系大厅管理员",
                "This account is locked; ask the hall manager",
                locked=True,
            )
        elif row.locked_until is not None and row.locked_until > now:
            uow.audit(username, "login-locked", station)
            until = row.locked_until.astimezone(tz).strftime("%H:%M")
            refusal = LoginFailed(
                f"账号已锁定，请于 {until} 后再试", f"Account locked until {until}", locked=True
            )
        elif not verify_password(password, row.password_hash):
            row.failed_logins += 1
            locked = row.failed_logins >= MAX_FAILURES
            if locked:
                row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                row.failed_logins = 0
            uow.audit(username, "login-failed", station, locked=locked)
            if locked:
                refusal = LoginFailed(
                    f"密码错误次数过多，账号锁定 {LOCK_MINUTES} 分钟",
                    f"Too many failures; locked for {LOCK_MINUTES} minutes",
                    locked=True,
                )
            else:
                refusal = LoginFailed("用户名或密码错误", "Wrong user name or password")
        else:
            row.failed_logins, row.locked_until = 0, None
            uow.audit(username, "login", station)
            return StaffView(
                id=row.id,
                username=row.username,
                display_name=row.display_name,
                role=row.role,
                must_change_password=row.must_change_password,
            )
    assert refusal is not None
    raise refusal


# ---------------------------------------------------------------------------------- window claim
#
# One counter per window: logging in claims the window (Window.staff_id), the running counter
# renews the claim every HEARTBEAT_INTERVAL, and logging out or quitting releases it. A claim
# whose heartbeat is older than CLAIM_STALE_AFTER belongs to a counter that crashed or lost its
# network, and anyone may take the window. A live claim is only taken over on purpose, by the
# same user (from another PC) or by a hall manager, after they confirm it.

HEARTBEAT_INTERVAL = dt.timedelta(seconds=30)
CLAIM_STALE_AFTER = dt.timedelta(minutes=3)


@dataclass(frozen=True)
class WindowHolder:
    """Who holds a window now (a live claim)."""

    staff_id: int
    username: str
    display_name: str
    station: str
    since_heartbeat: dt.datetime


class WindowNotAllowed(LoginFailed):
    """The hall manager has not given this member of staff this window (common.manager.staffing)."""

    def __init__(self, window: int, allowed: list[int]) -> None:
        listed = "、".join(str(n) for n in allowed)
        super().__init__(
            f"您未被安排在 {window} 号窗口，可登录的窗口：{listed}",
            f"You may not sit at window {window}; your windows: {', '.join(map(str, allowed))}",
        )
        self.window, self.allowed = window, allowed


class WindowTaken(Exception):
    """The window is held by someone else's live claim.

    ``may_take_over`` says whether this user may take it anyway (the same user, or a manager),
    after confirming; the login dialog then asks and claims again with ``take_over=True``.
    """

    def __init__(self, window: int, holder: WindowHolder, *, may_take_over: bool) -> None:
        super().__init__(f"window {window} is held by {holder.username} at {holder.station or '?'}")
        self.window, self.holder, self.may_take_over = window, holder, may_take_over


def _live_holder(s: Session, row: Window, now: dt.datetime) -> WindowHolder | None:
    if (
        row.staff_id is None
        or row.staff_heartbeat is None
        or now - row.staff_heartbeat > CLAIM_STALE_AFTER
    ):
        return None
    staff = s.get(Staff, row.staff_id)
    if staff is None:
        return None
    return WindowHolder(
        staff.id, staff.username, staff.display_name, row.staff_station, row.staff_heartbeat
    )


def window_holder(
    db: HallDatabase, window: int, *, clock: Clock | None = None
) -> WindowHolder | None:
    """The live claim on a window, if any (stale claims count as free)."""
    with db.read() as s:
        row = s.scalars(select(Window).where(Window.number == window)).first()
        return None if row is None else _live_holder(s, row, (clock or DatabaseClock()).now(db, s))


def claim_window(
    db: HallDatabase,
    staff: StaffView,
    window: int,
    *,
    station: str,
    take_over: bool = False,
    clock: Clock | None = None,
) -> None:
    """Make ``staff`` at ``station`` the holder of ``window``; audited.

    Raises :class:`WindowTaken` when another live claim holds it, unless ``take_over`` and the
    user may take it over (the same user, or a manager). Two counters claiming at once: the
    window row is locked for the unit of work (FOR UPDATE on PostgreSQL, the write lock taken by
    BEGIN IMMEDIATE on SQLite), so the second sees the first's claim and is refused.
    """
    refusal: WindowTaken | WindowNotAllowed | None = None
    with UnitOfWork(db, clock or DatabaseClock()) as uow:
        s, now = uow.session, uow.now
        row = s.scalars(select(Window).where(Window.number == window).with_for_update()).first()
        if row is None:
            raise LookupError(f"no window {window}")
        allowed = sorted(
            s.scalars(select(StaffWindow.window_number).where(StaffWindow.staff_id == staff.id))
        )
        if allowed and window not in allowed:  # none listed: any window
            uow.audit(staff.username, "window-not-allowed", station, window=window)
            refusal = WindowNotAllowed(window, allowed)
        # Not allowed here: the refusal stands whoever holds the window.
        holder = None if refusal is not None else _live_holder(s, row, now)
        ours = holder is not None and holder.staff_id == staff.id and holder.station == station
        detail: dict[str, object] = {"window": window}
        if holder is not None and not ours:
            may = staff.role is Role.MANAGER or holder.staff_id == staff.id
            if not (take_over and may):
                uow.audit(
                    staff.username,
                    "window-claim-refused",
                    station,
                    window=window,
                    holder=holder.username,
                    holder_station=holder.station,
                )
                refusal = WindowTaken(window, holder, may_take_over=may)
            else:
                detail |= {"taken_from": holder.username, "taken_from_station": holder.station}
        if refusal is None:
            row.staff_id, row.staff_station, row.staff_heartbeat = staff.id, station[:32], now
            action = "window-taken-over" if "taken_from" in detail else "window-claimed"
            uow.audit(staff.username, action, station, **detail)
    if refusal is not None:
        raise refusal


def heartbeat_window(
    db: HallDatabase, staff_id: int, window: int, *, station: str, clock: Clock | None = None
) -> bool:
    """Renew this counter's claim; False when the claim is no longer ours (taken over)."""
    with UnitOfWork(db, clock or DatabaseClock()) as uow:
        s = uow.session
        row = s.scalars(select(Window).where(Window.number == window).with_for_update()).first()
        if row is None or row.staff_id != staff_id or row.staff_station != station[:32]:
            return False
        row.staff_heartbeat = uow.now
        return True


def release_window(
    db: HallDatabase, staff: StaffView, window: int, *, station: str, clock: Clock | None = None
) -> bool:
    """Give the window up (logout, quit); audited. False when it was no longer ours."""
    with UnitOfWork(db, clock or DatabaseClock()) as uow:
        s = uow.session
        row = s.scalars(select(Window).where(Window.number == window).with_for_update()).first()
        if row is None or row.staff_id != staff.id or row.staff_station != station[:32]:
            return False
        row.staff_id, row.staff_station, row.staff_heartbeat = None, "", None
        uow.audit(staff.username, "window-released", station, window=window)
        return True
