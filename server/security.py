"""Device tokens and back-office accounts: tokens and passwords are stored hashed only.

A device token is 32 random bytes (URL-safe text, prefixed ``ow_``); the server keeps its
SHA-256, so a stolen database gives no usable token. Passwords are scrypt hashes made exactly as
the halls make them (:mod:`common.passwords`); five failures lock an account for 15 minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.catalog.model import Area
from common.contract import DeviceRole
from common.passwords import LOCK_MINUTES, MAX_FAILURES, hash_password, verify_password
from server.db.models import AuditRow, BackofficeUser, Device

__all__ = [
    "USER_ROLES",
    "DeviceView",
    "LoginRefused",
    "UserView",
    "add_device",
    "add_user",
    "authenticate_user",
    "device_for_token",
    "token_hash",
]

# backoffice: decides cases, sees applicants masked. approver: also sees an applicant's full name,
# ID number and phone on the case page (each view is audited). See docs/DECISIONS.md.
USER_ROLES = ("backoffice", "approver")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DeviceView:
    """The device a request's bearer token belongs to."""

    id: int
    hall: str
    role: DeviceRole


@dataclass(frozen=True)
class UserView:
    """A logged-in back-office user."""

    id: int
    username: str
    display_name: str
    role: str
    area: str

    @property
    def sees_personal_data(self) -> bool:
        return self.role == "approver"


def add_device(s: Session, hall: str, role: DeviceRole, now: dt.datetime, label: str = "") -> str:
    """Register a device and return its token (shown once; only the hash is kept)."""
    token = "ow_" + secrets.token_urlsafe(32)
    s.add(
        Device(
            hall=hall, role=role.value, label=label, token_hash=token_hash(token), created_at=now
        )
    )
    return token


def device_for_token(s: Session, token: str) -> DeviceView | None:
    row = s.scalars(
        select(Device).where(Device.token_hash == token_hash(token), Device.revoked_at.is_(None))
    ).first()
    return None if row is None else DeviceView(id=row.id, hall=row.hall, role=DeviceRole(row.role))


def add_user(
    s: Session,
    username: str,
    password: str,
    *,
    role: str,
    area: str,
    display_name: str,
    now: dt.datetime,
) -> None:
    """Create or reset a back-office account (``onewindow-server add-user``)."""
    if role not in USER_ROLES:
        raise ValueError(f"role must be one of {', '.join(USER_ROLES)}")
    Area(area)  # ValueError for an area that is not one of the eight
    if len(password) < 8:
        raise ValueError("password: at least 8 characters")
    row = s.scalars(select(BackofficeUser).where(BackofficeUser.username == username)).first()
    if row is None:
        row = BackofficeUser(username=username, created_at=now)
        s.add(row)
    row.display_name, row.role, row.area = display_name or username, role, area
    row.password_hash = hash_password(password)
    row.active, row.failed_logins, row.locked_until = True, 0, None


class LoginRefused(Exception):
    """Wrong user or password, or a locked account; ``message_zh`` is for the login page."""

    def __init__(self, message_zh: str, *, locked: bool = False) -> None:
        super().__init__(message_zh)
        self.message_zh, self.locked = message_zh, locked


def authenticate_user(s: Session, username: str, password: str, now: dt.datetime) -> UserView:
    """Check a login inside the caller's transaction (which must commit even on refusal, so the
    failure count and the audit row are kept); :class:`LoginRefused` otherwise."""
    row = s.scalars(
        select(BackofficeUser).where(BackofficeUser.username == username, BackofficeUser.active)
    ).first()
    if row is None:
        s.add(
            AuditRow(at=now, actor=username[:64], action="login-failed", detail={"why": "unknown"})
        )
        raise LoginRefused("用户名或密码错误")
    if row.locked_until is not None and row.locked_until > now:
        s.add(AuditRow(at=now, actor=row.username, action="login-locked"))
        raise LoginRefused("账号已锁定，请稍后再试", locked=True)
    if not verify_password(password, row.password_hash):
        row.failed_logins += 1
        locked = row.failed_logins >= MAX_FAILURES
        if locked:
            row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            row.failed_logins = 0
        s.add(
            AuditRow(at=now, actor=row.username, action="login-failed", detail={"locked": locked})
        )
        if locked:
            raise LoginRefused(f"密码错误次数过多，账号锁定 {LOCK_MINUTES} 分钟", locked=True)
        raise LoginRefused("用户名或密码错误")
    row.failed_logins, row.locked_until = 0, None
    s.add(AuditRow(at=now, actor=row.username, action="login"))
    return UserView(row.id, row.username, row.display_name, row.role, row.area)
