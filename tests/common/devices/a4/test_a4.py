"""The A4 printer devices: the setting, the PDF folder, the fake's paper tray, Qt's printer."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from common.devices.a4 import FakeA4Printer, PdfFolderPrinter, parse_a4_setting
from common.devices.a4.base import count_pdf_pages
from common.devices.printer.status import PaperOutError, PrinterOfflineError, PrinterState


def _pdf(pages: int) -> bytes:
    import io

    out = io.BytesIO()
    canvas = Canvas(out, invariant=True)
    for n in range(pages):
        canvas.drawString(100, 700, f"page {n + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_setting() -> None:
    assert parse_a4_setting("") == ("none", "")
    assert parse_a4_setting(" pdf:C:/kiosk/prints ") == ("pdf", "C:/kiosk/prints")
    assert parse_a4_setting("HP LaserJet M404") == ("qt", "HP LaserJet M404")
    assert parse_a4_setting("default") == ("qt", "default")
    with pytest.raises(ValueError):
        parse_a4_setting("pdf:")


def test_page_count() -> None:
    assert [count_pdf_pages(_pdf(n)) for n in (1, 2, 5)] == [1, 2, 5]


def test_folder_writes_whole_files_and_never_overwrites(tmp_path: Path) -> None:
    printer = PdfFolderPrinter(tmp_path / "prints")
    assert printer.status().state is PrinterState.READY
    printer.print_pdf(_pdf(1), "证照 1.2.156/x")
    printer.print_pdf(_pdf(2), "证照 1.2.156/x")
    names = sorted(p.name for p in (tmp_path / "prints").iterdir())
    assert names == ["证照 1.2.156_x-2.pdf", "证照 1.2.156_x.pdf"]  # no .part left behind
    assert (tmp_path / "prints" / "证照 1.2.156_x-2.pdf").read_bytes() == _pdf(2)


def test_folder_that_cannot_be_made_is_offline(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    printer = PdfFolderPrinter(blocker / "prints")
    assert printer.status().state is PrinterState.OFFLINE
    with pytest.raises(PrinterOfflineError):
        printer.print_pdf(_pdf(1), "job")


def test_fake_runs_out_mid_job_and_prints_nothing_twice() -> None:
    printer = FakeA4Printer(sheets=2)
    printer.print_pdf(_pdf(1), "one")
    with pytest.raises(PaperOutError):
        printer.print_pdf(_pdf(3), "three")  # one sheet left: spoiled, job not done
    assert [j.name for j in printer.jobs] == ["one"] and printer.spoiled == 1
    assert printer.status().state is PrinterState.PAPER_OUT
    printer.load_paper(10)
    printer.print_pdf(_pdf(3), "three")
    assert [j.name for j in printer.jobs] == ["one", "three"]
    printer.offline = True
    assert printer.status().state is PrinterState.OFFLINE
    with pytest.raises(PrinterOfflineError):
        printer.print_pdf(_pdf(1), "x")


# pytest-qt's qapp, not a QGuiApplication of our own: the suite's one application must be a
# QApplication, or every widget test after this one aborts the run.
@pytest.mark.usefixtures("qapp")
def test_qt_printer_draws_every_page(tmp_path: Path) -> None:
    pytest.importorskip("PySide6.QtPrintSupport")
    from common.qt.a4_printer import QtA4Printer

    out = tmp_path / "qt.pdf"
    printer = QtA4Printer(pdf_file=str(out))
    printer.print_pdf(_pdf(2), "two pages")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M) and "(A4)" in info
    # The page is drawn, not blank: rendered back, the text's pixels are there.
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(out), str(tmp_path / "p")], check=True)
    first = sorted(tmp_path.glob("p-*.pgm"))[0].read_bytes()
    assert min(first[20:]) < 200


@pytest.mark.usefixtures("qapp")
def test_qt_printer_unknown_name_is_unreachable() -> None:
    from common.qt.a4_printer import QtA4Printer

    printer = QtA4Printer("no such printer 42")
    assert printer.status().state is PrinterState.UNREACHABLE
    with pytest.raises(PrinterOfflineError):
        printer.print_pdf(_pdf(1), "x")
