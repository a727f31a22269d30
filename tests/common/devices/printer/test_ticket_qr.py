"""The queue ticket's keyed QR code (评价 by scanning at the kiosk) in the printer's bytes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Literal

import pytest

from common.config import HallSettings, Settings
from common.db.models import Priority, TicketStatus
from common.devices.printer.encoding import encode_layout
from common.devices.printer.layouts import Paper, Qr, ticket_layout
from common.documents.fonts import CjkFont, resolve_cjk_font
from common.intake.qrtag import ticket_from_payload
from common.queue.printout import ticket_data
from common.queue.views import TicketView

SECRET = "ticket-qr-test-secret"
DAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def font() -> CjkFont:
    return resolve_cjk_font()


def _view(number: str = "B007") -> TicketView:
    settings = Settings()
    return TicketView(
        id=7,
        number=number,
        prefix=number[0],
        service_name="不动产登记",
        service_name_en="Real estate",
        priority=Priority.NORMAL,
        green_reason="",
        status=TicketStatus.WAITING,
        issued_at=dt.datetime(2026, 11, 27, 9, 5, tzinfo=settings.hall.tz),
        hall_day=DAY,
        window_number=None,
        called_at=None,
        call_count=0,
        holder_masked="",
        transferred_from="",
    )


def _stored_qr(data: bytes) -> bytes:
    """The data of python-escpos's QR "store" command (GS ( k pL pH 49 80 48 d…)."""
    match = re.search(rb"\x1d\(k(.)(.)\x31\x50\x30", data, re.S)
    assert match, "no QR store command"
    size = match.group(1)[0] + 256 * match.group(2)[0] - 3
    return data[match.end() : match.end() + size]


@pytest.mark.parametrize("mm", [58, 80])
def test_native_ticket_carries_the_keyed_payload(font: CjkFont, mm: Literal[58, 80]) -> None:
    paper = Paper(mm)
    ticket = ticket_data(Settings(hall=HallSettings(secret=SECRET)), _view())
    layout = ticket_layout(ticket, paper)
    assert [b.caption for b in layout.blocks if isinstance(b, Qr)] == ["办完后可在取号机扫码评价"]
    data = encode_layout(layout, font, mode="native")
    payload = _stored_qr(data).decode("ascii")
    assert payload == ticket.progress_url
    assert ticket_from_payload(payload, SECRET) == (DAY, "B007")
    assert ticket_from_payload(payload, "another-hall") is None
    assert "办完后可在取号机扫码评价".encode("gb18030") in data


def test_raster_ticket_draws_the_code_within_the_paper(font: CjkFont) -> None:
    from common.devices.printer.raster import render_layout

    ticket = ticket_data(Settings(hall=HallSettings(secret=SECRET)), _view("A123"))
    with_qr = render_layout(ticket_layout(ticket, Paper(80)), font)
    assert with_qr.width == Paper(80).dots
    without = render_layout(ticket_layout(replace(ticket, progress_url=""), Paper(80)), font)
    # The code and its caption add height, not width; a ticket stays a short slip.
    assert with_qr.height > without.height
    assert with_qr.height < 2 * without.height


def test_the_ticket_code_is_read_only_when_genuine() -> None:
    from common.intake.qrtag import case_number_from_payload, case_payload, ticket_payload

    code = ticket_payload(DAY, "a012", SECRET)
    assert code.startswith("onewindow:ticket:20261127:A012:")
    # A scanner's line end and a Caps-Lock keyboard wedge are forgiven.
    assert ticket_from_payload(f" {code}\r\n", SECRET) == (DAY, "A012")
    assert ticket_from_payload(code.upper(), SECRET) == (DAY, "A012")
    tag = code.rsplit(":", 1)[1]
    for forged in (
        code.replace("A012", "A013"),  # another number under this tag
        code.replace("20261127", "20261128"),  # another day under this tag
        f"onewindow:ticket:20261131:A012:{tag}",  # no such day
        f"onewindow:ticket:20261127:A012:{tag}:x",
        "onewindow:ticket:20261127:A012",
        f"onewindow:ticket:20261127:AB12:{tag}",
    ):
        assert ticket_from_payload(forged, SECRET) is None, forged
    # One kind's code never passes for the other's.
    assert case_number_from_payload(code, SECRET) is None
    assert ticket_from_payload(case_payload("350102-20261127-0001", SECRET), SECRET) is None
