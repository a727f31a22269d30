"""Suite-wide fixtures. Qt must be told to run offscreen before anything imports it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
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
        engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
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
