"""An unplugged reader or a wrong port is shown to the citizen and to the hall manager.

Hall trial (issue 15): with the reader unplugged or on a wrong port the kiosk still said
"70岁以上老人请先刷身份证" and the manager's alert strip showed nothing. Now the home screen's
green-channel hint tells the citizen to ask staff (amber, like the printer's trouble), and a
device status ``reader`` / ``reader_gone`` is recorded for the manager's alert strip; both
clear when the reader answers again.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from common.devices.idcard.reader import ReaderStatus
from common.queue.service import QueueService
from kiosk.flow import KioskFlow
from tests.conftest import make_settings
from tests.kiosk.conftest import Kiosk, ManualClock, RecordingPorts, needs_pty

WAIT_MS = 8000
ASK_STAFF_ZH = "身份证阅读器暂时无法使用"
PLACE_CARD_ZH = "70岁以上老人请先刷身份证"


# --- the flow: one alert per outage, one all-clear -------------------------------------------


def test_reader_gone_is_reported_once_and_cleared_once(
    ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    flow = KioskFlow(make_settings(), ports, clock=manual_clock)
    flow.reader_status(ReaderStatus.READY)
    flow.reader_status(ReaderStatus.NO_CARD)
    assert not flow.state.reader_out and ports.reader_reports == []
    flow.reader_status(ReaderStatus.READER_GONE, "未连接身份证阅读器 / /dev/ttyUSB0: gone")
    flow.reader_status(
        ReaderStatus.READER_GONE, "阅读器响应超时 / no answer"
    )  # still out: no second alert
    assert flow.state.reader_out
    assert ports.reader_reports == [
        (ReaderStatus.READER_GONE, "未连接身份证阅读器 / /dev/ttyUSB0: gone", True)
    ]
    flow.reader_status(ReaderStatus.READY)
    flow.reader_status(ReaderStatus.NO_CARD)
    assert not flow.state.reader_out
    assert ports.reader_reports[1:] == [(ReaderStatus.READY, "", False)]


def test_stopping_the_reader_is_not_an_all_clear(
    ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    flow = KioskFlow(make_settings(), ports, clock=manual_clock)
    flow.reader_status(ReaderStatus.READER_GONE, "gone")
    flow.reader_status(ReaderStatus.STOPPED)  # the kiosk shutting down: the reader is still out
    assert [r[2] for r in ports.reader_reports] == [True]


# --- the window with the real driver ---------------------------------------------------------


def reader_alerts(queue: QueueService) -> list[tuple[str, str, str]]:
    return [(a.station, a.device, a.state) for a in queue.device_alerts() if a.device == "reader"]


def manager_lines(queue: QueueService) -> list[str]:
    """What the hall manager's alert strip (counter) shows for these alerts."""
    from counter.device_alert_strip import DeviceAlertStrip

    strip = DeviceAlertStrip(dt.UTC)
    strip.show_alerts(queue.device_alerts())
    return strip.lines


def gone(kiosk: Kiosk) -> bool:
    return kiosk.flow.state.reader_status is ReaderStatus.READER_GONE


def hint(kiosk: Kiosk) -> str:
    return kiosk.window.home.green_hint.text()  # type: ignore[attr-defined, no-any-return]


@needs_pty
def test_unplugged_reader_tells_citizen_and_manager_then_clears(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(reader="sim")
    sim = kiosk.simulator
    qtbot.waitUntil(lambda: kiosk.flow.state.reader_status is ReaderStatus.NO_CARD, timeout=WAIT_MS)
    assert PLACE_CARD_ZH in hint(kiosk) and reader_alerts(kiosk.queue) == []

    sim.unplug()  # the pty closes, as a pulled USB cable would
    qtbot.waitUntil(lambda: gone(kiosk), timeout=WAIT_MS)
    assert ASK_STAFF_ZH in hint(kiosk) and "工作人员" in hint(kiosk)
    assert PLACE_CARD_ZH not in hint(kiosk)
    assert kiosk.window.home.green_hint.property("trouble") is True
    assert reader_alerts(kiosk.queue) == [("kiosk-test", "reader", "reader_gone")]
    lines = manager_lines(kiosk.queue)
    assert len(lines) == 1 and "kiosk-test" in lines[0] and "ID card reader" in lines[0]

    sim.replug()  # plugged back in: the driver reopens the port by itself
    qtbot.waitUntil(lambda: not gone(kiosk), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: reader_alerts(kiosk.queue) == [], timeout=WAIT_MS)
    assert PLACE_CARD_ZH in hint(kiosk)
    assert kiosk.window.home.green_hint.property("trouble") is False
    assert manager_lines(kiosk.queue) == []


def test_wrong_port_path_tells_citizen_and_manager(
    qtbot: QtBot, make_kiosk, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wrong = tmp_path / "no-such-reader"
    kiosk = make_kiosk(reader=f"port:{wrong}")
    qtbot.waitUntil(lambda: gone(kiosk), timeout=WAIT_MS)
    assert ASK_STAFF_ZH in hint(kiosk)
    assert reader_alerts(kiosk.queue) == [("kiosk-test", "reader", "reader_gone")]
    (alert,) = [a for a in kiosk.queue.device_alerts() if a.device == "reader"]
    assert "no-such-reader" in alert.message  # the manager sees which port was tried


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")
def test_port_with_no_reader_behind_it_tells_citizen_and_manager(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    # A wrong port that exists: a serial device that never answers the reader's protocol.
    master, slave = os.openpty()
    try:
        kiosk = make_kiosk(reader=f"port:{os.ttyname(slave)}")
        qtbot.waitUntil(lambda: gone(kiosk), timeout=WAIT_MS)
        assert ASK_STAFF_ZH in hint(kiosk)
        assert reader_alerts(kiosk.queue) == [("kiosk-test", "reader", "reader_gone")]
    finally:
        os.close(slave)
        os.close(master)


@needs_pty
def test_reader_out_in_english_and_large_print(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(reader="sim")
    qtbot.waitUntil(lambda: kiosk.flow.state.reader_status is ReaderStatus.NO_CARD, timeout=WAIT_MS)
    kiosk.simulator.unplug()
    qtbot.waitUntil(lambda: gone(kiosk), timeout=WAIT_MS)
    kiosk.flow.set_language("en")
    assert "ID card reader is not working" in hint(kiosk) and "ask the staff" in hint(kiosk)
    kiosk.flow.toggle_elderly()
    assert kiosk.flow.state.elderly and "ask the staff" in hint(kiosk)


# --- a card read must not take away a number the printer could not print ---------------------


def test_card_read_keeps_the_printer_trouble_ticket_on_screen(
    ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    import datetime as dt

    from common.devices.printer.status import PrinterState
    from common.queue.service import Holder
    from kiosk.flow import PrintState, Screen
    from tests.kiosk.test_flow import ticket

    flow = KioskFlow(make_settings(), ports, clock=manual_clock)
    flow.services_loaded([])
    flow.tap_service(None)
    flow.issued(ports.issued[-1].request_id, ticket())
    flow.printer_state(PrinterState.PAPER_OUT, "paper roll end sensor")
    assert flow.state.screen is Screen.TICKET and flow.state.print_state is PrintState.TROUBLE
    issued = len(ports.issued)
    # Hall trial: a second process on the same port made the reader report the card again.
    flow.card_read(Holder("350102198805141236", "李晓明", dt.date(1988, 5, 14)), "李*明")
    assert flow.state.screen is Screen.TICKET and flow.state.ticket is not None
    assert flow.state.ticket.number == "A001" and flow.state.holder_masked == ""
    flow.done()
    assert flow.state.screen is Screen.HOME
    flow.tap_service(None)  # the next tap is a fresh visitor's, with no card held
    assert len(ports.issued) == issued + 1 and ports.issued[-1].holder is None


# --- a kiosk with no reader at all (--reader "") -----------------------------------------------


def test_kiosk_without_reader_sends_card_services_to_staff(
    ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    from kiosk.flow import Screen
    from tests.kiosk.conftest import status

    flow = KioskFlow(make_settings(), ports, clock=manual_clock)
    flow.services_loaded([status("A", general=True), status("B", id_card="required")])
    flow.no_reader()
    assert not flow.state.reader_configured and not flow.state.reader_out
    flow.tap_service("B")
    assert flow.state.screen is Screen.CARD
    assert flow.state.card_problem is ReaderStatus.READER_GONE  # "ask at the service desk"
    assert ports.reader_reports == []  # no reader configured is not a fault to alert


def test_kiosk_without_reader_does_not_say_place_your_card(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(reader="fake")
    kiosk.flow.no_reader()
    assert PLACE_CARD_ZH not in hint(kiosk) and "工作人员" in hint(kiosk)
    assert kiosk.window.home.green_hint.property("trouble") is not True  # information, not trouble
    kiosk.flow.set_language("en")
    assert "ask the staff" in hint(kiosk) and "Place your ID card" not in hint(kiosk)


@needs_pty
def test_reader_held_by_another_program_tells_citizen_and_manager(
    qtbot: QtBot, make_kiosk, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # A counter on the same PC already has the reader open: the kiosk must not share it.
    from common.devices.idcard.reader import ReaderConnection
    from common.devices.idcard.simulator import ReaderSimulator

    with (
        ReaderSimulator(link_path=tmp_path / "shared-reader", pace=False) as sim,
        ReaderConnection(sim.port),
    ):
        kiosk = make_kiosk(reader=f"port:{sim.port}")
        qtbot.waitUntil(lambda: gone(kiosk), timeout=WAIT_MS)
        assert ASK_STAFF_ZH in hint(kiosk)
        (alert,) = [a for a in kiosk.queue.device_alerts() if a.device == "reader"]
        assert "lock" in alert.message and "shared-reader" in alert.message
        kiosk.reader.stop()  # before the simulator goes away
