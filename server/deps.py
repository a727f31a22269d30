"""FastAPI dependencies: the database session, the calling device, the logged-in user.

Everything reaches the routers through ``Depends`` (STYLE.md habit 13): the app's state holds
the session factory made by ``create_app``; nothing is global.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.contract import DeviceRole
from server.db.models import BackofficeUser, WebSession
from server.security import DeviceView, UserView, device_for_token
from server.settings import ServerSettings

__all__ = [
    "SESSION_COOKIE",
    "CurrentDevice",
    "DbSession",
    "NotLoggedIn",
    "Settings",
    "current_user",
    "require_role",
]

SESSION_COOKIE = "ow_backoffice"

_bearer = HTTPBearer(
    auto_error=False, description="a device token from `onewindow-server add-device`"
)


def get_settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as s:
        yield s


DbSession = Annotated[Session, Depends(get_session)]
Settings = Annotated[ServerSettings, Depends(get_settings)]


def current_device(
    s: DbSession, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> DeviceView:
    """The device of the bearer token; 401 without one or with an unknown one."""
    unauthorized = HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "missing or unknown device token",
        headers={"WWW-Authenticate": "Bearer"},
    )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized
    with s.begin():
        device = device_for_token(s, credentials.credentials)
    if device is None:
        raise unauthorized
    return device


CurrentDevice = Annotated[DeviceView, Depends(current_device)]


def require_role(*roles: DeviceRole) -> Callable[[DeviceView], DeviceView]:
    """A dependency allowing only devices of ``roles`` (403 for the others)."""

    def check(device: CurrentDevice) -> DeviceView:
        if device.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"a {device.role.value} token may not do this"
            )
        return device

    return check


class NotLoggedIn(Exception):
    """No valid back-office session: the page handler redirects to the login page."""


def session_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def current_web_session(request: Request, s: DbSession, settings: Settings) -> tuple[UserView, str]:
    """The logged-in user and the session's CSRF token; :class:`NotLoggedIn` otherwise."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotLoggedIn()
    now: dt.datetime = settings.clock()
    with s.begin():
        row = s.scalars(
            select(WebSession).where(WebSession.token_hash == session_token_hash(token))
        ).first()
        if row is None or row.expires_at <= now:
            raise NotLoggedIn()
        user = s.get(BackofficeUser, row.user_id)
        if user is None or not user.active:
            raise NotLoggedIn()
        view = UserView(user.id, user.username, user.display_name, user.role, user.area)
        return view, row.csrf_token


def current_user(web: Annotated[tuple[UserView, str], Depends(current_web_session)]) -> UserView:
    return web[0]
