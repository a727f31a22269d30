"""The hall report's sections, one function each, over a period of hall days, grouped one way.

Each function runs one indexed query (migration 0016 adds what a year needs), the same on
SQLite and PostgreSQL. Tickets come back one row each, their durations computed in SQL as
seconds (a month's 60,000 tickets as numbers, not 180,000 parsed datetimes), and p90 is worked
out in Python by nearest rank (a value that occurred), as on the dashboard; ratings, cases and
decisions are counted by the database per group and value (:func:`_counted`).

Grouping, and what each section can be grouped by:

* tickets — by service (the queue the ticket ended in), by window (that called it last), by
  member of staff (who held that window at the call: the ``window-claimed`` /
  ``window-taken-over`` / ``window-released`` audit rows), not by matter (a ticket does not
  name one: by matter, the ticket section is grouped by service and says so);
* ratings — by the rated ticket's service (a hand-over: its case's ticket), window, staff as
  recorded on the rating, matter of the rated case (a ticket rating: none);
* cases and on-time — by the ticket's service, window, staff and first matter of the case.

Rows without a group (a ticket never called, …) form the group ``—``, so rows add up to the
total.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    String,
    Table,
    case,
    func,
    literal_column,
    select,
    text,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from common.db.engine import HallDatabase
from common.db.models import AuditLog, Service, Staff, Ticket, TicketStatus, Window
from common.db.models.cases import Case, CaseTransition
from common.db.models.followup import Followup
from common.db.models.ratings import Rating
from common.intake.words import CaseAction, CaseState, Decision
from common.people import mask_name
from common.reports.model import (
    NONE_KEY,
    CaseFigures,
    FollowupFigures,
    OnTimeFigures,
    OverdueCase,
    Period,
    RatingFigures,
    ReportBy,
    Section,
    TicketFigures,
)

__all__ = [
    "case_section",
    "followup_section",
    "nearest_rank",
    "on_time_section",
    "overdue_list",
    "rating_section",
    "ticket_section",
]

TOTAL_LABEL = "全厅合计"


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


TICKET = _table(Ticket)
CASE = _table(Case)
RATING = _table(Rating)
TRANSITION = _table(CaseTransition)
FOLLOWUP = _table(Followup)
_CLAIM_ACTIONS = ("window-claimed", "window-taken-over", "window-released")
# Claims older than this before the period are not looked for (a counter claims its window at
# every log-in; a week covers any counter left running over a holiday).
_CLAIM_LOOKBACK = dt.timedelta(days=7)
# Up to a quarter, a report's reads join by key lookups on PostgreSQL (see _tune).
_KEY_LOOKUP_DAYS = 92


def nearest_rank(values: Sequence[float], pct: float) -> float | None:
    """The ``pct`` percentile by the nearest-rank method (a value that occurred), None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _bounds(period: Period, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(period.first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start, end


def _seconds(db: HallDatabase, later: Any, earlier: Any) -> ColumnElement[float]:
    """``later - earlier`` in seconds, in SQL (both columns naive UTC)."""
    if db.engine.dialect.name == "postgresql":
        # EXTRACT answers numeric (Decimal) since PostgreSQL 14: as double, like SQLite's.
        return sql_cast(func.extract("epoch", later - earlier), Float())
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _local_date(
    db: HallDatabase, column: Any, tz: dt.tzinfo, start: dt.datetime, end: dt.datetime
) -> ColumnElement[Any] | None:
    """The hall-time date of a stored (naive UTC) datetime, in SQL, when the hall's offset is
    the same all through the period (always so for China); None when it changes (summer time)."""
    offset = start.utcoffset()
    if offset is None or offset != end.utcoffset():
        return None
    minutes = int(offset.total_seconds() // 60)
    if db.engine.dialect.name == "postgresql":
        return cast(
            ColumnElement[Any],
            sql_cast(column + literal_column(f"interval '{minutes} minutes'"), Date()),
        )
    return func.date(column, f"{minutes:+d} minutes")


def _first_matter() -> list[Any]:
    """The code and name of a case's first matter, taken out of the JSON in SQL (a month's
    34,000 lists need not travel and be parsed to read two strings)."""
    first = CASE.c.matters[0]
    return [
        first["code"].as_string().label("matter_code"),
        first["name"].as_string().label("matter_name"),
    ]


def _tune(db: HallDatabase, s: Session, period: Period) -> None:
    """PostgreSQL: join a month's rows to their tickets and cases by key lookups.

    Every report read is a month's slice (by an index) joined to the year-sized ticket and case
    tables by primary key. With the default costs the planner hashes the whole other table
    instead: ratings by service 1.3 s, cases by service 0.9 s, decisions 0.5 s, for reads whose
    key lookups take 0.07–0.4 s. ``SET LOCAL`` lasts for this read transaction only. Over
    more than a quarter the planner's own choice is the better one (a year: hashing wins) and
    is left alone.
    """
    if db.engine.dialect.name == "postgresql" and period.days <= _KEY_LOOKUP_DAYS:
        s.execute(text("SET LOCAL random_page_cost = 1.1"))
        s.execute(text("SET LOCAL enable_hashjoin = off"))
        s.execute(text("SET LOCAL enable_mergejoin = off"))


def _counted(query: Any) -> Any:
    """``query``'s distinct rows with how many times each occurs (column ``n``).

    Ratings, cases and decisions need counts per group and value, not their rows: the database
    counts, and a month's 50,000 ratings come back as a few hundred rows.
    """
    sub = query.subquery()
    return select(*sub.c, func.count().label("n")).group_by(*sub.c)


def _sort_key(by: ReportBy) -> Callable[[tuple[str, str]], tuple[Any, ...]]:
    def key(item: tuple[str, str]) -> tuple[Any, ...]:
        k, label = item
        if k == NONE_KEY:
            return (2, 0, "")
        if by is ReportBy.WINDOW and k.isdigit():
            return (0, int(k), "")
        if by is ReportBy.STAFF:
            return (1, 0, label + k)
        return (1, 0, k)

    return key


class _Labels:
    """Group keys and labels from the hall's own tables: services, windows, staff names."""

    def __init__(self, s: Session) -> None:
        self.service = {
            sid: (prefix, name)
            for sid, prefix, name in s.execute(select(Service.id, Service.prefix, Service.name))
        }
        self.window = {
            wid: (number, name or f"{number}号窗口")
            for wid, number, name in s.execute(select(Window.id, Window.number, Window.name))
        }
        self.window_name = {number: label for number, label in self.window.values()}
        self.staff: dict[str, str] = {
            u: n for u, n in s.execute(select(Staff.username, Staff.display_name))
        }

    def of_service(self, sid: int | None) -> tuple[str, str]:
        if sid is None or sid not in self.service:
            return NONE_KEY, "无业务"
        return self.service[sid]

    def of_window(self, number: int | None) -> tuple[str, str]:
        if number is None:
            return NONE_KEY, "未到窗口"
        return str(number), self.window_name.get(number, f"{number}号窗口")

    def of_staff(self, username: str | None) -> tuple[str, str]:
        if not username:
            return NONE_KEY, "未记录"
        return username, self.staff.get(username, username)

    @staticmethod
    def of_matter(code: str | None, name: str | None) -> tuple[str, str]:
        if not code:
            return NONE_KEY, "无事项"
        return code, name or ""


class _Claims:
    """Who held each window when: from the claim audit rows, looked up by window and time."""

    def __init__(self, s: Session, start: dt.datetime, end: dt.datetime) -> None:
        times: dict[int, list[dt.datetime]] = defaultdict(list)
        holders: dict[int, list[str | None]] = defaultdict(list)
        rows = s.execute(
            select(AuditLog.at, AuditLog.actor, AuditLog.action, AuditLog.detail)
            .where(
                AuditLog.action.in_(_CLAIM_ACTIONS),
                AuditLog.at >= start - _CLAIM_LOOKBACK,
                AuditLog.at < end,
            )
            .order_by(AuditLog.at, AuditLog.id)
        )
        for at, actor, action, detail in rows:
            window = (detail or {}).get("window")
            if not isinstance(window, int):
                continue
            times[window].append(at.replace(tzinfo=None))
            holders[window].append(None if action == "window-released" else actor)
        self.times, self.holders = times, holders

    def holder(self, window: int | None, at: dt.datetime | None) -> str | None:
        if window is None or at is None or window not in self.times:
            return None
        i = bisect.bisect_right(self.times[window], at.replace(tzinfo=None)) - 1
        return self.holders[window][i] if i >= 0 else None


def _naive(value: Any) -> dt.datetime | None:
    """A stored datetime as naive UTC, whether the driver gave a string or a datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=None) if isinstance(value, dt.datetime) else None


class _TicketTally:
    """Counts and durations of one group of tickets, gathered in one pass."""

    __slots__ = ("issued", "no_show", "served", "services", "waits")

    def __init__(self) -> None:
        self.issued = self.served = self.no_show = 0
        self.waits: list[float] = []
        self.services: list[float] = []

    def add(self, status: str, wait: float | None, service: float | None) -> None:
        self.issued += 1
        if wait is not None:
            self.waits.append(wait)
        if status == _FINISHED:
            self.served += 1
            if service is not None:
                self.services.append(service)
        elif status == _NO_SHOW:
            self.no_show += 1

    def figures(self, key: str, label: str) -> TicketFigures:
        return TicketFigures(
            key=key,
            label=label,
            issued=self.issued,
            served=self.served,
            no_show=self.no_show,
            wait_mean=_mean(self.waits),
            wait_p90=nearest_rank(self.waits, 90),
            service_mean=_mean(self.services),
            service_p90=nearest_rank(self.services, 90),
        )


_FINISHED = TicketStatus.FINISHED.value
_NO_SHOW = TicketStatus.NO_SHOW.value


def _grouped(
    items: Iterable[tuple[tuple[str, str], Any]], by: ReportBy
) -> list[tuple[str, str, list[Any]]]:
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for group, item in items:
        groups[group].append(item)
    return [(k, label, groups[(k, label)]) for k, label in sorted(groups, key=_sort_key(by))]


def ticket_section(
    db: HallDatabase, tz: ZoneInfo | dt.tzinfo, period: Period, by: ReportBy
) -> Section[TicketFigures]:
    """Tickets of the period's hall days: issued, served, no-show, waits and service times."""
    t = TICKET.c
    note = ""
    if by is ReportBy.MATTER:
        by, note = ReportBy.SERVICE, "排队号不记录事项，此表按业务分组。"
    start, end = _bounds(period, tz)
    columns: list[Any] = [
        t.service_id if by is ReportBy.SERVICE else t.window_id,
        # Plain strings: no enum or datetime conversion for 60,000 rows a month.
        type_coerce(t.status, String()),
        _seconds(db, t.called_at, t.issued_at),
        _seconds(db, t.finished_at, t.called_at),
    ]
    if by is ReportBy.STAFF:
        columns.append(type_coerce(t.called_at, String()))
    with db.read() as s:
        _tune(db, s, period)
        labels = _Labels(s)
        claims = _Claims(s, start, end) if by is ReportBy.STAFF else None
        rows = s.execute(
            select(*columns).where(t.hall_day >= period.first, t.hall_day <= period.last)
        ).all()
    number_of = {wid: n for wid, (n, _) in labels.window.items()}
    tallies: dict[Any, _TicketTally] = defaultdict(_TicketTally)
    total = _TicketTally()
    if by is ReportBy.STAFF:
        assert claims is not None
        for wid, status, wait, service, called in rows:
            holder = claims.holder(number_of.get(wid), _naive(called))
            tallies[holder].add(status, wait, service)
            total.add(status, wait, service)
        named = {labels.of_staff(h): tally for h, tally in tallies.items()}
    else:
        for group, status, wait, service in rows:
            tallies[group].add(status, wait, service)
            total.add(status, wait, service)
        if by is ReportBy.SERVICE:
            named = {labels.of_service(g): tally for g, tally in tallies.items()}
        else:
            named = {labels.of_window(number_of.get(g)): tally for g, tally in tallies.items()}
    result = tuple(named[(k, lb)].figures(k, lb) for k, lb in sorted(named, key=_sort_key(by)))
    return Section(result, total.figures("", TOTAL_LABEL), note)


def rating_section(
    db: HallDatabase, tz: ZoneInfo | dt.tzinfo, period: Period, by: ReportBy
) -> Section[RatingFigures]:
    """Ratings given in the period (by the hall's clock): count per level, 满意率."""
    r = RATING.c
    c = CASE.c
    t = TICKET.c
    start, end = _bounds(period, tz)
    in_period = (r.created_at >= start, r.created_at < end)
    query: Any
    if by is ReportBy.SERVICE:
        # Two arms rather than one COALESCE over three outer joins: a ticket's rating needs one
        # key lookup, only a hand-over's needs its case and the case's ticket (PostgreSQL:
        # 0.57 s → 0.41 s for a month, measured back to back).
        rated = TICKET.alias("rated")
        query = union_all(
            select(r.level, t.service_id.label("service_id"))
            .select_from(RATING.join(TICKET, t.id == r.ticket_id))
            .where(*in_period),
            select(r.level, rated.c.service_id.label("service_id"))
            .select_from(
                RATING.outerjoin(CASE, c.id == r.case_id).outerjoin(
                    rated, rated.c.id == c.ticket_id
                )
            )
            .where(*in_period, r.ticket_id.is_(None)),
        )
    elif by is ReportBy.WINDOW:
        query = select(r.level, r.window).where(*in_period)
    elif by is ReportBy.STAFF:
        query = select(r.level, r.staff).where(*in_period)
    else:
        query = (
            select(r.level, *_first_matter())
            .select_from(RATING)
            .outerjoin(CASE, c.id == r.case_id)
            .where(*in_period)
        )
    with db.read() as s:
        _tune(db, s, period)
        labels = _Labels(s)
        rows = s.execute(_counted(query)).all()

    def group(row: Any) -> tuple[str, str]:
        if by is ReportBy.SERVICE:
            return labels.of_service(row.service_id)
        if by is ReportBy.WINDOW:
            return labels.of_window(row.window)
        if by is ReportBy.STAFF:
            return labels.of_staff(row.staff)
        return labels.of_matter(row.matter_code, row.matter_name)

    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 6)
    total = [0] * 6
    for row in rows:
        level, n = int(row.level), int(row.n)
        if 1 <= level <= 5:
            counts[group(row)][level] += n
            total[level] += n
    note = (
        "满意率 = (非常满意 + 满意) ÷ 评价总数；好评率 = (非常满意 + 满意 + 基本满意) ÷ 评价总数"
        "（管理台“满意率”即此好评率）；差评 = 不满意 + 非常不满意。"
    )
    if by is ReportBy.MATTER:
        note += "排队号的评价不记录事项，计入“—”。"

    def figures(key: str, label: str, c: Sequence[int]) -> RatingFigures:
        return RatingFigures(key, label, c[5], c[4], c[3], c[2], c[1])

    return Section(
        tuple(figures(k, lb, counts[(k, lb)]) for k, lb in sorted(counts, key=_sort_key(by))),
        figures("", TOTAL_LABEL, total),
        note,
    )


def _case_group(by: ReportBy, labels: _Labels, row: Any) -> tuple[str, str]:
    if by is ReportBy.SERVICE:
        return labels.of_service(row.service_id)
    if by is ReportBy.WINDOW:
        return labels.of_window(row.window)
    if by is ReportBy.STAFF:
        return labels.of_staff(row.staff)
    return labels.of_matter(row.matter_code, row.matter_name)


def _case_columns(by: ReportBy) -> tuple[list[Any], bool]:
    """The columns a case grouping needs, and whether the ticket must be joined."""
    c = CASE.c
    if by is ReportBy.SERVICE:
        return [TICKET.c.service_id], True
    if by is ReportBy.WINDOW:
        return [c.window], False
    if by is ReportBy.STAFF:
        return [c.staff], False
    return _first_matter(), False


def _case_figures(key: str, label: str, count: dict[str, int]) -> CaseFigures:
    return CaseFigures(
        key,
        label,
        count.get(Decision.ACCEPT.value, 0),
        count.get(Decision.ACCEPT_WITH_TOLERANCE.value, 0),
        count.get(Decision.CORRECTION_REQUIRED.value, 0),
        count.get(Decision.REJECT.value, 0),
    )


def case_section(
    db: HallDatabase, tz: ZoneInfo | dt.tzinfo, period: Period, by: ReportBy
) -> Section[CaseFigures]:
    """Cases of the period's hall days by the window's decision (受理 … 不予受理)."""
    c = CASE.c
    extra, join_ticket = _case_columns(by)
    query = select(type_coerce(c.decision, String()).label("decision"), *extra).where(
        c.hall_day >= period.first, c.hall_day <= period.last
    )
    if join_ticket:
        query = query.select_from(CASE).outerjoin(TICKET, TICKET.c.id == c.ticket_id)
    with db.read() as s:
        _tune(db, s, period)
        labels = _Labels(s)
        rows = s.execute(_counted(query)).all()
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[_case_group(by, labels, r)][str(r.decision)] += int(r.n)
        total[str(r.decision)] += int(r.n)
    note = "一件含多个事项的办件按第一个事项计。" if by is ReportBy.MATTER else ""
    return Section(
        tuple(_case_figures(k, lb, counts[(k, lb)]) for k, lb in sorted(counts, key=_sort_key(by))),
        _case_figures("", TOTAL_LABEL, total),
        note,
    )


def on_time_section(
    db: HallDatabase, tz: ZoneInfo | dt.tzinfo, period: Period, by: ReportBy
) -> Section[OnTimeFigures]:
    """Cases decided in the period (approve / deny, by the hall's clock) and how many on time.

    On time: decided on or before the stored promised date (which already includes the working
    days a stopped clock added).
    """
    c = CASE.c
    x = TRANSITION.c
    start, end = _bounds(period, tz)
    extra, join_ticket = _case_columns(by)
    source = TRANSITION.join(CASE, c.id == x.case_id)
    if join_ticket:
        source = source.outerjoin(TICKET, TICKET.c.id == c.ticket_id)
    decided = _local_date(db, x.at, tz, start, end)
    # 1 when decided by the promised date (in SQL), or the decision time to judge in Python.
    flag: Any = (
        type_coerce(x.at, String())
        if decided is None
        else case((decided <= c.promised_date, 1), else_=0)
    )
    # The promised date is only needed when Python judges (summer time in the period).
    promised = (
        [] if decided is not None else [type_coerce(c.promised_date, String()).label("promised")]
    )
    query = (
        select(flag.label("flag"), *promised, *extra)
        .select_from(source)
        .where(
            x.action.in_([CaseAction.APPROVE.value, CaseAction.DENY.value]),
            x.at >= start,
            x.at < end,
        )
    )
    with db.read() as s:
        _tune(db, s, period)
        labels = _Labels(s)
        rows = s.execute(_counted(query)).all()

    def in_time(row: Any) -> bool:
        if decided is not None:
            return bool(row.flag)
        # The hall's offset changed within the period (summer time): per row in Python.
        at = _naive(row.flag)
        if at is None or row.promised is None:
            return False
        local = at.replace(tzinfo=dt.UTC).astimezone(tz).date()
        return local.isoformat() <= str(row.promised)[:10]

    def figures(key: str, label: str, group: Sequence[Any]) -> OnTimeFigures:
        count = sum(int(r.n) for r in group)
        return OnTimeFigures(key, label, count, sum(int(r.n) for r in group if in_time(r)))

    grouped = _grouped(((_case_group(by, labels, r), r) for r in rows), by)
    return Section(
        tuple(figures(k, lb, g) for k, lb, g in grouped),
        figures("", TOTAL_LABEL, rows),
        "按时办结率 = 承诺期限内（含暂停计时顺延的工作日）作出审批决定的办件"
        " ÷ 期内作出决定的办件。",
    )


def overdue_list(
    db: HallDatabase, period: Period, today: dt.date
) -> tuple[dt.date, tuple[OverdueCase, ...]]:
    """Open cases, clock running, past their promised date as of the period's end (or today).

    Returns the "as of" day and the cases, most overdue first; days overdue are calendar days
    from the promised date to that day. The applicant is masked (companies by name).
    """
    as_of = min(period.last, today)
    c = CASE.c
    running = [s.value for s in CaseState if s.clock_runs]
    query = select(
        c.number,
        *_first_matter(),
        c.title,
        c.window,
        c.staff,
        c.applicant_type,
        c.applicant_name,
        c.organisation_name,
        c.promised_date,
    ).where(c.open == true(), c.promised_date < as_of, c.state.in_(running))
    with db.read() as s:
        _tune(db, s, period)
        labels = _Labels(s)
        rows = s.execute(query).all()
    result = []
    for r in rows:
        _, matter = labels.of_matter(r.matter_code, r.matter_name)
        applicant = (
            r.organisation_name
            if r.applicant_type != 1 and r.organisation_name
            else mask_name(r.applicant_name)
        )
        result.append(
            OverdueCase(
                number=r.number,
                matter=matter or r.title,
                window=r.window,
                staff=labels.of_staff(r.staff)[1] if r.staff else "",
                applicant=applicant,
                promised_date=r.promised_date,
                days_overdue=(as_of - r.promised_date).days,
            )
        )
    result.sort(key=lambda o: (-o.days_overdue, o.number))
    return as_of, tuple(result)


def followup_section(
    db: HallDatabase, period: Period, by: ReportBy, as_of: dt.date
) -> Section[FollowupFigures]:
    """Follow-ups (bad ratings, 办不成事 reports) opened in the period, as they stood on ``as_of``
    (the period's last day, or today): still open, closed, open past their deadline (the
    follow-up loop's "overdue": ``as_of`` after the due date), and closed after it.

    By service: the rated ticket's service (a 办不成事 report has none); by matter: the matter
    the report names (a rating's follow-up names none).
    """
    f = FOLLOWUP.c
    extra: list[Any] = {
        ReportBy.WINDOW: [f.window],
        ReportBy.STAFF: [f.staff],
        ReportBy.MATTER: [f.matter_code, f.matter_name],
        ReportBy.SERVICE: [TICKET.c.service_id],
    }[by]
    query = select(
        type_coerce(f.due_date, String()).label("due"),
        type_coerce(f.closed_day, String()).label("closed"),
        *extra,
    ).where(f.opened_day >= period.first, f.opened_day <= period.last)
    if by is ReportBy.SERVICE:
        query = (
            query.select_from(FOLLOWUP)
            .outerjoin(RATING, RATING.c.id == f.rating_id)
            .outerjoin(TICKET, TICKET.c.id == RATING.c.ticket_id)
        )
    with db.read() as s:
        _tune(db, s, period)
        labels = _Labels(s)
        rows = s.execute(query).all()
    end = as_of.isoformat()

    def group(r: Any) -> tuple[str, str]:
        if by is ReportBy.WINDOW:
            return labels.of_window(r.window)
        if by is ReportBy.STAFF:
            return labels.of_staff(r.staff)
        if by is ReportBy.MATTER:
            return (r.matter_code or NONE_KEY, r.matter_name or "无事项")
        return labels.of_service(r.service_id)

    def figures(key: str, label: str, g: Sequence[Any]) -> FollowupFigures:
        # ISO dates compare as text (both engines' values made strings above).
        closed = [str(r.closed)[:10] for r in g if r.closed and str(r.closed)[:10] <= end]
        still_open = [r for r in g if not (r.closed and str(r.closed)[:10] <= end)]
        return FollowupFigures(
            key,
            label,
            open=len(still_open),
            closed=len(closed),
            overdue=sum(1 for r in still_open if r.due and end > str(r.due)[:10]),
            closed_late=sum(
                1 for r in g if r.due and r.closed and str(r.due)[:10] < str(r.closed)[:10] <= end
            ),
        )

    grouped = _grouped(((group(r), r) for r in rows), by)
    return Section(
        tuple(figures(k, lb, g) for k, lb, g in grouped),
        figures("", TOTAL_LABEL, rows),
        f"期内登记的差评跟进与办不成事，按 {end} 的状态：逾期 = 未办结且已过跟进期限；"
        "超期办结 = 办结晚于期限。",
    )
