"""A keyboard-wedge (USB HID) scanner: it "types" each code and presses Enter.

The operating system delivers those keystrokes to the focused window like a keyboard's, so the
kiosk's GUI feeds every key press to :meth:`KeyboardWedgeScanner.key` (the Qt side does that;
this module imports no Qt). A scanner types far faster than any hand: characters arriving less
than ``max_gap`` seconds apart and ending in Enter are one code; anything slower (someone at a
real keyboard) is dropped. The kiosk has no text field, so nothing else wants these keys.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from common.devices.scanner.base import MAX_PAYLOAD, BarcodeScanner, ScannerStatus

__all__ = ["KeyboardWedgeScanner", "WedgeDecoder"]


class WedgeDecoder:
    """Keystrokes in, codes out. ``key(text, at)`` returns a finished code or None."""

    def __init__(self, *, max_gap: float = 0.08, min_length: int = 4) -> None:
        self.max_gap, self.min_length = max_gap, min_length
        self._buffer: list[str] = []
        self._last = 0.0

    def key(self, text: str, at: float) -> str | None:
        if self._buffer and at - self._last > self.max_gap:
            self._buffer.clear()  # a pause: a person typing, or a half code; start again
        self._last = at
        if text in ("\r", "\n"):
            code = "".join(self._buffer)
            self._buffer.clear()
            return code if len(code) >= self.min_length else None
        if len(text) == 1 and text.isprintable():
            if len(self._buffer) < MAX_PAYLOAD:
                self._buffer.append(text)
        return None


class KeyboardWedgeScanner(BarcodeScanner):
    """A scanner whose keystrokes the GUI forwards; always READY once started (it cannot tell
    an unplugged keyboard from a quiet one)."""

    def __init__(
        self, *, max_gap: float = 0.08, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.decoder = WedgeDecoder(max_gap=max_gap)
        self._clock = clock
        self._running = False

    def start(self) -> None:
        self._running = True
        self._emit_status(ScannerStatus.READY)

    def stop(self, timeout: float = 5.0) -> None:
        self._running = False
        self._emit_status(ScannerStatus.STOPPED)

    def key(self, text: str, at: float | None = None) -> bool:
        """One key press (its text: a character or "\\r"); True when it completed a code."""
        if not self._running:
            return False
        code = self.decoder.key(text, self._clock() if at is None else at)
        if code is None:
            return False
        self._emit_scan(code)
        return True
