"""The hall side of the outbox: the writer the case engine's units of work use.

A :class:`~common.db.unit.UnitOfWork` collects :class:`~common.db.unit.OutboxMessage` values
and hands them to this writer just before its commit, so an outbox row exists if and only if
the change it reports was committed (DESIGN.md "Outbox"; a SIGKILL at any line leaves both or
neither). Each message gets the next sequence number of its aggregate (``case:42``): the
central server applies a case's events in that order. The case engine passes the number it
keeps on the case row; otherwise the writer takes the next after the stored ones. Either way the
caller holds the aggregate's row lock (it has just updated the case), so two writers cannot take
the same number, and ``UNIQUE (aggregate, seq)`` refuses it if they ever did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from common.db.models import OutboxRow
from common.db.unit import OutboxMessage

__all__ = ["case_aggregate", "write_outbox"]

_OUTBOX = cast(Table, OutboxRow.__table__)
_INSERT = insert(_OUTBOX)


def case_aggregate(case_id: int) -> str:
    """The aggregate name of a case's outbox messages."""
    return f"case:{case_id}"


def _case_id(aggregate: str) -> int | None:
    kind, _, ident = aggregate.partition(":")
    return int(ident) if kind == "case" and ident.isdigit() else None


def write_outbox(session: Session, messages: Sequence[OutboxMessage]) -> None:
    """Insert the messages with per-aggregate sequence numbers (one statement per aggregate)."""
    last: dict[str, int] = {}
    rows = []
    for message in messages:
        if not message.aggregate:
            raise ValueError(f"outbox message {message.event_type!r} without an aggregate")
        if message.seq is not None:
            last[message.aggregate] = message.seq - 1
        elif message.aggregate not in last:
            last[message.aggregate] = int(
                session.execute(
                    select(func.coalesce(func.max(_OUTBOX.c.seq), 0)).where(
                        _OUTBOX.c.aggregate == message.aggregate
                    )
                ).scalar_one()
            )
        last[message.aggregate] += 1
        rows.append(
            {
                "key": message.key,
                "event_type": message.event_type,
                "aggregate": message.aggregate,
                "seq": last[message.aggregate],
                "case_id": _case_id(message.aggregate),
                "payload": dict(message.payload),
                "created_at": message.at,
            }
        )
    session.execute(_INSERT, rows)
