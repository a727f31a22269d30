"""Logging out and in keeps the devices' status (hall trial, issue 15).

After a logout and a new login the status bar said "读卡器：未配置" for a working reader and an
amber "打印机：状态未知": the reader had been started by the first login and said nothing new,
and the printer's answer was only ever written into the window that asked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from common.bootstrap import Hall
from common.db.models import Role
from common.devices.idcard.fake import FakeCardReader
from common.devices.idcard.reader import ReaderStatus
from common.devices.printer.fake import FakePrinter
from common.devices.printer.status import PrinterStatus
from common.qt.idcard import QtCardReader
from common.queue.service import QueueService
from common.staff import StaffView
from counter.app import CounterApp, parse_args
from counter.session import CounterSession

WAIT_MS = 5000


class SlowPrinter(FakePrinter):
    """A printer that answers a status query only when the test lets it (a network printer)."""

    def __init__(self) -> None:
        super().__init__()
        self.answer = threading.Event()

    def status(self) -> PrinterStatus:
        self.answer.wait(5)
        return super().status()


@pytest.fixture
def counter(
    qtbot: QtBot, qapp: QApplication, hall: QueueService, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CounterApp]:
    printer = SlowPrinter()
    reader = QtCardReader(FakeCardReader())
    monkeypatch.setattr(CounterApp, "_open_reader", lambda self: reader)
    monkeypatch.setattr(CounterApp, "_open_printer", lambda self: printer)
    staff = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)

    def login(self: CounterApp, notice: str = "") -> bool:
        self.show_counter(CounterSession(staff, 1, "pc-1"))
        return True

    monkeypatch.setattr(CounterApp, "login", login)
    app = CounterApp(
        qapp,
        Hall(settings=hall.settings, db=hall.db, queue=hall),
        parse_args(["--windowed"]),
    )
    yield app
    printer.answer.set()
    reader.detach()
    app.bridge.detach()
    app._printer_timer.stop()
    app._heartbeat_timer.stop()
    qapp.aboutToQuit.disconnect(app._shutdown)
    window, app.window = app.window, None
    if window is not None:
        window.close()
        window.deleteLater()
    app.runner.wait()
    qtbot.wait(10)
    app.translations.set_language("en")  # the next tests read English
    # Parented to the application, which outlives the test: delete them now (the pool joins
    # its threads).
    for obj in (app.runner, app.bridge, app._printer_timer, app._heartbeat_timer):
        obj.deleteLater()
    qtbot.wait(10)


def test_the_status_bar_keeps_reader_and_printer_across_logout_and_login(
    qtbot: QtBot, counter: CounterApp
) -> None:
    printer = counter._printer
    assert isinstance(printer, SlowPrinter)
    assert counter.login()
    first = counter.window
    assert first is not None
    qtbot.waitUntil(lambda: first.status.texts["reader"] == "读卡器：正常", timeout=WAIT_MS)
    printer.answer.set()
    qtbot.waitUntil(lambda: first.status.texts["printer"] == "打印机：正常", timeout=WAIT_MS)

    printer.answer.clear()  # the next status query hangs until the test says so
    counter.logout()
    second = counter.window
    assert second is not None and second is not first
    qtbot.wait(50)  # what the new window shows before the printer has answered again
    assert second.status.texts["reader"] == "读卡器：正常"
    assert second.status.reader.property("level") == "ok"
    assert second.status.texts["printer"] == "打印机：正常"
    assert second.status.printer.property("level") == "ok"

    printer.answer.set()
    counter.runner.wait()
    qtbot.wait(20)
    assert second.status.texts["reader"] == "读卡器：正常"
    assert second.status.texts["printer"] == "打印机：正常"


def test_reader_status_crosses_as_the_enum(qtbot: QtBot, counter: CounterApp) -> None:
    assert counter.login()
    qtbot.waitUntil(lambda: counter.reader_state[0] is ReaderStatus.NO_CARD, timeout=WAIT_MS)
    assert type(counter.reader_state[0]) is ReaderStatus


def test_an_empty_reader_option_means_no_reader(hall: QueueService, qapp: QApplication) -> None:
    """``--reader ""`` turns the reader off; it does not fall back to the TOML's port."""
    settings = hall.settings.model_copy(
        update={"reader": hall.settings.reader.model_copy(update={"port": "loop://"})}
    )
    hall_with_port = Hall(settings=settings, db=hall.db, queue=hall)
    app = CounterApp.__new__(CounterApp)  # only the reader choice, no windows or timers
    app.app, app.hall = qapp, hall_with_port
    app.args = parse_args(["--reader", ""])
    assert app._open_reader() is None
