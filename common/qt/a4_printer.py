"""The kiosk's A4 printer through QtPrintSupport: PDF pages rendered and drawn on a QPrinter.

PySide6-Essentials has no PDF renderer (QtPdf / QPdfDocument ship in PySide6-Addons, ~10× the
download), so the pages are rendered with pypdfium2 (PDFium, BSD/Apache; wheels for Windows
and Linux) at the printer's resolution and drawn full-page; see docs/DECISIONS.md. A new
QPrinter per job keeps it usable from the print worker thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from common.devices.printer.status import (
    PrinterError,
    PrinterOfflineError,
    PrinterState,
    PrinterStatus,
)

__all__ = ["QtA4Printer", "render_pdf_pages"]

log = logging.getLogger(__name__)

_DPI = 300


def render_pdf_pages(data: bytes, dpi: int = _DPI) -> list[QImage]:
    """Every page of the PDF as a QImage at ``dpi`` (white background)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            try:
                picture = page.render(scale=dpi / 72).to_pil().convert("RGB")
            finally:
                page.close()
            raw = picture.tobytes("raw", "RGB")
            image = QImage(
                raw, picture.width, picture.height, picture.width * 3, QImage.Format.Format_RGB888
            )
            images.append(image.copy())  # own the pixels: ``raw`` goes away with this frame
        return images
    finally:
        document.close()


class QtA4Printer:
    """A named printer (``"default"``: the system default). ``pdf_file`` makes QPrinter write
    its own PDF instead (tests look at what would have gone to the paper)."""

    def __init__(self, printer_name: str = "default", *, pdf_file: str = "") -> None:
        self.printer_name = "" if printer_name == "default" else printer_name
        self.name = printer_name or "default"
        self.pdf_file = pdf_file

    def status(self) -> PrinterStatus:
        if self.pdf_file:
            return PrinterStatus(PrinterState.READY, "pdf output")
        try:
            info = (
                QPrinterInfo.printerInfo(self.printer_name)
                if self.printer_name
                else QPrinterInfo.defaultPrinter()
            )
        except Exception as exc:  # a print system that cannot answer
            return PrinterStatus(PrinterState.UNKNOWN, f"{type(exc).__name__}: {exc}")
        if info.isNull():
            return PrinterStatus(PrinterState.UNREACHABLE, f"A4 printer {self.name!r} not found")
        if info.state() == QPrinter.PrinterState.Error:
            return PrinterStatus(PrinterState.OFFLINE, f"A4 printer {self.name!r} reports an error")
        return PrinterStatus(PrinterState.READY)

    def print_pdf(self, data: bytes, job_name: str) -> None:
        pages = render_pdf_pages(data)
        if not pages:
            raise PrinterError("the document has no pages")
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)
        printer.setDocName(job_name)
        if self.pdf_file:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(self.pdf_file)
        else:
            status = self.status()
            if not status.state.can_print:
                raise PrinterOfflineError(status.detail)
            if self.printer_name:
                printer.setPrinterName(self.printer_name)
            if not printer.isValid():
                raise PrinterOfflineError(f"A4 printer {self.name!r} is not valid")
        painter = QPainter()
        if not painter.begin(printer):
            raise PrinterOfflineError(f"A4 printer {self.name!r} refused the job")
        try:
            for number, image in enumerate(pages):
                if number and not printer.newPage():
                    raise PrinterError(f"A4 printer {self.name!r} stopped after page {number}")
                target = QRect(0, 0, painter.device().width(), painter.device().height())
                painter.drawImage(target, image)
        finally:
            painter.end()
        log.info("A4 job %r: %d page(s) to %s", job_name, len(pages), self.name)
