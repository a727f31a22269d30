"""Suite-wide fixtures. Qt must be told to run offscreen before anything imports it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# --------------------------------------------------------------------------- dangling threads
#
# napari's check, for every test package: a test that leaves a Python thread, a QThread or a
# thread-pool worker running fails, so a listener or a print worker that is never stopped is
# found by the test that started it, not by a hang three files later.

# Threads that may outlive a test, by name prefix, each with the reason. Empty: on 2026-11-29
# every test package (common, qt, kiosk, counter, display) stops what it starts. Threads that
# were running before the test (pytest-timeout's timer on Windows, a session fixture's) are
# never counted, and foreign threads are judged by Qt's counts (see _new_python_threads).
ALLOWED_THREADS: dict[str, str] = {}
THREAD_GRACE_S = 2.0  # a stop() that was called may take a moment to be seen by the thread

_started_qthreads: weakref.WeakSet[Any] = weakref.WeakSet()
_used_pools: weakref.WeakSet[Any] = weakref.WeakSet()
_qt_tracking = False


def _track_qt_threads() -> None:
    """Record every QThread started and every QThreadPool given work, once Qt is loaded.

    Never imports Qt itself: a tests/common run stays Qt-free. Test modules that use Qt import
    it at collection, before the first test, so tracking starts before their first thread.
    """
    global _qt_tracking
    qtcore = sys.modules.get("PySide6.QtCore")
    if _qt_tracking or qtcore is None:
        return
    _qt_tracking = True
    qthread, pool = qtcore.QThread, qtcore.QThreadPool

    def start_thread(self: Any, *args: Any, _start: Any = qthread.start, **kwargs: Any) -> None:
        _started_qthreads.add(self)
        _start(self, *args, **kwargs)

    def pool_method(name: str) -> Any:
        original = getattr(pool, name)

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            _used_pools.add(self)
            return original(self, *args, **kwargs)

        return wrapper

    qthread.start = start_thread
    for name in ("start", "tryStart"):
        setattr(pool, name, pool_method(name))


def _running_qt_workers() -> list[str]:
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is None:
        return []
    from shiboken6 import isValid  # Qt is loaded already, so this is free

    found = [
        f"QThread {type(t).__name__} {t.objectName()!r}"
        for t in list(_started_qthreads)
        if isValid(t) and t.isRunning()
    ]
    pools = {*list(_used_pools), qtcore.QThreadPool.globalInstance()}
    found += [
        f"QThreadPool {p.objectName()!r} with {p.activeThreadCount()} active worker(s)"
        for p in pools
        if isValid(p) and p.activeThreadCount() > 0
    ]
    return found


def _new_python_threads(before: set[int]) -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        # A _DummyThread is a foreign (Qt) thread that once ran Python: it never leaves
        # threading's table, so it is judged through Qt's own counts above instead.
        if t.ident not in before
        and t.is_alive()
        and not isinstance(t, threading._DummyThread)
        and not t.name.startswith(tuple(ALLOWED_THREADS))
    ]


@pytest.fixture(autouse=True)
def _no_dangling_threads() -> Iterator[None]:
    """Fail the test if it leaves a thread, a QThread or a pool worker running."""
    _track_qt_threads()
    before = {t.ident for t in threading.enumerate() if t.ident is not None}
    yield
    _track_qt_threads()
    deadline = time.monotonic() + THREAD_GRACE_S
    for t in _new_python_threads(before):
        t.join(max(0.0, deadline - time.monotonic()))
    while True:
        left = [f"thread {t.name!r}" for t in _new_python_threads(before)] + _running_qt_workers()
        if not left:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"test left running: {', '.join(left)}", pytrace=False)
        time.sleep(0.01)


@pytest.fixture(autouse=True)
def _only_a_widget_application() -> Iterator[None]:
    """Fail the test that leaves a Qt application other than a QApplication behind.

    The suite has one Qt application for its whole life (pytest-qt's ``qapp``); a test that
    made its own QCoreApplication or QGuiApplication would have every later widget test abort
    the run ("Fatal Python error: Aborted" in QWidget's constructor), far from the cause.
    """
    yield
    widgets = sys.modules.get("PySide6.QtWidgets")
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is None:
        return
    app = qtcore.QCoreApplication.instance()
    if app is not None and (widgets is None or not isinstance(app, widgets.QApplication)):
        pytest.fail(
            f"test made a {type(app).__name__}; use pytest-qt's qapp (a QApplication)",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own data folder and no hall.toml, so nothing touches the user's files."""
    base = tmp_path_factory.mktemp("ow")
    monkeypatch.setenv("ONEWINDOW_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("ONEWINDOW_CONFIG", str(base / "missing-hall.toml"))
    yield base


# --------------------------------------------------------------------------- hall databases
#
# `hall` is a migrated, seeded hall on a real SQLite file; `any_hall` runs the same test on
# SQLite and on a real PostgreSQL server (each test in its own schema). PostgreSQL comes from
# $ONEWINDOW_TEST_PG_URL (the README's test command starts one and sets it). Without it the
# PostgreSQL cases are skipped, unless $ONEWINDOW_REQUIRE_PG=1 (CI), where that is a failure.

import datetime as _dt  # noqa: E402
import uuid  # noqa: E402

from sqlalchemy import create_engine, text  # noqa: E402

from common.config import Settings, settings_from_dict  # noqa: E402
from common.db.engine import HallDatabase, make_engine  # noqa: E402
from common.db.migrate import upgrade  # noqa: E402
from common.queue.service import FixedClock, QueueService  # noqa: E402

HALL_TZ = _dt.timezone(_dt.timedelta(hours=8))
# A Monday, mid-morning, hall time.
MONDAY_9AM = _dt.datetime(2026, 11, 23, 9, 0, tzinfo=HALL_TZ)

ALWAYS_OPEN = {
    "hours": [["00:00", "23:59:59.999999"]],
    "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
    "hall": {"secret": "test-secret-not-for-production"},
}


def make_settings(**overrides: object) -> Settings:
    """Demo settings, always open, with a fixed secret; keys in overrides replace sections."""
    data: dict[str, object] = {**ALWAYS_OPEN, **overrides}
    return settings_from_dict(data)


def pg_url() -> str | None:
    return os.environ.get("ONEWINDOW_TEST_PG_URL") or None


def _pg_or_skip() -> str:
    url = pg_url()
    if url is None:
        if os.environ.get("ONEWINDOW_REQUIRE_PG") == "1":
            pytest.fail("ONEWINDOW_REQUIRE_PG=1 but ONEWINDOW_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL (set ONEWINDOW_TEST_PG_URL)")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'hall.db').as_posix()}"


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A fresh schema on the test server; the URL selects it through search_path."""
    base = _pg_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"

    def admin(sql: str) -> None:
        # A new engine each time: a test may have killed our other connections on purpose.
        engine = create_engine(
            base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as c:
            c.execute(text(sql))
        engine.dispose()

    admin(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    # application_name lets a test find (and kill) only its own connections. Commits are not
    # waited for on disk (synchronous_commit=off): tests kill clients, not the server, and the
    # suite must stay fast on 2 cores. The benchmark measures the durable default.
    yield (
        f"{base}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
        f"&application_name={schema}"
    )
    admin(f'DROP SCHEMA "{schema}" CASCADE')


def _open(url: str) -> HallDatabase:
    db = HallDatabase(make_engine(url, pool_size=20))
    upgrade(db.engine)
    return db


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_9AM)


@pytest.fixture
def hall_db(sqlite_url: str) -> Iterator[HallDatabase]:
    db = _open(sqlite_url)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_hall_db(request: pytest.FixtureRequest) -> Iterator[HallDatabase]:
    if request.param == "sqlite":
        url = request.getfixturevalue("sqlite_url")
    else:
        url = request.getfixturevalue("pg_schema_url")
    db = _open(url)
    yield db
    db.dispose()


@pytest.fixture
def pg_hall_db(pg_schema_url: str) -> Iterator[HallDatabase]:
    """A migrated hall database on PostgreSQL only (for PostgreSQL-specific behaviour)."""
    db = _open(pg_schema_url)
    yield db
    db.dispose()


@pytest.fixture
def hall(hall_db: HallDatabase, settings: Settings, clock: FixedClock) -> QueueService:
    """A seeded queue on a SQLite file with a fixed clock (Monday 09:00 hall time)."""
    queue = QueueService(hall_db, settings, clock)
    queue.sync_from_settings()
    return queue


@pytest.fixture
def any_hall(any_hall_db: HallDatabase, settings: Settings, clock: FixedClock) -> QueueService:
    """As `hall`, on SQLite and on PostgreSQL."""
    queue = QueueService(any_hall_db, settings, clock)
    queue.sync_from_settings()
    return queue
