"""Property-based tests of the call order (hypothesis): random days of issuing and calling.

After every call_next we check, against the state just before it:
- a ticket passed over `max_pass_over` times is called before anything else;
- otherwise a due appointment, otherwise a green-channel ticket, when one is waiting;
- a paused window gets nothing and changes nothing;
and at every step that no waiting ticket has been passed over more than the cap, and that a
transfer keeps the ticket's issue time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from common.db.engine import HallDatabase, make_engine
from common.db.migrate import upgrade
from common.db.models import (
    AuditLog,
    Priority,
    QueueEvent,
    ServiceCounter,
    ServiceTime,
    Ticket,
    TicketStatus,
    Window,
)
from common.queue.errors import NoCurrentTicket, WindowPaused
from common.queue.service import FixedClock, QueueService
from tests.conftest import MONDAY_9AM, make_settings

CAP = 1
PREFIXES = ["A", "B", "C", "D"]
WINDOWS = [1, 2, 3, 8]

issue_op = st.tuples(
    st.just("issue"),
    st.sampled_from(PREFIXES),
    st.sampled_from(["normal", "normal", "normal", "green", "appointment"]),
    st.integers(-20, 60),  # appointment slot, minutes from now
)
window_op = st.tuples(
    st.sampled_from(
        ["call", "call", "call", "finish", "skip", "recall", "transfer", "pause", "resume"]
    ),
    st.sampled_from(WINDOWS),
    st.sampled_from(PREFIXES),
    st.just(0),
)
advance_op = st.tuples(st.just("advance"), st.just(""), st.just(""), st.integers(1, 300))
operations = st.lists(
    st.one_of(issue_op, issue_op, window_op, window_op, advance_op), min_size=5, max_size=60
)


# One database for all of Hypothesis's examples (each starts by emptying it); disposed when the
# test ends, so the engine's background checkpointer is stopped before the dangling-thread check.
@pytest.fixture
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallDatabase]:
    path: Path = tmp_path_factory.mktemp("props") / "hall.db"
    database = HallDatabase(make_engine(f"sqlite:///{path.as_posix()}"))
    upgrade(database.engine)
    yield database
    database.dispose()


def _reset(db: HallDatabase) -> None:
    with db.write() as s:
        for model in (QueueEvent, AuditLog, ServiceTime, Ticket, ServiceCounter):
            s.execute(delete(model))
        for w in s.scalars(select(Window)):
            w.paused = False


def _waiting_for(db: HallDatabase, q: QueueService, window: int) -> list[Ticket]:
    status = q.window_status(window)
    with db.read() as s:
        from common.db.models import Service

        ids = list(s.scalars(select(Service.id).where(Service.prefix.in_(list(status.services)))))
        return list(
            s.scalars(
                select(Ticket).where(
                    Ticket.status == TicketStatus.WAITING, Ticket.service_id.in_(ids)
                )
            )
        )


def _all(db: HallDatabase) -> list[Ticket]:
    with db.read() as s:
        return list(s.scalars(select(Ticket)))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_call_order_properties(
    db: HallDatabase, ops: list[tuple[str, str | int, str, int]]
) -> None:
    _reset(db)
    clock = FixedClock(MONDAY_9AM)
    q = QueueService(db, make_settings(queue={"max_pass_over": CAP}), clock)
    q.sync_from_settings()
    for op, a, b, n in ops:
        if op == "issue":
            if b == "green":
                q.issue(str(a), priority=Priority.GREEN, green_reason="disabled")
            elif b == "appointment":
                q.issue(
                    str(a),
                    priority=Priority.APPOINTMENT,
                    appointment_at=clock.at + dt.timedelta(minutes=n),
                )
            else:
                q.issue(str(a))
        elif op == "advance":
            clock.advance(seconds=n)
        elif op == "call":
            window = int(a)
            before = _waiting_for(db, q, window)
            paused = q.window_status(window).paused
            if paused:
                snapshot = [(t.id, t.status, t.passed_over) for t in _all(db)]
                with pytest.raises(WindowPaused):
                    q.call_next(window)
                assert [(t.id, t.status, t.passed_over) for t in _all(db)] == snapshot
                continue
            called = q.call_next(window)
            if not before:
                assert called is None
                continue
            assert called is not None and called.window_number == window
            chosen = next(t for t in before if t.id == called.id)
            capped = [t for t in before if t.passed_over >= CAP]
            due = [
                t
                for t in before
                if t.priority is Priority.APPOINTMENT
                and t.appointment_at is not None
                and t.appointment_at <= clock.at + dt.timedelta(minutes=10)
            ]
            green = [t for t in before if t.priority is Priority.GREEN]
            if capped:
                assert chosen.id == min(capped, key=lambda t: (t.queue_key, t.id)).id
            elif due:
                assert chosen.priority is Priority.APPOINTMENT and chosen in due
            elif green:
                assert chosen.priority is Priority.GREEN
        else:
            window = int(a)
            try:
                if op == "finish":
                    q.finish(window)
                elif op == "skip":
                    q.skip(window)
                elif op == "recall":
                    q.recall(window)
                elif op == "transfer":
                    current = q.window_status(window).current
                    if current is None or current.prefix == b:
                        continue
                    moved = q.transfer(window, str(b))
                    assert moved.issued_at == current.issued_at
                    assert moved.status is TicketStatus.WAITING and moved.prefix == b
                elif op == "pause":
                    q.pause(window, "休息")
                elif op == "resume":
                    q.resume(window)
            except NoCurrentTicket:
                assert q.window_status(window).current is None
        # Invariants after every step.
        tickets = _all(db)
        assert all(t.passed_over <= CAP for t in tickets if t.status is TicketStatus.WAITING)
        serving = [t.window_id for t in tickets if t.status is TicketStatus.CALLED]
        assert len(serving) == len(set(serving)), "a window serves two tickets"
