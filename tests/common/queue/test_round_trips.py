"""How many statements an issue and a call cost: each is a round trip on PostgreSQL, and the
figures in docs/PERFORMANCE.md depend on them staying few."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.queue.service import QueueService
from tests.conftest import make_settings


@contextmanager
def counting(db: HallDatabase) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_statements_per_issue_and_call(any_hall_db: HallDatabase, clock: ManualClock) -> None:
    q = QueueService(any_hall_db, make_settings(), clock)
    q.sync_from_settings()
    for prefix in "ABCAB":
        q.issue(prefix)
    q.call_next(1)  # the window has a current ticket from now on
    clock.advance(minutes=3)
    with counting(any_hall_db) as issue:
        q.issue("A")
    with counting(any_hall_db) as call:
        q.call_next(1)  # finishes the current ticket (with a service time) and calls the next
    pg = any_hall_db.is_postgresql
    # SQLite: BEGIN IMMEDIATE, number, ticket, ahead + estimate, event. PostgreSQL: number,
    # ticket, event; then ahead + estimate after the commit (BEGIN is the driver's, not counted).
    assert len(issue) == (4 if pg else 5), issue
    # One read, (PostgreSQL) one write for finish + pass-over + claim or (SQLite) finish and
    # claim (+ pass-over), the service time, then the events and the audit rows.
    assert len(call) <= (5 if pg else 8), call
