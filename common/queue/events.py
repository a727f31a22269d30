"""Follow the queue event stream without Qt: poll after the last seen id, wake on NOTIFY.

Displays and counters learn about calls, issues and pauses by reading ``queue_event`` rows with
an id above the last one they saw (DESIGN.md "Data flow"). :class:`QueueEventFollower` does that
on one background thread and hands each batch to its listeners as immutable
:class:`QueueEventRecord` values:

* on SQLite it polls every ``poll_interval`` seconds (an indexed primary-key range scan, cheap);
* on PostgreSQL it also holds a dedicated autocommit connection that ``LISTEN``s on
  :data:`~common.queue.service.NOTIFY_CHANNEL`, so a commit wakes it at once; the poll remains
  as a safety net should a notification be lost while reconnecting.

Listeners run on the follower's thread. Qt code must not touch widgets there: it goes through
``common.qt.queue_events.QueueEventBridge``, which re-emits batches as queued signals.

If the database becomes unreachable the follower reports ``connected=False`` once, backs off, and
keeps trying; the last id is kept, so nothing is missed when it comes back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from common.db.engine import DatabaseUnavailable
from common.db.models import EventKind
from common.queue.service import NOTIFY_CHANNEL, QueueService

__all__ = [
    "CALL_KINDS",
    "COUNT_KINDS",
    "EventListener",
    "QueueEventFollower",
    "QueueEventRecord",
]

log = logging.getLogger(__name__)

# Kinds that change how many people wait for a service (displays refresh counts on these).
COUNT_KINDS: frozenset[EventKind] = frozenset(
    {
        EventKind.ISSUED,
        EventKind.CALLED,
        EventKind.REQUEUED,
        EventKind.TRANSFERRED,
        EventKind.NO_SHOW,
        EventKind.FINISHED,
        EventKind.PAUSED,
        EventKind.RESUMED,
    }
)
# Kinds that are announced on the hall display.
CALL_KINDS: frozenset[EventKind] = frozenset({EventKind.CALLED, EventKind.RECALLED})


@dataclass(frozen=True)
class QueueEventRecord:
    """One row of the queue event stream, detached from any session and safe to share."""

    id: int
    at: dt.datetime
    hall_day: dt.date
    kind: str
    number: str
    service_prefix: str
    window_number: int | None
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_row(cls, row: Any) -> QueueEventRecord:
        return cls(
            id=int(row.id),
            at=row.at,
            hall_day=row.hall_day,
            kind=_kind(str(row.kind)),
            number=str(row.number or ""),
            service_prefix=str(row.service_prefix or ""),
            window_number=row.window_number,
            data=dict(row.data or {}),
        )


def _kind(value: str) -> str:
    # An EventKind when this version knows the kind (compares equal to its string either way);
    # a kind written by a newer version stays a plain string and is passed on untouched.
    try:
        return EventKind(value)
    except ValueError:
        return value


class EventListener(Protocol):
    """What a follower calls (on its own thread)."""

    def events(self, batch: Sequence[QueueEventRecord]) -> None: ...

    def connection(self, connected: bool, message: str) -> None: ...


@dataclass
class _Callbacks:
    on_events: Callable[[Sequence[QueueEventRecord]], None]
    on_connection: Callable[[bool, str], None] | None = None

    def events(self, batch: Sequence[QueueEventRecord]) -> None:
        self.on_events(batch)

    def connection(self, connected: bool, message: str) -> None:
        if self.on_connection is not None:
            self.on_connection(connected, message)


class QueueEventFollower:
    """Reads new queue events in id order and hands them to listeners, on one thread.

    ``start_after`` is the last id already known (``None``: start at the current end of the
    stream, i.e. only new events). ``poll_once()`` does one synchronous round, for tests and
    for callers that drive it themselves.
    """

    def __init__(
        self,
        queue: QueueService,
        *,
        start_after: int | None = None,
        poll_interval: float = 0.25,
        listen_poll_interval: float = 2.0,
        batch_size: int = 500,
        listen: bool = True,
        max_backoff: float = 10.0,
    ) -> None:
        self.queue = queue
        self.last_id = start_after
        self.poll_interval = poll_interval
        self.listen_poll_interval = listen_poll_interval
        self.batch_size = batch_size
        self.listen = listen and queue.db.is_postgresql
        self.max_backoff = max_backoff
        self.connected = True
        self._listeners: list[EventListener] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pg: Any = None  # psycopg.Connection while LISTENing

    # ------------------------------------------------------------------ listeners

    def add_listener(self, listener: EventListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def add_callbacks(
        self,
        on_events: Callable[[Sequence[QueueEventRecord]], None],
        on_connection: Callable[[bool, str], None] | None = None,
    ) -> EventListener:
        listener = _Callbacks(on_events, on_connection)
        self.add_listener(listener)
        return listener

    def remove_listener(self, listener: EventListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _snapshot(self) -> list[EventListener]:
        with self._lock:
            return list(self._listeners)

    # ------------------------------------------------------------------ one round

    def poll_once(self) -> list[QueueEventRecord]:
        """Fetch everything after the last id (in batches), deliver it, and return it.

        Raises :class:`DatabaseUnavailable` (or a SQLAlchemy error) when the database cannot
        be read; the last id is unchanged then, so the next round picks up where this failed.
        """
        if self.last_id is None:
            self.last_id = self.queue.last_event_id()
        delivered: list[QueueEventRecord] = []
        while True:
            rows = self.queue.events_after(self.last_id, self.batch_size)
            if not rows:
                break
            batch = [QueueEventRecord.from_row(r) for r in rows]
            self.last_id = batch[-1].id
            for listener in self._snapshot():
                try:
                    listener.events(batch)
                except Exception:  # one bad listener must not stop the stream for the others
                    log.exception("queue event listener failed")
            delivered.extend(batch)
            if len(rows) < self.batch_size:
                break
        return delivered

    def _set_connected(self, connected: bool, message: str = "") -> None:
        if connected == self.connected:
            return
        self.connected = connected
        if connected:
            log.info("hall database reachable again")
        else:
            log.warning("hall database unreachable: %s", message)
        for listener in self._snapshot():
            try:
                listener.connection(connected, message)
            except Exception:
                log.exception("queue event listener failed")

    # ------------------------------------------------------------------ thread

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.is_running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="queue-events", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and close the LISTEN connection; waits up to ``timeout`` seconds."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.error("queue event follower did not stop within %.1f s", timeout)
        self._close_listen()

    def wake(self) -> None:
        """Poll now instead of at the next interval (e.g. right after this PC wrote)."""
        self._wake.set()

    def _run(self) -> None:
        backoff = 0.0
        while not self._stop.is_set():
            try:
                if self.listen and self._pg is None:
                    self._open_listen()
                self.poll_once()
            except (DatabaseUnavailable, SQLAlchemyError, OSError) as exc:
                self._close_listen()
                self._set_connected(False, _short(exc))
                backoff = min(self.max_backoff, max(0.5, backoff * 2))
                self._stop.wait(backoff)
                continue
            except Exception as exc:  # psycopg errors from LISTEN, unexpected bugs: keep following
                log.exception("queue event follower error")
                self._close_listen()
                self._set_connected(False, _short(exc))
                backoff = min(self.max_backoff, max(0.5, backoff * 2))
                self._stop.wait(backoff)
                continue
            backoff = 0.0
            self._set_connected(True)
            self._wait()

    def _wait(self) -> None:
        if self._pg is None:
            self._wake.wait(self.poll_interval)
            self._wake.clear()
            return
        # Blocks until a NOTIFY arrives or the safety-poll interval passes; a stop request is
        # seen within `step` seconds because psycopg cannot be interrupted from another thread.
        deadline = time.monotonic() + self.listen_poll_interval
        step = min(0.5, self.listen_poll_interval)
        while not self._stop.is_set() and not self._wake.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            got = False
            for _notify in self._pg.notifies(timeout=min(step, remaining), stop_after=1):
                got = True
            if got:
                # Drain whatever else arrived meanwhile: one poll reads them all.
                for _notify in self._pg.notifies(timeout=0.0):
                    pass
                break
        self._wake.clear()

    def _open_listen(self) -> None:
        import psycopg  # only on PostgreSQL; SQLite-only halls need not load it

        url = self.queue.db.engine.url.set(drivername="postgresql")
        conn = psycopg.connect(
            url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5
        )
        conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        self._pg = conn

    def _close_listen(self) -> None:
        conn, self._pg = self._pg, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
