"""The queue service: issue, call, recall, skip, transfer, finish, pause — one unit of work each.

Everything a kiosk, counter or display does to the queue goes through :class:`QueueService`.
Each public method is one database transaction (STYLE.md habit 4); on SQLite the transaction
takes the write lock up front (``BEGIN IMMEDIATE``), on PostgreSQL the (service, day) counter row
is the lock and call_next claims its ticket with a compare-and-set, so concurrent kiosks and
windows never share a number or a ticket. Every change appends a :class:`QueueEvent` in the same
transaction, and on PostgreSQL a NOTIFY that is delivered on commit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Table,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from common.clock import Clock, DatabaseClock, FixedClock, ManualClock
from common.config import ServiceSettings, Settings, TimeRange
from common.db.engine import HallDatabase
from common.db.models import (
    AuditLog,
    Base,
    Priority,
    QueueEvent,
    Service,
    ServiceCounter,
    ServiceTime,
    Ticket,
    TicketStatus,
    UTCDateTime,
    Window,
    WindowService,
)
from common.people import age_at, hash_id_number, mask_name
from common.queue.errors import (
    DailyCapReached,
    IdCardRequired,
    IllegalTransfer,
    NoCurrentTicket,
    PerIdLimitReached,
    QueueError,
    ServiceClosed,
    UnknownService,
    UnknownWindow,
    WindowPaused,
)

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
_MAX_CLAIM_ATTEMPTS = 20


@dataclass(frozen=True)
class Holder:
    """Who a ticket is for, from the ID card. Only a masked name and a keyed hash are stored."""

    id_number: str
    name: str
    birth_date: dt.date | None = None

    def __repr__(self) -> str:  # never the full number, even in a traceback
        return f"Holder({mask_name(self.name)!r})"


@dataclass(frozen=True)
class TicketView:
    """A ticket as screens and printers see it (no personal data beyond the masked name)."""

    id: int
    number: str
    prefix: str
    service_name: str
    service_name_en: str
    priority: Priority
    green_reason: str
    status: TicketStatus
    issued_at: dt.datetime
    hall_day: dt.date
    window_number: int | None
    called_at: dt.datetime | None
    call_count: int
    holder_masked: str
    transferred_from: str
    people_ahead: int = 0
    estimated_wait_minutes: int = 0

    def waited(self, now: dt.datetime) -> dt.timedelta:
        return (self.called_at or now) - self.issued_at


@dataclass(frozen=True)
class ServiceStatus:
    """Waiting count and estimated wait for one service, and whether it is open now."""

    prefix: str
    name: str
    name_en: str
    general: bool
    waiting: int
    estimated_wait_minutes: int
    open: bool
    closed_reason_zh: str
    closed_reason_en: str
    id_card: str
    issued_today: int
    daily_cap: int


@dataclass(frozen=True)
class WindowStatus:
    """A window's state for its counter screen."""

    number: int
    name: str
    paused: bool
    pause_reason: str
    services: dict[str, int]
    current: TicketView | None


@dataclass(frozen=True)
class DeviceAlert:
    """A device that needs the hall manager (设备告警): a kiosk printer out of paper, offline …

    ``since`` is when the device last reported (aware UTC); ``message`` is the device's own
    detail, for the manager, never for citizens.
    """

    station: str
    device: str
    state: str
    message: str
    since: dt.datetime


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


@dataclass(frozen=True)
class _ServiceInfo:
    id: int
    prefix: str
    name: str
    name_en: str
    daily_cap: int
    id_card: str
    per_id_daily_limit: int
    loaded: float


@dataclass(frozen=True)
class _Statements:
    """Hot-path statements with bound parameters, compiled once per process by SQLAlchemy's cache."""

    next_seq: Any
    insert_ticket: Any
    insert_event: Any
    ahead: Any
    recent_mean: Any
    open_windows: Any
    insert_audit: Any
    insert_service_time: Any
    window_state: Any
    head: Any
    prioritised: Any
    prioritised_locked: Any
    heads_pg: Any
    current: Any

    @classmethod
    def build(cls, dialect: str) -> _Statements:
        built = cls._build(dialect)
        return dataclasses.replace(
            built,
            prioritised_locked=built.prioritised.with_for_update(skip_locked=True),
        )

    @classmethod
    def _build(cls, dialect: str) -> _Statements:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        counter = _table(ServiceCounter)
        next_seq = (
            insert(counter)
            .values(service_id=bindparam("sid"), hall_day=bindparam("day"), last_seq=1)
            .on_conflict_do_update(
                index_elements=[counter.c.service_id, counter.c.hall_day],
                set_={"last_seq": counter.c.last_seq + 1},
            )
            .returning(counter.c.last_seq)
        )
        ticket = _table(Ticket)
        key = bindparam("key", type_=UTCDateTime())
        ahead = select(func.count()).where(
            ticket.c.hall_day == bindparam("day"),
            ticket.c.status == TicketStatus.WAITING.value,
            ticket.c.service_id == bindparam("sid"),
            or_(ticket.c.queue_key < key, and_(ticket.c.queue_key == key, ticket.c.id < bindparam("tid"))),
        )
        st = _table(ServiceTime)
        recent = (
            select(st.c.seconds)
            .where(st.c.service_id == bindparam("sid"), st.c.hall_day == bindparam("day"))
            .order_by(st.c.id.desc())
            .limit(bindparam("n"))
            .subquery()
        )
        ws, win = _table(WindowService), _table(Window)
        waiting_in = (
            Ticket.hall_day == bindparam("day"),
            Ticket.status == TicketStatus.WAITING,
            Ticket.service_id.in_(bindparam("sids", expanding=True)),
        )
        open_windows = (
            select(func.count())
            .select_from(ws.join(win, win.c.id == ws.c.window_id))
            .where(ws.c.service_id == bindparam("sid"), win.c.paused.is_(False))
        )
        return cls(
            next_seq=next_seq,
            insert_ticket=ticket.insert().returning(ticket.c.id),
            insert_event=_table(QueueEvent).insert(),
            ahead=ahead,
            recent_mean=select(func.avg(recent.c.seconds)),
            open_windows=open_windows,
            insert_audit=_table(AuditLog).insert(),
            insert_service_time=st.insert(),
            window_state=select(win.c.id, win.c.paused).where(win.c.number == bindparam("n")),
            head=select(Ticket)
            .where(
                Ticket.hall_day == bindparam("day"),
                Ticket.status == TicketStatus.WAITING,
                Ticket.service_id == bindparam("sid"),
            )
            .order_by(Ticket.queue_key, Ticket.id)
            .limit(1),
            prioritised=select(Ticket)
            .where(
                *waiting_in,
                Ticket.priority.in_([Priority.APPOINTMENT, Priority.GREEN]),
                or_(
                    Ticket.priority == Priority.GREEN,
                    Ticket.appointment_at <= bindparam("due", type_=UTCDateTime()),
                ),
            )
            .order_by(
                case((Ticket.priority == Priority.APPOINTMENT, 0), else_=1),
                Ticket.appointment_at,
                Ticket.queue_key,
                Ticket.id,
            )
            .limit(1),
            prioritised_locked=None,
            # PostgreSQL: the head of every one of the window's queues in one round trip, each
            # row locked or skipped if another window is claiming it.
            heads_pg=select(Ticket).from_statement(
                text(
                    "SELECT t.* FROM unnest(CAST(:sids AS integer[])) AS s(sid) "
                    "CROSS JOIN LATERAL (SELECT * FROM ticket WHERE ticket.hall_day = :day "
                    "AND ticket.status = 'waiting' AND ticket.service_id = s.sid "
                    "ORDER BY ticket.queue_key, ticket.id LIMIT 1 FOR UPDATE SKIP LOCKED) AS t"
                )
            ),
            current=select(Ticket)
            .where(Ticket.window_id == bindparam("wid"), Ticket.status == TicketStatus.CALLED)
            .limit(1),
        )


class QueueService:
    """The hall queue (DESIGN.md "Queue"). Thread-safe: it keeps no state between calls."""

    def __init__(self, db: HallDatabase, settings: Settings, clock: Clock | None = None) -> None:
        self.db = db
        self.settings = settings
        self.clock: Clock = clock or DatabaseClock()
        self._secret: str | None = None
        self._stmts: _Statements | None = None
        self._service_cache: dict[str, _ServiceInfo] = {}
        self._services_by_id: dict[int, _ServiceInfo] = {}
        self._services_loaded = 0.0
        self._weights: dict[int, tuple[float, dict[int, int]]] = {}

    # ------------------------------------------------------------------ set-up

    def sync_from_settings(self) -> None:
        """Create or update services, windows and weights from the hall's settings."""
        self._service_cache.clear()
        self._services_by_id.clear()
        self._weights.clear()
        with self._unit() as s:
            services = {sv.prefix: sv for sv in s.scalars(select(Service))}
            for order, conf in enumerate(self.settings.services):
                row = services.get(conf.prefix) or Service(prefix=conf.prefix)
                row.name, row.name_en, row.area = conf.name, conf.name_en, conf.area
                row.general, row.daily_cap, row.id_card = conf.general, conf.daily_cap, conf.id_card
                row.per_id_daily_limit, row.active, row.sort_order = conf.per_id_daily_limit, True, order
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

    # ------------------------------------------------------------------ helpers

    def hall_day_of(self, moment: dt.datetime) -> dt.date:
        """The hall's calendar day at a moment (the hall's time zone, not this PC's)."""
        return moment.astimezone(self.settings.hall.tz).date()

    def _now(self, s: Session) -> tuple[dt.datetime, dt.date]:
        now = self.clock.now(self.db, s)
        return now, self.hall_day_of(now)

    def _secret_value(self) -> str:
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        return self._secret

    def _closed_reason(self, conf: ServiceSettings | None, now: dt.datetime) -> tuple[str, str] | None:
        local = now.astimezone(self.settings.hall.tz)
        if not self.settings.calendar.is_working_day(local.date()):
            return ("今日休息，不办理业务", "Closed today")
        hours: Sequence[TimeRange] = (conf.hours if conf and conf.hours else None) or self.settings.hours
        t = local.time()
        if any(r.contains(t) for r in hours):
            return None
        if t < min(r.start for r in hours):
            first = min(r.start for r in hours).strftime("%H:%M")
            return (f"尚未开始办理（{first} 开始）", f"Opens at {first}")
        if t >= max(r.end for r in hours):
            return ("今日办理时间已结束", "Closed for today")
        nxt = min((r.start for r in hours if r.start > t), default=None)
        at = nxt.strftime("%H:%M") if nxt else ""
        return (f"午间休息，{at} 恢复办理", f"Break; reopens at {at}")

    def _service(self, s: Session, prefix: str) -> Service:
        row = s.scalars(select(Service).where(Service.prefix == prefix, Service.active)).first()
        if row is None:
            raise UnknownService(prefix)
        return row

    def _service_cached(self, s: Session, prefix: str) -> _ServiceInfo:
        # Services change only when the hall's settings do; re-read at most once a minute.
        info = self._service_cache.get(prefix)
        if info is None or time.monotonic() - info.loaded > 60:
            row = self._service(s, prefix)
            info = _ServiceInfo(
                row.id, row.prefix, row.name, row.name_en, row.daily_cap, row.id_card, row.per_id_daily_limit, time.monotonic()
            )
            self._service_cache[prefix] = info
        return info

    def _window(self, s: Session, number: int) -> Window:
        row = s.scalars(select(Window).where(Window.number == number)).first()
        if row is None:
            raise UnknownWindow(str(number))
        return row

    def _event(
        self,
        s: Session,
        now: dt.datetime,
        day: dt.date,
        kind: str,
        ticket: Ticket | None = None,
        prefix: str = "",
        window: int | None = None,
        **data: Any,
    ) -> None:
        s.info.setdefault("queue_events", []).append(
            {
                "at": now, "hall_day": day, "kind": kind,
                "ticket_id": ticket.id if ticket else None, "number": ticket.number if ticket else "",
                "service_prefix": prefix, "window_number": window, "data": data,
            }
        )

    def _audit(self, s: Session, now: dt.datetime, actor: str, action: str, target: str, **detail: Any) -> None:
        s.info.setdefault("audit", []).append(
            {"at": now, "actor": actor or "system", "action": action, "target": target, "detail": detail}
        )

    @contextlib.contextmanager
    def _unit(self) -> Iterator[Session]:
        """One write unit of work; its events and audit rows are written just before commit.

        Core inserts, one executemany each (in order, so event ids follow the actions), not ORM
        objects: they come with every action and need no identity map. On PostgreSQL a trigger
        (migration 0002) sends NOTIFY_CHANNEL per event, delivered at commit, so a display never
        wakes for a change it cannot yet see.
        """
        with self.db.write() as s:
            yield s
            events = s.info.pop("queue_events", None)
            if events:
                s.execute(self._statements().insert_event, events)
            audit = s.info.pop("audit", None)
            if audit:
                s.execute(self._statements().insert_audit, audit)

    def _prefixes(self, s: Session) -> dict[int, _ServiceInfo]:
        """Every service by id (cached like _service_cached)."""
        if not self._services_by_id or time.monotonic() - self._services_loaded > 60:
            self._services_by_id = {
                sv.id: _ServiceInfo(sv.id, sv.prefix, sv.name, sv.name_en, sv.daily_cap, sv.id_card, sv.per_id_daily_limit, time.monotonic())
                for sv in s.scalars(select(Service))
            }
            self._services_loaded = time.monotonic()
        return self._services_by_id

    def _window_info(self, s: Session, number: int) -> tuple[int, bool, dict[int, int]]:
        """(id, paused, {service id: weight}); paused is read fresh, the weights are cached."""
        row = s.execute(self._statements().window_state, {"n": number}).first()
        if row is None:
            raise UnknownWindow(str(number))
        cached = self._weights.get(number)
        if cached is None or time.monotonic() - cached[0] > 60:
            weights = {
                int(sid): int(weight)
                for sid, weight in s.execute(
                    select(WindowService.service_id, WindowService.weight).where(WindowService.window_id == row.id)
                )
            }
            cached = (time.monotonic(), weights)
            self._weights[number] = cached
        return int(row.id), bool(row.paused), cached[1]

    def _view(
        self,
        s: Session,
        t: Ticket,
        services: dict[int, _ServiceInfo] | None = None,
        *,
        ahead: int = 0,
        wait: int = 0,
        window_number: int | None = None,
    ) -> TicketView:
        services = services or self._prefixes(s)
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
    ) -> TicketView:
        """Issue the next number of a service (default: the general queue, 一键取号).

        Green channel is applied automatically when the holder is aged ``green_channel_age`` or
        over on the hall day; ``priority=GREEN`` with a ``green_reason`` is the staff-confirmed
        kind (disabled, military, pregnant).
        """
        if prefix is None:
            general = [sv for sv in self.settings.services if sv.general]
            if not general:
                raise UnknownService("no general queue configured")
            prefix = general[0].prefix
        try:
            conf: ServiceSettings | None = self.settings.service(prefix)
        except KeyError:
            conf = None
        if priority is Priority.APPOINTMENT and appointment_at is None:
            raise ValueError("an appointment ticket needs appointment_at")
        with self._unit() as s:
            now, day = self._now(s)
            service = self._service_cached(s, prefix)
            reason = self._closed_reason(conf, now)
            if reason is not None:
                raise ServiceClosed(prefix, zh=reason[0], en=reason[1])
            if service.id_card == "required" and holder is None:
                raise IdCardRequired(prefix)
            id_hash = None
            masked = ""
            if holder is not None:
                id_hash = hash_id_number(holder.id_number, self._secret_value())
                masked = mask_name(holder.name)
                # Checked before the counter lock is taken, to keep that lock short. Two kiosks
                # reading the same card in the same millisecond could both pass; a card cannot
                # be on two readers at once.
                if service.per_id_daily_limit:
                    taken = s.scalar(
                        select(func.count(Ticket.id)).where(
                            Ticket.hall_day == day,
                            Ticket.id_hash == id_hash,
                            Ticket.issue_service_id == service.id,
                        )
                    )
                    if (taken or 0) >= service.per_id_daily_limit:
                        raise PerIdLimitReached(
                            prefix,
                            zh=f"您今天已在该业务取号 {taken} 次，已达上限",
                            en=f"You have already taken {taken} tickets for this service today",
                        )
                if (
                    priority is Priority.NORMAL
                    and holder.birth_date is not None
                    and age_at(holder.birth_date, day) >= self.settings.queue.green_channel_age
                ):
                    priority, green_reason = Priority.GREEN, "elderly"
            seq = self._next_seq(s, service.id, day)
            if seq > service.daily_cap:
                raise DailyCapReached(f"{prefix}: cap {service.daily_cap}")
            values = {
                "hall_day": day,
                "issue_service_id": service.id,
                "service_id": service.id,
                "seq": seq,
                "number": f"{prefix}{seq:03d}",
                "priority": priority,
                "green_reason": green_reason if priority is Priority.GREEN else "",
                "appointment_at": appointment_at,
                "issued_at": now,
                "queue_key": now,
                "status": TicketStatus.WAITING,
                "holder_masked": masked,
                "id_hash": id_hash,
                "source": source,
                "call_count": 0,
                "requeue_count": 0,
                "passed_over": 0,
                "transferred_from": "",
            }
            # Core statements, prepared once: issuing is the hot path of a kiosk, and building
            # ORM statements each time cost more than the database work itself.
            stmts = self._statements()
            ticket_id = int(s.execute(stmts.insert_ticket, values).scalar_one())
            s.execute(
                stmts.insert_event,
                {
                    "at": now, "hall_day": day, "kind": "issued", "ticket_id": ticket_id,
                    "number": values["number"], "service_prefix": prefix, "window_number": None,
                    "data": {"priority": priority.value},
                },
            )
        # People ahead and the estimate are read after the commit: the counter row stays locked
        # only for the statements that must be atomic with the number.
        with self.db.read() as s:
            ahead = int(s.execute(stmts.ahead, {"day": day, "sid": service.id, "key": now, "tid": ticket_id}).scalar_one())
            wait = self._estimate(s, service.id, day, ahead)
        return TicketView(
            id=ticket_id,
            number=str(values["number"]),
            prefix=prefix,
            service_name=service.name,
            service_name_en=service.name_en,
            priority=priority,
            green_reason=str(values["green_reason"]),
            status=TicketStatus.WAITING,
            issued_at=now,
            hall_day=day,
            window_number=None,
            called_at=None,
            call_count=0,
            holder_masked=masked,
            transferred_from="",
            people_ahead=ahead,
            estimated_wait_minutes=wait,
        )

    def _statements(self) -> _Statements:
        if self._stmts is None:
            self._stmts = _Statements.build(self.db.engine.dialect.name)
        return self._stmts

    def _next_seq(self, s: Session, service_id: int, day: dt.date) -> int:
        # One statement that creates or bumps the (service, day) row and returns the new value;
        # on PostgreSQL the row lock it takes serialises kiosks issuing for the same service.
        # Rolled back with the rest of the unit of work, so numbers stay gap-free.
        return int(s.execute(self._statements().next_seq, {"sid": service_id, "day": day}).scalar_one())

    def _estimate(self, s: Session, service_id: int, day: dt.date, ahead: int) -> int:
        """Minutes until ``ahead`` people are served by the open windows serving the service."""
        stmts = self._statements()
        params = {"sid": service_id, "day": day, "n": self.settings.queue.recent_services}
        mean = s.execute(stmts.recent_mean, params).scalar()
        if mean is None:  # no history today
            mean = self.settings.queue.default_service_minutes * 60
        windows = s.execute(stmts.open_windows, params).scalar() or 0
        return math.ceil(ahead * float(mean) / max(1, windows) / 60)

    # ------------------------------------------------------------------ calling

    def call_next(self, window: int, *, actor: str = "") -> TicketView | None:
        """Call the next ticket for a window, or None when nobody is waiting for it.

        Order: a next-in-line ticket passed over ``max_pass_over`` times (no-one waits forever), then
        due appointments, then green channel, then the longest wait weighted by the window's
        weight for each service. The window's current ticket, if any, is finished first.
        """
        for _attempt in range(_MAX_CLAIM_ATTEMPTS):
            with self._unit() as s:
                now, day = self._now(s)
                win_id, paused, weights = self._window_info(s, window)
                if paused:
                    raise WindowPaused(str(window))
                current = self._current(s, win_id)
                if current is not None:
                    self._finish(s, current, now, day, window, actor)
                chosen, heads = self._choose(s, weights, now, day)
                if chosen is None:
                    return None
                # Compare-and-set: another window may have claimed it since we looked.
                claimed = cast(CursorResult[Any], s.execute(
                    update(Ticket)
                    .where(Ticket.id == chosen.id, Ticket.status == TicketStatus.WAITING)
                    .values(status=TicketStatus.CALLED, window_id=win_id, called_at=now, call_count=1)
                    .execution_options(synchronize_session=False)
                )).rowcount
                if claimed != 1:
                    # Lost the race: forget this attempt's log rows along with its changes.
                    s.info.pop("queue_events", None)
                    s.info.pop("audit", None)
                    s.rollback()
                    continue
                # Mirror the UPDATE on a detached copy (changing the tracked object would make
                # the session write it a second time).
                s.expunge(chosen)
                chosen.status, chosen.window_id, chosen.called_at, chosen.call_count = (
                    TicketStatus.CALLED, win_id, now, 1
                )
                # 过号 fairness: the next-in-line of each of this window's services that queued
                # before the called ticket was passed over once. Counting only heads keeps this
                # a handful of rows however long the queues, and is what "passed over" means to
                # the citizen: it was their turn and someone else went. (On PostgreSQL the heads
                # are row-locked by _choose, so the update cannot wait on another window.)
                overtaken = [h.id for h in heads if h.id != chosen.id and (h.queue_key, h.id) < (chosen.queue_key, chosen.id)]
                if overtaken:
                    s.execute(
                        update(Ticket)
                        .where(Ticket.id.in_(overtaken), Ticket.status == TicketStatus.WAITING)
                        .values(passed_over=Ticket.passed_over + 1)
                        .execution_options(synchronize_session=False)
                    )
                services = self._prefixes(s)
                prefix = services[chosen.service_id].prefix
                self._event(s, now, day, "called", chosen, prefix, window, priority=chosen.priority.value)
                self._audit(s, now, actor, "call", chosen.number, window=window)
                return self._view(s, chosen, services, window_number=window)
        raise QueueError("could not claim a ticket; too much contention")

    def _choose(
        self, s: Session, weights: dict[int, int], now: dt.datetime, day: dt.date
    ) -> tuple[Ticket | None, list[Ticket]]:
        """The ticket to call, and the heads of the window's service queues (next in line)."""
        if not weights:
            return None, []
        # On PostgreSQL a ticket another window is claiming this instant is skipped, not waited
        # for: ten windows pressing "next" together each get a different ticket at once.
        lock = self.db.is_postgresql

        # One index seek per service (ix_ticket_queue): cheap however long the queues are.
        heads: dict[int, Ticket] = {}
        if lock:
            for head in s.scalars(self._statements().heads_pg, {"sids": sorted(weights), "day": day}):
                heads[head.service_id] = head
        else:
            for service_id in sorted(weights):
                head = s.scalars(self._statements().head, {"day": day, "sid": service_id}).first()
                if head is not None:
                    heads[service_id] = head
        if not heads:
            return None, []
        listed = list(heads.values())
        # Only a head is ever passed over (see call_next), so the capped ones are among them.
        capped = [h for h in listed if h.passed_over >= self.settings.queue.max_pass_over]
        if capped:
            return min(capped, key=lambda t: (t.queue_key, t.id)), listed
        stmts = self._statements()
        params = {
            "day": day,
            "sids": sorted(weights),
            "due": now + dt.timedelta(minutes=self.settings.queue.appointment_early_minutes),
        }
        # Priority tickets are few; ix_ticket_priority finds them without scanning the queue.
        # One statement for both kinds: due appointments sort before green channel.
        prioritised = s.scalars(stmts.prioritised_locked if lock else stmts.prioritised, params).first()
        if prioritised is not None:
            return prioritised, listed
        best: Ticket | None = None
        best_score = -math.inf
        for service_id, head in heads.items():
            # +1 s so that a ticket issued this very second still scales with its weight.
            score = ((now - head.queue_key).total_seconds() + 1.0) * weights[service_id]
            if score > best_score or (
                score == best_score and best is not None and (head.queue_key, head.id) < (best.queue_key, best.id)
            ):
                best, best_score = head, score
        return best, listed

    def _current(self, s: Session, window_id: int) -> Ticket | None:
        return s.scalars(self._statements().current, {"wid": window_id}).first()

    def _require_current(self, s: Session, window: int) -> tuple[Window, Ticket]:
        win = self._window(s, window)
        current = self._current(s, win.id)
        if current is None:
            raise NoCurrentTicket(str(window))
        return win, current

    def recall(self, window: int, *, actor: str = "") -> TicketView:
        """重呼: announce the current ticket again."""
        with self._unit() as s:
            now, day = self._now(s)
            win, t = self._require_current(s, window)
            t.call_count += 1
            services = self._prefixes(s)
            self._event(s, now, day, "recalled", t, services[t.service_id].prefix, win.number, count=t.call_count)
            self._audit(s, now, actor, "recall", t.number, window=win.number)
            return self._view(s, t, services)

    def skip(self, window: int, *, actor: str = "") -> TicketView:
        """过号: the citizen did not come. Re-queued behind the next N, or ended (hall rule)."""
        rule = self.settings.queue
        with self._unit() as s:
            now, day = self._now(s)
            win, t = self._require_current(s, window)
            services = self._prefixes(s)
            prefix = services[t.service_id].prefix
            if rule.no_show_rule == "requeue" and t.requeue_count < rule.max_requeues:
                behind = list(
                    s.scalars(
                        select(Ticket.queue_key)
                        .where(
                            Ticket.hall_day == day,
                            Ticket.status == TicketStatus.WAITING,
                            Ticket.service_id == t.service_id,
                        )
                        .order_by(Ticket.queue_key, Ticket.id)
                        .limit(rule.requeue_after)
                    )
                )
                if rule.requeue_after == 0:
                    key = t.queue_key  # back at its old place
                elif len(behind) == rule.requeue_after:
                    # Just behind the N-th waiting ticket.
                    key = behind[-1] + dt.timedelta(microseconds=1)
                else:
                    key = max([now, *behind])  # fewer than N waiting: at the end
                t.status, t.window_id, t.queue_key = TicketStatus.WAITING, None, key
                t.requeue_count += 1
                t.passed_over = 0
                kind = "requeued"
            else:
                t.status, t.finished_at = TicketStatus.NO_SHOW, now
                kind = "no_show"
            self._event(s, now, day, kind, t, prefix, win.number)
            self._audit(s, now, actor, "skip", t.number, window=win.number, outcome=kind)
            return self._view(s, t, services)

    def transfer(self, window: int, to_prefix: str, *, actor: str = "") -> TicketView:
        """Send the current ticket to another service's queue, keeping its place by issue time."""
        with self._unit() as s:
            now, day = self._now(s)
            win, t = self._require_current(s, window)
            target = self._service(s, to_prefix)
            services = self._prefixes(s)
            source = services[t.service_id]
            if target.id == t.service_id:
                raise IllegalTransfer(to_prefix, zh="已在该业务队列中", en="Already in that service's queue")
            t.transferred_from = source.prefix
            t.service_id, t.status, t.window_id, t.called_at = target.id, TicketStatus.WAITING, None, None
            t.passed_over = 0
            self._event(s, now, day, "transferred", t, target.prefix, win.number, source=source.prefix)
            self._audit(s, now, actor, "transfer", t.number, window=win.number, to=target.prefix)
            return self._view(s, t, services)

    def finish(self, window: int, *, actor: str = "") -> TicketView:
        """办结: the window is done with its current ticket."""
        with self._unit() as s:
            now, day = self._now(s)
            win, t = self._require_current(s, window)
            self._finish(s, t, now, day, win.number, actor)
            return self._view(s, t, window_number=win.number)

    def _finish(self, s: Session, t: Ticket, now: dt.datetime, day: dt.date, window: int, actor: str) -> None:
        t.status, t.finished_at = TicketStatus.FINISHED, now
        # Calls ended within seconds were mistakes or no-shows, not service; they would drag the
        # estimated wait towards zero.
        if t.called_at is not None and (now - t.called_at).total_seconds() >= 5:
            s.execute(
                self._statements().insert_service_time,
                {"service_id": t.service_id, "hall_day": day, "seconds": (now - t.called_at).total_seconds()},
            )
        prefix = self._prefixes(s)[t.service_id].prefix
        self._event(s, now, day, "finished", t, prefix, window)
        self._audit(s, now, actor, "finish", t.number, window=window)

    def pause(self, window: int, reason: str, *, actor: str = "") -> None:
        """暂停服务 with a reason (break, meeting …); a paused window is given no tickets."""
        if not reason.strip():
            raise ValueError("a pause needs a reason")
        with self._unit() as s:
            now, day = self._now(s)
            win = self._window(s, window)
            win.paused, win.pause_reason = True, reason.strip()
            self._event(s, now, day, "paused", None, "", win.number, reason=win.pause_reason)
            self._audit(s, now, actor, "pause", str(win.number), reason=win.pause_reason)

    def resume(self, window: int, *, actor: str = "") -> None:
        with self._unit() as s:
            now, day = self._now(s)
            win = self._window(s, window)
            win.paused, win.pause_reason = False, ""
            self._event(s, now, day, "resumed", None, "", win.number)
            self._audit(s, now, actor, "resume", str(win.number))

    # ------------------------------------------------------------------ queries

    def service_statuses(self) -> list[ServiceStatus]:
        """Per service: waiting, estimated wait, open or why not — for kiosk tiles and displays."""
        with self.db.read() as s:
            now, day = self._now(s)
            counts: dict[int, int] = {
                sid: n
                for sid, n in s.execute(
                    select(Ticket.service_id, func.count(Ticket.id))
                    .where(Ticket.hall_day == day, Ticket.status == TicketStatus.WAITING)
                    .group_by(Ticket.service_id)
                )
            }
            issued: dict[int, int] = {
                sid: n
                for sid, n in s.execute(
                    select(ServiceCounter.service_id, ServiceCounter.last_seq).where(ServiceCounter.hall_day == day)
                )
            }
            result = []
            for sv in s.scalars(select(Service).where(Service.active).order_by(Service.sort_order)):
                try:
                    conf: ServiceSettings | None = self.settings.service(sv.prefix)
                except KeyError:
                    conf = None
                reason = self._closed_reason(conf, now)
                done = issued.get(sv.id, 0)
                if reason is None and done >= sv.daily_cap:
                    reason = (DailyCapReached.zh, DailyCapReached.en)
                waiting = int(counts.get(sv.id, 0))
                result.append(
                    ServiceStatus(
                        prefix=sv.prefix,
                        name=sv.name,
                        name_en=sv.name_en,
                        general=sv.general,
                        waiting=waiting,
                        estimated_wait_minutes=self._estimate(s, sv.id, day, waiting),
                        open=reason is None,
                        closed_reason_zh=reason[0] if reason else "",
                        closed_reason_en=reason[1] if reason else "",
                        id_card=sv.id_card,
                        issued_today=done,
                        daily_cap=sv.daily_cap,
                    )
                )
            return result

    def window_status(self, window: int) -> WindowStatus:
        with self.db.read() as s:
            win = self._window(s, window)
            services = self._prefixes(s)
            current = self._current(s, win.id)
            return WindowStatus(
                number=win.number,
                name=win.name,
                paused=win.paused,
                pause_reason=win.pause_reason,
                services={services[ws.service_id].prefix: ws.weight for ws in win.services},
                current=self._view(s, current, services) if current else None,
            )

    def waiting(self, prefixes: Sequence[str] | None = None, limit: int = 500) -> list[TicketView]:
        """Waiting tickets in queue order (for counter lists and diagnostics)."""
        with self.db.read() as s:
            _now, day = self._now(s)
            services = self._prefixes(s)
            q = select(Ticket).where(Ticket.hall_day == day, Ticket.status == TicketStatus.WAITING)
            if prefixes is not None:
                ids = [i for i, sv in services.items() if sv.prefix in prefixes]
                q = q.where(Ticket.service_id.in_(ids))
            rows = s.scalars(q.order_by(Ticket.queue_key, Ticket.id).limit(limit))
            return [self._view(s, t, services) for t in rows]

    def ticket(self, number: str, day: dt.date | None = None) -> TicketView | None:
        """Look a ticket up by its number on a hall day (default today)."""
        with self.db.read() as s:
            if day is None:
                _now, day = self._now(s)
            t = s.scalars(select(Ticket).where(Ticket.hall_day == day, Ticket.number == number)).first()
            return self._view(s, t) if t else None

    def events_after(self, last_id: int, limit: int = 500) -> list[QueueEvent]:
        """Queue events with id > last_id, oldest first (detached rows, safe to pass around)."""
        with self.db.read() as s:
            return list(s.scalars(select(QueueEvent).where(QueueEvent.id > last_id).order_by(QueueEvent.id).limit(limit)))

    def last_event_id(self) -> int:
        with self.db.read() as s:
            return int(s.scalar(select(func.max(QueueEvent.id))) or 0)

    def record_device_status(
        self, station: str, device: str, state: str, message: str = "", *, needs_attention: bool = False
    ) -> None:
        """Publish a device's state (printer out of paper …) for the hall manager."""
        from common.db.models import DeviceStatus  # local: only kiosks and counters call this

        with self._unit() as s:
            now, day = self._now(s)
            row = s.scalars(select(DeviceStatus).where(DeviceStatus.station == station, DeviceStatus.device == device)).first()
            changed = row is None or row.state != state or row.needs_attention != needs_attention
            if row is None:
                row = DeviceStatus(station=station, device=device)
                s.add(row)
            row.state, row.message, row.updated_at, row.needs_attention = state, message, now, needs_attention
            if changed:
                self._event(s, now, day, "device", None, "", None, station=station, device=device, state=state, attention=needs_attention)

    def device_alerts(self) -> list[DeviceAlert]:
        """Devices whose last report needs attention, oldest first (the manager's alert strip)."""
        from common.db.models import DeviceStatus  # local, as in record_device_status

        with self.db.read() as s:
            rows = s.scalars(
                select(DeviceStatus)
                .where(DeviceStatus.needs_attention.is_(True))
                .order_by(DeviceStatus.updated_at, DeviceStatus.id)
            )
            return [DeviceAlert(r.station, r.device, r.state, r.message or "", r.updated_at) for r in rows]
