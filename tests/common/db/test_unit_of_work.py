"""The unit of work: one transaction, one clock reading, and the log rows it owes with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.db.models import AuditLog, EventKind, QueueEvent
from common.db.unit import OutboxMessage, UnitOfWork

HALL = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.UTC)  # 00:30 on the 24th in the hall


class CountingClock(ManualClock):
    def __init__(self, at: dt.datetime) -> None:
        super().__init__(at)
        self.reads = 0

    def now(self, db: HallDatabase, session: Session) -> dt.datetime:
        self.reads += 1
        return super().now(db, session)


def _counts(db: HallDatabase) -> tuple[int, int]:
    with db.read() as s:
        return (
            int(s.scalar(select(func.count(QueueEvent.id))) or 0),
            int(s.scalar(select(func.count(AuditLog.id))) or 0),
        )


def test_rows_are_written_at_commit_in_order_with_one_reading_of_the_clock(
    any_hall_db: HallDatabase,
) -> None:
    clock = CountingClock(AT)
    with UnitOfWork(any_hall_db, clock, tz=HALL) as uow:
        uow.event(EventKind.PAUSED, window_number=3, reason="lunch")
        uow.audit("w1", "pause", "3", reason="lunch")
        clock.advance(minutes=5)  # the unit already has its "now"
        uow.event(EventKind.RESUMED, window_number=3)
        uow.audit("", "resume", "3")
        assert _counts(any_hall_db) == (0, 0)  # collected, not yet written
    assert clock.reads == 1
    with any_hall_db.read() as s:
        events = s.scalars(select(QueueEvent).order_by(QueueEvent.id)).all()
        audit = s.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [e.kind for e in events] == ["paused", "resumed"]
    assert {e.at for e in events} == {AT} and {a.at for a in audit} == {AT}
    assert events[0].hall_day == dt.date(2026, 11, 24)  # the hall's day, not UTC's
    assert events[0].data == {"reason": "lunch"} and events[0].window_number == 3
    assert [(a.actor, a.action) for a in audit] == [("w1", "pause"), ("system", "resume")]


def test_an_error_in_the_block_writes_nothing(any_hall_db: HallDatabase) -> None:
    with pytest.raises(LookupError), UnitOfWork(any_hall_db, ManualClock(AT), tz=HALL) as uow:
        uow.audit("w1", "login")
        uow.event(EventKind.PAUSED, window_number=1)
        raise LookupError("refused")
    assert _counts(any_hall_db) == (0, 0)


def test_outbox_messages_need_a_writer(any_hall_db: HallDatabase) -> None:
    with (
        pytest.raises(RuntimeError, match="no outbox writer"),
        UnitOfWork(any_hall_db, ManualClock(AT)) as uow,
    ):
        uow.audit("w1", "accept", "case-1")
        uow.outbox("case.accepted", {"case": 1})
    assert _counts(any_hall_db) == (0, 0)  # refused to commit rather than lose the message


def test_outbox_writer_runs_inside_the_transaction(any_hall_db: HallDatabase) -> None:
    seen: list[tuple[bool, list[OutboxMessage]]] = []

    def writer(session: Session, messages: Sequence[OutboxMessage]) -> None:
        seen.append((session.in_transaction(), list(messages)))

    with UnitOfWork(any_hall_db, ManualClock(AT), outbox_writer=writer) as uow:
        first = uow.outbox("case.accepted", {"case": 1}, aggregate="case:1")
        uow.outbox("case.accepted", {"case": 2}, aggregate="case:2")
    assert len(seen) == 1 and seen[0][0]
    messages = seen[0][1]
    assert [m.aggregate for m in messages] == ["case:1", "case:2"]
    assert messages[0] is first and first.at == AT and first.payload == {"case": 1}
    assert len({m.key for m in messages}) == 2  # each its own idempotency key


def test_day_needs_the_halls_zone(any_hall_db: HallDatabase) -> None:
    with UnitOfWork(any_hall_db, ManualClock(AT)) as uow:
        assert uow.now == AT
        with pytest.raises(RuntimeError, match="time zone"):
            _ = uow.day
    with pytest.raises(RuntimeError, match="inside"):
        _ = uow.session
