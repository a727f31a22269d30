"""The Qt adapter: reader events arrive as signals on the GUI thread."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QThread, Slot
from pytestqt.qtbot import QtBot

from common.devices.idcard import FakeCardReader, IdentityCard, ReaderStatus, SerialCardReader
from common.qt.idcard import QtCardReader


class Sink(QObject):
    """A GUI-side receiver that records which thread each slot ran on."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[IdentityCard] = []
        self.statuses: list[tuple[ReaderStatus, str]] = []
        self.threads: set[QThread] = set()

    @Slot(object)
    def on_card(self, card: IdentityCard) -> None:
        self.threads.add(QThread.currentThread())
        self.cards.append(card)

    @Slot(object, str)
    def on_status(self, status: ReaderStatus, message: str) -> None:
        self.threads.add(QThread.currentThread())
        self.statuses.append((status, message))


def test_fake_threaded_reader_signals_reach_the_gui_thread(qtbot: QtBot) -> None:
    fake = FakeCardReader(threaded=True)
    adapter = QtCardReader(fake)
    sink = Sink()
    adapter.card_read.connect(sink.on_card)
    adapter.reader_status.connect(sink.on_status)
    plain_threads: list[threading.Thread] = []
    # A plain callable (no QObject context) would run in the emitting thread if the adapter
    # emitted from the worker; it must run on the GUI thread too.
    adapter.card_read.connect(lambda card: plain_threads.append(threading.current_thread()))
    adapter.start()
    try:
        with qtbot.waitSignal(adapter.card_read, timeout=3000) as blocker:
            fake.place_card("elderly")
        card = blocker.args[0]
        assert isinstance(card, IdentityCard) and card.masked_name == "王*英"
        qtbot.waitUntil(lambda: len(sink.cards) == 1)
        assert sink.threads == {QThread.currentThread()}  # the main (GUI) thread only
        assert plain_threads == [threading.main_thread()]
        # The enum itself crosses, never its text (no decision compares display strings).
        assert ReaderStatus.NO_CARD in [s for s, _ in sink.statuses]
        assert {type(s) for s, _ in sink.statuses} == {ReaderStatus}
    finally:
        adapter.stop()
    assert not fake.is_running


def test_stop_drops_queued_events(qtbot: QtBot) -> None:
    fake = FakeCardReader(threaded=True)
    adapter = QtCardReader(fake)
    sink = Sink()
    adapter.card_read.connect(sink.on_card)
    adapter.start()
    fake.place_card("resident")
    fake.wait_idle()
    adapter.stop()  # the card event is still queued in the GUI event loop
    qtbot.wait(50)
    assert sink.cards == []


@pytest.mark.skipif(sys.platform == "win32", reason="the simulator needs a pty")
def test_real_reader_over_a_pty_through_the_adapter(qtbot: QtBot, tmp_path: Path) -> None:
    from common.devices.idcard.simulator import ReaderSimulator

    with ReaderSimulator(link_path=tmp_path / "reader", pace=True) as sim:
        reader = SerialCardReader(
            sim.port, poll_interval=0.02, timeout=0.5, reconnect_interval=0.05
        )
        adapter = QtCardReader(reader)
        sink = Sink()
        adapter.reader_status.connect(sink.on_status)
        adapter.start()
        try:
            qtbot.waitUntil(
                lambda: ReaderStatus.NO_CARD.value in [s for s, _ in sink.statuses], timeout=3000
            )
            with qtbot.waitSignal(adapter.card_read, timeout=3000) as blocker:
                sim.place_card("foreign2023")
            assert blocker.args[0].card_type.value == "Y"
            with qtbot.waitSignal(
                adapter.reader_status, timeout=3000, check_params_cb=lambda s, m: s == "reader_gone"
            ):
                sim.unplug()
        finally:
            adapter.stop()
        assert not reader.is_running
        assert sink.threads == {QThread.currentThread()}
