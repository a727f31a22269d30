"""A program started while the hall file was read-only recovers once it is writable (issue 15).

The connection SQLite opens on a read-only file stays read-only after the file is made
writable again; retrying on it never recovers. Read-only as root needs ``chattr +i`` (root
ignores permission bits), see ``tests.common.db.faults.read_only``. PostgreSQL has no file to
make read-only; its lost connections are covered by test_queue's killed-connection test.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from common.bootstrap import Hall, open_hall
from common.config import Settings, settings_from_dict
from common.db.engine import DatabaseUnavailable, open_database
from common.queue.service import QueueService
from tests.common.db.faults import read_only


def _settings(path: Path) -> Settings:
    return settings_from_dict(
        {
            "hours": [["00:00", "23:59:59.999999"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "database": {"url": f"sqlite:///{path.as_posix()}"},
        }
    )


def _kiosk_start(settings: Settings) -> Hall:
    # What kiosk.app does: open the hall; if the database is away, start anyway (banner).
    try:
        return open_hall(settings=settings)
    except DatabaseUnavailable:
        db = open_database(settings.database.resolved_url())
        return Hall(settings=settings, db=db, queue=QueueService(db, settings))


@pytest.mark.parametrize("where", ["file", "folder"])
def test_started_read_only_recovers_without_restart(where: str, tmp_path: Path) -> None:
    path = tmp_path / "hall" / "hall.db"
    settings = _settings(path)
    seed = open_hall(settings=settings, migrate=True)
    seed.queue.sync_from_settings()
    seed.close()

    target = path if where == "file" else path.parent
    with read_only(target):
        hall = _kiosk_start(settings)
        try:
            for _ in range(2):  # taps while read-only: refused, typed, each time
                with pytest.raises(DatabaseUnavailable):
                    hall.queue.issue("A")
                # ... between them the kiosk refreshes its service tiles (reads work on a
                # read-only file, and open new connections)
                with contextlib.suppress(DatabaseUnavailable):
                    hall.queue.service_statuses()
        except BaseException:
            hall.close()
            raise
    try:
        # Writable again: the next tap works, same process, no restart.
        assert hall.queue.issue("A").number == "A001"
        assert hall.queue.issue("A").number == "A002"
    finally:
        hall.close()
