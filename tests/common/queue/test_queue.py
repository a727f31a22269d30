"""Queue behaviour, on SQLite and on PostgreSQL (`any_hall`)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from common.config import Settings
from common.db.engine import DatabaseUnavailable, HallDatabase, open_database
from common.db.models import AuditLog, Priority, ServiceCounter, Ticket, TicketStatus
from common.queue.errors import (
    DailyCapReached,
    IdCardRequired,
    IllegalTransfer,
    NoCurrentTicket,
    PerIdLimitReached,
    ServiceClosed,
    UnknownService,
    UnknownWindow,
    WindowPaused,
)
from common.queue.policy import ClosedReason
from common.queue.service import FixedClock, Holder, QueueService
from tests.conftest import HALL_TZ, MONDAY_9AM, make_settings

ELDER = Holder("11010519491231002X", "张秀英", dt.date(1949, 12, 31))  # 76 in 2026
YOUNG = Holder("440524198001010013", "李明", dt.date(1980, 1, 1))


def q_with(db: HallDatabase, clock: FixedClock, **sections: object) -> QueueService:
    q = QueueService(db, make_settings(**sections), clock)
    q.sync_from_settings()
    return q


def test_numbers_count_up_per_service(any_hall: QueueService) -> None:
    assert [any_hall.issue().number for _ in range(3)] == ["A001", "A002", "A003"]
    assert any_hall.issue("B").number == "B001"
    assert any_hall.issue("A").number == "A004"


def test_people_ahead_and_estimate(any_hall: QueueService) -> None:
    for _ in range(4):
        any_hall.issue("B")
    t = any_hall.issue("B")
    assert t.people_ahead == 4
    # B is served by two windows (home of 1, back-up of 8); default 6 min per person.
    assert t.estimated_wait_minutes == 12


def test_estimate_follows_recent_service_times(any_hall: QueueService, clock: FixedClock) -> None:
    for _ in range(3):
        any_hall.issue("B")
    any_hall.call_next(1)
    clock.advance(minutes=2)
    any_hall.finish(1)
    status = {s.prefix: s for s in any_hall.service_statuses()}["B"]
    assert status.waiting == 2
    assert status.estimated_wait_minutes == 2  # 2 waiting x 2 min / 2 windows


def test_hall_day_rolls_over_at_hall_midnight(any_hall: QueueService, clock: FixedClock) -> None:
    clock.at = dt.datetime(2026, 11, 23, 23, 59, 58, tzinfo=HALL_TZ)
    assert any_hall.issue().number == "A001"
    assert any_hall.issue().number == "A002"
    clock.at = dt.datetime(2026, 11, 24, 0, 0, 1, tzinfo=HALL_TZ)
    # Midnight in the hall (16:00 UTC): a new day, numbering starts again.
    assert any_hall.issue().number == "A001"
    # Yesterday's waiting tickets are not called today.
    called = any_hall.call_next(1)
    assert called is not None and called.hall_day == dt.date(2026, 11, 24)
    assert any_hall.call_next(1) is None


def test_a_pc_clock_in_another_zone_does_not_split_the_day(
    any_hall: QueueService, clock: FixedClock
) -> None:
    # The same instant expressed in UTC (a PC set to UTC) is the same hall day.
    clock.at = dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.UTC)  # 00:30 on the 24th in the hall
    assert any_hall.issue().hall_day == dt.date(2026, 11, 24)


def test_closed_hours_and_days(hall_db: HallDatabase, clock: FixedClock) -> None:
    q = q_with(
        hall_db,
        clock,
        hours=[["08:30", "12:00"], ["13:30", "17:30"]],
        calendar={"holidays": ["2026-11-25"]},
        hall={"secret": "s"},
    )
    clock.at = MONDAY_9AM.replace(hour=8, minute=0)
    with pytest.raises(ServiceClosed) as early:
        q.issue()
    assert "08:30" in early.value.message_zh
    assert early.value.reason is ClosedReason.NOT_YET_OPEN
    clock.at = MONDAY_9AM.replace(hour=12, minute=30)
    with pytest.raises(ServiceClosed) as lunch:
        q.issue()
    assert "13:30" in lunch.value.message_zh
    assert lunch.value.reason is ClosedReason.BREAK
    clock.at = MONDAY_9AM.replace(hour=18)
    with pytest.raises(ServiceClosed) as evening:
        q.issue()
    assert evening.value.reason is ClosedReason.CLOSED_FOR_TODAY
    clock.at = dt.datetime(2026, 11, 25, 10, tzinfo=HALL_TZ)  # holiday
    with pytest.raises(ServiceClosed) as holiday:
        q.issue()
    assert holiday.value.reason is ClosedReason.NOT_WORKING_DAY
    clock.at = dt.datetime(2026, 11, 28, 10, tzinfo=HALL_TZ)  # Saturday
    with pytest.raises(ServiceClosed):
        q.issue()
    status = q.service_statuses()[0]
    assert not status.open and status.closed_reason_zh
    assert status.closed_reason is ClosedReason.NOT_WORKING_DAY
    clock.at = MONDAY_9AM
    assert q.issue().number == "A001"
    assert q.service_statuses()[0].open


def test_daily_cap(any_hall_db: HallDatabase, clock: FixedClock) -> None:
    q = q_with(
        any_hall_db,
        clock,
        services=[{"prefix": "A", "name": "综合", "general": True, "daily_cap": 2}],
        windows=[{"number": 1, "services": {"A": 1}}],
    )
    q.issue()
    q.issue()
    with pytest.raises(DailyCapReached) as refused:
        q.issue()
    assert refused.value.reason is ClosedReason.FULL
    status = q.service_statuses()[0]
    assert not status.open and status.closed_reason is ClosedReason.FULL
    # The refused attempt consumed no number: raise the cap on the same day and the next number
    # is the very next one, with no gap (moving to the next day would restart at 001 anyway).
    q = q_with(
        any_hall_db,
        clock,
        services=[{"prefix": "A", "name": "综合", "general": True, "daily_cap": 3}],
        windows=[{"number": 1, "services": {"A": 1}}],
    )
    assert q.issue().number == "A003"
    with any_hall_db.read() as s:
        numbers = s.scalars(select(Ticket.number).order_by(Ticket.id)).all()
        last_seq = s.scalars(select(ServiceCounter.last_seq)).one()
    assert numbers == ["A001", "A002", "A003"] and last_seq == 3
    with pytest.raises(DailyCapReached):
        q.issue()
    assert q.service_statuses()[0].issued_today == 3


def test_id_card_required_and_per_id_limit(any_hall_db: HallDatabase, clock: FixedClock) -> None:
    q = q_with(
        any_hall_db,
        clock,
        services=[
            {"prefix": "A", "name": "综合", "general": True},
            {"prefix": "D", "name": "不动产", "id_card": "required", "per_id_daily_limit": 1},
        ],
        windows=[{"number": 1, "services": {"A": 1, "D": 1}}],
    )
    with pytest.raises(IdCardRequired):
        q.issue("D")
    first = q.issue("D", holder=YOUNG)
    assert first.number == "D001" and first.holder_masked == "李*"
    with pytest.raises(PerIdLimitReached) as err:
        q.issue("D", holder=YOUNG)
    assert "1" in err.value.message_zh
    # Another person is fine, and the refusal consumed no number.
    assert q.issue("D", holder=ELDER).number == "D002"


def test_green_channel_from_age(any_hall: QueueService) -> None:
    young = any_hall.issue(holder=YOUNG)
    elder = any_hall.issue(holder=ELDER)
    assert young.priority is Priority.NORMAL
    assert elder.priority is Priority.GREEN and elder.green_reason == "elderly"
    called = any_hall.call_next(1)
    assert called is not None and called.number == elder.number


def test_green_channel_starts_on_the_70th_birthday(
    any_hall: QueueService, clock: FixedClock
) -> None:
    today = clock.at.date()
    almost = Holder(
        "11010519491231002X", "王五", today.replace(year=today.year - 70) + dt.timedelta(days=1)
    )
    exactly = Holder("440524198001010013", "赵六", today.replace(year=today.year - 70))
    assert any_hall.issue(holder=almost).priority is Priority.NORMAL
    assert any_hall.issue(holder=exactly).priority is Priority.GREEN


def test_staff_confirmed_green_channel(any_hall: QueueService) -> None:
    any_hall.issue()
    t = any_hall.issue(priority=Priority.GREEN, green_reason="disabled")
    assert t.green_reason == "disabled"
    assert any_hall.call_next(2).number == t.number  # type: ignore[union-attr]


def test_due_appointment_comes_first(any_hall: QueueService, clock: FixedClock) -> None:
    any_hall.issue()
    any_hall.issue(holder=ELDER)  # green
    later = any_hall.issue(
        priority=Priority.APPOINTMENT, appointment_at=clock.at + dt.timedelta(hours=1)
    )
    due = any_hall.issue(
        priority=Priority.APPOINTMENT, appointment_at=clock.at + dt.timedelta(minutes=5)
    )
    assert any_hall.call_next(1).number == due.number  # type: ignore[union-attr]
    assert any_hall.call_next(1).priority is Priority.GREEN  # type: ignore[union-attr]
    # The later appointment is not due yet: it waits like anyone else, in issue order.
    assert any_hall.call_next(1).number == "A001"  # type: ignore[union-attr]
    assert any_hall.call_next(1).number == later.number  # type: ignore[union-attr]


def test_weights_favour_the_home_area(any_hall: QueueService, clock: FixedClock) -> None:
    # Window 1 serves A (weight 2), B (3, home) and C (1). Equal waits: B first.
    any_hall.issue("C")
    any_hall.issue("A")
    any_hall.issue("B")
    clock.advance(minutes=10)
    assert [any_hall.call_next(1).prefix for _ in range(3)] == ["B", "A", "C"]  # type: ignore[union-attr]


def test_longest_wait_beats_weight(any_hall: QueueService, clock: FixedClock) -> None:
    any_hall.issue("C")  # weight 1 at window 1
    clock.advance(minutes=30)
    any_hall.issue("B")  # weight 3
    clock.advance(minutes=1)
    assert any_hall.call_next(1).prefix == "C"  # type: ignore[union-attr]


def test_pass_over_cap(hall_db: HallDatabase, clock: FixedClock) -> None:
    q = q_with(hall_db, clock, queue={"max_pass_over": 2})
    old = q.issue("C")  # window 1 weight 1
    clock.advance(seconds=1)
    for _ in range(5):
        q.issue("B")  # weight 3: always preferred while waits are similar
    clock.advance(seconds=1)
    assert q.call_next(1).prefix == "B"  # type: ignore[union-attr]
    assert q.call_next(1).prefix == "B"  # type: ignore[union-attr]
    # C001 has now been passed over twice: it is called next.
    assert q.call_next(1).number == old.number  # type: ignore[union-attr]


def test_recall_skip_and_requeue(any_hall: QueueService, clock: FixedClock) -> None:
    for _ in range(5):
        any_hall.issue()
        clock.advance(seconds=20)
    first = any_hall.call_next(3)
    assert first is not None and first.number == "A001"
    again = any_hall.recall(3)
    assert again.call_count == 2
    skipped = any_hall.skip(3)
    assert skipped.status is TicketStatus.WAITING  # re-queued behind the next 3
    order = [t.number for t in any_hall.waiting(["A"])]
    assert order == ["A002", "A003", "A004", "A001", "A005"]
    # A second no-show ends it (max_requeues = 1).
    for _ in range(4):
        any_hall.call_next(3)
    current = any_hall.window_status(3).current
    assert current is not None and current.number == "A001"
    assert any_hall.skip(3).status is TicketStatus.NO_SHOW


def test_skip_with_drop_rule(any_hall_db: HallDatabase, clock: FixedClock) -> None:
    q = q_with(any_hall_db, clock, queue={"no_show_rule": "drop"})
    q.issue()
    q.call_next(1)
    assert q.skip(1).status is TicketStatus.NO_SHOW
    assert q.waiting() == []


def test_transfer_keeps_issue_time(any_hall: QueueService, clock: FixedClock) -> None:
    first = any_hall.issue("A")
    clock.advance(minutes=5)
    for _ in range(3):
        any_hall.issue("D")
    clock.advance(minutes=5)
    any_hall.call_next(1)  # A001 at window 1
    moved = any_hall.transfer(1, "D")
    assert (
        moved.prefix == "D"
        and moved.transferred_from == "A"
        and moved.status is TicketStatus.WAITING
    )
    assert moved.issued_at == first.issued_at
    assert moved.number == "A001"
    # It keeps its place by issue time: first in D's queue, called first by D's home window.
    assert any_hall.waiting(["D"])[0].number == "A001"
    assert any_hall.call_next(3).number == "A001"  # type: ignore[union-attr]
    with pytest.raises(IllegalTransfer):
        any_hall.transfer(3, "D")
    with pytest.raises(UnknownService):
        any_hall.transfer(3, "Z")


def test_finish_needs_a_current_ticket(any_hall: QueueService) -> None:
    with pytest.raises(NoCurrentTicket):
        any_hall.finish(1)
    with pytest.raises(NoCurrentTicket):
        any_hall.recall(1)
    with pytest.raises(NoCurrentTicket):
        any_hall.skip(1)
    any_hall.issue()
    any_hall.call_next(1)
    assert any_hall.finish(1).status is TicketStatus.FINISHED
    with pytest.raises(NoCurrentTicket):
        any_hall.finish(1)


def test_call_next_finishes_the_current_ticket(any_hall: QueueService) -> None:
    any_hall.issue()
    any_hall.issue()
    any_hall.call_next(1)
    any_hall.call_next(1)
    assert any_hall.ticket("A001").status is TicketStatus.FINISHED  # type: ignore[union-attr]


def test_paused_window_gets_nothing(any_hall: QueueService) -> None:
    any_hall.issue()
    any_hall.pause(1, "午休")
    with pytest.raises(WindowPaused):
        any_hall.call_next(1)
    status = any_hall.window_status(1)
    assert status.paused and status.pause_reason == "午休"
    assert any_hall.waiting()[0].number == "A001"
    any_hall.resume(1)
    assert any_hall.call_next(1).number == "A001"  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        any_hall.pause(1, "  ")


def test_unknown_window_and_service(any_hall: QueueService) -> None:
    with pytest.raises(UnknownWindow):
        any_hall.call_next(99)
    with pytest.raises(UnknownService):
        any_hall.issue("Z")


def test_empty_queue_returns_none(any_hall: QueueService) -> None:
    assert any_hall.call_next(1) is None


def test_events_and_audit(any_hall: QueueService) -> None:
    start = any_hall.last_event_id()
    any_hall.issue()
    any_hall.call_next(2, actor="w2")
    any_hall.recall(2, actor="w2")
    any_hall.finish(2, actor="w2")
    events = any_hall.events_after(start)
    assert [e.kind for e in events] == ["issued", "called", "recalled", "finished"]
    assert events[1].window_number == 2 and events[1].number == "A001"
    assert any_hall.events_after(events[-1].id) == []
    with any_hall.db.read() as s:
        actions = [a.action for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions == ["call", "recall", "finish"]


def test_no_personal_data_in_queue_tables(any_hall: QueueService) -> None:
    any_hall.issue(holder=YOUNG)
    with any_hall.db.read() as s:
        from common.db.models import Ticket

        row = s.scalars(select(Ticket)).one()
        assert row.id_hash and YOUNG.id_number not in row.id_hash
        assert row.holder_masked == "李*"
    assert YOUNG.id_number not in repr(YOUNG)


def test_database_unreachable_sqlite(
    tmp_path: object, settings: Settings, clock: FixedClock
) -> None:
    db = open_database("sqlite:////proc/no/such/dir/hall.db")
    with pytest.raises(DatabaseUnavailable):
        QueueService(db, settings, clock).issue()


def test_database_unreachable_postgresql(settings: Settings, clock: FixedClock) -> None:
    # Nothing listens on port 1: refused at once, a clear typed error.
    db = open_database("postgresql://u:p@127.0.0.1:1/none")
    with pytest.raises(DatabaseUnavailable) as err:
        QueueService(db, settings, clock).issue()
    assert "unavailable" in str(err.value)


def test_postgresql_connection_killed_is_survived(
    pg_hall_db: HallDatabase, settings: Settings, clock: FixedClock
) -> None:
    any_hall_db = pg_hall_db
    q = QueueService(any_hall_db, settings, clock)
    q.sync_from_settings()
    q.issue()
    # The server drops every connection of ours (as on a restart or failover).
    from sqlalchemy import create_engine, text

    mine = any_hall_db.engine.url.query["application_name"]
    url = any_hall_db.engine.url.set(drivername="postgresql+psycopg", query={})
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        killed = c.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :a"
            ),
            {"a": mine},
        ).scalar_one()
    assert killed >= 1
    admin.dispose()
    # Pooled connections are checked before use, so the next action simply works.
    assert q.issue().number == "A002"


def test_sqlite_file_deleted_while_running(hall: QueueService, tmp_path: object) -> None:
    hall.issue()
    path = hall.db.sqlite_path
    assert path is not None
    moved = path.with_name("moved.db")
    path.rename(moved)
    # SQLite would carry on in the unlinked file and lose everything done from now on.
    with pytest.raises(DatabaseUnavailable, match="missing"):
        hall.issue()
    with pytest.raises(DatabaseUnavailable):
        hall.service_statuses()
    moved.rename(path)
    assert hall.issue().number == "A002"


def test_database_clock_follows_the_server(
    pg_hall_db: HallDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from sqlalchemy import text

    from common.clock import DatabaseClock

    clock = DatabaseClock()
    with pg_hall_db.read() as s:
        server = s.execute(text("SELECT now()")).scalar_one()
        first = clock.now(pg_hall_db, s)
    assert abs((first - server).total_seconds()) < 1
    # Between refreshes it counts on with this PC's monotonic clock, not its wall clock: a PC
    # whose date is wrong, or is changed while running, still agrees with the hall.
    real = time.monotonic
    monkeypatch.setattr(time, "monotonic", lambda: real() + 30)
    with pg_hall_db.read() as s:
        later = clock.now(pg_hall_db, s)
    assert 29 < (later - first).total_seconds() < 31
    monkeypatch.setattr(time, "monotonic", lambda: real() + 3600)
    with pg_hall_db.read() as s:
        refreshed = clock.now(pg_hall_db, s)  # past the refresh interval: asks the server again
        server = s.execute(text("SELECT now()")).scalar_one()
    assert abs((refreshed - server).total_seconds()) < 1
