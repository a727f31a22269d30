"""Ticket and rating reports equal independent SQL counts over several hall days."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase
from common.intake.rating import RatingDraft, RatingLevel, RatingService
from common.queue.service import QueueService
from common.reports.tickets import GroupBy, rating_report, ticket_report, write_csv
from tests.conftest import MONDAY_9AM, make_settings

DAYS = [MONDAY_9AM.date() + dt.timedelta(days=i) for i in range(3)]


@pytest.fixture
def settings() -> Settings:
    return make_settings(queue={"no_show_rule": "drop"})


def three_days(db: HallDatabase, settings: Settings) -> QueueService:
    clock = ManualClock(MONDAY_9AM)
    queue = QueueService(db, settings, clock)
    queue.sync_from_settings()
    ratings = RatingService(db, settings, clock)
    for i, day in enumerate(DAYS):
        clock.at = dt.datetime.combine(day, dt.time(9), tzinfo=MONDAY_9AM.tzinfo)
        for prefix in "AABDA"[: 3 + i]:
            queue.issue(prefix)
            clock.advance(minutes=2 + i)
        for window in (1, 3, 1, 2)[: 2 + i]:
            clock.advance(minutes=5)
            if queue.call_next(window, actor="w") is None:
                continue
            clock.advance(minutes=4 + 3 * i)
            if window == 2:
                queue.skip(window, actor="w")
            else:
                done = queue.finish(window, actor="w")
                level = RatingLevel(5 - (done.id % 5))
                ratings.rate(
                    RatingDraft(
                        level,
                        ticket_id=done.id,
                        window=window,
                        reasons=("waiting",) if level.is_bad else (),
                    )
                )
    return queue


def _sql(db: HallDatabase, sql: str, **params: Any) -> list[Any]:
    with db.read() as s:
        return list(s.execute(text(sql), params))


def _ts(v: Any) -> dt.datetime:
    moment: dt.datetime = dt.datetime.fromisoformat(v) if isinstance(v, str) else v
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def test_ticket_report_by_service_window_and_day(
    any_hall_db: HallDatabase, settings: Settings, tmp_path: Path
) -> None:
    three_days(any_hall_db, settings)
    first, last = DAYS[0], DAYS[-1]
    by_service = {r.key: r for r in ticket_report(any_hall_db, first, last, GroupBy.SERVICE)}
    expected = {
        p: (n, f, ns)
        for p, n, f, ns in _sql(
            any_hall_db,
            "SELECT s.prefix, count(*), sum(CASE WHEN t.status='finished' THEN 1 ELSE 0 END),"
            " sum(CASE WHEN t.status='no_show' THEN 1 ELSE 0 END) FROM ticket t"
            " JOIN service s ON s.id = t.service_id GROUP BY s.prefix",
        )
    }
    assert {k: (r.issued, r.served, r.no_show) for k, r in by_service.items()} == expected
    waits = sorted(
        (_ts(c) - _ts(i)).total_seconds()
        for i, c in _sql(
            any_hall_db,
            "SELECT t.issued_at, t.called_at FROM ticket t JOIN service s ON s.id = t.service_id"
            " WHERE s.prefix = 'A' AND t.called_at IS NOT NULL",
        )
    )
    assert by_service["A"].wait_p90 == waits[math.ceil(0.9 * len(waits)) - 1]
    assert by_service["A"].wait_mean == pytest.approx(sum(waits) / len(waits))

    by_window = {r.key: r for r in ticket_report(any_hall_db, first, last, GroupBy.WINDOW)}
    expected_w = dict(
        _sql(
            any_hall_db,
            'SELECT w.number, count(*) FROM ticket t JOIN "window" w ON w.id = t.window_id'
            " GROUP BY w.number",
        )
    )
    assert {int(k): r.issued for k, r in by_window.items()} == expected_w
    assert by_window["2"].no_show == by_window["2"].issued  # window 2 only ever skipped

    by_day = ticket_report(any_hall_db, first, last, GroupBy.DAY)
    assert [r.issued for r in by_day] == [3, 4, 5]
    assert ticket_report(any_hall_db, DAYS[1], DAYS[1], GroupBy.DAY)[0].issued == 4
    assert (
        ticket_report(
            any_hall_db, last + dt.timedelta(days=1), last + dt.timedelta(days=9), GroupBy.SERVICE
        )
        == []
    )  # an empty period is an empty report

    out = tmp_path / "tickets.csv"
    write_csv(
        by_day,
        out,
        header=[
            "键",
            "名称",
            "取号",
            "办结",
            "过号",
            "平均等候",
            "P90 等候",
            "平均办理",
            "P90 办理",
        ],
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    with out.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0][0] == "键" and [row[2] for row in table[1:]] == ["3", "4", "5"]


def test_rating_report_by_window_and_day(any_hall_db: HallDatabase, settings: Settings) -> None:
    three_days(any_hall_db, settings)
    rows = rating_report(any_hall_db, settings, DAYS[0], DAYS[-1], GroupBy.WINDOW)
    expected = {
        (w, lvl): n
        for w, lvl, n in _sql(
            any_hall_db, 'SELECT "window", level, count(*) FROM rating GROUP BY "window", level'
        )
    }
    got = {
        (int(r.key), lvl): n
        for r in rows
        for lvl, n in zip(
            (5, 4, 3, 2, 1), (r.level_5, r.level_4, r.level_3, r.level_2, r.level_1), strict=True
        )
        if n
    }
    assert got == expected
    total = sum(expected.values())
    good = sum(n for (_w, lvl), n in expected.items() if lvl >= 3)
    by_day = rating_report(any_hall_db, settings, DAYS[0], DAYS[-1], GroupBy.DAY)
    assert sum(r.total for r in by_day) == total
    everything = list(by_day)
    assert sum(r.level_5 + r.level_4 + r.level_3 for r in everything) == good
    assert all(r.satisfaction is not None for r in everything)
    by_service = rating_report(any_hall_db, settings, DAYS[0], DAYS[-1], GroupBy.SERVICE)
    assert sum(r.total for r in by_service) == total
