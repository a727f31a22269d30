"""The change feed never lets a hall skip a change when back-office transactions commit out of
order (DESIGN.md "Central server and sync": the classic gap of "id > cursor")."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from common.contract import ChangeType
from server.db.models import FeedChange
from server.feed import NewChange, append_changes, read_changes
from tests.server.conftest import HALL, T0, Server

pytestmark = pytest.mark.postgres


def _change(name: str) -> NewChange:
    return NewChange(
        ChangeType.CASE_STATUS, HALL, T0, case_number=name, payload={"to_state": "approved"}
    )


class Reader:
    """A hall polling the feed: stores the cursor, remembers what it saw."""

    def __init__(self, server: Server) -> None:
        self.server, self.cursor = server, 0
        self.seen: list[str] = []

    def poll(self) -> list[str]:
        with self.server.sessions.begin() as s:
            page = read_changes(s, HALL, self.cursor, 100)
        self.cursor = page.next_cursor
        got = [i.case_number for i in page.items if i.type is ChangeType.CASE_STATUS]
        self.seen += got
        return got


def test_writer_that_starts_first_but_commits_last_is_not_skipped(pg_server: Server) -> None:
    """A does its work first, B overtakes and commits; the reader polls in between; A commits."""
    reader = Reader(pg_server)
    a, b = pg_server.sessions(), pg_server.sessions()
    try:
        a.begin()
        a.execute(select(1))  # A's transaction is open and doing its work (no position yet)
        with b.begin():
            append_changes(b, [_change("B")])
        assert reader.poll() == ["B"]
        append_changes(a, [_change("A")])
        a.commit()
        assert reader.poll() == ["A"]
        assert reader.seen == ["B", "A"]
    finally:
        a.close()
        b.close()


def test_writer_that_takes_its_position_first_holds_back_the_later_one(pg_server: Server) -> None:
    """A takes its position first but has not committed; B's append must wait for A's commit,
    so no reader can ever see B's position while A's is still invisible."""
    reader = Reader(pg_server)
    a = pg_server.sessions()
    b_done = threading.Event()

    def writer_b() -> None:
        with pg_server.sessions.begin() as b:
            append_changes(b, [_change("B")])
        b_done.set()

    try:
        a.begin()
        append_changes(a, [_change("A")])
        thread = threading.Thread(target=writer_b, name="writer-b")
        thread.start()
        time.sleep(0.5)
        assert not b_done.is_set(), "B took a position while A held an uncommitted one"
        assert reader.poll() == []  # neither is visible, and the cursor has not moved past A
        a.commit()
        thread.join(10)
        assert b_done.is_set()
        assert reader.poll() == ["A", "B"]
    finally:
        a.close()


def _insert_at(s: Session, change: NewChange, position: int) -> None:
    """The trap: a position taken from a sequence when the row is inserted, not at the end."""
    s.execute(
        insert(FeedChange).values(
            position=position,
            hall=change.hall,
            type=change.type.value,
            case_number=change.case_number,
            payload=change.payload,
            at=change.at,
        )
    )


def test_the_crossing_test_catches_positions_taken_at_insert_time(pg_server: Server) -> None:
    """The same crossing with positions handed out at insert time skips A: proof that the
    reader's check above can fail."""
    reader = Reader(pg_server)
    a, b = pg_server.sessions(), pg_server.sessions()
    try:
        a.begin()
        _insert_at(a, _change("A"), 1001)  # A takes position 1001 first
        with b.begin():
            _insert_at(b, _change("B"), 1002)  # B takes 1002 and commits first
        assert reader.poll() == ["B"]  # cursor → 1002
        a.commit()
        assert reader.poll() == []  # A (position 1001) is skipped for good
        assert "A" not in reader.seen
    finally:
        a.close()
        b.close()
