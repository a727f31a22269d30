"""Every figure of the hall report equals an independent SQL count, on a generated month.

The generator (common.reports.generate) writes ~40 days of a small hall; the report covers a
part of it, so rows outside the period must stay out. The SQL here is written per engine
(percentile_disc on PostgreSQL, LIMIT/OFFSET on SQLite; JSON by each engine's own operators)
so it shares nothing with the report's Python except the definitions.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase, make_engine
from common.db.migrate import upgrade
from common.queue.service import QueueService
from common.reports.generate import SMALL_MONTH, generate
from common.reports.model import NONE_KEY, Period, ReportBy
from common.reports.report import build_report
from common.reports.sections import (
    case_section,
    on_time_section,
    overdue_list,
    rating_section,
    ticket_section,
)
from tests.conftest import MONDAY_9AM, _pg_or_skip, make_settings

FIRST = dt.date(2026, 9, 25)
DAYS = 40
TODAY = dt.date(2026, 11, 10)
PERIOD = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
# Hall time is UTC+8 all year (Asia/Shanghai has no DST): SQL shifts stored UTC by 8 hours.
PG_LOCAL = "(({col}) + interval '8 hours')"
SQLITE_LOCAL = "datetime({col}, '+8 hours')"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return make_settings()


def _admin(base: str, statement: str) -> None:
    engine = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as c:
        c.execute(text(statement))
    engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def month_db(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    settings: Settings,
) -> Iterator[HallDatabase]:
    """One generated month per engine for the whole module (the tests only read it)."""
    schema = ""
    if request.param == "sqlite":
        url = f"sqlite:///{(tmp_path_factory.mktemp('month') / 'hall.db').as_posix()}"
    else:
        base = _pg_or_skip()
        schema = f"t_{uuid.uuid4().hex[:12]}"
        _admin(base, f'CREATE SCHEMA "{schema}"')
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    db = HallDatabase(make_engine(url))
    try:
        upgrade(db.engine)
        QueueService(db, settings, ManualClock(MONDAY_9AM)).sync_from_settings()
        generate(
            db,
            first_day=FIRST,
            days=DAYS,
            volume=SMALL_MONTH,
            tz=settings.hall.tz,
            today=TODAY,
        )
        yield db
    finally:
        db.dispose()
        if schema:
            _admin(_pg_or_skip(), f'DROP SCHEMA "{schema}" CASCADE')


def pg(db: HallDatabase) -> bool:
    return db.engine.dialect.name == "postgresql"


def sql(db: HallDatabase, query: str, **params: Any) -> list[Any]:
    with db.engine.connect() as c:
        return list(c.execute(text(query), params))


def seconds(db: HallDatabase, later: str, earlier: str) -> str:
    if pg(db):
        return f"EXTRACT(EPOCH FROM {later} - {earlier})"
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def p90(db: HallDatabase, expr: str, where: str, **params: Any) -> Any:
    if pg(db):
        return sql(
            db,
            f"SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY {expr}) FROM ticket t "
            f"WHERE {where}",
            **params,
        )[0][0]
    n = sql(db, f"SELECT COUNT(*) FROM ticket t WHERE {where}", **params)[0][0]
    if not n:
        return None
    offset = math.ceil(0.9 * n) - 1
    return sql(
        db,
        f"SELECT {expr} FROM ticket t WHERE {where} ORDER BY 1 LIMIT 1 OFFSET {offset}",
        **params,
    )[0][0]


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 0.01


PARAMS = {"first": PERIOD.first, "last": PERIOD.last}
IN_PERIOD = "t.hall_day >= :first AND t.hall_day <= :last"


def test_tickets_by_service_equal_sql(month_db: HallDatabase, settings: Settings) -> None:
    db = month_db
    section = ticket_section(db, settings.hall.tz, PERIOD, ReportBy.SERVICE)
    expected = sql(
        db,
        "SELECT s.prefix, COUNT(*), SUM(CASE WHEN t.status = 'finished' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.status = 'no_show' THEN 1 ELSE 0 END) FROM ticket t "
        f"JOIN service s ON s.id = t.service_id WHERE {IN_PERIOD} GROUP BY s.prefix "
        "ORDER BY s.prefix",
        **PARAMS,
    )
    assert [(r.key, r.issued, r.served, r.no_show) for r in section.rows] == [
        tuple(e) for e in expected
    ]
    assert section.total.issued == sum(e[1] for e in expected) > 1000
    wait = seconds(db, "t.called_at", "t.issued_at")
    service = seconds(db, "t.finished_at", "t.called_at")
    for row in section.rows:
        where = f"{IN_PERIOD} AND t.service_id = (SELECT id FROM service WHERE prefix = :p)"
        mean_wait = sql(
            db,
            f"SELECT AVG({wait}) FROM ticket t WHERE {where} AND t.called_at IS NOT NULL",
            p=row.key,
            **PARAMS,
        )[0][0]
        assert close(row.wait_mean, mean_wait)
        assert close(
            row.wait_p90, p90(db, wait, f"{where} AND t.called_at IS NOT NULL", p=row.key, **PARAMS)
        )
        done = f"{where} AND t.status = 'finished'"
        mean_service = sql(
            db, f"SELECT AVG({service}) FROM ticket t WHERE {done}", p=row.key, **PARAMS
        )[0][0]
        assert close(row.service_mean, mean_service)
        assert close(row.service_p90, p90(db, service, done, p=row.key, **PARAMS))
        assert row.no_show_rate == pytest.approx(row.no_show / row.issued)
    assert close(
        section.total.wait_p90, p90(db, wait, f"{IN_PERIOD} AND t.called_at IS NOT NULL", **PARAMS)
    )


def test_tickets_by_window_and_staff_equal_sql(month_db: HallDatabase, settings: Settings) -> None:
    db = month_db
    by_window = ticket_section(db, settings.hall.tz, PERIOD, ReportBy.WINDOW)
    expected = sql(
        db,
        'SELECT w.number, COUNT(*) FROM ticket t LEFT JOIN "window" w ON w.id = t.window_id '
        f"WHERE {IN_PERIOD} GROUP BY w.number",
        **PARAMS,
    )
    got = {r.key: r.issued for r in by_window.rows}
    assert got == {(str(n) if n is not None else NONE_KEY): c for n, c in expected}
    assert list(got)[-1] == NONE_KEY  # the cancelled tickets, never called: listed last

    # By staff: whoever's claim of the window was the last before the call.
    window_of = (
        "CAST(a.detail ->> 'window' AS INTEGER)"
        if pg(db)
        else "CAST(json_extract(a.detail, '$.window') AS INTEGER)"
    )
    holder = (
        "(SELECT CASE WHEN a.action = 'window-released' THEN NULL ELSE a.actor END "
        "FROM audit_log a WHERE a.action IN ('window-claimed', 'window-taken-over', "
        f"'window-released') AND {window_of} = w.number AND a.at <= t.called_at "
        "ORDER BY a.at DESC, a.id DESC LIMIT 1)"
    )
    expected = sql(
        db,
        f"SELECT h, COUNT(*) FROM (SELECT {holder} AS h FROM ticket t "
        f'LEFT JOIN "window" w ON w.id = t.window_id WHERE {IN_PERIOD}) x GROUP BY h',
        **PARAMS,
    )
    by_staff = ticket_section(db, settings.hall.tz, PERIOD, ReportBy.STAFF)
    assert {r.key: r.issued for r in by_staff.rows} == {
        (h if h is not None else NONE_KEY): c for h, c in expected
    }
    assert len(by_staff.rows) > len(by_window.rows)  # staff rotate and hand over at noon
    names = dict(sql(db, "SELECT username, display_name FROM staff"))
    assert all(r.label == names[r.key] for r in by_staff.rows if r.key != NONE_KEY)
    # By matter, tickets fall back to services and say so.
    by_matter = ticket_section(db, settings.hall.tz, PERIOD, ReportBy.MATTER)
    assert by_matter.note and [r.key for r in by_matter.rows] == [
        r.key for r in ticket_section(db, settings.hall.tz, PERIOD, ReportBy.SERVICE).rows
    ]


def local_date(db: HallDatabase, col: str) -> str:
    return (
        f"CAST({PG_LOCAL.format(col=col)} AS DATE)"
        if pg(db)
        else (f"date({SQLITE_LOCAL.format(col=col)})")
    )


def test_ratings_equal_sql(month_db: HallDatabase, settings: Settings) -> None:
    db = month_db
    day = local_date(db, "r.created_at")
    in_period = f"{day} >= :first AND {day} <= :last"
    expected = sql(
        db,
        f'SELECT r."window", r.level, COUNT(*) FROM rating r WHERE {in_period} '
        'GROUP BY r."window", r.level',
        **PARAMS,
    )
    section = rating_section(db, settings.hall.tz, PERIOD, ReportBy.WINDOW)
    got = {
        (int(r.key), level): getattr(r, f"level_{level}")
        for r in section.rows
        for level in range(1, 6)
    }
    assert {k: v for k, v in got.items() if v} == {(w, lv): c for w, lv, c in expected}
    total = section.total
    assert total.total == sum(c for *_, c in expected) > 800
    assert total.satisfaction == pytest.approx((total.level_5 + total.level_4) / total.total)
    assert total.good_rate == pytest.approx(
        (total.level_5 + total.level_4 + total.level_3) / total.total
    )
    assert "非常满意 + 满意" in section.note

    # By matter: hand-over ratings carry their case's first matter; ticket ratings none.
    code = "r_case.matters ->> 0" if pg(db) else "json_extract(r_case.matters, '$[0].code')"
    code = "(r_case.matters -> 0 ->> 'code')" if pg(db) else code
    expected_m = sql(
        db,
        f"SELECT {code}, COUNT(*) FROM rating r LEFT JOIN intake_case r_case "
        f"ON r_case.id = r.case_id WHERE {in_period} GROUP BY {code}",
        **PARAMS,
    )
    by_matter = rating_section(db, settings.hall.tz, PERIOD, ReportBy.MATTER)
    assert {r.key: r.total for r in by_matter.rows} == {
        (k if k is not None else NONE_KEY): c for k, c in expected_m
    }
    # By service: a hand-over rating counts for its case's ticket's service.
    expected_s = sql(
        db,
        "SELECT s.prefix, COUNT(*) FROM rating r LEFT JOIN intake_case c ON c.id = r.case_id "
        "JOIN ticket t ON t.id = COALESCE(r.ticket_id, c.ticket_id) "
        f"JOIN service s ON s.id = t.service_id WHERE {in_period} GROUP BY s.prefix",
        **PARAMS,
    )
    by_service = rating_section(db, settings.hall.tz, PERIOD, ReportBy.SERVICE)
    assert {r.key: r.total for r in by_service.rows} == dict(expected_s)


def test_cases_and_on_time_equal_sql(month_db: HallDatabase, settings: Settings) -> None:
    db = month_db
    code = "(c.matters -> 0 ->> 'code')" if pg(db) else "json_extract(c.matters, '$[0].code')"
    expected = sql(
        db,
        f"SELECT {code}, c.decision, COUNT(*) FROM intake_case c "
        f"WHERE c.hall_day >= :first AND c.hall_day <= :last GROUP BY {code}, c.decision",
        **PARAMS,
    )
    section = case_section(db, settings.hall.tz, PERIOD, ReportBy.MATTER)
    got = {
        (r.key, d): getattr(r, d)
        for r in section.rows
        for d in ("accept", "accept_with_tolerance", "correction_required", "reject")
    }
    assert {k: v for k, v in got.items() if v} == {(m, d): n for m, d, n in expected}
    assert section.total.total == sum(n for *_, n in expected) > 500

    decided_day = local_date(db, "x.at")
    expected_t = sql(
        db,
        f'SELECT c."window", COUNT(*), SUM(CASE WHEN {decided_day} <= c.promised_date '
        "THEN 1 ELSE 0 END) FROM case_transition x JOIN intake_case c ON c.id = x.case_id "
        f"WHERE x.action IN ('approve', 'deny') AND {decided_day} >= :first "
        f'AND {decided_day} <= :last GROUP BY c."window"',
        **PARAMS,
    )
    on_time = on_time_section(db, settings.hall.tz, PERIOD, ReportBy.WINDOW)
    assert {int(r.key): (r.decided, r.on_time) for r in on_time.rows} == {
        w: (n, int(k)) for w, n, k in expected_t
    }
    total = on_time.total
    assert 0 < total.late < total.decided and total.on_time_rate == total.on_time / total.decided
    # Cases whose clock stopped were decided after the date first promised and still count
    # on time, because the stored promised date moved on.
    stopped_late_but_on_time = sql(
        db,
        f"SELECT COUNT(*) FROM case_transition x JOIN intake_case c ON c.id = x.case_id "
        "JOIN case_clock_stop st ON st.case_id = c.id "
        f"WHERE x.action = 'approve' AND {decided_day} <= c.promised_date "
        f"AND {decided_day} > st.started",
    )[0][0]
    assert stopped_late_but_on_time > 0


def test_overdue_list_equal_sql(month_db: HallDatabase, settings: Settings) -> None:
    db = month_db
    as_of, overdue = overdue_list(db, PERIOD, TODAY)
    assert as_of == PERIOD.last
    expected = sql(
        db,
        "SELECT number, promised_date FROM intake_case WHERE open = :t AND promised_date < :d "
        "AND state IN ('accepted', 'accepted_with_tolerance', 'in_review')",
        t=True,
        d=as_of,
    )
    assert {o.number for o in overdue} == {n for n, _ in expected}
    assert overdue, "the generator leaves some cases overdue"
    days = [o.days_overdue for o in overdue]
    assert days == sorted(days, reverse=True) and min(days) >= 1
    names = {n for (n,) in sql(db, "SELECT applicant_name FROM intake_case")}
    assert not any(o.applicant in names for o in overdue)  # masked, never the full name
    # A period that ends in the future counts to today.
    as_of, later = overdue_list(db, Period(PERIOD.first, TODAY + dt.timedelta(days=30)), TODAY)
    assert as_of == TODAY and len(later) >= len(overdue)


def test_whole_report_and_empty_period(month_db: HallDatabase, settings: Settings) -> None:
    now = dt.datetime.combine(TODAY, dt.time(10), tzinfo=settings.hall.tz)
    for by in ReportBy:
        report = build_report(month_db, settings, PERIOD, by, now=now)
        # Rows add up to the total in every section, however grouped.
        assert sum(r.issued for r in report.tickets.rows) == report.tickets.total.issued
        assert sum(r.total for r in report.ratings.rows) == report.ratings.total.total
        assert sum(r.total for r in report.cases.rows) == report.cases.total.total
        assert sum(r.decided for r in report.on_time.rows) == report.on_time.total.decided
        assert not report.empty
    # More than a quarter: PostgreSQL plans these reads its own way; the figures are the same.
    everything = Period(FIRST - dt.timedelta(days=80), FIRST + dt.timedelta(days=DAYS))
    assert everything.days > 92
    whole = build_report(month_db, settings, everything, ReportBy.MATTER, now=now)
    counts = [
        sql(month_db, f"SELECT COUNT(*) FROM {table}")[0][0]
        for table in ("ticket", "rating", "intake_case")
    ]
    assert [whole.tickets.total.issued, whole.ratings.total.total, whole.cases.total.total] == (
        counts
    )
    empty = build_report(
        month_db, settings, Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31)), now=now
    )
    assert empty.empty and empty.tickets.rows == () and empty.tickets.total.issued == 0
    assert empty.tickets.total.wait_mean is None and empty.ratings.total.satisfaction is None


def test_followups_equal_sql(month_db: HallDatabase, settings: Settings) -> None:
    db = month_db
    as_of = PERIOD.last
    expected = sql(
        db,
        'SELECT f."window", '
        "SUM(CASE WHEN f.closed_day IS NULL OR f.closed_day > :end THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN f.closed_day <= :end THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN (f.closed_day IS NULL OR f.closed_day > :end) AND f.due_date < :end "
        "THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN f.closed_day <= :end AND f.closed_day > f.due_date THEN 1 ELSE 0 END) "
        "FROM followup f WHERE f.opened_day >= :first AND f.opened_day <= :last "
        'GROUP BY f."window"',
        end=as_of,
        **PARAMS,
    )
    report = build_report(
        db, settings, PERIOD, ReportBy.WINDOW, now=dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    )
    section = report.followups
    assert section is not None
    got = {int(r.key): (r.open, r.closed, r.overdue, r.closed_late) for r in section.rows}
    assert got == {w: (int(a), int(b), int(c), int(d)) for w, a, b, c, d in expected}
    total = section.total
    assert total.total > 20 and total.open > 0 and total.closed > 0
    assert total.overdue > 0 and total.closed_late > 0
    # Every bad rating of the period opened one (the generator follows the loop's rule).
    day = local_date(db, "r.created_at")
    bad = sql(
        db,
        f"SELECT COUNT(*) FROM rating r WHERE r.level <= 2 AND {day} >= :first AND {day} <= :last",
        **PARAMS,
    )[0][0]
    followed = sql(
        db,
        "SELECT COUNT(*) FROM followup f WHERE f.kind = 'rating' "
        "AND f.opened_day >= :first AND f.opened_day <= :last",
        **PARAMS,
    )[0][0]
    assert bad == followed > 0


def test_on_time_across_a_summer_time_change(month_db: HallDatabase) -> None:
    """A hall whose offset changes within the period is judged per row in Python: the same
    answer as working out each decision's local date independently."""
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")  # summer time ends on 2026-10-25
    section = on_time_section(month_db, berlin, PERIOD, ReportBy.WINDOW)
    rows = sql(
        month_db,
        "SELECT x.at, c.promised_date FROM case_transition x JOIN intake_case c "
        "ON c.id = x.case_id WHERE x.action IN ('approve', 'deny')",
    )
    decided = on_time = 0
    for at, promised in rows:
        at = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
        local = at.replace(tzinfo=dt.UTC).astimezone(berlin).date()
        if PERIOD.first <= local <= PERIOD.last:
            decided += 1
            promised = dt.date.fromisoformat(promised) if isinstance(promised, str) else promised
            on_time += local <= promised
    assert (section.total.decided, section.total.on_time) == (decided, on_time)
    assert decided > 100
