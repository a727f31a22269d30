"""Barcode / QR scanners (扫码枪): the interface, a serial scanner, a keyboard-wedge
scanner, a fake.

Like the ID card reader and the ticket printer (STYLE.md habit 6): a small interface
(:class:`~common.devices.scanner.base.BarcodeScanner`), real implementations and a fake that
the tests feed with real payloads. GUIs wrap a scanner in ``common.qt.scanner.QtScanner``.
"""

from common.devices.scanner.base import (
    BarcodeScanner,
    CallbackScanListener,
    ScanListener,
    ScannerStatus,
)
from common.devices.scanner.factory import scanner_from_settings
from common.devices.scanner.fake import FakeScanner
from common.devices.scanner.serial_scanner import SerialScanner
from common.devices.scanner.wedge import KeyboardWedgeScanner, WedgeDecoder

__all__ = [
    "BarcodeScanner",
    "CallbackScanListener",
    "FakeScanner",
    "KeyboardWedgeScanner",
    "ScanListener",
    "ScannerStatus",
    "SerialScanner",
    "WedgeDecoder",
    "scanner_from_settings",
]
