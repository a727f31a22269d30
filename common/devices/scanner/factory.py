"""The scanner a kiosk's ``[kiosk]`` settings ask for (``scanner = "" | "serial" | "wedge"``)."""

from __future__ import annotations

from common.config import KioskSettings
from common.devices.scanner.base import BarcodeScanner
from common.devices.scanner.serial_scanner import SerialScanner
from common.devices.scanner.wedge import KeyboardWedgeScanner

__all__ = ["scanner_from_settings"]


def scanner_from_settings(kiosk: KioskSettings) -> BarcodeScanner | None:
    """None when the kiosk has no scanner; :class:`ValueError` for a serial scanner without
    a port.
    """
    if kiosk.scanner == "serial":
        if not kiosk.scanner_port:
            raise ValueError('[kiosk] scanner = "serial" needs scanner_port (COM4, /dev/ttyACM0 …)')
        return SerialScanner(kiosk.scanner_port, baudrate=kiosk.scanner_baudrate)
    if kiosk.scanner == "wedge":
        return KeyboardWedgeScanner()
    return None
