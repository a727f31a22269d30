"""What every part of the queue shares: database, settings, clock, statements, cache, views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.clock import Clock
from common.config import ServiceSettings, Settings
from common.db.engine import HallDatabase
from common.db.models import Window
from common.db.unit import UnitOfWork
from common.queue.cache import QueueCache, ServiceInfo
from common.queue.policy import estimate_minutes
from common.queue.statements import Statements
from common.queue.views import TicketView

__all__ = ["QueueContext"]


class QueueContext:
    """The shared parts of :class:`~common.queue.service.QueueService` (one per service).

    Keeps no per-call state: the statements and the cache are built once and then only read.
    """

    def __init__(
        self, db: HallDatabase, settings: Settings, clock: Clock, cache: QueueCache
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.cache = cache
        self._stmts: Statements | None = None
        self._secret: str | None = None

    @property
    def stmts(self) -> Statements:
        if self._stmts is None:
            self._stmts = Statements.build(self.db.engine.dialect.name)
        return self._stmts

    def unit(self) -> UnitOfWork:
        """One write unit of work, stamped with this queue's clock and the hall's day."""
        return UnitOfWork(self.db, self.clock, tz=self.settings.hall.tz)

    def hall_day_of(self, moment: dt.datetime) -> dt.date:
        """The hall's calendar day at a moment (the hall's time zone, not this PC's)."""
        return moment.astimezone(self.settings.hall.tz).date()

    def now(self, s: Session) -> tuple[dt.datetime, dt.date]:
        """Now and the hall day, for reads (write units use ``uow.now`` / ``uow.day``)."""
        now = self.clock.now(self.db, s)
        return now, self.hall_day_of(now)

    def secret(self) -> str:
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        return self._secret

    def service_settings(self, prefix: str) -> ServiceSettings | None:
        try:
            return self.settings.service(prefix)
        except KeyError:
            return None

    def estimate(self, s: Session, service_id: int, day: dt.date, ahead: int) -> int:
        """Minutes until ``ahead`` people are served by the open windows serving the service."""
        q = self.settings.queue
        row = s.execute(
            self.stmts.estimate_parts, {"sid": service_id, "day": day, "n": q.recent_services}
        ).one()
        return estimate_minutes(ahead, row.mean, int(row.windows or 0), q.default_service_minutes)

    def view(
        self,
        s: Session,
        t: Any,
        services: dict[int, ServiceInfo] | None = None,
        *,
        ahead: int = 0,
        wait: int = 0,
        window_number: int | None = None,
    ) -> TicketView:
        """A ticket (ORM object or row with the ticket's columns) as screens see it."""
        services = services or self.cache.services(s)
        service = services[t.service_id]
        if window_number is None and t.window_id is not None:
            window_number = s.scalar(select(Window.number).where(Window.id == t.window_id))
        return TicketView(
            id=t.id,
            number=t.number,
            prefix=service.prefix,
            service_name=service.name,
            service_name_en=service.name_en,
            priority=t.priority,
            green_reason=t.green_reason,
            status=t.status,
            issued_at=t.issued_at,
            hall_day=t.hall_day,
            window_number=window_number,
            called_at=t.called_at,
            call_count=t.call_count,
            holder_masked=t.holder_masked,
            transferred_from=t.transferred_from,
            people_ahead=ahead,
            estimated_wait_minutes=wait,
        )
