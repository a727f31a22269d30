"""Engine and session factories for the hall database (SQLite file or PostgreSQL).

No engine is created at import time: each app's ``main()`` calls :func:`make_engine` once and
passes the :class:`HallDatabase` into whatever needs it (STYLE.md habits 4 and 5).

A SQLite hall database is a file that people copy, restore and lock down by hand, so the engine
guards the file as well as the connection (issue 15):

* every pooled connection remembers the identity (device and inode) of the file it opened; a
  connection whose path now names another file (deleted and restored from a backup) is dropped
  at checkout and a new one opens the file that is there now, so no process keeps writing into
  a file nobody else sees;
* once an engine has opened the hall file it never creates one again (``mode=rw``): a deleted
  file is reported, not silently replaced by an empty one;
* errors that a reopen can cure (read-only, cannot open, damaged) invalidate the pool, so a
  kiosk started on a read-only file recovers once the file is writable again;
* checkpoints of the write-ahead log run on a background thread, not at the end of a citizen's
  or a clerk's action (issue 9, docs/PERFORMANCE.md "SQLite checkpoints").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, InvalidatePoolError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "DatabaseDamaged",
    "DatabaseUnavailable",
    "FileIdentity",
    "HallDatabase",
    "file_identity",
    "make_engine",
    "open_database",
    "translate_errors",
]

log = logging.getLogger(__name__)

# (st_dev, st_ino). On Windows os.stat fills st_ino with the NTFS file index, so this works there.
FileIdentity = tuple[int, int]

# How often the background checkpointer looks for new WAL frames (seconds).
CHECKPOINT_INTERVAL = 1.0


class DatabaseUnavailable(Exception):
    """The hall database cannot be reached right now (file locked too long, server down).

    Callers show a banner and retry; nothing was written. ``message_zh`` says what is wrong in
    Chinese for a person; ``str(exc)`` / ``message_en`` in English with the technical detail.
    """

    message_zh = "数据库暂时无法连接，请稍候"

    def __init__(self, detail: str, *, message_zh: str | None = None) -> None:
        super().__init__(f"hall database unavailable: {detail}")
        self.detail = detail
        if message_zh is not None:
            self.message_zh = message_zh

    @property
    def message_en(self) -> str:
        return str(self)

    @property
    def bilingual(self) -> str:
        """Chinese, then English: what the CLI and a start-up dialog print."""
        return f"{self.message_zh} / {self.message_en}"


class DatabaseDamaged(DatabaseUnavailable):
    """The hall database file is not a readable SQLite database (corrupted, truncated, foreign).

    A subclass of :class:`DatabaseUnavailable` so every banner and retry path handles it; a
    restored file is picked up by the same reopen as any other replaced file.
    """

    message_zh = "数据库文件已损坏或不是一窗通数据库，请从备份恢复"

    def __init__(self, detail: str) -> None:
        Exception.__init__(self, f"hall database damaged: {detail}")
        self.detail = detail


def file_identity(path: Path) -> FileIdentity | None:
    """The (device, inode) of the file at ``path`` now, or ``None`` when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


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
        _configure_sqlite(engine, _FileState(_sqlite_file(database, parsed.query)))
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


def _sqlite_file(database: str, query: Any) -> Path | None:
    """The hall file behind a SQLite URL, or ``None`` for memory and URI databases."""
    if database in ("", ":memory:") or database.startswith("file:") or query.get("uri"):
        return None
    return Path(database).absolute()


@dataclass
class _FileState:
    """What the engine knows about its SQLite file, shared by the connection hooks."""

    path: Path | None
    opened: bool = False  # set once a connection has opened the file: never create it again
    autocheckpoint_off: bool = False  # set by a HallDatabase that runs the background checkpointer
    # Set when SQLite refused a write as read-only, cleared by the next committed write: until
    # then every unit gets a new connection, because one opened while the file was read-only
    # (by a read, which still works) stays read-only after the file is writable again.
    suspect: bool = False


# Engine -> its file state, read back by HallDatabase (engines are made by make_engine only).
_FILES: weakref.WeakKeyDictionary[Engine, _FileState] = weakref.WeakKeyDictionary()

_DISCONNECT_MARKERS = (
    "readonly database",
    "unable to open database",
    "disk i/o error",
    "file is not a database",
    "database disk image is malformed",
)


def _configure_sqlite(engine: Engine, state: _FileState) -> None:
    _FILES[engine] = state

    @event.listens_for(engine, "do_connect")
    def _do_connect(dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> Any:
        if state.path is None or not state.opened:
            return None  # the default connect: may create the file (a migration making a hall)
        # The hall file existed: if it has gone, fail instead of creating an empty one that
        # would look like a new hall ("mode=rw" opens an existing file only).
        params = {k: v for k, v in cparams.items() if k != "uri"}
        return dialect.loaded_dbapi.connect(f"{state.path.as_uri()}?mode=rw", uri=True, **params)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (the module's
        # own implicit BEGIN would defeat BEGIN IMMEDIATE below).
        dbapi_connection.isolation_level = None
        if state.path is not None and state.opened and _is_empty(state.path):
            # The hall file was emptied (a failed restore, a full disk): the pragmas below would
            # write a new empty database into it. Leave it as it is.
            dbapi_connection.close()
            # A sqlite3 error, as SQLite's own: SQLAlchemy wraps it and translate_errors reports it.
            raise sqlite3.DatabaseError("file is not a database: the hall file is empty (0 bytes)")
        cursor = dbapi_connection.cursor()
        try:
            # Read the schema before anything that can write: a damaged or foreign file fails
            # here with "file is not a database" / "malformed", and is left byte for byte as it was.
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the kiosk's writes
            cursor.execute("PRAGMA busy_timeout=15000")  # wait for the write lock, don't fail
            cursor.execute("PRAGMA foreign_keys=ON")
            # WAL + NORMAL: a commit is durable against an app crash; only a power cut can lose
            # the last commits, never corrupt the file (docs/DECISIONS.md).
            cursor.execute("PRAGMA synchronous=NORMAL")
            if state.autocheckpoint_off:
                # This process checkpoints on its own thread (HallDatabase._Checkpointer).
                cursor.execute("PRAGMA wal_autocheckpoint=0")
        finally:
            cursor.close()
        if state.path is not None:
            # Stat after open: the identity of the file this connection has open.
            record.info["hall_file"] = file_identity(state.path)
            record.info["fresh"] = True
            state.opened = True

    @event.listens_for(engine, "checkout")
    def _on_checkout(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if state.path is None:
            return
        fresh = record.info.pop("fresh", False)
        if state.suspect and not fresh:
            raise DisconnectionError("the hall database was read-only: open a new connection")
        opened = record.info.get("hall_file")
        now = file_identity(state.path)
        if opened is not None and now != opened:
            # The file at the path is not the one this connection has open (deleted and
            # restored, or moved away): drop every pooled connection; the pool opens the file
            # that is there now, or fails if there is none.
            log.warning("hall database file %s was replaced or removed; reopening it", state.path)
            raise InvalidatePoolError("the hall database file was replaced")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        # A connection opened while the file was read-only stays read-only for good; one
        # opened on a damaged file sees the old pages. Retrying on it never recovers: mark
        # these as disconnects so SQLAlchemy drops the pool and the next unit reopens.
        message = str(context.original_exception).lower()
        if any(m in message for m in _DISCONNECT_MARKERS):
            context.is_disconnect = True
        if "readonly" in message:
            state.suspect = True

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Write units take the write lock up front: a deferred transaction that later upgrades
        # to a writer can fail with SQLITE_BUSY without waiting, and would let two kiosks read
        # the same counter value.
        if conn.get_execution_options().get("hall_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _is_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


class _Checkpointer:
    """Checkpoints the WAL from a daemon thread, off the path of any user action (issue 9).

    SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages and
    fsyncs the log and the file there: one call in ~80 took 15-35 ms instead of 2. With
    ``wal_autocheckpoint=0`` on this process's connections, this thread runs a PASSIVE
    checkpoint (never waits for readers or writers) at most every ``interval`` seconds after a
    write, and once more when stopped. Every long-lived app has one; a short-lived CLI writes a
    few pages and its final checkpoint (and SQLite's own on the last close) keeps the log short.
    """

    def __init__(self, engine: Engine, interval: float) -> None:
        self.engine = engine
        self.interval = interval
        self.checkpoints = 0  # completed checkpoints, for tests and diagnostics
        self._dirty = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._thread_stop = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wrote(self) -> None:
        """A write unit committed: there are WAL frames to checkpoint."""
        self._dirty = True
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    # Each thread has its own stop flag: one still finishing a checkpoint after
                    # stop() gave up waiting for it cannot be revived by a later start.
                    self._thread_stop = threading.Event()
                    self._thread = threading.Thread(
                        target=self._run,
                        args=(self._thread_stop,),
                        name="hall-db-checkpointer",
                        daemon=True,
                    )
                    self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and checkpoint what is left. A later write starts a new thread."""
        with self._lock:
            self._thread_stop.set()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
        if self._dirty:
            self.checkpoint()

    def _run(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval):
            if self._dirty:
                self.checkpoint()

    def checkpoint(self) -> bool:
        """One PASSIVE checkpoint; ``True`` when every frame in the log reached the file."""
        self._dirty = False
        try:
            raw = self.engine.raw_connection()
        except (
            Exception
        ) as exc:  # the file is away: the units say so; try again after the next write
            log.debug("checkpoint skipped: %s", exc)
            return False
        try:
            connection: Any = raw.driver_connection
            busy, frames, done = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as exc:
            log.debug("checkpoint failed: %s", exc)
            self._dirty = True
            return False
        finally:
            raw.close()
        self.checkpoints += 1
        if busy or done < frames:
            self._dirty = True  # a reader held frames back (or another process was checkpointing)
        return not busy and done >= frames


@dataclass
class HallDatabase:
    """An engine plus the two session factories the apps use.

    ``write()`` is for one user action that changes data (one unit of work, committed at the
    end); ``read()`` for queries. Both translate "cannot connect" into
    :class:`DatabaseUnavailable`. On a SQLite file ``checkpoint_interval`` (seconds, ``None``
    for SQLite's own automatic checkpoints) runs WAL checkpoints on a background thread that
    :meth:`dispose` stops.
    """

    engine: Engine
    checkpoint_interval: float | None = CHECKPOINT_INTERVAL
    _checkpointer: _Checkpointer | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self._file = _FILES.get(self.engine) or _FileState(None)
        # A SQLite hall database is a file: if it is deleted or moved while the apps run, SQLite
        # would carry on in the unlinked file and everything done from then on would be lost.
        self.sqlite_path: Path | None = self._file.path
        if self.sqlite_path is not None and self.checkpoint_interval is not None:
            self._checkpointer = _Checkpointer(self.engine, self.checkpoint_interval)
            self._file.autocheckpoint_off = True
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
        with translate_errors(self.sqlite_path), self._write() as session, session.begin():
            yield session
        self._file.suspect = False  # a write went through: pooled connections can write again
        if self._checkpointer is not None:
            self._checkpointer.wrote()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        self._check_file()
        with translate_errors(self.sqlite_path), self._read() as session, session.begin():
            yield session

    def _check_file(self) -> None:
        # One stat() per unit of work (microseconds) against losing a day's queue silently.
        # Whether it is still the same file is checked per connection at checkout.
        if self.sqlite_path is None:
            return
        try:
            size = self.sqlite_path.stat().st_size
        except OSError:
            raise DatabaseUnavailable(
                f"the database file {self.sqlite_path} is missing",
                message_zh=f"找不到数据库文件 {self.sqlite_path}，请检查文件是否被移动或删除",
            ) from None
        if size == 0 and self._file.opened:
            # Truncated under us; a connection would write a new empty database into it.
            raise DatabaseDamaged(f"the database file {self.sqlite_path} is empty (0 bytes)")

    @property
    def checkpointer_running(self) -> bool:
        """Whether the background WAL checkpointer thread is alive (tests, diagnostics)."""
        return self._checkpointer is not None and self._checkpointer.running

    @property
    def checkpoints(self) -> int:
        """Checkpoints the background checkpointer has completed."""
        return 0 if self._checkpointer is None else self._checkpointer.checkpoints

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
        """Stop the checkpointer (after a last checkpoint) and close every pooled connection."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.engine.dispose()


@contextlib.contextmanager
def translate_errors(path: Path | None = None) -> Iterator[None]:
    """SQLAlchemy errors that mean "the hall database cannot be used now" → DatabaseUnavailable.

    Also used around start-up (``open_hall``), where a damaged file or a read-only folder must
    give the bilingual message, not a traceback.
    """
    try:
        yield
    except OperationalError as exc:
        if _is_connection_problem(exc):
            raise _unavailable(exc, path) from exc
        raise
    except DBAPIError as exc:
        message = str(exc.orig).lower()
        if "file is not a database" in message or "malformed" in message:
            where = f" ({path})" if path is not None else ""
            raise DatabaseDamaged(f"{_first_line(exc)}{where}") from exc
        if exc.connection_invalidated:
            raise DatabaseUnavailable("connection lost") from exc
        raise


def _first_line(exc: DBAPIError) -> str:
    return (
        str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
    )


def _unavailable(exc: OperationalError, path: Path | None) -> DatabaseUnavailable:
    detail = _first_line(exc)
    message = detail.lower()
    where = f" {path}" if path is not None else ""
    if "file is not a database" in message or "malformed" in message:
        return DatabaseDamaged(f"{detail}{(' (' + str(path) + ')') if path else ''}")
    if "readonly" in message or "read-only" in message:
        return DatabaseUnavailable(
            f"{detail}{(' (' + str(path) + ')') if path else ''}",
            message_zh=f"数据库文件{where}或其所在文件夹是只读的，无法写入，请检查权限",
        )
    if "unable to open" in message and path is not None:
        return DatabaseUnavailable(
            f"{detail} ({path})",
            message_zh=f"无法打开数据库文件{where}，请检查文件及其所在文件夹是否存在、是否可写",
        )
    return DatabaseUnavailable(detail)


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
        "file is not a database",
        "malformed",
    )
    return exc.connection_invalidated or any(m in message for m in markers)


def open_database(url: str, *, echo: bool = False) -> HallDatabase:
    """Convenience: engine + factories."""
    return HallDatabase(make_engine(url, echo=echo))
