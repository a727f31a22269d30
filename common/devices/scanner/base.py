"""The scanner interface: listeners hear payloads (one decoded code each) and status changes."""

from __future__ import annotations

import abc
import enum
import logging
import threading
from collections.abc import Callable
from typing import Protocol

__all__ = [
    "BarcodeScanner",
    "CallbackScanListener",
    "ScanListener",
    "ScannerStatus",
    "clean_payload",
]

log = logging.getLogger(__name__)

MAX_PAYLOAD = 512  # a receipt's code is ~40 characters; anything longer is line noise


class ScannerStatus(enum.StrEnum):
    """What a scanner reports besides codes (stable strings: used in signals and device alerts)."""

    STOPPED = "stopped"
    CONNECTING = "connecting"
    READY = "ready"
    GONE = "gone"  # unplugged, wrong port, held by another program: the manager is told


class ScanListener(Protocol):
    def scanned(self, payload: str) -> None: ...

    def scanner_status(self, status: ScannerStatus, message: str) -> None: ...


class CallbackScanListener:
    """A listener made of two callables (what the Qt bridge relays)."""

    def __init__(
        self,
        on_scan: Callable[[str], None],
        on_status: Callable[[ScannerStatus, str], None] | None = None,
    ) -> None:
        self._on_scan, self._on_status = on_scan, on_status

    def scanned(self, payload: str) -> None:
        self._on_scan(payload)

    def scanner_status(self, status: ScannerStatus, message: str) -> None:
        if self._on_status is not None:
            self._on_status(status, message)


def clean_payload(raw: str) -> str | None:
    """One code as text: control characters and surrounding blanks dropped; None if nothing
    useful.
    """
    text = "".join(ch for ch in raw if ch.isprintable()).strip()
    if not text or len(text) > MAX_PAYLOAD:
        return None
    return text


class BarcodeScanner(abc.ABC):
    """A source of scanned codes. Listeners may be called on the scanner's own thread."""

    def __init__(self) -> None:
        self._listeners: list[ScanListener] = []
        self._lock = threading.Lock()
        self._status = ScannerStatus.STOPPED

    def add_listener(self, listener: ScanListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: ScanListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def status(self) -> ScannerStatus:
        return self._status

    @abc.abstractmethod
    def start(self) -> None: ...

    @abc.abstractmethod
    def stop(self, timeout: float = 5.0) -> None: ...

    def _emit_scan(self, raw: str) -> None:
        payload = clean_payload(raw)
        if payload is None:
            return
        # The payload may be a case number: log its kind, never its text.
        log.debug("code scanned (%d characters)", len(payload))
        for listener in self._snapshot():
            listener.scanned(payload)

    def _emit_status(self, status: ScannerStatus, message: str = "") -> None:
        if status is self._status:
            return
        self._status = status
        for listener in self._snapshot():
            listener.scanner_status(status, message)

    def _snapshot(self) -> list[ScanListener]:
        with self._lock:
            return list(self._listeners)
