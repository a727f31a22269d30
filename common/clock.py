"""Where "now" comes from: one clock, injected into every service that writes.

Every service that stamps a time (the queue, staff log-ins and window claims, the counter's
logout, next the case engine) takes a :class:`Clock` and reads it once per unit of work through
:attr:`common.db.unit.UnitOfWork.now`. The apps pass a :class:`DatabaseClock` (the hall's
clock); tests pass a :class:`ManualClock` and move it by hand, so a lock-out that expires after
15 minutes is tested in microseconds, without sleeping.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from common.db.engine import HallDatabase

__all__ = ["Clock", "DatabaseClock", "FixedClock", "ManualClock"]


class Clock(Protocol):
    """Where "now" comes from inside a unit of work (aware datetimes only)."""

    def now(self, db: HallDatabase, session: Session) -> dt.datetime: ...


class DatabaseClock:
    """The database server's clock on PostgreSQL, this PC's on SQLite (see HallDatabase.now).

    On PostgreSQL the server is asked at most once a minute and this PC's monotonic clock counts
    the time in between: one round trip less per action, and a PC whose wall clock is wrong or
    is changed while running still agrees with the hall.
    """

    REFRESH_SECONDS = 60.0

    def __init__(self) -> None:
        self._base: tuple[float, dt.datetime] | None = None

    def now(self, db: HallDatabase, session: Session) -> dt.datetime:
        if not db.is_postgresql:
            return db.now(session)
        base = self._base  # one read: another thread may replace it, never half-way
        mono = time.monotonic()
        if base is None or mono - base[0] > self.REFRESH_SECONDS:
            server = db.now(session)
            self._base = (time.monotonic(), server)
            return server
        return base[1] + dt.timedelta(seconds=mono - base[0])


class ManualClock:
    """A clock that stands still until a test moves it (``advance`` or assign ``at``)."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self.at = at

    def now(self, db: HallDatabase, session: Session) -> dt.datetime:
        return self.at

    def advance(self, **kwargs: float) -> None:
        """Move on by ``timedelta(**kwargs)``, e.g. ``advance(minutes=15)``."""
        self.at += dt.timedelta(**kwargs)


# The name the queue's tests have always used.
FixedClock = ManualClock
