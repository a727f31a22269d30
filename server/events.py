"""Applying a hall's batch of events: idempotent by key, per-case order by seq, item by item.

Each item runs in its own SAVEPOINT inside the batch's one transaction, so one bad item is
refused with its reason and never blocks the others. The idempotency key row is inserted
**before** the effect: a second request carrying the same key at the same moment blocks on the
key's unique index (PostgreSQL) until the first commits, then finds the key and answers
``duplicate`` instead of applying twice. The key row, the first body's hash and the first answer
are committed together with the effect or not at all.

Deferred items (a seq beyond the next one) and conflicts (a known key with another body) leave
nothing behind: their savepoint is rolled back, so the hall can send them again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
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
    {CaseAction.ACCEPT, CaseAction.ACCEPT_WITH_TOLERANCE, CaseAction.REQUIRE_CORRECTION, CaseAction.REJECT}
)
# Events kept as records (no case state): ratings, certificate prints.
RECORD_PREFIXES = ("rating.", "certificate.")


class _Refused(Exception):
    def __init__(self, status: ItemStatus, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def _reason(code: Reason, detail: str = "") -> str:
    return f"{code.value}: {detail}" if detail else code.value


def apply_batch(s: Session, hall: str, items: Sequence[EventItem], now: dt.datetime, *, postgresql: bool) -> list[ItemResult]:
    """Apply ``items`` for ``hall`` in the caller's transaction; one result per item, in order.

    Items are applied in (case number, seq) order whatever their order in the batch, so a batch
    that happens to carry seq 2 before seq 1 of a case applies both.
    """
    areas: Callable[[list[dict[str, Any]]], str] | None = None

    def lookup(matters: list[dict[str, Any]]) -> str:
        nonlocal areas
        if areas is None:
            areas = area_lookup(s)
        return areas(matters)

    results: dict[int, ItemResult] = {}
    order = sorted(range(len(items)), key=lambda i: (items[i].case_number, items[i].seq, i))
    for i in order:
        results[i] = _one(s, hall, items[i], now, lookup, postgresql)
    counts: dict[str, int] = {}
    for r in results.values():
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    log.info("batch from hall %s: %d items %s", hall, len(items), counts)
    return [results[i] for i in range(len(items))]


def _known(existing: ReceivedEvent, digest: str, hall: str) -> ItemResult:
    if existing.body_hash != digest or existing.hall != hall:
        return ItemResult(key=existing.key, status=ItemStatus.REJECTED,
                          reason=_reason(Reason.CONFLICT, "this key was sent before with another body"))
    if existing.status == ItemStatus.APPLIED.value:
        return ItemResult(key=existing.key, status=ItemStatus.DUPLICATE, reason=existing.reason)
    return ItemResult(key=existing.key, status=ItemStatus(existing.status), reason=existing.reason)


def _one(
    s: Session,
    hall: str,
    item: EventItem,
    now: dt.datetime,
    areas: Callable[[list[dict[str, Any]]], str],
    postgresql: bool,
) -> ItemResult:
    digest = body_digest(item)
    existing = s.get(ReceivedEvent, item.key)
    if existing is not None:
        return _known(existing, digest, hall)
    savepoint = s.begin_nested()
    try:
        key_row = ReceivedEvent(
            key=item.key, hall=hall, type=item.type, case_number=item.case_number, seq=item.seq,
            body_hash=digest, status=ItemStatus.APPLIED.value, reason="", received_at=now,
        )
        s.add(key_row)
        s.flush()  # the key first: a concurrent twin waits here, then sees it (module doc)
        try:
            reason = _effect(s, hall, item, now, areas, postgresql)
        except _Refused as refused:
            if refused.status is ItemStatus.DEFERRED:
                savepoint.rollback()
                return ItemResult(key=item.key, status=ItemStatus.DEFERRED, reason=refused.reason)
            key_row.status, key_row.reason = ItemStatus.REJECTED.value, refused.reason
            s.flush()
            savepoint.commit()
            return ItemResult(key=item.key, status=ItemStatus.REJECTED, reason=refused.reason)
        key_row.reason = reason
        s.flush()
        savepoint.commit()
        return ItemResult(key=item.key, status=ItemStatus.APPLIED, reason=reason)
    except IntegrityError:
        # The key (or the case) was committed by a concurrent request meanwhile.
        savepoint.rollback()
        existing = s.get(ReceivedEvent, item.key, populate_existing=True)
        if existing is not None:
            return _known(existing, digest, hall)
        return ItemResult(key=item.key, status=ItemStatus.DEFERRED,
                          reason=_reason(Reason.OUT_OF_ORDER, "busy, send again"))


def _effect(
    s: Session,
    hall: str,
    item: EventItem,
    now: dt.datetime,
    areas: Callable[[list[dict[str, Any]]], str],
    postgresql: bool,
) -> str:
    """Apply one new event; returns the stored reason text, raises :class:`_Refused`."""
    payload = item.payload
    source = payload.get("source")
    if source is not None and source != hall:
        raise _Refused(ItemStatus.REJECTED, _reason(Reason.WRONG_HALL, f"payload.source is {source!r}"))
    if item.type.startswith(RECORD_PREFIXES):
        s.add(HallRecord(key=item.key, hall=hall, type=item.type, case_number=item.case_number,
                         payload=payload, at=item.at))
        return ""
    kind, _, name = item.type.partition(".")
    try:
        action = CaseAction(name)
    except ValueError:
        action = None
    if kind != "case" or action is None:
        raise _Refused(ItemStatus.REJECTED, _reason(Reason.UNKNOWN_TYPE, item.type))
    if not item.case_number or payload.get("case_number", item.case_number) != item.case_number:
        raise _Refused(ItemStatus.REJECTED, _reason(Reason.INVALID_PAYLOAD, "case_number missing or differs"))
    process = payload.get("process") if isinstance(payload.get("process"), dict) else {}
    assert isinstance(process, dict)
    stmt = select(ServerCase).where(ServerCase.hall == hall, ServerCase.case_number == item.case_number)
    if postgresql:
        stmt = stmt.with_for_update()  # one writer per case: seq checks and state moves are atomic
    case = s.scalars(stmt).one_or_none()
    if case is None:
        if item.seq != 1:
            raise _Refused(ItemStatus.DEFERRED, _reason(Reason.OUT_OF_ORDER, f"waiting for seq 1, got {item.seq}"))
        if action not in CREATING_ACTIONS:
            raise _Refused(ItemStatus.REJECTED, _reason(Reason.UNKNOWN_CASE, f"{action.value} before acceptance"))
        target = next_state(CaseState.DRAFT, action)
        matters = payload.get("matters") if isinstance(payload.get("matters"), list) else []
        assert isinstance(matters, list)
        materials = payload.get("materials") if isinstance(payload.get("materials"), list) else []
        assert isinstance(materials, list)
        data = {k: v for k, v in payload.items() if k not in ("materials", "process")}
        case = ServerCase(
            hall=hall, case_number=item.case_number, state=target.value, last_seq=1, area=areas(matters),
            title="、".join(str(m.get("name", "")) for m in matters if isinstance(m, dict))[:400],
            data=data, materials=materials, accepted_at=item.at, created_at=now, updated_at=now,
        )
        s.add(case)
        s.flush()
        _history(s, case, item, action, CaseState.DRAFT, target, process)
        return ""
    if item.seq <= case.last_seq:
        raise _Refused(ItemStatus.REJECTED, _reason(Reason.STALE_SEQ, f"seq {item.seq} already applied with another key"))
    if item.seq > case.last_seq + 1:
        raise _Refused(ItemStatus.DEFERRED, _reason(Reason.OUT_OF_ORDER, f"waiting for seq {case.last_seq + 1}"))
    state = CaseState(case.state)
    detail = process.get("detail") if isinstance(process.get("detail"), dict) else {}
    assert isinstance(detail, dict)
    outstanding = detail.get("outstanding", 0)
    try:
        target = next_state(state, action, tolerated_outstanding=int(outstanding) if isinstance(outstanding, int) else 0)
    except IllegalTransition as exc:
        # The back office moved the case meanwhile (e.g. approved before the hall's withdrawal
        # arrived): the hall manager sees the reason; the seq is used up so later events flow.
        case.last_seq = item.seq
        raise _Refused(ItemStatus.REJECTED, _reason(Reason.ILLEGAL_TRANSITION, exc.message_en)) from None
    case.state = target.value
    case.last_seq = item.seq
    case.updated_at = now
    _history(s, case, item, action, state, target, process)
    return ""


def _history(
    s: Session, case: ServerCase, item: EventItem, action: CaseAction, from_state: CaseState,
    to_state: CaseState, process: dict[str, Any],
) -> None:
    s.add(ServerCaseEvent(
        case_id=case.id, origin="hall", hall_seq=item.seq, action=action.value, from_state=from_state.value,
        to_state=to_state.value, state_code=str(process.get("state_code", ""))[:32],
        handler=str(process.get("handler", ""))[:64], opinion=str(process.get("opinion", "")), at=item.at,
    ))
