"""The Qt-free queue event follower: order, batching, NOTIFY wake-up, outages."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from common.db.engine import DatabaseUnavailable
from common.queue.events import QueueEventFollower, QueueEventRecord
from common.queue.service import QueueService


def test_poll_once_delivers_new_events_in_order_and_only_once(any_hall: QueueService) -> None:
    follower = QueueEventFollower(any_hall, start_after=None, batch_size=3)
    seen: list[QueueEventRecord] = []
    follower.add_callbacks(lambda batch: seen.extend(batch))
    assert follower.poll_once() == []  # starts at the end of the stream: history is not replayed
    for _ in range(7):
        any_hall.issue("A")
    any_hall.call_next(1, actor="w1")
    got = follower.poll_once()
    assert [e.kind for e in got] == ["issued"] * 7 + ["called"]
    assert [e.id for e in seen] == sorted(e.id for e in seen)
    assert got[-1].number == "A001" and got[-1].window_number == 1
    assert follower.poll_once() == []


def test_listener_errors_do_not_stop_the_stream(hall: QueueService) -> None:
    follower = QueueEventFollower(hall, start_after=0)
    good: list[int] = []

    def bad(_batch: Sequence[QueueEventRecord]) -> None:
        raise RuntimeError("boom")

    follower.add_callbacks(bad)
    follower.add_callbacks(lambda batch: good.extend(e.id for e in batch))
    hall.issue("A")
    follower.poll_once()
    assert len(good) == 1


def test_thread_follows_and_notify_wakes_it_fast(any_hall: QueueService) -> None:
    # Long poll interval: on PostgreSQL only NOTIFY can make delivery fast; on SQLite the
    # explicit wake() stands in for it.
    follower = QueueEventFollower(any_hall, poll_interval=5.0, listen_poll_interval=5.0)
    arrived = threading.Event()
    follower.add_callbacks(
        lambda batch: arrived.set() if any(e.kind == "issued" for e in batch) else None
    )
    follower.start()
    try:
        time.sleep(0.3)  # let it open its LISTEN connection and reach its wait
        any_hall.issue("A")
        started = time.monotonic()
        if not any_hall.db.is_postgresql:
            follower.wake()
        assert arrived.wait(3.0)
        assert time.monotonic() - started < 1.0
    finally:
        follower.stop()
    assert not follower.is_running


def test_outage_is_reported_once_and_recovery_picks_up_where_it_stopped(hall: QueueService) -> None:
    follower = QueueEventFollower(hall, start_after=0, poll_interval=0.02, max_backoff=0.05)
    states: list[bool] = []
    ids: list[int] = []
    follower.add_callbacks(
        lambda batch: ids.extend(e.id for e in batch), lambda ok, _m: states.append(ok)
    )
    real = hall.events_after
    down = threading.Event()
    down.set()

    def flaky(last_id: int, limit: int = 500) -> list:  # type: ignore[type-arg]
        if down.is_set():
            raise DatabaseUnavailable("unable to open database file")
        return real(last_id, limit)

    hall.events_after = flaky  # type: ignore[method-assign]
    hall.issue("A")
    follower.start()
    try:
        deadline = time.monotonic() + 3
        while not states and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)
        assert states == [False]
        down.clear()
        while len(states) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        while not ids and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        follower.stop()
    assert states == [False, True]
    assert len(ids) == 1
