"""Hall file faults found by an outside check (issue 15): a message and exit 2, never a write.

Damaged files (random bytes; a valid SQLite header over random pages), a read-only file or
folder, a file that cannot be opened, and a zero-length file. ``onewindow issue`` is run as a
separate process, as an admin would; the apps' start-up goes through ``open_hall`` and stops on
``START_ERRORS`` (counter and display exit 2 with the message; the kiosk starts with its banner).
Files and folders are SQLite's alone: PostgreSQL has no file to damage here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from common.bootstrap import DatabaseMissing, open_hall
from common.db.engine import DatabaseDamaged, DatabaseUnavailable
from tests.common.db.faults import digest, read_only, siblings

ROOT = Path(__file__).resolve().parents[3]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _config(folder: Path) -> Path:
    cfg = folder / "hall.toml"
    cfg.write_text(
        'hours = [["00:00", "23:59:59.999999"]]\n'
        f'[database]\nurl = "sqlite:///{(folder / "db" / "hall.db").as_posix()}"\n'
        "[calendar]\nopen_weekdays = [0, 1, 2, 3, 4, 5, 6]\n",
        encoding="utf-8",
    )
    return cfg


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded hall file to copy from (made once: migrations take a second)."""
    folder = tmp_path_factory.mktemp("seed")
    hall = open_hall(_config(folder), migrate=True)
    hall.queue.sync_from_settings()
    hall.close()
    return folder / "db" / "hall.db"


def _run_cli(cfg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "common.cli", "--config", str(cfg), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def _random_bytes(path: Path, good: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _header_over_random_pages(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes()[:100] + os.urandom(64 * 1024 - 100))


def _copy(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)


Fault = Callable[[Path, Path], None]

DAMAGED: dict[str, Fault] = {
    "random bytes": _random_bytes,
    "header over random pages": _header_over_random_pages,
}


@pytest.fixture
def hall_file(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    cfg = _config(tmp_path)
    (tmp_path / "db").mkdir()
    yield cfg, tmp_path / "db" / "hall.db"


def _assert_refused(done: subprocess.CompletedProcess[str], *english: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "sqlalchemy" not in done.stderr.lower()
    message = done.stderr.strip().splitlines()[-1]
    assert CJK.search(message) and " / " in message, message  # Chinese, then English
    assert any(word in message for word in english), message


@pytest.mark.parametrize("fault", list(DAMAGED))
def test_damaged_file(fault: str, hall_file: tuple[Path, Path], seeded: Path) -> None:
    cfg, path = hall_file
    DAMAGED[fault](path, seeded)
    before = digest(path)
    _assert_refused(_run_cli(cfg, "issue"), "damaged")
    with pytest.raises(DatabaseDamaged) as err:
        open_hall(cfg)
    assert "备份" in err.value.message_zh  # restore from a backup
    assert digest(path) == before
    assert siblings(path) == {"hall.db"}


@pytest.mark.parametrize("where", ["file", "folder", "file and folder"])
def test_read_only(where: str, hall_file: tuple[Path, Path], seeded: Path) -> None:
    cfg, path = hall_file
    _copy(path, seeded)
    before = digest(path)
    targets = {"file": [path], "folder": [path.parent], "file and folder": [path, path.parent]}[
        where
    ]
    with read_only(targets[0]), read_only(targets[-1]):
        _assert_refused(_run_cli(cfg, "issue"), "readonly", "unable to open")
        try:
            hall = open_hall(cfg)  # reading may work (the kiosk then starts with its banner) ...
        except DatabaseUnavailable:
            pass
        else:
            with pytest.raises(DatabaseUnavailable):  # ... but a write is refused, typed
                hall.queue.issue("A")
            hall.close()
    assert digest(path) == before


def test_file_that_cannot_be_opened(hall_file: tuple[Path, Path], seeded: Path) -> None:
    # The -shm index cannot be made (a folder sits where it goes): SQLite cannot open the
    # file for writing, whoever runs the program.
    cfg, path = hall_file
    _copy(path, seeded)
    (path.parent / "hall.db-shm").mkdir()
    before = digest(path)
    _assert_refused(_run_cli(cfg, "issue"), "readonly", "unable to open")
    assert digest(path) == before


def test_zero_length_file_is_refused_without_writing(hall_file: tuple[Path, Path]) -> None:
    cfg, path = hall_file
    path.touch()
    done = _run_cli(cfg, "issue")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "0 字节" in done.stderr and "empty" in done.stderr
    with pytest.raises(DatabaseMissing):
        open_hall(cfg)
    assert path.stat().st_size == 0
    assert siblings(path) == {"hall.db"}  # no -wal, -shm or -journal either
    # Creating a new hall there on purpose still works.
    assert _run_cli(cfg, "db", "upgrade").returncode == 0
    assert path.stat().st_size > 0


def test_hall_path_is_a_folder(hall_file: tuple[Path, Path]) -> None:
    cfg, path = hall_file
    path.mkdir()
    _assert_refused(_run_cli(cfg, "issue"), "no hall database")
    assert path.is_dir() and not any(path.iterdir())


@pytest.mark.parametrize("fault", list(DAMAGED))
def test_apps_start_up_says_it_in_both_languages(
    fault: str, hall_file: tuple[Path, Path], seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from common.qt.app import open_hall_or_explain
    from kiosk.app import _open_hall

    cfg, path = hall_file
    DAMAGED[fault](path, seeded)
    before = digest(path)
    # Counter and display: no window, the message on stderr (their main() then returns 2).
    assert open_hall_or_explain(cfg, logging.getLogger("test"), dialog=False) is None
    message = capsys.readouterr().err.strip()
    assert "损坏" in message and "damaged" in message and "Traceback" not in message
    # The kiosk starts with its banner when the database is away, but not on a damaged file.
    from common.config import load_settings

    with pytest.raises(DatabaseDamaged):
        _open_hall(load_settings(cfg))
    assert digest(path) == before


def test_postgresql_server_down_at_start(tmp_path: Path) -> None:
    # The same start-up path on PostgreSQL: nothing listens on port 1, refused at once.
    cfg = tmp_path / "hall.toml"
    cfg.write_text(
        'hours = [["00:00", "23:59:59.999999"]]\n'
        '[database]\nurl = "postgresql://u:p@127.0.0.1:1/none"\n'
        "[calendar]\nopen_weekdays = [0, 1, 2, 3, 4, 5, 6]\n",
        encoding="utf-8",
    )
    _assert_refused(_run_cli(cfg, "issue"), "unavailable")
    with pytest.raises(DatabaseUnavailable):
        open_hall(cfg)
