"""A hall file deleted and restored while programs run: nobody keeps writing into the old one.

Issue 15: after ``rm hall.db*`` and copying a backup back, the kiosk and the counter kept the
deleted file open, and A007 was issued twice (once there, once by the CLI in the restored
file). A file at a path is a SQLite concept only; PostgreSQL has nothing to replace.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DatabaseError, OperationalError

from common.config import Settings
from common.db.engine import DatabaseDamaged, DatabaseUnavailable, HallDatabase, make_engine
from common.db.migrate import upgrade
from common.db.models import Ticket
from common.queue.service import FixedClock, QueueService
from tests.common.db.faults import backup, delete_and_restore


def _open(url: str) -> HallDatabase:
    return HallDatabase(make_engine(url))


def _numbers(db: HallDatabase) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Ticket.number).order_by(Ticket.id)))


def _numbers_in_file(path: Path) -> list[str]:
    # Straight from the file at the path, as a new program (or the lead's sqlite3) sees it.
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT number FROM ticket ORDER BY id")]
    finally:
        con.close()


def test_restored_backup_is_used_by_every_program(
    sqlite_url: str, tmp_path: Path, settings: Settings, clock: FixedClock
) -> None:
    path = tmp_path / "hall.db"
    kiosk_db, counter_db = _open(sqlite_url), _open(sqlite_url)
    upgrade(kiosk_db.engine)
    kiosk = QueueService(kiosk_db, settings, clock)
    kiosk.sync_from_settings()
    counter = QueueService(counter_db, settings, clock)
    try:
        kiosk.issue("A")
        counter.issue("A")  # both programs now hold pooled connections to the file
        backup(path, tmp_path / "backup.db")
        kiosk.issue("A")  # A003: lost with the restore, as a restore does
        before = path.stat().st_ino

        delete_and_restore(path, tmp_path / "backup.db")
        assert path.stat().st_ino != before  # a new file at the same path

        cli_db = _open(sqlite_url)  # a program started after the restore (the CLI)
        cli = QueueService(cli_db, settings, clock)
        after = [
            kiosk.issue("A").number,
            cli.issue("A").number,
            counter.issue("A").number,
            kiosk.issue("A").number,
        ]
        cli_db.dispose()

        # One numbering: each number once, continuing from the backup's A002.
        assert after == ["A003", "A004", "A005", "A006"]
        expected = ["A001", "A002", *after]
        assert _numbers_in_file(path) == expected
        assert _numbers(kiosk_db) == expected
        assert _numbers(counter_db) == expected
    finally:
        kiosk_db.dispose()
        counter_db.dispose()


def test_deleted_file_is_reported_and_never_recreated(
    sqlite_url: str, tmp_path: Path, settings: Settings, clock: FixedClock
) -> None:
    path = tmp_path / "hall.db"
    db = _open(sqlite_url)
    upgrade(db.engine)
    queue = QueueService(db, settings, clock)
    queue.sync_from_settings()
    try:
        queue.issue("A")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        with pytest.raises(DatabaseUnavailable):
            queue.issue("A")
        # Even a connection the pool opens afresh (below the file check) must not create an
        # empty hall in its place: the engine has opened the file, so it only reopens it.
        db.engine.dispose()
        with pytest.raises(OperationalError, match="unable to open"), db.engine.connect():
            pass
        assert not path.exists()
    finally:
        db.dispose()


def test_file_emptied_under_a_running_program_is_refused(
    sqlite_url: str, tmp_path: Path, settings: Settings, clock: FixedClock
) -> None:
    # A restore that failed half-way, or a full disk: the file at the path is now 0 bytes. A new
    # connection would write an empty database into it; the unit refuses first.
    path = tmp_path / "hall.db"
    db = _open(sqlite_url)
    upgrade(db.engine)
    queue = QueueService(db, settings, clock)
    queue.sync_from_settings()
    try:
        queue.issue("A")
        db.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.write_bytes(b"")
        with pytest.raises(DatabaseDamaged):
            queue.issue("A")
        # Below the unit's check too: a new connection (the checkpointer's last one) refuses.
        with pytest.raises(DatabaseError, match="empty"), db.engine.connect():
            pass
    finally:
        db.dispose()
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("hall.db")) == ["hall.db"]
