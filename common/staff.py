"""Staff accounts: scrypt password hashes, login with lock-out after repeated failures."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from common.db.engine import HallDatabase
from common.db.models import AuditLog, Role, Staff

__all__ = ["LoginFailed", "StaffView", "authenticate", "create_staff", "hash_password", "verify_password"]

# scrypt cost: ~50 ms on a hall PC, 16 MiB of memory; stored with the hash so it can be raised.
_N, _R, _P = 2**14, 8, 1
MAX_FAILURES = 5
LOCK_MINUTES = 15


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class StaffView:
    """A logged-in member of staff."""

    id: int
    username: str
    display_name: str
    role: Role


class LoginFailed(Exception):
    """Wrong user or password, or the account is locked; ``message_zh`` is for the login screen."""

    def __init__(self, message_zh: str, message_en: str, *, locked: bool = False) -> None:
        super().__init__(message_en)
        self.message_zh, self.message_en, self.locked = message_zh, message_en, locked


def create_staff(db: HallDatabase, username: str, display_name: str, password: str, role: Role = Role.WINDOW) -> None:
    """Create or reset an account (used by seeding and the admin CLI)."""
    with db.write() as s:
        row = s.scalars(select(Staff).where(Staff.username == username)).first() or Staff(username=username)
        row.display_name, row.password_hash, row.role = display_name, hash_password(password), role
        row.active, row.failed_logins, row.locked_until = True, 0, None
        s.add(row)


def authenticate(db: HallDatabase, username: str, password: str, *, station: str = "") -> StaffView:
    """Check a login; every attempt is audited; five failures lock the account for 15 minutes."""
    # The refusal is raised after the unit of work commits: raising inside it would roll back
    # the failure count and the audit row, and the account would never lock.
    refusal: LoginFailed | None = None
    with db.write() as s:
        now = db.now(s)
        row = s.scalars(select(Staff).where(Staff.username == username, Staff.active)).first()
        if row is None:
            s.add(AuditLog(at=now, actor=username[:64], action="login-failed", target=station, detail={"why": "unknown"}))
            refusal = LoginFailed("用户名或密码错误", "Wrong user name or password")
        elif row.locked_until is not None and row.locked_until > now:
            s.add(AuditLog(at=now, actor=username, action="login-locked", target=station, detail={}))
            until = row.locked_until.astimezone().strftime("%H:%M")
            refusal = LoginFailed(f"账号已锁定，请于 {until} 后再试", f"Account locked until {until}", locked=True)
        elif not verify_password(password, row.password_hash):
            row.failed_logins += 1
            locked = row.failed_logins >= MAX_FAILURES
            if locked:
                row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                row.failed_logins = 0
            s.add(AuditLog(at=now, actor=username, action="login-failed", target=station, detail={"locked": locked}))
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
            s.add(AuditLog(at=now, actor=username, action="login", target=station, detail={}))
            return StaffView(id=row.id, username=row.username, display_name=row.display_name, role=row.role)
    assert refusal is not None
    raise refusal
