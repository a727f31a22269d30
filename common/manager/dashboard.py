"""The hall manager's dashboard as plain data (STYLE.md habit 15: reports are data first).

:class:`DashboardReader` answers one figure group per call, each with one query (the services
group adds the queue's own estimate, :meth:`QueueService.service_statuses`, so the manager sees
the same minutes as the kiosk). The Qt desk (``counter.manager``) calls only the groups an event
touched; the tests compare every figure with an independent count in SQL.

Times: tickets and ratings store aware UTC; "today" is the hall day in the hall's time zone, and
hourly buckets are hours of the hall's clock.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select, true
from sqlalchemy.orm import Session

from common.db.models import (
    DeviceStatus,
    EventKind,
    Service,
    Staff,
    Ticket,
    TicketStatus,
    Window,
)
from common.db.models.cases import Case, OutboxRow
from common.db.models.followup import Followup
from common.db.models.ratings import Rating
from common.intake.cases import CaseService, WatchItem, WatchLevel
from common.queue.policy import ClosedReason
from common.queue.service import QueueService
from common.staff import CLAIM_STALE_AFTER

__all__ = [
    "BadRating",
    "CaseFigures",
    "Dashboard",
    "DashboardReader",
    "DeviceFigures",
    "Figure",
    "FlowFigures",
    "RatingFigures",
    "ServiceRow",
    "SyncFigures",
    "Totals",
    "WindowRow",
    "figures_for_events",
    "nearest_rank",
]

# The step of the "waiting over the day" curve.
WAITING_STEP = dt.timedelta(minutes=15)


class Figure(enum.StrEnum):
    """The dashboard's figure groups; an event names the groups it changes."""

    TOTALS = "totals"  # and the flow charts: both come from today's tickets
    WINDOWS = "windows"
    SERVICES = "services"
    CASES = "cases"
    RATINGS = "ratings"
    DEVICES = "devices"
    SYNC = "sync"


# What each queue event kind changes on the dashboard. Cases, ratings and the outbox write no
# queue event: the desk reads them on a slow timer and after its own actions.
_EVENT_FIGURES: dict[str, frozenset[Figure]] = {
    EventKind.ISSUED: frozenset({Figure.TOTALS, Figure.SERVICES}),
    EventKind.CALLED: frozenset({Figure.TOTALS, Figure.SERVICES, Figure.WINDOWS}),
    EventKind.RECALLED: frozenset(),
    EventKind.REQUEUED: frozenset({Figure.TOTALS, Figure.SERVICES, Figure.WINDOWS}),
    EventKind.NO_SHOW: frozenset({Figure.TOTALS, Figure.SERVICES, Figure.WINDOWS}),
    EventKind.TRANSFERRED: frozenset({Figure.TOTALS, Figure.SERVICES, Figure.WINDOWS}),
    # A finished service is usually rated a moment later, and may have become a case.
    EventKind.FINISHED: frozenset(
        {Figure.TOTALS, Figure.SERVICES, Figure.WINDOWS, Figure.RATINGS, Figure.CASES}
    ),
    EventKind.PAUSED: frozenset({Figure.WINDOWS, Figure.SERVICES}),
    EventKind.RESUMED: frozenset({Figure.WINDOWS, Figure.SERVICES}),
    EventKind.DEVICE: frozenset({Figure.DEVICES}),
    EventKind.SERVICE_PAUSED: frozenset({Figure.SERVICES}),
    EventKind.SERVICE_RESUMED: frozenset({Figure.SERVICES}),
    "window_services": frozenset({Figure.WINDOWS, Figure.SERVICES}),
}


def figures_for_events(kinds: Iterable[str]) -> set[Figure]:
    """The figure groups a batch of queue events changes (unknown kinds change nothing)."""
    groups: set[Figure] = set()
    for kind in kinds:
        groups |= _EVENT_FIGURES.get(str(kind), frozenset())
    return groups


def nearest_rank(values: Sequence[float], pct: float) -> float | None:
    """The ``pct`` percentile by the nearest-rank method (a value that occurred), None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Totals:
    """Today's tickets: issued, served (办结), no-show (过号, ended), waits and service times.

    A wait is issue → (last) call for every ticket called today; a service time is call →
    finish for every finished ticket. Seconds; None when there is nothing to average.
    """

    issued: int
    served: int
    no_show: int
    waiting: int
    wait_mean: float | None
    wait_p90: float | None
    service_mean: float | None
    service_p90: float | None


@dataclass(frozen=True)
class FlowFigures:
    """The charts' data: arrivals and served per hall hour, and people waiting over the day."""

    hours: tuple[int, ...]
    arrivals: tuple[int, ...]
    served: tuple[int, ...]
    # (moment, people waiting) every WAITING_STEP from the first issue to now.
    waiting_curve: tuple[tuple[dt.datetime, int], ...]


@dataclass(frozen=True)
class WindowRow:
    """One window: open (staffed, not paused), paused with why, who, current ticket and since."""

    number: int
    name: str
    staffed: bool
    paused: bool
    pause_reason: str
    staff: str
    current: str
    current_since: dt.datetime | None

    @property
    def open(self) -> bool:
        return self.staffed and not self.paused


@dataclass(frozen=True)
class ServiceRow:
    """One service: people waiting, since when the longest has waited, the kiosk's estimate."""

    prefix: str
    name: str
    name_en: str
    waiting: int
    longest_since: dt.datetime | None
    estimate_minutes: int
    # 暂停取号 by the manager: what the kiosk's tile says ("暂停取号：系统维护"), else "".
    paused_zh: str = ""
    paused_en: str = ""


@dataclass(frozen=True)
class CaseFigures:
    """Cases accepted today by decision; 电子监察 counts; tolerated items due by today."""

    by_decision: dict[str, int]
    tolerated_due: int
    red: int
    reminder: int
    yellow: int
    tolerance_overdue: int
    # The 电子监察 list itself, most urgent first (red, reminder, yellow, tolerance overdue).
    watch: tuple[WatchItem, ...] = ()


@dataclass(frozen=True)
class BadRating:
    """A bad rating (差评) of today, for the manager's follow-up."""

    id: int
    at: dt.datetime
    level: int
    window: int | None
    staff: str
    reasons: tuple[str, ...]
    comment: str
    callback: bool
    # Its follow-up (common.manager.followup): the step reached ("" = none) and whether it is
    # open past its deadline.
    followup: str = ""
    followup_overdue: bool = False


@dataclass(frozen=True)
class RatingFigures:
    """Today's ratings: count per level (1–5), 好评率 (levels 3–5 over all), the bad ones."""

    by_level: dict[int, int]
    bad: tuple[BadRating, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    @property
    def satisfaction(self) -> float | None:
        """好评率: 非常满意, 满意 and 基本满意 over all (reports: 好评率; their 满意率 is 4–5)."""
        if not self.total:
            return None
        return sum(n for level, n in self.by_level.items() if level >= 3) / self.total


@dataclass(frozen=True)
class DeviceFigures:
    """Devices whose last report needs attention: (station, device, state, message, since)."""

    alerts: tuple[tuple[str, str, str, str, dt.datetime], ...]


@dataclass(frozen=True)
class SyncFigures:
    """The outbox backlog: unsent rows, the oldest one's age, rows the server refused (parked)."""

    unsent: int
    oldest_unsent_at: dt.datetime | None
    parked: int


@dataclass
class Dashboard:
    """All groups together (what the desk shows); any group may still be unread (None)."""

    day: dt.date | None = None
    now: dt.datetime | None = None
    totals: Totals | None = None
    flow: FlowFigures | None = None
    windows: tuple[WindowRow, ...] | None = None
    services: tuple[ServiceRow, ...] | None = None
    cases: CaseFigures | None = None
    ratings: RatingFigures | None = None
    devices: DeviceFigures | None = None
    sync: SyncFigures | None = None
    read: set[Figure] = field(default_factory=set)


class DashboardReader:
    """Reads the dashboard's figure groups for the hall day of the queue's clock."""

    def __init__(self, queue: QueueService, cases: CaseService | None = None) -> None:
        self.queue = queue
        self.db = queue.db
        self.settings = queue.settings
        self.cases = cases

    # ------------------------------------------------------------------ helpers

    def _now(self, s: Session) -> tuple[dt.datetime, dt.date]:
        now = self.queue.clock.now(self.db, s)
        return now, now.astimezone(self.settings.hall.tz).date()

    def _day_range(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        tz = self.settings.hall.tz
        start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)

    # ------------------------------------------------------------------ groups

    def read(
        self, groups: Iterable[Figure] | None = None, into: Dashboard | None = None
    ) -> Dashboard:
        """Read the named groups (default all) into ``into`` (or a new :class:`Dashboard`)."""
        board = into if into is not None else Dashboard()
        wanted = set(groups) if groups is not None else set(Figure)
        if Figure.TOTALS in wanted:
            board.totals, board.flow = self.totals_and_flow()
        if Figure.WINDOWS in wanted:
            board.windows = self.windows()
        if Figure.SERVICES in wanted:
            board.services = self.services()
        if Figure.CASES in wanted:
            board.cases = self.case_figures()
        if Figure.RATINGS in wanted:
            board.ratings = self.ratings()
        if Figure.DEVICES in wanted:
            board.devices = self.devices()
        if Figure.SYNC in wanted:
            board.sync = self.sync()
        with self.db.read() as s:
            board.now, board.day = self._now(s)
        board.read |= wanted
        return board

    def totals_and_flow(self) -> tuple[Totals, FlowFigures]:
        """One query: today's tickets' status and times; totals and charts are worked out here."""
        with self.db.read() as s:
            now, day = self._now(s)
            rows = s.execute(
                select(Ticket.status, Ticket.issued_at, Ticket.called_at, Ticket.finished_at).where(
                    Ticket.hall_day == day
                )
            ).all()
        tz = self.settings.hall.tz
        status_count = Counter(r.status for r in rows)  # TicketStatus members already
        waits = [
            (r.called_at - r.issued_at).total_seconds() for r in rows if r.called_at is not None
        ]
        services = [
            (r.finished_at - r.called_at).total_seconds()
            for r in rows
            if r.status == TicketStatus.FINISHED and r.called_at and r.finished_at
        ]
        totals = Totals(
            issued=len(rows),
            served=status_count[TicketStatus.FINISHED],
            no_show=status_count[TicketStatus.NO_SHOW],
            waiting=status_count[TicketStatus.WAITING],
            wait_mean=_mean(waits),
            wait_p90=nearest_rank(waits, 90),
            service_mean=_mean(services),
            service_p90=nearest_rank(services, 90),
        )
        arrivals = Counter(r.issued_at.astimezone(tz).hour for r in rows)
        served = Counter(
            r.finished_at.astimezone(tz).hour
            for r in rows
            if r.status == TicketStatus.FINISHED and r.finished_at is not None
        )
        hours_seen = set(arrivals) | set(served)
        hours = tuple(range(min(hours_seen), max(hours_seen) + 1)) if hours_seen else ()
        curve: list[tuple[dt.datetime, int]] = []
        if rows:
            # A ticket waits from its issue until its (last) call; one still waiting (also one
            # called and re-queued) has no end yet. People waiting at a moment = issues up to
            # it minus ends up to it: two sorted lists and a bisection per point of the curve.
            starts = sorted(
                r.issued_at
                for r in rows
                if r.status == TicketStatus.WAITING or r.called_at is not None
            )
            ends = sorted(
                r.called_at
                for r in rows
                if r.status != TicketStatus.WAITING and r.called_at is not None
            )

            def waiting_at(moment: dt.datetime) -> int:
                return bisect_right(starts, moment) - bisect_right(ends, moment)

            start = min(r.issued_at for r in rows).astimezone(tz)
            moment = start.replace(minute=start.minute - start.minute % 15, second=0, microsecond=0)
            while moment < now:
                curve.append((moment, waiting_at(moment)))
                moment += WAITING_STEP
            curve.append((now, waiting_at(now)))
        flow = FlowFigures(
            hours=hours,
            arrivals=tuple(arrivals[h] for h in hours),
            served=tuple(served[h] for h in hours),
            waiting_curve=tuple(curve),
        )
        return totals, flow

    def windows(self) -> tuple[WindowRow, ...]:
        """One query: every window with its claim's staff and its current (called) ticket."""
        with self.db.read() as s:
            now, _day = self._now(s)
            current = and_(Ticket.window_id == Window.id, Ticket.status == TicketStatus.CALLED)
            rows = s.execute(
                select(
                    Window.number,
                    Window.name,
                    Window.paused,
                    Window.pause_reason,
                    Window.staff_heartbeat,
                    Staff.display_name,
                    Ticket.number.label("ticket"),
                    Ticket.called_at,
                )
                .outerjoin(Staff, Staff.id == Window.staff_id)
                .outerjoin(Ticket, current)
                .order_by(Window.number)
            ).all()
        result: dict[int, WindowRow] = {}
        for r in rows:
            if r.number in result:  # two called tickets at one window cannot happen; keep one
                continue
            staffed = (
                r.display_name is not None
                and r.staff_heartbeat is not None
                and now - r.staff_heartbeat <= CLAIM_STALE_AFTER
            )
            result[r.number] = WindowRow(
                number=r.number,
                name=r.name,
                staffed=staffed,
                paused=bool(r.paused),
                pause_reason=r.pause_reason or "",
                staff=r.display_name if staffed else "",
                current=r.ticket or "",
                current_since=r.called_at,
            )
        return tuple(result.values())

    def services(self) -> tuple[ServiceRow, ...]:
        """One query for the longest waits; counts and estimates as the kiosk shows them."""
        statuses = self.queue.service_statuses()
        with self.db.read() as s:
            _now, day = self._now(s)
            oldest = {
                prefix: since
                for prefix, since in s.execute(
                    select(Service.prefix, func.min(Ticket.issued_at))
                    .join(Service, Service.id == Ticket.service_id)
                    .where(Ticket.hall_day == day, Ticket.status == TicketStatus.WAITING)
                    .group_by(Service.prefix)
                )
            }
        return tuple(
            ServiceRow(
                prefix=st.prefix,
                name=st.name,
                name_en=st.name_en,
                waiting=st.waiting,
                longest_since=_aware(oldest.get(st.prefix)),
                estimate_minutes=st.estimated_wait_minutes,
                paused_zh=st.closed_reason_zh if st.closed_reason is ClosedReason.PAUSED else "",
                paused_en=st.closed_reason_en if st.closed_reason is ClosedReason.PAUSED else "",
            )
            for st in statuses
        )

    def case_figures(self) -> CaseFigures:
        """One query for today's decisions and tolerated items due.

        电子监察 comes from the case engine.
        """
        with self.db.read() as s:
            _now, day = self._now(s)
            c = Case.__table__.c
            by_decision = {
                str(decision): int(n)
                for decision, n in s.execute(
                    select(c.decision, func.count()).where(c.hall_day == day).group_by(c.decision)
                )
            }
            tolerated_due = int(
                s.scalar(
                    select(func.count())
                    .select_from(Case.__table__)
                    .where(
                        c.open == true(),
                        c.tolerated_outstanding > 0,
                        c.supplement_deadline <= day,
                    )
                )
                or 0
            )
        watch: list[WatchItem] = []
        if self.cases is not None:
            watch = self.cases.watch_list(day)
        levels = Counter(item.level for item in watch)
        return CaseFigures(
            by_decision=by_decision,
            tolerated_due=tolerated_due,
            red=levels[WatchLevel.RED],
            reminder=levels[WatchLevel.REMINDER],
            yellow=levels[WatchLevel.YELLOW],
            tolerance_overdue=levels[WatchLevel.TOLERANCE_OVERDUE],
            watch=tuple(watch),
        )

    def ratings(self) -> RatingFigures:
        """One query: today's ratings per level, plus the bad ones (few) with their reasons."""
        with self.db.read() as s:
            _now, day = self._now(s)
            start, end = self._day_range(day)
            today = and_(Rating.created_at >= start, Rating.created_at < end)
            by_level = {
                int(level): int(n)
                for level, n in s.execute(
                    select(Rating.level, func.count()).where(today).group_by(Rating.level)
                )
            }
            bad = tuple(
                BadRating(
                    r.id,
                    r.created_at,
                    r.level,
                    r.window,
                    r.staff,
                    tuple(r.reasons or ()),
                    r.comment or "",
                    bool(r.callback),
                    step or "",
                    bool(is_open) and due is not None and day > due,
                )
                for r, step, is_open, due in s.execute(
                    select(Rating, Followup.step, Followup.open, Followup.due_date)
                    .outerjoin(Followup, Followup.rating_id == Rating.id)
                    .where(today, Rating.level <= 2)
                    .order_by(Rating.created_at)
                )
            )
        return RatingFigures({level: by_level.get(level, 0) for level in range(1, 6)}, bad)

    def devices(self) -> DeviceFigures:
        with self.db.read() as s:
            rows = s.execute(
                select(
                    DeviceStatus.station,
                    DeviceStatus.device,
                    DeviceStatus.state,
                    DeviceStatus.message,
                    DeviceStatus.updated_at,
                )
                .where(DeviceStatus.needs_attention.is_(True))
                .order_by(DeviceStatus.updated_at, DeviceStatus.id)
            ).all()
        return DeviceFigures(
            tuple((r.station, r.device, r.state, r.message or "", r.updated_at) for r in rows)
        )

    def sync(self) -> SyncFigures:
        """One query over the unsent outbox rows (index ``ix_outbox_pending``)."""
        pending = OutboxRow.parked_at.is_(None)
        with self.db.read() as s:
            row = s.execute(
                select(
                    func.sum(case((pending, 1), else_=0)),
                    func.min(case((pending, OutboxRow.created_at), else_=None)),
                    func.sum(case((pending, 0), else_=1)),
                ).where(OutboxRow.sent_at.is_(None))
            ).one()
        return SyncFigures(int(row[0] or 0), _aware(row[1]), int(row[2] or 0))


def _aware(value: dt.datetime | str | None) -> dt.datetime | None:
    """Aggregates bypass the column type (min() of a datetime on SQLite is its text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
