"""The hall's real outbox rows (written by CaseService) are what the server applies: the
contract fits the case engine's payloads, and the hall's own moves replay legally."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from common.clock import ManualClock
from common.contract import EventItem
from common.db.engine import HallDatabase
from common.db.models import OutboxRow
from common.intake.cases import CaseService
from common.intake.words import CaseAction
from tests.common.intake.acceptor import draft
from tests.conftest import MONDAY_9AM, make_settings
from tests.server.conftest import HALL, Server


def _items(db: HallDatabase) -> list[dict[str, object]]:
    """What the sync client sends: each outbox row as an EventItem (the zone made explicit)."""
    with db.read() as s:
        rows = s.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
        items = []
        for r in rows:
            at = r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=dt.UTC)
            item = EventItem(
                key=r.key,
                type=r.event_type,
                case_number=str(r.payload["case_number"]),
                seq=r.seq,
                at=at,
                payload=r.payload,
            )
            items.append(item.model_dump(mode="json"))
    return items


def test_real_outbox_rows_apply_on_the_server(hall_db: HallDatabase, sqlite_server: Server) -> None:
    server = sqlite_server
    cases = CaseService(hall_db, make_settings(), ManualClock(MONDAY_9AM))
    first = cases.accept(draft(), actor="w1")
    second = cases.accept(draft(), actor="w1")
    cases.transition(second.number, CaseAction.WITHDRAW, actor="w1", reason="申请人撤回")
    items = _items(hall_db)
    assert [i["type"] for i in items] == ["case.accept", "case.accept", "case.withdraw"]
    r = server.post_events(list(reversed(items)), hall=HALL)  # any order: applied by seq
    assert [x["status"] for x in r.json()["results"]] == ["applied", "applied", "applied"]
    states = {
        n: server.client.get(f"/api/v1/cases/{n}", headers=server.auth()).json()["state"]
        for n in (first.number, second.number)
    }
    assert states == {first.number: "accepted", second.number: "withdrawn"}
    # Its area comes from the catalog (二手房转移登记 is 不动产): the back office lists it.
    assert (
        server.client.get(f"/api/v1/cases/{first.number}", headers=server.auth()).json()["area"]
        == "不动产"
    )


def test_a_time_without_a_zone_is_refused(sqlite_server: Server) -> None:
    from tests.server.conftest import accept_event

    item = accept_event("A-1")
    item["at"] = "2026-11-23T09:00:00"
    assert sqlite_server.post_events([item]).status_code == 422
