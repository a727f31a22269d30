"""WAL checkpoints run on the hall database's own thread, never inside a user's action (issue 9).

The WAL index (``hall.db-shm``, SQLite's documented "WAL-index format") says how many frames
the log holds (``mxFrame``) and how many a checkpoint has copied into the file
(``nBackfill``); reading it does not checkpoint, unlike asking SQLite. A file feature:
PostgreSQL has no WAL of ours to checkpoint.
"""

from __future__ import annotations

import struct
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import text

from common.config import Settings
from common.db.engine import HallDatabase, make_engine
from common.db.migrate import upgrade
from common.queue.service import FixedClock, QueueService

_ORDER = "<" if sys.byteorder == "little" else ">"


def _wal_index(path: Path) -> tuple[int, int]:
    """(frames in the log, frames already checkpointed) from the -shm file."""
    head = Path(f"{path}-shm").read_bytes()[:100]
    (frames,) = struct.unpack_from(f"{_ORDER}I", head, 16)
    (backfilled,) = struct.unpack_from(f"{_ORDER}I", head, 96)
    return frames, backfilled


def _open(
    path: Path, settings: Settings, clock: FixedClock, interval: float | None
) -> QueueService:
    db = HallDatabase(make_engine(f"sqlite:///{path.as_posix()}"), checkpoint_interval=interval)
    upgrade(db.engine)
    queue = QueueService(db, settings, clock)
    queue.sync_from_settings()
    return queue


def _checkpointers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "hall-db-checkpointer"]


def test_a_users_commit_never_checkpoints(
    tmp_path: Path, settings: Settings, clock: FixedClock
) -> None:
    path = tmp_path / "hall.db"
    # The background thread would wake only after an hour: whatever is checkpointed below,
    # a commit did it on the caller's path.
    queue = _open(path, settings, clock, interval=3600.0)
    try:
        with queue.db.read() as s:
            assert s.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
        frames, backfilled = _wal_index(path)
        start, issued = frames, 0
        # Well past SQLite's automatic checkpoint at 1,000 pages; an automatic checkpoint would
        # restart the log from frame 1, so it would never get there.
        while frames < start + 1500 and issued < 900:
            queue.issue("A")
            issued += 1
            frames, backfilled = _wal_index(path)
        assert frames >= start + 1500, (
            f"the log restarted: a commit checkpointed it ({issued} issued)"
        )
        assert backfilled <= start, "a commit checkpointed the log on the caller's path"
    finally:
        queue.db.dispose()


def test_the_checkpointer_checkpoints_and_stops_on_dispose(
    tmp_path: Path, settings: Settings, clock: FixedClock
) -> None:
    path = tmp_path / "hall.db"
    queue = _open(path, settings, clock, interval=0.05)
    db = queue.db
    try:
        for _ in range(20):
            queue.issue("A")
        assert db.checkpointer_running and len(_checkpointers()) == 1
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            frames, backfilled = _wal_index(path)
            if db.checkpoints and frames and backfilled == frames:
                break
            time.sleep(0.02)
        assert db.checkpoints >= 1
        frames, backfilled = _wal_index(path)
        assert frames > 0 and backfilled == frames  # every frame reached the hall file
    finally:
        db.dispose()
    assert not db.checkpointer_running
    assert _checkpointers() == []


def test_automatic_checkpoints_when_the_thread_is_off(
    tmp_path: Path, settings: Settings, clock: FixedClock
) -> None:
    queue = _open(tmp_path / "hall.db", settings, clock, interval=None)
    try:
        queue.issue("A")
        with queue.db.read() as s:
            assert s.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 1000
        assert not queue.db.checkpointer_running
    finally:
        queue.db.dispose()


def test_a_short_lived_program_leaves_the_log_checkpointed(
    tmp_path: Path, settings: Settings, clock: FixedClock
) -> None:
    # A kiosk keeps the file open (so SQLite's own checkpoint at the last close never runs)
    # and its thread is asleep; a CLI issues and exits: its last checkpoint covers the log.
    path = tmp_path / "hall.db"
    kiosk = _open(path, settings, clock, interval=3600.0)
    try:
        cli_db = HallDatabase(make_engine(f"sqlite:///{path.as_posix()}"))
        cli = QueueService(cli_db, settings, clock)
        for _ in range(3):
            cli.issue("A")
        cli_db.dispose()
        assert len(_checkpointers()) == 1  # the kiosk's; the CLI's stopped with it
        frames, backfilled = _wal_index(path)
        assert frames > 0 and backfilled == frames
    finally:
        kiosk.db.dispose()
