"""Qt adapter for the ID card reader: reader events as signals on the GUI thread.

The reader (real or fake) calls its listeners on its own worker thread. Widgets must only be
touched from the GUI thread, and a plain Python callable connected to a signal emitted from a
worker runs *in the worker* — so this adapter never lets a public signal fire there. The
listener methods emit private signals; those are connected with ``Qt.QueuedConnection`` to
slots of this QObject (which lives in the GUI thread), and the slots emit the public
``card_read`` / ``reader_status``. Every consumer therefore runs on the GUI thread, whatever
it connects.

Usage (in an app's ``main()``)::

    reader = QtCardReader(SerialCardReader.from_settings(settings.reader), parent=window)
    reader.card_read.connect(window.on_card)
    reader.reader_status.connect(window.on_reader_status)
    reader.start()   # stopped automatically on QCoreApplication.aboutToQuit
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from common.devices.idcard.card import IdentityCard
from common.devices.idcard.reader import CallbackListener, CardReader, ReaderStatus

__all__ = ["QtCardReader"]


class QtCardReader(QObject):
    """A QObject wrapping a :class:`CardReader`, re-emitting its events as queued signals.

    Signals: ``card_read(IdentityCard)``; ``reader_status(str, str)`` — a
    :class:`ReaderStatus` value (``ReaderStatus(value)`` gives the enum; the values compare
    equal to the enum members) and a ``中文 / English`` message.
    """

    card_read = Signal(object)
    reader_status = Signal(str, str)

    # Emitted from the worker thread only; queued onto this object's (the GUI) thread.
    _card_from_worker = Signal(object)
    _status_from_worker = Signal(str, str)

    def __init__(self, reader: CardReader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._running = False
        # A separate listener object: the signal names are taken by the public signals.
        self._listener = CallbackListener(self._on_card, self._on_status)
        self._card_from_worker.connect(self._deliver_card, Qt.ConnectionType.QueuedConnection)
        self._status_from_worker.connect(self._deliver_status, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None:
            # Workers are stopped before the application tears down (STYLE.md 7).
            app.aboutToQuit.connect(self.stop)

    @property
    def reader(self) -> CardReader:
        return self._reader

    @property
    def status(self) -> ReaderStatus:
        return self._reader.status

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self._reader.add_listener(self._listener)
        self._reader.start()

    @Slot()
    def stop(self) -> None:
        """Stop the reader and wait for its worker; events still queued are dropped."""
        if not self._running:
            return
        self._running = False
        self._reader.stop()
        self._reader.remove_listener(self._listener)

    # --- listener callbacks (the reader's worker thread) -----------------------------------

    def _on_card(self, card: IdentityCard) -> None:
        self._card_from_worker.emit(card)

    def _on_status(self, status: ReaderStatus, message: str) -> None:
        self._status_from_worker.emit(str(status.value), message)

    # --- the GUI-thread side ---------------------------------------------------------------

    @Slot(object)
    def _deliver_card(self, card: IdentityCard) -> None:
        if self._running:
            self.card_read.emit(card)

    @Slot(str, str)
    def _deliver_status(self, status: str, message: str) -> None:
        if self._running or status == ReaderStatus.STOPPED:
            self.reader_status.emit(status, message)
