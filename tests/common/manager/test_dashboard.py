"""The dashboard's figures after a scripted day equal independent counts in SQL (SQLite and PG)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Role
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseService
from common.intake.rating import RatingDraft, RatingLevel, RatingService
from common.manager.dashboard import DashboardReader, Figure, figures_for_events, nearest_rank
from common.queue.service import QueueService
from common.staff import authenticate, claim_window, create_staff, heartbeat_window
from tests.common.intake.acceptor import draft
from tests.conftest import MONDAY_9AM, make_settings


@pytest.fixture
def manual() -> ManualClock:
    return ManualClock(MONDAY_9AM)


@pytest.fixture
def day_settings() -> Settings:
    return make_settings(queue={"no_show_rule": "drop"})


@pytest.fixture
def queue(any_hall_db: HallDatabase, day_settings: Settings, manual: ManualClock) -> QueueService:
    q = QueueService(any_hall_db, day_settings, manual)
    q.sync_from_settings()
    return q


@pytest.fixture
def reader(
    queue: QueueService, any_hall_db: HallDatabase, day_settings: Settings, manual: ManualClock
) -> Iterator[DashboardReader]:
    yield DashboardReader(queue, CaseService(any_hall_db, day_settings, manual, HallCalendar()))


def scripted_day(queue: QueueService, db: HallDatabase, manual: ManualClock) -> None:
    """Issue, call, finish, skip, pause, rate, accept, a device alert: a small morning."""
    create_staff(db, "w1", "王芳", "pw-123456", Role.WINDOW)
    staff = authenticate(db, "w1", "pw-123456", clock=manual)
    claim_window(db, staff, 1, station="pc-1", clock=manual)
    for prefix in "AABACAD":
        queue.issue(prefix)
        manual.advance(minutes=3)
    manual.advance(minutes=20)
    queue.call_next(1, actor="w1")
    manual.advance(minutes=7)
    queue.finish(1, actor="w1")
    queue.call_next(1, actor="w1")
    manual.advance(minutes=2)
    queue.skip(1, actor="w1")  # drop: a no-show
    queue.call_next(3, actor="w3")
    manual.advance(minutes=11)
    queue.finish(3, actor="w3")
    queue.call_next(1, actor="w1")  # stays called: window 1's current ticket
    queue.pause(2, "会议", actor="w2")
    ratings = RatingService(db, queue.settings, manual)
    ratings.rate(RatingDraft(RatingLevel.VERY_SATISFIED, ticket_id=1, window=1))
    ratings.rate(RatingDraft(RatingLevel.FAIR, ticket_id=3, window=3))
    ratings.rate(
        RatingDraft(
            RatingLevel.DISSATISFIED, case_number="", window=1, reasons=("waiting",), ticket_id=2
        )
    )
    CaseService(db, queue.settings, manual, HallCalendar()).accept(draft(), actor="w1")
    queue.record_device_status("kiosk-1", "printer", "paper_out", "缺纸", needs_attention=True)
    manual.advance(minutes=5)
    heartbeat_window(db, staff.id, 1, station="pc-1", clock=manual)  # window 1's counter runs


def _sql(db: HallDatabase, sql: str, **params: object) -> list[Any]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(text(sql), params)]


def _ts(value: object) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def test_nearest_rank() -> None:
    assert nearest_rank([], 90) is None
    assert nearest_rank([5.0], 90) == 5.0
    assert nearest_rank([float(i) for i in range(1, 11)], 90) == 9.0
    assert nearest_rank([float(i) for i in range(1, 12)], 90) == 10.0


def test_every_figure_equals_an_independent_count(
    reader: DashboardReader, queue: QueueService, any_hall_db: HallDatabase, manual: ManualClock
) -> None:
    db = any_hall_db
    scripted_day(queue, db, manual)
    board = reader.read()
    day = MONDAY_9AM.date()

    # Totals: straight from the ticket table.
    ((issued, served, no_show, waiting),) = _sql(
        db,
        "SELECT count(*), sum(CASE WHEN status='finished' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN status='no_show' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN status='waiting' THEN 1 ELSE 0 END) FROM ticket WHERE hall_day = :d",
        d=day,
    )
    t = board.totals
    assert t is not None
    assert (t.issued, t.served, t.no_show, t.waiting) == (issued, served, no_show, waiting)
    assert (t.issued, t.served, t.no_show) == (7, 2, 1)
    times = _sql(
        db,
        "SELECT status, issued_at, called_at, finished_at FROM ticket WHERE hall_day = :d",
        d=day,
    )
    waits = sorted((_ts(c) - _ts(i)).total_seconds() for _s, i, c, _f in times if c is not None)
    services = sorted((_ts(f) - _ts(c)).total_seconds() for s, _i, c, f in times if s == "finished")
    assert t.wait_mean == pytest.approx(sum(waits) / len(waits))
    assert t.wait_p90 == waits[math.ceil(0.9 * len(waits)) - 1]
    assert t.service_mean == pytest.approx(sum(services) / len(services))
    assert sorted(services) == [7 * 60.0, 11 * 60.0]
    assert t.service_p90 == 11 * 60.0

    # Flow: arrivals and served per hall hour, and the waiting curve ends at the waiting count.
    flow = board.flow
    assert flow is not None
    assert sum(flow.arrivals) == issued and sum(flow.served) == served
    assert flow.hours[0] == 9
    assert flow.waiting_curve[-1][1] == waiting
    assert flow.waiting_curve[0] == (MONDAY_9AM, 1)  # the first ticket, issued at 09:00
    assert max(n for _m, n in flow.waiting_curve) <= issued

    # Windows: paused with reason, who holds window 1, its current ticket.
    windows = {w.number: w for w in board.windows or ()}
    ((paused_count,),) = _sql(db, 'SELECT count(*) FROM "window" WHERE paused')
    assert sum(w.paused for w in windows.values()) == paused_count == 1
    assert windows[2].paused and windows[2].pause_reason == "会议" and not windows[2].open
    assert windows[1].staffed and windows[1].staff == "王芳" and windows[1].open
    ((current, called_at),) = _sql(
        db,
        'SELECT t.number, t.called_at FROM ticket t JOIN "window" w ON w.id = t.window_id'
        " WHERE w.number = 1 AND t.status = 'called'",
    )
    assert windows[1].current == current
    assert windows[1].current_since == _ts(called_at)
    assert not windows[3].staffed and windows[3].current == ""
    manual.advance(minutes=4)  # no heartbeat for longer than a claim lives: not staffed
    assert not {w.number: w for w in reader.windows()}[1].staffed

    # Services: waiting and longest wait per service.
    expected = {
        p: (n, _ts(since))
        for p, n, since in _sql(
            db,
            "SELECT s.prefix, count(*), min(t.issued_at) FROM ticket t JOIN service s"
            " ON s.id = t.service_id WHERE t.hall_day = :d AND t.status = 'waiting'"
            " GROUP BY s.prefix",
            d=day,
        )
    }
    got = {r.prefix: (r.waiting, r.longest_since) for r in board.services or () if r.waiting}
    assert got == expected

    # Cases, ratings, devices, sync.
    cases = board.cases
    assert cases is not None
    assert cases.by_decision == dict(
        _sql(
            db,
            "SELECT decision, count(*) FROM intake_case WHERE hall_day = :d GROUP BY decision",
            d=day,
        )
    )
    assert sum(cases.by_decision.values()) == 1
    ratings = board.ratings
    assert ratings is not None
    assert {k: v for k, v in ratings.by_level.items() if v} == dict(
        _sql(db, "SELECT level, count(*) FROM rating GROUP BY level")
    )
    assert ratings.total == 3 and ratings.satisfaction == pytest.approx(2 / 3)
    assert [b.reasons for b in ratings.bad] == [("waiting",)]
    devices = board.devices
    assert devices is not None and [a[:3] for a in devices.alerts] == [
        ("kiosk-1", "printer", "paper_out")
    ]
    ((unsent, oldest),) = _sql(
        db,
        "SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL AND parked_at IS NULL",
    )
    sync = board.sync
    assert sync is not None
    assert sync.unsent == unsent and unsent >= 4  # three ratings and a case
    assert sync.oldest_unsent_at == _ts(oldest)
    assert sync.parked == 0


def test_an_empty_day_reads_as_zeros(reader: DashboardReader) -> None:
    board = reader.read()
    assert board.totals is not None and board.totals.issued == 0
    assert board.totals.wait_mean is None and board.totals.wait_p90 is None
    assert board.flow is not None and board.flow.waiting_curve == ()
    assert board.ratings is not None and board.ratings.satisfaction is None
    assert board.sync is not None and board.sync.oldest_unsent_at is None
    assert board.read == set(Figure)


def test_read_only_the_groups_asked(reader: DashboardReader, queue: QueueService) -> None:
    board = reader.read({Figure.SERVICES})
    assert board.totals is None and board.services is not None
    queue.issue("A")
    reader.read({Figure.TOTALS}, into=board)
    assert board.totals is not None and board.totals.issued == 1
    assert board.read == {Figure.SERVICES, Figure.TOTALS}


def test_events_name_the_groups_they_change() -> None:
    assert figures_for_events(["issued"]) == {Figure.TOTALS, Figure.SERVICES}
    assert figures_for_events(["called", "device"]) == {
        Figure.TOTALS,
        Figure.SERVICES,
        Figure.WINDOWS,
        Figure.DEVICES,
    }
    assert figures_for_events(["recalled", "notice", "what"]) == set()
    assert Figure.RATINGS in figures_for_events(["finished"])


def test_a_case_turning_red_is_counted_and_listed(
    reader: DashboardReader, any_hall_db: HallDatabase, day_settings: Settings, manual: ManualClock
) -> None:
    cases = CaseService(any_hall_db, day_settings, manual, HallCalendar())
    case = cases.accept(draft(), actor="w1")
    figures = reader.case_figures()
    # 二手房转移登记 is promised for the next working day: a reminder at once, not red yet.
    assert (figures.red, figures.reminder) == (0, 1)
    with any_hall_db.read() as s:
        (promised,) = s.execute(
            text("SELECT promised_date FROM intake_case WHERE number = :n"), {"n": case.number}
        ).one()
    promised = promised if isinstance(promised, dt.date) else dt.date.fromisoformat(promised)
    manual.at = dt.datetime.combine(
        promised + dt.timedelta(days=3), dt.time(9), tzinfo=MONDAY_9AM.tzinfo
    )
    figures = reader.case_figures()
    assert figures.red == 1 and [w.number for w in figures.watch] == [case.number]
    assert figures.by_decision == {}  # accepted on another day
