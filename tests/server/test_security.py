"""Tokens, roles, halls and body limits: 401 / 403 / 404 / 413 / 422 without harm."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import func, select

from common.contract import MAX_BATCH_ITEMS, MAX_BODY_BYTES, DeviceRole
from server.db.models import Device, ReceivedEvent, ServerCase
from tests.server.conftest import HALL, OTHER_HALL, Server, accept_event


def _cases(server: Server) -> int:
    with server.sessions() as s:
        return int(s.execute(select(func.count()).select_from(ServerCase)).scalar_one())


def test_no_token_or_a_wrong_token_is_401(server: Server) -> None:
    body = {"hall": HALL, "items": [accept_event("A-1")]}
    for headers in (
        {},
        {"Authorization": "Bearer ow_not-a-token"},
        {"Authorization": "Basic dXNlcjpwdw=="},
    ):
        for method, path in (
            ("post", "/api/v1/events"),
            ("get", "/api/v1/changes"),
            ("get", "/api/v1/catalog"),
            ("get", "/api/v1/cases/A-1"),
        ):
            r = server.client.request(
                method, path, json=body if method == "post" else None, headers=headers
            )
            assert r.status_code == 401, (path, headers, r.text)
            assert r.headers["www-authenticate"] == "Bearer"
    assert _cases(server) == 0


def test_tokens_are_stored_hashed(server: Server) -> None:
    token = server.token()
    with server.sessions() as s:
        stored = s.scalars(select(Device.token_hash)).all()
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_kiosk_display_and_backoffice_tokens_may_not_post_cases(server: Server) -> None:
    body = {"hall": HALL, "items": [accept_event("A-1")]}
    for role in (DeviceRole.KIOSK, DeviceRole.DISPLAY, DeviceRole.BACKOFFICE):
        r = server.client.post("/api/v1/events", json=body, headers=server.auth(role))
        assert r.status_code == 403, role
        assert server.client.get("/api/v1/changes", headers=server.auth(role)).status_code == 403
    assert _cases(server) == 0
    # Every role may read the catalog.
    assert (
        server.client.get("/api/v1/catalog", headers=server.auth(DeviceRole.KIOSK)).status_code
        == 200
    )


def test_another_halls_token_cannot_post_for_this_hall_nor_read_its_cases(server: Server) -> None:
    assert server.post_events([accept_event("A-1")]).status_code == 200
    other = server.auth(hall=OTHER_HALL)
    r = server.client.post(
        "/api/v1/events", json={"hall": HALL, "items": [accept_event("A-2")]}, headers=other
    )
    assert r.status_code == 403
    assert server.client.get("/api/v1/cases/A-1", headers=other).status_code == 404
    assert (
        server.client.get("/api/v1/cases/A-1", headers=server.auth()).json()["state"] == "accepted"
    )
    # An event of this hall's case posted by the other hall under its own code makes its own
    # case (keyed by hall), never touches this hall's.
    r = server.client.post(
        "/api/v1/events",
        json={"hall": OTHER_HALL, "items": [accept_event("A-1", hall=OTHER_HALL)]},
        headers=other,
    )
    assert r.json()["results"][0]["status"] == "applied"
    with server.sessions() as s:
        assert sorted(s.scalars(select(ServerCase.hall)).all()) == sorted([HALL, OTHER_HALL])


def test_oversized_body_is_413_and_nothing_is_applied(server: Server) -> None:
    item = accept_event("A-1")
    item["payload"]["padding"] = "x" * (MAX_BODY_BYTES + 10)
    r = server.post_events([item])
    assert r.status_code == 413
    # Without a Content-Length (chunked), the limit holds as well.
    data = json.dumps({"hall": HALL, "items": [item]}).encode()

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(data), 65536):
            yield data[i : i + 65536]

    r = server.client.post(
        "/api/v1/events",
        content=chunks(),
        headers={**server.auth(), "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    too_many = [accept_event(f"A-{i}") for i in range(MAX_BATCH_ITEMS + 1)]
    assert server.post_events(too_many).status_code == 422
    assert _cases(server) == 0


def test_malformed_bodies_are_422_and_nothing_is_applied(server: Server) -> None:
    good = accept_event("A-1")
    bad_bodies = [
        b"{not json",
        json.dumps({"hall": HALL}).encode(),
        json.dumps({"hall": HALL, "items": [{**good, "key": "not-a-uuid"}]}).encode(),
        json.dumps({"hall": HALL, "items": [{**good, "seq": 0}]}).encode(),
        json.dumps({"hall": HALL, "items": [good, {**good, "key": None}]}).encode(),
        json.dumps({"hall": HALL, "items": [{**good, "extra": 1}]}).encode(),
    ]
    for body in bad_bodies:
        r = server.client.post(
            "/api/v1/events",
            content=body,
            headers={**server.auth(), "Content-Type": "application/json"},
        )
        assert r.status_code == 422, body[:80]
    with server.sessions() as s:
        assert s.execute(select(func.count()).select_from(ReceivedEvent)).scalar_one() == 0
    assert _cases(server) == 0
    assert server.client.get("/api/v1/changes?after=-1", headers=server.auth()).status_code == 422
    assert (
        server.client.get("/api/v1/changes?limit=100000", headers=server.auth()).status_code == 422
    )


def test_health_needs_no_token(server: Server) -> None:
    r = server.client.get("/api/v1/health")
    assert r.status_code == 200 and r.json()["database"] == "ok"
