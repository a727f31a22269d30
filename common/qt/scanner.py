"""Qt adapter for barcode scanners: scanned codes and status as signals on the GUI thread.

A serial scanner calls its listeners on its reading thread; the bridge posts each event to the
GUI thread (``common.qt.bridge``). A keyboard-wedge scanner is fed from the GUI itself:
:meth:`QtScanner.key_pressed` hands a key press's text to it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from common.devices.scanner.base import BarcodeScanner, CallbackScanListener, ScannerStatus
from common.devices.scanner.wedge import KeyboardWedgeScanner
from common.qt.bridge import QtBridge

__all__ = ["QtScanner"]


class QtScanner(QtBridge):
    """Signals: ``scanned(str)``; ``scanner_status(ScannerStatus, str)``."""

    scanned = Signal(str)
    scanner_status = Signal(object, str)

    def __init__(self, scanner: BarcodeScanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scanner = scanner
        self._listener = CallbackScanListener(
            self.relay(self.scanned), self.relay(self.scanner_status)
        )

    @property
    def scanner(self) -> BarcodeScanner:
        return self._scanner

    @property
    def wants_keys(self) -> bool:
        """A keyboard-wedge scanner: the window forwards key presses."""
        return isinstance(self._scanner, KeyboardWedgeScanner)

    def key_pressed(self, text: str) -> bool:
        """A key press's text (GUI thread); True when it finished a code."""
        if isinstance(self._scanner, KeyboardWedgeScanner) and self.attached:
            return self._scanner.key(text)
        return False

    def _subscribe(self) -> None:
        self._scanner.add_listener(self._listener)
        self._scanner.start()

    def _unsubscribe(self) -> None:
        self._scanner.stop()
        self._scanner.remove_listener(self._listener)

    def _accepts(self, emit: object, args: tuple[object, ...]) -> bool:
        return self.attached or (bool(args) and args[0] is ScannerStatus.STOPPED)
