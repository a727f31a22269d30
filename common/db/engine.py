"""Engine and session factories for the hall database (SQLite file or PostgreSQL).

No engine is created at import time: each app's ``main()`` calls :func:`make_engine` once and
passes the :class:`HallDatabase` into whatever needs it (STYLE.md habits 4 and 5).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["DatabaseUnavailable", "HallDatabase", "make_engine", "open_database"]


class DatabaseUnavailable(Exception):
    """The hall database cannot be reached right now (file locked too long, server down).

    Callers show a banner and retry; nothing was written.
    """

    message_zh = "数据库暂时无法连接，请稍候"

    def __init__(self, detail: str) -> None:
        super().__init__(f"hall database unavailable: {detail}")
        self.detail = detail


def make_engine(url: str, *, echo: bool = False, pool_size: int = 5) -> Engine:
    """An engine with the pragmas and options each backend needs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            # A folder that cannot be made is reported on first use as DatabaseUnavailable.
            with contextlib.suppress(OSError):
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            # Several threads (GUI + workers) each take their own connection from the pool.
            connect_args={"check_same_thread": False, "timeout": 15},
        )
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(
            parsed,
            echo=echo,
            pool_size=pool_size,
            pool_pre_ping=True,  # a server restart must not leave dead connections in the pool
            connect_args={"connect_timeout": 5},
        )
    raise ValueError(f"unsupported database URL: {parsed.get_backend_name()}")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (the module's
        # own implicit BEGIN would defeat BEGIN IMMEDIATE below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the kiosk's writes
        cursor.execute("PRAGMA busy_timeout=15000")  # wait for the write lock, don't fail
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL is durable across app crashes
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Write units take the write lock up front: a deferred transaction that later upgrades
        # to a writer can fail with SQLITE_BUSY without waiting, and would let two kiosks read
        # the same counter value.
        if conn.get_execution_options().get("hall_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


@dataclass
class HallDatabase:
    """An engine plus the two session factories the apps use.

    ``write()`` is for one user action that changes data (one unit of work, committed at the
    end); ``read()`` for queries. Both translate "cannot connect" into
    :class:`DatabaseUnavailable`.
    """

    engine: Engine

    def __post_init__(self) -> None:
        url = self.engine.url
        database = url.database or ""
        # A SQLite hall database is a file: if it is deleted or moved while the apps run, SQLite
        # would carry on in the unlinked file and everything done from then on would be lost.
        self.sqlite_path: Path | None = (
            Path(database) if url.get_backend_name() == "sqlite" and database not in ("", ":memory:") else None
        )
        self._write = sessionmaker(
            bind=self.engine.execution_options(hall_write=True), expire_on_commit=False
        )
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        self._check_file()
        with _translate_errors(), self._write() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        self._check_file()
        with _translate_errors(), self._read() as session, session.begin():
            yield session

    def _check_file(self) -> None:
        # One stat() per unit of work (microseconds) against losing a day's queue silently.
        if self.sqlite_path is not None and not self.sqlite_path.is_file():
            raise DatabaseUnavailable(f"the database file {self.sqlite_path} is missing")

    def now(self, session: Session) -> dt.datetime:
        """The hall's clock: the database server's on PostgreSQL, this PC's on SQLite.

        On PostgreSQL every PC asks the one server, so kiosks with wrong clocks still agree on
        the hall day; a SQLite file is only ever used from one PC, whose clock is the truth.
        """
        if self.is_postgresql:
            value = session.execute(text("SELECT now()")).scalar_one()
            assert isinstance(value, dt.datetime)
            return value
        return dt.datetime.now(dt.UTC)

    def dispose(self) -> None:
        self.engine.dispose()


@contextlib.contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        if _is_connection_problem(exc):
            raise DatabaseUnavailable(str(exc.orig).strip().splitlines()[0]) from exc
        raise
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise DatabaseUnavailable("connection lost") from exc
        raise


def _is_connection_problem(exc: OperationalError) -> bool:
    message = str(exc.orig).lower()
    markers = (
        "could not connect",
        "connection refused",
        "server closed the connection",
        "terminating connection",
        "connection timeout",
        "timeout expired",
        "unable to open database",
        "readonly database",
        "database is locked",
        "disk i/o error",
        "no such host",
        "connection is closed",
        "consuming input failed",
        "the database system is",
    )
    return exc.connection_invalidated or any(m in message for m in markers)


def open_database(url: str, *, echo: bool = False) -> HallDatabase:
    """Convenience: engine + factories."""
    return HallDatabase(make_engine(url, echo=echo))
