"""The queue service: issue, call, recall, skip, transfer, finish, pause — one unit of work each.

Everything a kiosk, counter or display does to the queue goes through :class:`QueueService`, a
thin facade over the parts that do the work, split by job:

* :mod:`common.queue.issuing` — giving out numbers (the kiosk's hot path);
* :mod:`common.queue.desk` — the window's actions (call, recall, skip, transfer, finish, pause);
* :mod:`common.queue.reads` — statuses, waiting lists, ticket look-ups, the event stream;
* :mod:`common.queue.policy` — the rules as plain functions (closed or open, the call order,
  where a skipped ticket goes back, the estimate);
* :mod:`common.queue.statements` — the prepared SQL; :mod:`common.queue.cache` — services and
  window weights.

Each action is one :class:`~common.db.unit.UnitOfWork` (STYLE.md habit 4); on SQLite the
transaction takes the write lock up front (``BEGIN IMMEDIATE``), on PostgreSQL the (service, day)
counter row is the lock and call_next claims its ticket with a compare-and-set, so concurrent
kiosks and windows never share a number or a ticket. Every change appends a queue event in the
same transaction (``uow.event``, the one way to write one), and on PostgreSQL a NOTIFY that is
delivered on commit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Sequence

from sqlalchemy import select

from common.clock import Clock, DatabaseClock, FixedClock, ManualClock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Priority, QueueEvent, Service, Window, WindowService
from common.db.unit import UnitOfWork
from common.queue.cache import QueueCache
from common.queue.context import QueueContext
from common.queue.desk import Desk
from common.queue.errors import WindowPaused
from common.queue.issuing import Issuer
from common.queue.reads import QueueReads
from common.queue.views import Holder, ServiceStatus, TicketView, WindowStatus
from common.stations import DeviceAlert, DeviceStatusStore

__all__ = [
    "NOTIFY_CHANNEL",
    "Clock",
    "DatabaseClock",
    "DeviceAlert",
    "FixedClock",
    "Holder",
    "ManualClock",
    "QueueService",
    "ServiceStatus",
    "TicketView",
    "WindowStatus",
]

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "onewindow_queue"


class QueueService:
    """The hall queue (DESIGN.md "Queue"). Thread-safe: it keeps no state between calls.

    ``clock`` is where "now" comes from (the hall's :class:`~common.clock.DatabaseClock` unless a
    test passes a :class:`~common.clock.ManualClock`); ``cache`` holds services and window
    weights (60 s unless given).
    """

    def __init__(
        self,
        db: HallDatabase,
        settings: Settings,
        clock: Clock | None = None,
        *,
        cache: QueueCache | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock: Clock = clock or DatabaseClock()
        self.cache = cache or QueueCache()
        self._ctx = QueueContext(db, settings, self.clock, self.cache)
        self._issuer = Issuer(self._ctx)
        self._desk = Desk(self._ctx)
        self._reads = QueueReads(self._ctx)
        self._devices = DeviceStatusStore(db, self.clock, tz=settings.hall.tz)

    # ------------------------------------------------------------------ set-up

    def sync_from_settings(self) -> None:
        """Create or update services, windows and weights from the hall's settings."""
        with UnitOfWork(self.db, self.clock) as uow:
            s = uow.session
            services = {sv.prefix: sv for sv in s.scalars(select(Service))}
            for order, conf in enumerate(self.settings.services):
                row = services.get(conf.prefix) or Service(prefix=conf.prefix)
                row.name, row.name_en, row.area = conf.name, conf.name_en, conf.area
                row.general, row.daily_cap, row.id_card = conf.general, conf.daily_cap, conf.id_card
                row.per_id_daily_limit, row.active, row.sort_order = (
                    conf.per_id_daily_limit,
                    True,
                    order,
                )
                s.add(row)
                services[conf.prefix] = row
            configured = {c.prefix for c in self.settings.services}
            for prefix, row in services.items():
                if prefix not in configured:
                    row.active = False
            s.flush()
            windows = {w.number: w for w in s.scalars(select(Window))}
            for wconf in self.settings.windows:
                window = windows.get(wconf.number) or Window(number=wconf.number)
                window.name = wconf.name or f"{wconf.number}号窗口"
                window.services = [
                    WindowService(service_id=services[p].id, weight=weight)
                    for p, weight in wconf.services.items()
                ]
                s.add(window)
        # After the commit: a reader in between still gets the old, consistent snapshot.
        self.cache.invalidate()

    def warm_up(self, window: int | None = None) -> None:
        """Make the first real action fast: call this at login (counter) or start-up (kiosk).

        Builds the prepared statements, loads the cache, and runs a whole call_next for
        ``window`` (default: the lowest-numbered window) in a unit that is rolled back, then reads
        the window's status: SQLAlchemy compiles and caches every statement, the ORM configures
        its mappers, the pool opens a connection and the database reads the tables' pages.
        Nothing is written and no event is published.
        """
        _ = self._ctx.stmts
        with self.db.read() as s:
            windows = self.cache.snapshot(s, refresh=True).windows
        if window is None and windows:
            window = min(windows)
        if window is None or window not in windows:
            return
        # A paused window refuses the rehearsal as it would refuse the call; the statements it
        # ran before the refusal are warm all the same.
        with contextlib.suppress(WindowPaused):
            self._desk.rehearse_call(window)
        self.window_status(window)

    def hall_day_of(self, moment: dt.datetime) -> dt.date:
        """The hall's calendar day at a moment (the hall's time zone, not this PC's)."""
        return self._ctx.hall_day_of(moment)

    # ------------------------------------------------------------------ issuing

    def issue(
        self,
        prefix: str | None = None,
        *,
        holder: Holder | None = None,
        priority: Priority = Priority.NORMAL,
        green_reason: str = "",
        appointment_at: dt.datetime | None = None,
        source: str = "",
        within: Callable[[UnitOfWork, int], None] | None = None,
    ) -> TicketView:
        """Issue the next number of a service (default: the general queue, 一键取号).

        Green channel is applied automatically when the holder is aged ``green_channel_age`` or
        over on the hall day; ``priority=GREEN`` with a ``green_reason`` is the staff-confirmed
        kind (disabled, military, pregnant). Refusals are typed (:mod:`common.queue.errors`);
        :class:`~common.queue.errors.ServiceClosed` carries its
        :class:`~common.queue.policy.ClosedReason`. ``within(uow, ticket_id)`` runs in the
        ticket's own unit of work, after the ticket is written (its exception rolls both back).
        """
        return self._issuer.issue(
            prefix,
            holder=holder,
            priority=priority,
            green_reason=green_reason,
            appointment_at=appointment_at,
            source=source,
            within=within,
        )

    # ------------------------------------------------------------------ the window's actions

    def call_next(self, window: int, *, actor: str = "") -> TicketView | None:
        """Call the next ticket for a window, or None when nobody is waiting for it.

        Order: a next-in-line ticket passed over ``max_pass_over`` times (no-one waits forever),
        then due appointments, then green channel, then the longest wait weighted by the window's
        weight for each service. The window's current ticket, if any, is finished first.
        """
        return self._desk.call_next(window, actor=actor)

    def recall(self, window: int, *, actor: str = "") -> TicketView:
        """重呼: announce the current ticket again."""
        return self._desk.recall(window, actor=actor)

    def skip(self, window: int, *, actor: str = "") -> TicketView:
        """过号: the citizen did not come. Re-queued behind the next N, or ended (hall rule)."""
        return self._desk.skip(window, actor=actor)

    def transfer(self, window: int, to_prefix: str, *, actor: str = "") -> TicketView:
        """Send the current ticket to another service's queue, keeping its place by issue time."""
        return self._desk.transfer(window, to_prefix, actor=actor)

    def finish(self, window: int, *, actor: str = "") -> TicketView:
        """办结: the window is done with its current ticket."""
        return self._desk.finish(window, actor=actor)

    def pause(self, window: int, reason: str, *, actor: str = "") -> None:
        """暂停服务 with a reason (break, meeting …); a paused window is given no tickets."""
        self._desk.pause(window, reason, actor=actor)

    def resume(self, window: int, *, actor: str = "") -> None:
        self._desk.resume(window, actor=actor)

    # ------------------------------------------------------------------ reads

    def service_statuses(self) -> list[ServiceStatus]:
        """Per service: waiting, estimated wait, open or why not — for kiosk tiles and displays."""
        return self._reads.service_statuses()

    def window_status(self, window: int) -> WindowStatus:
        return self._reads.window_status(window)

    def waiting(self, prefixes: Sequence[str] | None = None, limit: int = 500) -> list[TicketView]:
        """Waiting tickets in queue order (for counter lists and diagnostics)."""
        return self._reads.waiting(prefixes, limit)

    def ticket(self, number: str, day: dt.date | None = None) -> TicketView | None:
        """Look a ticket up by its number on a hall day (default today)."""
        return self._reads.ticket(number, day)

    def events_after(self, last_id: int, limit: int = 500) -> list[QueueEvent]:
        """Queue events with id > last_id, oldest first (detached rows, safe to pass around)."""
        return self._reads.events_after(last_id, limit)

    def last_event_id(self) -> int:
        return self._reads.last_event_id()

    # ------------------------------------------------------------------ devices (common.stations)

    def record_device_status(
        self,
        station: str,
        device: str,
        state: str,
        message: str = "",
        *,
        needs_attention: bool = False,
    ) -> None:
        """Publish a device's state for the hall manager (delegates to common.stations)."""
        self._devices.record(station, device, state, message, needs_attention=needs_attention)

    def device_alerts(self) -> list[DeviceAlert]:
        """Devices whose last report needs attention, oldest first (see common.stations)."""
        return self._devices.alerts()
