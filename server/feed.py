"""The change feed (central → hall), with positions assigned in commit order.

The trap (DESIGN.md "Central server and sync"): if a change's position came from a sequence when
its row was inserted, transaction A could take position 7, transaction B position 8, B commit
first, a hall read "position > 6" and store cursor 8 — and A's change, committed a moment later
with 7, would never be read by that hall.

Here a writing transaction takes its positions as its **last statement** from the one-row
:class:`~server.db.models.FeedCounter`, with ``UPDATE … SET last_position = last_position + n``.
The row lock it takes is held until the transaction ends, so no other writer can take a position
until this one has committed (or rolled back, returning nothing). Positions therefore increase in
commit order: when a reader sees position p, every position below p is already committed. Feed
writers are serialized only for the moment between their last statement and their commit, which
a back office's rate of decisions never notices. On SQLite the file lock serializes writers
anyway. ``tests/server/test_feed_order.py`` proves it with two crossing writers on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from common.contract import ChangeFeed, ChangeItem, ChangeType
from server.db.models import FeedChange, FeedCounter

__all__ = ["ALL_HALLS", "NewChange", "append_changes", "read_changes"]

ALL_HALLS = "*"


@dataclass(frozen=True)
class NewChange:
    """A change to append (its position is given at the end of the transaction)."""

    type: ChangeType
    hall: str
    at: dt.datetime
    case_number: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


def append_changes(s: Session, changes: Sequence[NewChange]) -> list[int]:
    """Append ``changes``; call it as the **last** step before the commit (see the module doc)."""
    if not changes:
        return []
    s.flush()  # everything else of this transaction first: the counter lock is held briefly
    last = s.execute(
        update(FeedCounter)
        .where(FeedCounter.id == 1)
        .values(last_position=FeedCounter.last_position + len(changes))
        .returning(FeedCounter.last_position)
    ).scalar_one()
    first = int(last) - len(changes) + 1
    positions = list(range(first, int(last) + 1))
    s.add_all(
        FeedChange(
            position=p,
            hall=c.hall,
            type=c.type.value,
            case_number=c.case_number,
            payload=c.payload,
            at=c.at,
        )
        for p, c in zip(positions, changes, strict=True)
    )
    s.flush()
    return positions


def read_changes(s: Session, hall: str, after: int, limit: int) -> ChangeFeed:
    """A hall's changes (and every hall's) after ``after``, in position order."""
    rows = s.scalars(
        select(FeedChange)
        .where(
            FeedChange.position > after, or_(FeedChange.hall == hall, FeedChange.hall == ALL_HALLS)
        )
        .order_by(FeedChange.position)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    items = [
        ChangeItem(
            position=r.position,
            type=ChangeType(r.type),
            hall=r.hall,
            case_number=r.case_number,
            at=r.at,
            payload=r.payload,
        )
        for r in page
    ]
    return ChangeFeed(
        items=items, next_cursor=page[-1].position if page else after, has_more=len(rows) > limit
    )
