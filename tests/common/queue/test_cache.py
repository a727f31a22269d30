"""The queue's one cache: read once, expires after its time, forgotten when the settings change."""

from __future__ import annotations

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.queue.cache import QueueCache
from common.queue.service import QueueService
from tests.conftest import make_settings


class Ticks:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_cache_expires_and_is_invalidated_by_sync(
    hall_db: HallDatabase, clock: ManualClock
) -> None:
    ticks = Ticks()
    cache = QueueCache(ttl=60, monotonic=ticks)
    q = QueueService(hall_db, make_settings(), clock, cache=cache)
    q.sync_from_settings()
    q.issue("A")
    q.call_next(1)
    loads = cache.loads
    for _ in range(3):
        q.issue("A")
        q.call_next(1)
    assert cache.loads == loads  # served from the cache
    ticks.t += 61
    q.issue("A")
    assert cache.loads == loads + 1  # expired: read once more
    # New settings: window 1 now serves only B. sync_from_settings forgets the cache at once,
    # so the very next call follows the new weights.
    settings = make_settings(
        windows=[{"number": 1, "services": {"B": 1}}, {"number": 2, "services": {"A": 1}}]
    )
    q2 = QueueService(hall_db, settings, clock, cache=cache)
    q2.sync_from_settings()
    b = q2.issue("B")
    called = q2.call_next(1)
    assert called is not None and called.number == b.number
    assert q2.window_status(1).services == {"B": 1}


def test_unknown_names_are_read_again_before_refusal(
    hall_db: HallDatabase, clock: ManualClock
) -> None:
    cache = QueueCache(ttl=3600)
    q = QueueService(hall_db, make_settings(), clock, cache=cache)
    q.sync_from_settings()
    q.issue("A")
    # Another PC adds window 9 (its own sync): this process has not been told, yet finds it.
    other = QueueService(
        hall_db,
        make_settings(windows=[{"number": 9, "services": {"A": 1}}]),
        clock,
    )
    other.sync_from_settings()
    assert q.call_next(9) is not None


def test_warm_up_writes_nothing(any_hall_db: HallDatabase, clock: ManualClock) -> None:
    q = QueueService(any_hall_db, make_settings(), clock)
    q.sync_from_settings()
    first = q.issue("A")
    before = q.last_event_id()
    q.warm_up(1)
    q.warm_up()
    assert q.last_event_id() == before
    assert q.window_status(1).current is None
    called = q.call_next(1)
    assert called is not None and called.number == first.number
    q.pause(1, "lunch")
    q.warm_up(1)  # a paused window at login: warmed, not refused
    q.warm_up(99)  # a window the hall does not have: nothing to warm
    assert q.window_status(1).current is not None
