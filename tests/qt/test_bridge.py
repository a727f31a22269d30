"""The one bridge from plain-Python listeners to Qt signals (common.qt.bridge).

Events posted from worker threads (a plain ``threading.Thread``, the print queue's worker, the
queue event follower) must reach every connected slot *and* plain lambda on the GUI thread, in
order; events posted on the GUI thread are delivered at once; a detached bridge drops events
still queued.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Signal
from pytestqt.qtbot import QtBot

from common.devices.printer.fake import FakePrinter
from common.devices.printer.jobs import PrintJob
from common.devices.printer.queue import PrintEvent, PrintEventKind, PrintQueue
from common.qt.bridge import QtBridge
from common.qt.print_events import QtPrintEvents
from common.qt.queue_events import QueueEventBridge
from common.queue.events import QueueEventRecord
from common.queue.service import QueueService

WAIT_MS = 5000


class Progress(QtBridge):
    """A bridge like the sync-progress one to come: a plain source calls ``post`` anywhere."""

    step = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        self.post = self.relay(self.step)


def test_events_from_a_worker_thread_arrive_on_the_gui_thread_in_order(qtbot: QtBot) -> None:
    bridge = Progress()
    bridge.attach()
    seen: list[tuple[int, str, threading.Thread]] = []
    # A plain lambda has no thread of its own: it runs wherever the signal is emitted.
    bridge.step.connect(lambda n, text: seen.append((n, text, threading.current_thread())))
    worker = threading.Thread(target=lambda: [bridge.post(i, f"step {i}") for i in range(200)])
    worker.start()
    worker.join()
    assert seen == []  # nothing ran on the worker: it was all queued for the GUI thread
    qtbot.waitUntil(lambda: len(seen) == 200, timeout=WAIT_MS)
    assert [n for n, _, _ in seen] == list(range(200))
    assert {t for _, _, t in seen} == {threading.main_thread()}


def test_events_posted_on_the_gui_thread_are_delivered_at_once(qtbot: QtBot) -> None:
    bridge = Progress()
    bridge.attach()
    seen: list[int] = []
    bridge.step.connect(lambda n, _text: seen.append(n))
    bridge.post(1, "now")
    assert seen == [1]


def test_detach_drops_events_still_queued(qtbot: QtBot) -> None:
    bridge = Progress()
    bridge.attach()
    seen: list[int] = []
    bridge.step.connect(lambda n, _text: seen.append(n))
    worker = threading.Thread(target=lambda: bridge.post(7, "late"))
    worker.start()
    worker.join()
    bridge.detach()
    qtbot.wait(50)
    assert seen == []
    assert not bridge.attached


def test_print_events_cross_on_the_gui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    printer = FakePrinter()
    queue = PrintQueue(printer, spool_dir=tmp_path / "spool", retry_interval=0.05)
    events = QtPrintEvents(queue)
    seen: list[tuple[PrintEvent, threading.Thread]] = []
    events.print_event.connect(lambda e: seen.append((e, threading.current_thread())))
    events.attach()
    queue.start()
    try:
        queue.submit(PrintJob("receipt", b"\x1b@hello"))
        qtbot.waitUntil(
            lambda: any(e.kind is PrintEventKind.PRINTED for e, _ in seen), timeout=WAIT_MS
        )
    finally:
        queue.stop()
        events.detach()
    assert {t for _, t in seen} == {threading.main_thread()}
    assert all(isinstance(e, PrintEvent) for e, _ in seen)


def test_queue_events_from_the_follower_thread_arrive_on_the_gui_thread(
    qtbot: QtBot, hall: QueueService
) -> None:
    bridge = QueueEventBridge(hall, poll_interval=0.02, listen=False)
    seen: list[tuple[list[QueueEventRecord], threading.Thread]] = []
    bridge.events.connect(lambda batch: seen.append((batch, threading.current_thread())))
    bridge.attach()
    try:
        qtbot.wait(50)  # the follower has read where the stream ends
        hall.issue("A")
        qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    finally:
        bridge.detach()
    assert not bridge.follower.is_running
    batch, thread = seen[0]
    assert thread is threading.main_thread()
    assert [(str(e.kind), e.number) for e in batch] == [("issued", "A001")]
