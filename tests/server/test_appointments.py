"""The online booking channel: a booking reaches its hall's feed masked (the ID number only as a
hash); only backoffice tokens of that hall (or of ``*``, the central site) may book."""

from __future__ import annotations

from common.contract import DeviceRole
from tests.server.conftest import HALL, OTHER_HALL, Server

BOOKING = {
    "hall": HALL,
    "matter_code": "M1",
    "day": "2026-11-25",
    "slot": "09:00-09:30",
    "name": "欧阳娜娜",
    "id_number": "110101199003078515",
    "phone": "13800138000",
}


def test_a_booking_reaches_the_halls_feed_masked(sqlite_server: Server) -> None:
    server = sqlite_server
    r = server.client.post(
        "/api/v1/appointments", json=BOOKING, headers=server.auth(DeviceRole.BACKOFFICE)
    )
    assert r.status_code == 201, r.text
    feed = server.client.get("/api/v1/changes?after=0", headers=server.auth()).json()
    item = next(i for i in feed["items"] if i["type"] == "appointment.booked")
    assert (
        item["payload"]["name_masked"] == "欧**娜"
        and item["payload"]["phone_masked"] == "138****8000"
    )
    # The number goes to this hall's counter feed only; the hall keeps its own keyed hash of it
    # (an unkeyed hash sent instead could be reversed by trying every date and sequence).
    assert item["payload"]["id_number"] == "110101199003078515"
    assert "id_hash" not in item["payload"]
    assert "欧阳娜娜" not in str(feed)
    other = server.client.get(
        "/api/v1/changes?after=0", headers=server.auth(hall=OTHER_HALL)
    ).json()
    assert all(i["type"] != "appointment.booked" for i in other["items"])
    assert "110101199003078515" not in str(other)


def test_only_backoffice_tokens_of_the_hall_or_the_central_site_may_book(
    sqlite_server: Server,
) -> None:
    server = sqlite_server
    assert (
        server.client.post("/api/v1/appointments", json=BOOKING, headers=server.auth()).status_code
        == 403
    )
    assert (
        server.client.post(
            "/api/v1/appointments",
            json=BOOKING,
            headers=server.auth(DeviceRole.BACKOFFICE, OTHER_HALL),
        ).status_code
        == 403
    )
    assert (
        server.client.post(
            "/api/v1/appointments", json=BOOKING, headers=server.auth(DeviceRole.BACKOFFICE, "*")
        ).status_code
        == 201
    )
    assert (
        server.client.post(
            "/api/v1/appointments",
            json={**BOOKING, "slot": "9点"},
            headers=server.auth(DeviceRole.BACKOFFICE),
        ).status_code
        == 422
    )
