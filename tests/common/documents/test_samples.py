"""The sample documents show only what the real programs can print (issue 15: a sample ticket
carried a progress QR and a 预约 tag that no real ticket could carry; since issue 12 every
ticket carries the keyed QR for 评价 at the kiosk, never a web address)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from common.config import HallSettings, Settings
from common.db.models import Priority, TicketStatus
from common.devices.printer.layouts import Paper, Qr, Text, ticket_layout
from common.documents.data import TicketData
from common.documents.samples import SAMPLE_HALL_SECRET, TICKET
from common.intake.qrtag import ticket_from_payload
from common.queue.printout import ticket_data
from common.queue.service import TicketView

# The kiosk issues normal and green-channel tickets (kiosk/flow.py); appointment check-in and
# progress look-up come with the central link.
KIOSK_PRIORITIES = (Priority.NORMAL, Priority.GREEN)


def _real(priority: Priority) -> TicketData:
    """What the kiosk prints for the sample's ticket, issued in the demo hall."""
    settings = Settings(hall=HallSettings(secret=SAMPLE_HALL_SECRET))
    tz = settings.hall.tz
    view = TicketView(
        id=12,
        number=TICKET.number,
        prefix=TICKET.number[0],
        service_name=TICKET.service_name,
        service_name_en="General intake",
        priority=priority,
        green_reason="",
        status=TicketStatus.WAITING,
        issued_at=TICKET.issued_at.replace(tzinfo=tz),
        hall_day=TICKET.issued_at.date(),
        window_number=None,
        called_at=None,
        call_count=0,
        holder_masked=TICKET.holder_name,
        transferred_from="",
        people_ahead=TICKET.waiting_ahead,
        estimated_wait_minutes=TICKET.estimated_wait_minutes or 0,
    )
    return ticket_data(settings, view)


def test_the_sample_ticket_is_one_the_kiosk_really_prints() -> None:
    real = _real(Priority.GREEN if TICKET.green_channel else Priority.NORMAL)
    assert real.issued_at.replace(tzinfo=None) == TICKET.issued_at
    assert dataclasses.replace(real, issued_at=TICKET.issued_at) == TICKET


def test_kiosk_tickets_carry_the_rating_qr_and_no_appointment_tag() -> None:
    for priority in KIOSK_PRIORITIES:
        real = _real(priority)
        assert not real.appointment
        scanned = ticket_from_payload(real.progress_url, SAMPLE_HALL_SECRET)
        assert scanned == (TICKET.issued_at.date(), TICKET.number)
        blocks = ticket_layout(real, Paper(80)).blocks
        assert [b.data for b in blocks if isinstance(b, Qr)] == [real.progress_url]
        assert not any(isinstance(b, Text) and "预约" in b.text for b in blocks)
    sample = ticket_layout(TICKET, Paper(80)).blocks
    assert [b.caption for b in sample if isinstance(b, Qr)] == ["办完后可在取号机扫码评价"]
    assert not any(isinstance(b, Text) and "预约" in b.text for b in sample)
    assert any(isinstance(b, Text) and "绿色通道" in b.text for b in sample)


def test_issued_at_is_the_hall_time() -> None:
    assert _real(Priority.NORMAL).issued_at.utcoffset() == dt.timedelta(hours=8)
