"""A scanner with no hardware: ``scan(payload)`` delivers a code; ``unplug`` / ``replug``."""

from __future__ import annotations

from common.devices.scanner.base import BarcodeScanner, ScannerStatus

__all__ = ["FakeScanner"]


class FakeScanner(BarcodeScanner):
    """Delivers codes synchronously on the caller's thread; ``scans`` records what was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.scans: list[str] = []

    def start(self) -> None:
        self._emit_status(ScannerStatus.READY)

    def stop(self, timeout: float = 5.0) -> None:
        self._emit_status(ScannerStatus.STOPPED)

    def scan(self, payload: str) -> None:
        if self.status is not ScannerStatus.READY:
            return
        self.scans.append(payload)
        self._emit_scan(payload)

    def unplug(self) -> None:
        self._emit_status(ScannerStatus.GONE, "扫码枪未连接 / scanner unplugged")

    def replug(self) -> None:
        self._emit_status(ScannerStatus.READY)
