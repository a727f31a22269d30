"""POST /events: idempotent by key, per-case order by seq, one bad item never blocks the others."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from server.db.models import ReceivedEvent, ServerCase, ServerCaseEvent
from tests.server.conftest import Server, accept_event, step_event


def _statuses(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [(r["status"], r["reason"].split(":")[0]) for r in response.json()["results"]]


def _count(server: Server, model: type, **where: object) -> int:
    with server.sessions() as s:
        stmt = select(func.count()).select_from(model)
        for k, v in where.items():
            stmt = stmt.where(getattr(model, k) == v)
        return int(s.execute(stmt).scalar_one())


def test_same_key_twice_is_answered_as_the_first_time_and_applied_once(server: Server) -> None:
    item = accept_event("A-1")
    first = server.post_events([item])
    assert _statuses(first) == [("applied", "")]
    again = server.post_events([item])
    assert _statuses(again) == [("duplicate", "")]
    assert _count(server, ServerCase) == 1
    assert _count(server, ServerCaseEvent) == 1
    assert _count(server, ReceivedEvent) == 1


def test_same_key_twice_in_one_batch_applies_once(server: Server) -> None:
    item = accept_event("A-1")
    assert _statuses(server.post_events([item, item])) == [("applied", ""), ("duplicate", "")]
    assert _count(server, ServerCaseEvent) == 1


def test_same_key_with_another_body_is_a_conflict_and_changes_nothing(server: Server) -> None:
    item = accept_event("A-1")
    server.post_events([item])
    other = accept_event("A-1", key=item["key"], name="李四")
    assert _statuses(server.post_events([other])) == [("rejected", "conflict")]
    with server.sessions() as s:
        case = s.scalars(select(ServerCase)).one()
        assert case.data["applicant"]["name"] == "张三丰"
    # The conflict is not stored: the original still answers duplicate.
    assert _statuses(server.post_events([item])) == [("duplicate", "")]


def test_one_bad_item_is_rejected_with_its_reason_and_the_others_apply(server: Server) -> None:
    good1, good2 = accept_event("A-1"), accept_event("A-2")
    wrong_hall = accept_event("A-3", hall="999999")
    unknown = {**accept_event("A-4"), "type": "case.teleport"}
    no_case = step_event("A-5", 1, "approve")
    result = _statuses(server.post_events([good1, wrong_hall, unknown, no_case, good2]))
    assert result == [
        ("applied", ""),
        ("rejected", "wrong_hall"),
        ("rejected", "unknown_type"),
        ("rejected", "unknown_case"),
        ("applied", ""),
    ]
    assert _count(server, ServerCase) == 2
    # A rejection is the first answer too: sent again, the same answer (not re-evaluated).
    assert _statuses(server.post_events([no_case])) == [("rejected", "unknown_case")]


def test_out_of_order_seq_is_deferred_then_applied_in_order(server: Server) -> None:
    accept = accept_event("A-1")
    review = step_event("A-1", 2, "start_review")
    approve = step_event("A-1", 3, "approve")
    assert _statuses(server.post_events([approve])) == [("deferred", "out_of_order")]
    assert _count(server, ReceivedEvent) == 0  # nothing stored for a deferred item
    assert _statuses(server.post_events([accept, approve])) == [
        ("applied", ""),
        ("deferred", "out_of_order"),
    ]
    # In one batch, in any order: applied by seq.
    assert _statuses(server.post_events([approve, review])) == [("applied", ""), ("applied", "")]
    with server.sessions() as s:
        case = s.scalars(select(ServerCase)).one()
        assert (case.state, case.last_seq) == ("approved", 3)
        actions = s.scalars(select(ServerCaseEvent.action).order_by(ServerCaseEvent.id)).all()
        assert actions == ["accept", "start_review", "approve"]


def test_a_transition_the_state_machine_refuses_is_rejected_and_later_events_flow(
    server: Server,
) -> None:
    server.post_events([accept_event("A-1")])
    deliver = step_event("A-1", 2, "deliver")  # accepted → delivered is not a move
    withdraw = step_event("A-1", 3, "withdraw")
    assert _statuses(server.post_events([deliver, withdraw])) == [
        ("rejected", "illegal_transition"),
        ("applied", ""),
    ]
    with server.sessions() as s:
        assert s.scalars(select(ServerCase.state)).one() == "withdrawn"


def test_a_seq_taken_by_another_key_is_rejected(server: Server) -> None:
    server.post_events([accept_event("A-1")])
    assert _statuses(server.post_events([accept_event("A-1")])) == [("rejected", "stale_seq")]


def test_ratings_are_kept_once(server: Server) -> None:
    rating = {
        "key": str(uuid.uuid4()),
        "type": "rating.recorded",
        "case_number": "",
        "seq": 1,
        "at": "2026-11-23T01:00:00+00:00",
        "payload": {"source": "350102", "level": 5, "channel": "counter"},
    }
    assert _statuses(server.post_events([rating])) == [("applied", "")]
    assert _statuses(server.post_events([rating])) == [("duplicate", "")]


def test_kiosk_prints_are_kept_once_as_records(server: Server) -> None:
    """证照打印 / 补打回执 (common.selfservice.prints): records, no case state."""
    from server.db.models import HallRecord

    for kind, reference in (
        ("certificate.printed", "1.2.156.3005.2.X.Y.1.001.Z"),
        ("receipt.reprinted", "350102-20261123-0001"),
    ):
        item = {
            "key": str(uuid.uuid4()),
            "type": kind,
            "case_number": "",
            "seq": 1,
            "at": "2026-11-23T01:00:00+00:00",
            "payload": {"source": "350102", "print_id": 1, "reference": reference},
        }
        assert _statuses(server.post_events([item])) == [("applied", "")]
        assert _statuses(server.post_events([item])) == [("duplicate", "")]
        assert _count(server, HallRecord, type=kind) == 1
    assert _count(server, ServerCase) == 0
