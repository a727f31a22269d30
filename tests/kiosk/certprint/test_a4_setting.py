"""``[kiosk] a4_printer`` picks the kiosk's A4 printer."""

from __future__ import annotations

from pathlib import Path

from common.devices.a4 import PdfFolderPrinter
from common.qt.a4_printer import QtA4Printer
from kiosk.app import a4_printer
from tests.conftest import make_settings


def test_the_setting_picks_the_printer(tmp_path: Path) -> None:
    assert make_settings().kiosk.a4_printer == "" and a4_printer("") is None
    folder = a4_printer(f"pdf:{tmp_path / 'prints'}")
    assert isinstance(folder, PdfFolderPrinter) and folder.folder == tmp_path / "prints"
    qt = a4_printer("HP LaserJet M404")
    assert isinstance(qt, QtA4Printer) and qt.printer_name == "HP LaserJet M404"
    settings = make_settings(kiosk={"a4_printer": "default"})
    assert isinstance(a4_printer(settings.kiosk.a4_printer), QtA4Printer)
