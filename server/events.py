"""Applying a hall's batch of events: idempotent by key, per-case order by seq, item by item.

One transaction per batch, a handful of statements whatever its size:

1. the keys already known are read in one query and answered from what is stored (the first
   answer: ``duplicate`` for an applied key, the same ``rejected`` otherwise; ``conflict`` if the
   body differs);
2. the new keys are **claimed** with one ``INSERT … ON CONFLICT DO NOTHING RETURNING key`` (in key
   order). A second request carrying the same key at the same moment waits on the key's unique
   index until the first commits and then gets nothing back for it — it reads the stored answer
   instead of applying twice;
3. the batch's cases are read and locked (``FOR UPDATE``, in id order, on PostgreSQL) in one
   query, and every claimed item is decided in (case number, seq) order in memory: applied,
   rejected with its reason, or deferred (an earlier seq is missing);
4. the effects are flushed together; rejected keys get their reason, deferred keys are deleted
   again (nothing is kept for them, the hall sends them later).

The key row, the first body's hash and the first answer commit together with the effect or not
at all. One bad item is answered with its reason and never blocks the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session

from common.contract import EventItem, ItemResult, ItemStatus, Reason, body_digest
from common.intake.states import IllegalTransition, next_state
from common.intake.words import CaseAction, CaseState
from server.catalog import area_lookup
from server.db.models import HallRecord, ReceivedEvent, ServerCase, ServerCaseEvent

__all__ = ["CREATING_ACTIONS", "RECORD_PREFIXES", "apply_batch"]

log = logging.getLogger(__name__)

# The first event of a case at the hall: it carries the national case data in full.
CREATING_ACTIONS = frozenset(
    {
        CaseAction.ACCEPT,
        CaseAction.ACCEPT_WITH_TOLERANCE,
        CaseAction.REQUIRE_CORRECTION,
        CaseAction.REJECT,
    }
)
# Events kept as records (no case state): ratings, certificate prints, receipt reprints.
RECORD_PREFIXES = ("rating.", "certificate.", "followup.", "complaint.", "receipt.")


class _Refused(Exception):
    def __init__(self, status: ItemStatus, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def _reason(code: Reason, detail: str = "") -> str:
    return f"{code.value}: {detail}" if detail else code.value


@dataclass
class _Pending:
    """A claimed item's history row, written once its (new) case has an id."""

    case: ServerCase
    item: EventItem
    action: CaseAction
    from_state: CaseState
    to_state: CaseState
    process: dict[str, Any]


def _known(existing: ReceivedEvent, digest: str, hall: str) -> ItemResult:
    if existing.body_hash != digest or existing.hall != hall:
        return ItemResult(
            key=existing.key,
            status=ItemStatus.REJECTED,
            reason=_reason(Reason.CONFLICT, "this key was sent before with another body"),
        )
    if existing.status == ItemStatus.APPLIED.value:
        return ItemResult(key=existing.key, status=ItemStatus.DUPLICATE, reason=existing.reason)
    return ItemResult(key=existing.key, status=ItemStatus(existing.status), reason=existing.reason)


def _claim(s: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the new keys; returns those this transaction holds (see the module doc)."""
    if not rows:
        return set()
    dialect = s.get_bind().dialect.name
    insert = pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert
    stmt = (
        insert(ReceivedEvent)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(ReceivedEvent.key)
    )
    return (
        set(s.scalars(stmt, rows).all())
        if len(rows) > 1
        else set(s.scalars(stmt.values(rows[0])).all())
    )


def apply_batch(
    s: Session, hall: str, items: Sequence[EventItem], now: dt.datetime, *, postgresql: bool
) -> list[ItemResult]:
    """Apply ``items`` for ``hall`` in the caller's transaction; one result per item, in order.

    Items are applied in (case number, seq) order whatever their order in the batch, so a batch
    that happens to carry seq 2 before seq 1 of a case applies both.
    """
    results: dict[int, ItemResult] = {}
    digests = [body_digest(item) for item in items]
    keys = sorted({item.key for item in items})
    known = (
        {r.key: r for r in s.scalars(select(ReceivedEvent).where(ReceivedEvent.key.in_(keys)))}
        if keys
        else {}
    )
    first_of: dict[str, int] = {}
    fresh: list[int] = []
    for i, item in enumerate(items):
        if item.key in known:
            results[i] = _known(known[item.key], digests[i], hall)
        elif item.key in first_of:
            continue  # a twin inside this batch: answered after its first
        else:
            first_of[item.key] = i
            fresh.append(i)
    claim_rows = [
        {
            "key": items[i].key,
            "hall": hall,
            "type": items[i].type,
            "case_number": items[i].case_number,
            "seq": items[i].seq,
            "body_hash": digests[i],
            "status": ItemStatus.APPLIED.value,
            "reason": "",
            "received_at": now,
        }
        for i in sorted(fresh, key=lambda i: items[i].key)
    ]
    claimed = _claim(s, claim_rows)
    lost = [i for i in fresh if items[i].key not in claimed]
    if lost:  # committed by a concurrent request meanwhile: its answer is ours
        rows = {
            r.key: r
            for r in s.scalars(
                select(ReceivedEvent).where(ReceivedEvent.key.in_([items[i].key for i in lost]))
            )
        }
        for i in lost:
            row = rows.get(items[i].key)
            results[i] = (
                _known(row, digests[i], hall)
                if row is not None
                else ItemResult(
                    key=items[i].key,
                    status=ItemStatus.DEFERRED,
                    reason=_reason(Reason.OUT_OF_ORDER, "busy, send again"),
                )
            )
    mine = sorted(
        (i for i in fresh if items[i].key in claimed),
        key=lambda i: (items[i].case_number, items[i].seq, i),
    )
    numbers = sorted(
        {
            items[i].case_number
            for i in mine
            if items[i].type.startswith("case.") and items[i].case_number
        }
    )
    cases: dict[str, ServerCase] = {}
    if numbers:
        stmt = (
            select(ServerCase)
            .where(ServerCase.hall == hall, ServerCase.case_number.in_(numbers))
            .order_by(ServerCase.id)
        )
        if postgresql:
            stmt = (
                stmt.with_for_update()
            )  # one writer per case: seq checks and state moves are atomic
        cases = {c.case_number: c for c in s.scalars(stmt)}
    areas: Callable[[list[dict[str, Any]]], str] | None = None

    def lookup(matters: list[dict[str, Any]]) -> str:
        nonlocal areas
        if areas is None:
            areas = area_lookup(s)
        return areas(matters)

    pending: list[_Pending] = []
    rejected: dict[str, str] = {}
    deferred: list[str] = []
    for i in mine:
        item = items[i]
        try:
            reason = _effect(s, hall, item, now, lookup, cases, pending)
        except _Refused as refused:
            results[i] = ItemResult(key=item.key, status=refused.status, reason=refused.reason)
            (
                deferred.append(item.key)
                if refused.status is ItemStatus.DEFERRED
                else rejected.__setitem__(item.key, refused.reason)
            )
            continue
        results[i] = ItemResult(key=item.key, status=ItemStatus.APPLIED, reason=reason)
    s.flush()  # new cases get their ids
    s.add_all(
        ServerCaseEvent(
            case_id=p.case.id,
            origin="hall",
            hall_seq=p.item.seq,
            action=p.action.value,
            from_state=p.from_state.value,
            to_state=p.to_state.value,
            state_code=str(p.process.get("state_code", ""))[:32],
            handler=str(p.process.get("handler", ""))[:64],
            opinion=str(p.process.get("opinion", "")),
            at=p.item.at,
        )
        for p in pending
    )
    for key, reason in rejected.items():
        s.execute(
            update(ReceivedEvent)
            .where(ReceivedEvent.key == key)
            .values(status=ItemStatus.REJECTED.value, reason=reason)
        )
    if deferred:
        s.execute(delete(ReceivedEvent).where(ReceivedEvent.key.in_(deferred)))
    s.flush()
    for i, item in enumerate(items):  # twins inside the batch: the first one's answer, as a resend
        if i not in results:
            first = results[first_of[item.key]]
            if digests[i] != digests[first_of[item.key]]:
                results[i] = ItemResult(
                    key=item.key,
                    status=ItemStatus.REJECTED,
                    reason=_reason(Reason.CONFLICT, "this key was sent before with another body"),
                )
            elif first.status is ItemStatus.APPLIED:
                results[i] = ItemResult(
                    key=item.key, status=ItemStatus.DUPLICATE, reason=first.reason
                )
            else:
                results[i] = first
    counts: dict[str, int] = {}
    for r in results.values():
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    log.info("batch from hall %s: %d items %s", hall, len(items), counts)
    return [results[i] for i in range(len(items))]


def _effect(
    s: Session,
    hall: str,
    item: EventItem,
    now: dt.datetime,
    areas: Callable[[list[dict[str, Any]]], str],
    cases: dict[str, ServerCase],
    pending: list[_Pending],
) -> str:
    """Decide one claimed event and stage its effect; returns the stored reason text, raises
    :class:`_Refused` (before staging anything, except the seq an illegal move uses up)."""
    payload = item.payload
    source = payload.get("source")
    if source is not None and source != hall:
        raise _Refused(
            ItemStatus.REJECTED, _reason(Reason.WRONG_HALL, f"payload.source is {source!r}")
        )
    if item.type.startswith(RECORD_PREFIXES):
        s.add(
            HallRecord(
                key=item.key,
                hall=hall,
                type=item.type,
                case_number=item.case_number,
                payload=payload,
                at=item.at,
            )
        )
        return ""
    kind, _, name = item.type.partition(".")
    try:
        action = CaseAction(name)
    except ValueError:
        action = None
    if kind != "case" or action is None:
        raise _Refused(ItemStatus.REJECTED, _reason(Reason.UNKNOWN_TYPE, item.type))
    if not item.case_number or payload.get("case_number", item.case_number) != item.case_number:
        raise _Refused(
            ItemStatus.REJECTED, _reason(Reason.INVALID_PAYLOAD, "case_number missing or differs")
        )
    raw_process = payload.get("process")
    process: dict[str, Any] = raw_process if isinstance(raw_process, dict) else {}
    case = cases.get(item.case_number)
    if case is None:
        if item.seq != 1:
            raise _Refused(
                ItemStatus.DEFERRED,
                _reason(Reason.OUT_OF_ORDER, f"waiting for seq 1, got {item.seq}"),
            )
        if action not in CREATING_ACTIONS:
            raise _Refused(
                ItemStatus.REJECTED,
                _reason(Reason.UNKNOWN_CASE, f"{action.value} before acceptance"),
            )
        target = next_state(CaseState.DRAFT, action)
        raw_matters, raw_materials = payload.get("matters"), payload.get("materials")
        matters: list[Any] = raw_matters if isinstance(raw_matters, list) else []
        materials: list[Any] = raw_materials if isinstance(raw_materials, list) else []
        data = {k: v for k, v in payload.items() if k not in ("materials", "process")}
        case = ServerCase(
            hall=hall,
            case_number=item.case_number,
            state=target.value,
            last_seq=1,
            area=areas(matters),
            title="、".join(str(m.get("name", "")) for m in matters if isinstance(m, dict))[:400],
            data=data,
            materials=materials,
            accepted_at=item.at,
            created_at=now,
            updated_at=now,
        )
        s.add(case)
        cases[item.case_number] = case
        pending.append(_Pending(case, item, action, CaseState.DRAFT, target, process))
        return ""
    if item.seq <= case.last_seq:
        raise _Refused(
            ItemStatus.REJECTED,
            _reason(Reason.STALE_SEQ, f"seq {item.seq} already applied with another key"),
        )
    if item.seq > case.last_seq + 1:
        raise _Refused(
            ItemStatus.DEFERRED,
            _reason(Reason.OUT_OF_ORDER, f"waiting for seq {case.last_seq + 1}"),
        )
    state = CaseState(case.state)
    raw_detail = process.get("detail")
    detail: dict[str, Any] = raw_detail if isinstance(raw_detail, dict) else {}
    outstanding = detail.get("outstanding", 0)
    try:
        target = next_state(
            state, action, tolerated_outstanding=outstanding if isinstance(outstanding, int) else 0
        )
    except IllegalTransition as exc:
        # The back office moved the case meanwhile (e.g. approved before the hall's withdrawal
        # arrived): the hall manager sees the reason; the seq is used up so later events flow.
        case.last_seq = item.seq
        raise _Refused(
            ItemStatus.REJECTED, _reason(Reason.ILLEGAL_TRANSITION, exc.message_en)
        ) from None
    case.state = target.value
    case.last_seq = item.seq
    case.updated_at = now
    pending.append(_Pending(case, item, action, state, target, process))
    return ""
