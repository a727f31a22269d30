"""Draining the outbox to the central server: batches, per-case order, leases, parking.

One round (:meth:`OutboxDrainer.drain_once`) is three steps, and every step's outcome is in the
database, so a kill at any line is survivable (STYLE.md habit 14):

1. **Claim** (one short write transaction): the oldest ready rows — unsent, not parked, whose
   ``next_try_at`` has passed — up to the batch size, locked with ``FOR UPDATE SKIP LOCKED`` on
   PostgreSQL (SQLite's ``BEGIN IMMEDIATE`` serializes writers anyway). A case's rows are kept
   only from its first unsent row on, consecutively: seq n+1 never leaves before seq n has
   been answered (it may travel in the same batch; the server applies a batch in (case, seq)
   order). The kept rows get this drainer's ``claim`` token, ``attempts + 1`` and a lease:
   ``next_try_at = now + lease``. Another drainer on the same hall database skips them until
   the lease ends, so two drainers never send one row at the same time.
2. **Send** (no transaction open): one ``POST /events``; the HTTP client retries transient
   faults with the same keys.
3. **Record** (one short write transaction), only for rows still carrying this claim:
   ``applied``/``duplicate`` → ``sent_at``; ``deferred`` → tried again after a back-off;
   ``rejected`` → ``parked_at`` with the reason (the manager sees it; it blocks nothing);
   no answer → ``last_error`` and ``next_try_at = now + back-off (attempts)``.

A drainer killed after step 1 leaves leased rows: they are sent again when the lease ends —
with the same keys, so the server answers ``duplicate`` for those it had applied.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from common.clock import Clock
from common.contract import BatchResult, EventBatch, EventItem, ItemStatus
from common.db.engine import HallDatabase
from common.db.models import OutboxRow, SyncCursor
from common.sync.client import CentralClient, CentralError, CentralRefused, backoff_delay

__all__ = ["DrainReport", "OutboxDrainer", "record_exchange"]

log = logging.getLogger(__name__)

_OUTBOX = cast(Table, OutboxRow.__table__)
_CURSOR = cast(Table, SyncCursor.__table__)


@dataclass
class DrainReport:
    """What one or more rounds did (counts of rows)."""

    claimed: int = 0
    applied: int = 0
    duplicate: int = 0
    deferred: int = 0
    rejected: int = 0
    failed: int = 0
    batches: int = 0
    error: str = ""
    statuses: dict[str, int] = field(default_factory=dict)

    def add(self, other: DrainReport) -> None:
        for name in (
            "claimed",
            "applied",
            "duplicate",
            "deferred",
            "rejected",
            "failed",
            "batches",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.error = other.error or self.error

    @property
    def sent(self) -> int:
        return self.applied + self.duplicate


@dataclass(frozen=True)
class _Claimed:
    id: int
    key: str
    event_type: str
    aggregate: str
    seq: int
    payload: dict[str, Any]
    created_at: dt.datetime
    attempts: int


def record_exchange(
    db: HallDatabase, s: Session, name: str, now: dt.datetime, error: str = ""
) -> None:
    """Note the outcome of an exchange with the server on the ``name`` cursor row (the status
    bar's "last success" and the last error), creating the row on first use."""
    dialect = postgresql if db.is_postgresql else sqlite
    values: dict[str, Any] = {"updated_at": now}
    if error:
        values.update(last_error=error[:500], last_error_at=now)
    else:
        values.update(last_success_at=now, last_error="")
    stmt = dialect.insert(_CURSOR).values({"name": name, "position": 0, "last_error": "", **values})
    s.execute(stmt.on_conflict_do_update(index_elements=[_CURSOR.c.name], set_=values))


class OutboxDrainer:
    """Sends the hall's outbox rows to the central server (see the module docstring).

    ``lease`` must outlast one whole send including the client's retries, or a slow send could
    overlap with another drainer's (which would still be harmless: same keys, one effect).
    """

    def __init__(
        self,
        db: HallDatabase,
        client: CentralClient,
        clock: Clock,
        *,
        hall: str,
        batch_size: int = 200,
        lease: dt.timedelta = dt.timedelta(minutes=3),
        backoff_base: float = 1.0,
        backoff_max: float = 300.0,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.clock = clock
        self.hall = hall
        self.batch_size = batch_size
        self.lease = lease
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.rng = rng or random.Random()
        self._upd_sent = (
            update(_OUTBOX)
            .where(_OUTBOX.c.id == bindparam("rid"), _OUTBOX.c.claim == bindparam("token"))
            .values(sent_at=bindparam("at"), claim="", last_error=bindparam("reason"))
        )
        self._upd_retry = (
            update(_OUTBOX)
            .where(_OUTBOX.c.id == bindparam("rid"), _OUTBOX.c.claim == bindparam("token"))
            .values(next_try_at=bindparam("due"), claim="", last_error=bindparam("reason"))
        )
        self._upd_park = (
            update(_OUTBOX)
            .where(_OUTBOX.c.id == bindparam("rid"), _OUTBOX.c.claim == bindparam("token"))
            .values(parked_at=bindparam("at"), claim="", last_error=bindparam("reason"))
        )

    # ------------------------------------------------------------------ rounds

    def drain(self, max_batches: int | None = None) -> DrainReport:
        """Send batches until nothing is ready, a send fails, or ``max_batches``."""
        total = DrainReport()
        while max_batches is None or total.batches < max_batches:
            report = self.drain_once()
            total.add(report)
            if report.claimed == 0 or report.error:
                break
        return total

    def drain_once(self) -> DrainReport:
        """Claim, send and record one batch (see the module docstring)."""
        token = str(uuid.uuid4())
        rows = self._claim(token)
        if not rows:
            return DrainReport()
        report = DrainReport(claimed=len(rows), batches=1)
        batch = EventBatch(hall=self.hall, items=[self._item(r) for r in rows])
        try:
            result = self.client.post_events(batch)
        except CentralError as exc:
            report.failed = len(rows)
            report.error = str(exc)
            if isinstance(exc, CentralRefused):
                log.error("the central server refused a batch of %d: %s", len(rows), exc)
            else:
                log.info("outbox: %d rows not sent (%s)", len(rows), exc)
            self._failed(rows, token, str(exc))
            return report
        self._record(rows, token, result, report)
        return report

    # ------------------------------------------------------------------ the steps

    def _claim(self, token: str) -> list[_Claimed]:
        with self.db.write() as s:
            now = self.clock.now(self.db, s)
            o = _OUTBOX.c
            stmt = (
                select(o.id, o.aggregate, o.seq)
                .where(
                    o.sent_at.is_(None),
                    o.parked_at.is_(None),
                    (o.next_try_at.is_(None)) | (o.next_try_at <= now),
                )
                .order_by(o.id)
                .limit(self.batch_size)
            )
            if self.db.is_postgresql:
                stmt = stmt.with_for_update(skip_locked=True)
            candidates = s.execute(stmt).all()
            if not candidates:
                return []
            aggregates = sorted({c.aggregate for c in candidates})
            # Each case's first unsent row (whoever holds it): ours must start there.
            firsts: dict[str, int] = {
                str(a): int(m)
                for a, m in s.execute(
                    select(o.aggregate, func.min(o.seq))
                    .where(o.aggregate.in_(aggregates), o.sent_at.is_(None), o.parked_at.is_(None))
                    .group_by(o.aggregate)
                ).all()
            }
            by_aggregate: dict[str, list[Any]] = {}
            for c in candidates:
                by_aggregate.setdefault(c.aggregate, []).append(c)
            keep: list[int] = []
            for aggregate, rows in by_aggregate.items():
                expected = firsts.get(aggregate, -1)
                for c in sorted(rows, key=lambda r: r.seq):
                    if c.seq != expected:
                        break  # an earlier row is waiting, leased elsewhere or backing off
                    keep.append(c.id)
                    expected += 1
            if not keep:
                return []
            keep.sort()
            s.execute(
                update(_OUTBOX)
                .where(o.id.in_(keep))
                .values(claim=token, next_try_at=now + self.lease, attempts=o.attempts + 1)
            )
            claimed = s.execute(
                select(
                    o.id,
                    o.key,
                    o.event_type,
                    o.aggregate,
                    o.seq,
                    o.payload,
                    o.created_at,
                    o.attempts,
                )
                .where(o.id.in_(keep))
                .order_by(o.id)
            ).all()
            return [_Claimed(*row) for row in claimed]

    @staticmethod
    def _item(row: _Claimed) -> EventItem:
        return EventItem(
            key=row.key,
            type=row.event_type,
            case_number=str(row.payload.get("case_number", ""))
            if row.aggregate.startswith("case:")
            else "",
            seq=row.seq,
            at=row.created_at,
            payload=row.payload,
        )

    def _due(self, now: dt.datetime, attempts: int) -> dt.datetime:
        return now + dt.timedelta(
            seconds=backoff_delay(attempts, self.backoff_base, self.backoff_max, self.rng)
        )

    def _failed(self, rows: Sequence[_Claimed], token: str, error: str) -> None:
        with self.db.write() as s:
            now = self.clock.now(self.db, s)
            s.execute(
                self._upd_retry,
                [
                    {
                        "rid": r.id,
                        "token": token,
                        "due": self._due(now, r.attempts),
                        "reason": error[:500],
                    }
                    for r in rows
                ],
            )
            record_exchange(self.db, s, "outbox", now, error=error or "failed")

    def _record(
        self, rows: Sequence[_Claimed], token: str, result: BatchResult, report: DrainReport
    ) -> None:
        answers = {r.key: r for r in result.results}
        sent: list[dict[str, Any]] = []
        retry: list[dict[str, Any]] = []
        park: list[dict[str, Any]] = []
        with self.db.write() as s:
            now = self.clock.now(self.db, s)
            for row in rows:
                answer = answers.get(row.key)
                if answer is None:
                    retry.append(
                        {
                            "rid": row.id,
                            "token": token,
                            "due": self._due(now, row.attempts),
                            "reason": "no answer for this key",
                        }
                    )
                    report.failed += 1
                elif answer.status in (ItemStatus.APPLIED, ItemStatus.DUPLICATE):
                    sent.append(
                        {"rid": row.id, "token": token, "at": now, "reason": answer.reason[:500]}
                    )
                    if answer.status is ItemStatus.APPLIED:
                        report.applied += 1
                    else:
                        report.duplicate += 1
                elif answer.status is ItemStatus.DEFERRED:
                    # An earlier row of the case is not on the server yet: soon, not at once.
                    due = now + dt.timedelta(
                        seconds=backoff_delay(
                            min(row.attempts, 4), self.backoff_base, self.backoff_max, self.rng
                        )
                    )
                    retry.append(
                        {"rid": row.id, "token": token, "due": due, "reason": answer.reason[:500]}
                    )
                    report.deferred += 1
                else:
                    park.append(
                        {"rid": row.id, "token": token, "at": now, "reason": answer.reason[:500]}
                    )
                    report.rejected += 1
                    log.warning(
                        "outbox row %s (%s) parked: %s", row.key, row.event_type, answer.reason
                    )
            if sent:
                s.execute(self._upd_sent, sent)
            if retry:
                s.execute(self._upd_retry, retry)
            if park:
                s.execute(self._upd_park, park)
            record_exchange(self.db, s, "outbox", now)
