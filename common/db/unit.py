"""One unit of work per user action: one write transaction, one "now", and the log rows it owes.

Adapted from cosmicpython's unit of work (STYLE.md habits 4 and 14) to SQLAlchemy 2.x and to
the hall. Every service that changes data does it like this::

    with UnitOfWork(db, clock, tz=settings.hall.tz) as uow:
        ticket = uow.session.get(Ticket, ticket_id)          # ORM or Core, as the job needs
        ticket.status = TicketStatus.FINISHED
        uow.event(EventKind.FINISHED, ticket_id=ticket.id, number=ticket.number)
        uow.audit(actor, "finish", ticket.number, window=3)
        uow.outbox("case.accepted", {"case": ...}, aggregate="case:42")   # the case engine, next
    # committed here; on any exception nothing at all was written

* ``uow.session`` is the write session of :meth:`HallDatabase.write` (``BEGIN IMMEDIATE`` on
  SQLite, so the write lock is taken up front).
* ``uow.now`` is read once from the injected :class:`~common.clock.Clock` (the first time it is
  used) and stamps everything the unit writes; ``uow.day`` is the hall's calendar day of it.
* ``event`` / ``audit`` / ``outbox`` only collect. The rows are written when the ``with`` block
  ends without an exception, just before the commit, in that order and one ``executemany``
  each (so event ids follow the order of the actions). A refusal raised inside the block rolls
  everything back, the log rows with it. When a refusal must itself be audited (a failed
  login), the service leaves the block first and raises afterwards.
* Queue events are the stream that counters and displays follow (``common.queue.events``); on
  PostgreSQL a trigger (migration 0002) sends a NOTIFY per event, delivered at commit, so a
  display never wakes for a change it cannot yet see.
* Outbox rows (the case half's sync, DESIGN.md "Outbox") have no table yet: the collection point
  is here, the writer is pluggable (``outbox_writer=``), and a unit that collects outbox rows
  without a writer refuses to commit rather than lose them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from common.clock import Clock
from common.db.engine import HallDatabase
from common.db.models import AuditLog, QueueEvent

__all__ = ["OutboxMessage", "OutboxWriter", "UnitOfWork", "no_outbox_writer"]

_INSERT_EVENTS = insert(cast(Table, QueueEvent.__table__))
_INSERT_AUDIT = insert(cast(Table, AuditLog.__table__))


@dataclass(frozen=True)
class OutboxMessage:
    """A change the central server must hear about, written in the same transaction as the change.

    ``key`` is the idempotency key the server deduplicates on; ``aggregate`` names what the
    message belongs to (``"case:42"``), so a writer can number messages per aggregate.
    """

    event_type: str
    payload: Mapping[str, Any]
    at: dt.datetime
    aggregate: str = ""
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    # The message's place in its aggregate's order, when the caller already knows it (the case
    # engine keeps a counter on the case row); None lets the writer take the next one.
    seq: int | None = None


OutboxWriter = Callable[[Session, Sequence[OutboxMessage]], None]


def no_outbox_writer(session: Session, messages: Sequence[OutboxMessage]) -> None:
    """The default writer: there is no outbox table yet, so collecting a message is a bug."""
    raise RuntimeError(
        f"{len(messages)} outbox message(s) but no outbox writer; "
        "pass UnitOfWork(outbox_writer=...)"
    )


def _params(rows: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    # One row is executed as one statement: the driver's executemany path (a pipeline on
    # psycopg) costs more than the row itself.
    return rows[0] if len(rows) == 1 else rows


class _RolledBack(Exception):
    """Raised into the transaction to end a ``rollback=True`` unit without committing."""


class UnitOfWork:
    """One write transaction with its clock reading and the event, audit and outbox rows it owes.

    Use it as a context manager (see the module docstring). Not reusable and not thread-safe:
    one unit per user action, on one thread, like the session inside it.
    """

    def __init__(
        self,
        db: HallDatabase,
        clock: Clock,
        *,
        tz: dt.tzinfo | None = None,
        outbox_writer: OutboxWriter = no_outbox_writer,
        rollback: bool = False,
    ) -> None:
        self.db = db
        # Do everything, write the collected rows too, then roll back: a warm-up or a what-if
        # that exercises every statement of an action without changing anything.
        self.rollback = rollback
        self.clock = clock
        self.tz = tz
        self.outbox_writer = outbox_writer
        self.events: list[dict[str, Any]] = []
        self.audit_rows: list[dict[str, Any]] = []
        self.outbox_messages: list[OutboxMessage] = []
        self._now: dt.datetime | None = None
        self._session: Session | None = None
        self._stack: contextlib.ExitStack | None = None

    # ------------------------------------------------------------------ the transaction

    def __enter__(self) -> UnitOfWork:
        if self._stack is not None:
            raise RuntimeError("a UnitOfWork is used once")
        stack = contextlib.ExitStack()
        self._session = stack.enter_context(self.db.write())
        self._stack = stack
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Returns None: a unit of work never swallows an exception (mypy relies on that).
        assert self._stack is not None, "UnitOfWork used without 'with'"
        try:
            if exc_type is None:
                try:
                    self._write_collected()
                    if self.rollback:
                        raise _RolledBack
                except _RolledBack as done:
                    self._stack.__exit__(_RolledBack, done, done.__traceback__)
                    return
                except BaseException:
                    # Roll back (and translate a lost connection) as an error in the block would.
                    self._stack.__exit__(*sys.exc_info())
                    raise
            self._stack.__exit__(exc_type, exc, tb)
        finally:
            self._session = None  # the session is closed; using it after the block is a bug

    @property
    def session(self) -> Session:
        """The write session (only inside the ``with`` block)."""
        if self._session is None:
            raise RuntimeError("UnitOfWork.session is only available inside 'with'")
        return self._session

    @property
    def now(self) -> dt.datetime:
        """The unit's one reading of the clock, taken on first use."""
        if self._now is None:
            self._now = self.clock.now(self.db, self.session)
        return self._now

    @property
    def day(self) -> dt.date:
        """The hall's calendar day at :attr:`now` (needs ``tz``: the hall's zone, not this PC's)."""
        if self.tz is None:
            raise RuntimeError("UnitOfWork.day needs the hall's time zone (tz=settings.hall.tz)")
        return self.now.astimezone(self.tz).date()

    # ------------------------------------------------------------------ what the unit owes

    def event(
        self,
        kind: str,
        *,
        ticket_id: int | None = None,
        number: str = "",
        service_prefix: str = "",
        window_number: int | None = None,
        **data: Any,
    ) -> None:
        """A queue event (``kind`` is a :class:`~common.db.models.EventKind`), stamped now."""
        self.events.append(
            {
                "at": self.now,
                "hall_day": self.day,
                "kind": str(kind),
                "ticket_id": ticket_id,
                "number": number,
                "service_prefix": service_prefix,
                "window_number": window_number,
                "data": data,
            }
        )

    def audit(self, actor: str, action: str, target: str = "", **detail: Any) -> None:
        """An audit row: who (``"system"`` when nobody is logged in) did what to what."""
        self.audit_rows.append(
            {
                "at": self.now,
                "actor": (actor or "system")[:64],
                "action": action,
                "target": target[:64],
                "detail": detail,
            }
        )

    def outbox(
        self,
        event_type: str,
        payload: Mapping[str, Any],
        *,
        aggregate: str = "",
        seq: int | None = None,
    ) -> OutboxMessage:
        """A message for the central server, sent after the commit by the sync worker."""
        message = OutboxMessage(event_type, dict(payload), self.now, aggregate, seq=seq)
        self.outbox_messages.append(message)
        return message

    def _write_collected(self) -> None:
        # Core inserts, one executemany each, not ORM objects: they come with every action and
        # need no identity map.
        s = self.session
        if self.events:
            s.execute(_INSERT_EVENTS, _params(self.events))
        if self.audit_rows:
            s.execute(_INSERT_AUDIT, _params(self.audit_rows))
        if self.outbox_messages:
            self.outbox_writer(s, list(self.outbox_messages))
