"""A card lifted between the reader's find and select: the driver reports a failed read and then
"no card" (our driver now also says "card removed"; other drivers may not). The holder must be
forgotten all the same: on home, the next visitor
would otherwise take a number in the last one's name until the idle time-out."""

from __future__ import annotations

import datetime as dt

from common.devices.idcard.reader import ReaderStatus
from common.queue.service import Holder
from kiosk.flow import KioskFlow, Screen
from tests.conftest import make_settings
from tests.kiosk.conftest import ManualClock, RecordingPorts, status


def test_no_card_after_a_failed_read_forgets_the_holder_on_home() -> None:
    ports, clock = RecordingPorts(), ManualClock()
    flow = KioskFlow(make_settings(), ports, clock=clock, today=lambda: dt.date(2026, 11, 23))
    flow.start()
    flow.services_loaded([status("A", general=True)])
    flow.reader_status(ReaderStatus.READY)
    flow.card_read(Holder("350102198805141236", "李晓明"), "李*明")
    assert flow.state.holder_masked == "李*明"
    flow.reader_status(ReaderStatus.READ_FAILED, "选卡失败 / select card failed (0x81)")
    flow.reader_status(ReaderStatus.NO_CARD)
    assert flow.state.holder_masked == "" and flow.state.screen is Screen.HOME
    flow.tap_service(None)  # the next visitor's tap: no holder on the ticket
    assert ports.issued[-1].holder is None
