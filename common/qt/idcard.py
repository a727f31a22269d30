"""Qt adapter for the ID card reader: reader events as signals on the GUI thread.

The reader (real or fake) calls its listeners on its own worker thread; the adapter is a
:class:`~common.qt.bridge.QtBridge`, so ``card_read`` and ``reader_status`` are only ever
emitted on the GUI thread and every consumer runs there, whatever it connects.

Usage (in an app's ``main()``)::

    reader = QtCardReader(SerialCardReader.from_settings(settings.reader), parent=window)
    reader.card_read.connect(window.on_card)
    reader.reader_status.connect(window.on_reader_status)
    reader.attach()   # starts the reader; detached (stopped) on QCoreApplication.aboutToQuit
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from common.devices.idcard.reader import CallbackListener, CardReader, ReaderStatus
from common.qt.bridge import QtBridge

__all__ = ["QtCardReader"]


class QtCardReader(QtBridge):
    """A bridge wrapping a :class:`CardReader`, re-emitting its events on the GUI thread.

    Signals: ``card_read(IdentityCard)``; ``reader_status(ReaderStatus, str)`` — the enum member
    itself (never its text) and a ``中文 / English`` message.
    ``start()`` / ``stop()`` are :meth:`attach` / :meth:`detach` under the reader's own words.
    """

    card_read = Signal(object)  # IdentityCard
    reader_status = Signal(object, str)  # ReaderStatus, message

    def __init__(self, reader: CardReader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        # A separate listener object: the reader calls it on its worker; it only relays.
        self._listener = CallbackListener(
            self.relay(self.card_read), self.relay(self.reader_status)
        )

    @property
    def reader(self) -> CardReader:
        return self._reader

    @property
    def status(self) -> ReaderStatus:
        """The reader's last reported status (e.g. for a window opened after it was reported)."""
        return self._reader.status

    def _subscribe(self) -> None:
        self._reader.add_listener(self._listener)
        self._reader.start()

    def _unsubscribe(self) -> None:
        """Stop the reader and wait for its worker; events still queued are dropped."""
        self._reader.stop()
        self._reader.remove_listener(self._listener)

    def _accepts(self, emit: Any, args: tuple[Any, ...]) -> bool:
        # The final "stopped" may arrive after detach(): consumers still want to show it.
        return self.attached or (bool(args) and args[0] is ReaderStatus.STOPPED)

    def start(self) -> None:
        self.attach()

    def stop(self) -> None:
        self.detach()
