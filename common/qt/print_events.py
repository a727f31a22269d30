"""Print-queue events as a GUI-thread signal, for every app that prints (kiosk tickets, counter
receipts). Built on :class:`common.qt.bridge.QtBridge`, the one plain-Python → Qt crossing."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from common.devices.printer.queue import PrintQueue
from common.qt.bridge import QtBridge

__all__ = ["QtPrintEvents"]


class QtPrintEvents(QtBridge):
    """``print_event(PrintEvent)`` on the GUI thread for each event of ``queue``.

    ``attach()`` subscribes to the queue; ``detach()`` (also on ``aboutToQuit``) unsubscribes.
    The print queue calls its listeners on its own worker thread; the bridge relays.
    """

    print_event = Signal(object)  # common.devices.printer.queue.PrintEvent

    def __init__(self, queue: PrintQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue = queue
        self._remove: object = None

    def _subscribe(self) -> None:
        self._remove = self._queue.add_listener(self.relay(self.print_event))

    def _unsubscribe(self) -> None:
        remove, self._remove = self._remove, None
        if callable(remove):
            remove()
