"""The server's settings: one typed object, made by the CLI or a test, given to ``create_app``."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["ServerSettings", "settings_from_env", "utc_now"]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class ServerSettings:
    """Everything ``create_app`` needs.

    ``secure_cookies`` marks the back-office cookie ``Secure`` (on whenever the server is behind
    TLS). ``certificate_*`` name the issuer of the e-certificates the back office issues (the
    national identifier's issuer code and the certificate type code). ``clock`` is injected so
    tests of lock-out and expiry need no sleeps.
    """

    database_url: str = "sqlite:///onewindow-server.db"
    secure_cookies: bool = False
    session_hours: int = 8
    certificate_issuer_code: str = "11350100MB0000000Y"
    certificate_issuer_name: str = "示范区行政审批局"
    certificate_type_code: str = "11100000000013338W001"
    verify_url_base: str = "https://zwfw.example.gov.cn/verify?id="
    # The certificates' dates (issued on, the identifier's serial) are calendar days in the
    # issuing authority's time, not UTC: a certificate issued at 00:30 Beijing time is dated
    # that day, not the day before.
    timezone: str = "Asia/Shanghai"
    clock: Callable[[], dt.datetime] = field(default=utc_now)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


# Environment names the CLI uses to hand settings to uvicorn worker processes (each worker
# builds its own app through ``server.main:app_from_env``).
_ENV = "ONEWINDOW_SERVER_"


def settings_to_env(settings: ServerSettings) -> dict[str, str]:
    return {
        f"{_ENV}DATABASE": settings.database_url,
        f"{_ENV}SECURE_COOKIES": "1" if settings.secure_cookies else "0",
    }


def settings_from_env() -> ServerSettings:
    return ServerSettings(
        database_url=os.environ.get(f"{_ENV}DATABASE", ServerSettings.database_url),
        secure_cookies=os.environ.get(f"{_ENV}SECURE_COOKIES", "0") == "1",
    )
