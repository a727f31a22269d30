"""The A4 printer interface and the ``[kiosk] a4_printer`` setting."""

from __future__ import annotations

from typing import Literal, Protocol

from common.devices.printer.status import PrinterStatus

__all__ = ["A4Printer", "count_pdf_pages", "parse_a4_setting"]


class A4Printer(Protocol):
    """An A4 printer. ``print_pdf`` returns once the job is with the printer, or raises
    :class:`~common.devices.printer.status.PrinterError` (paper out, offline, unreachable)."""

    name: str

    def status(self) -> PrinterStatus:
        """The printer's state now (for the alert strip; never raises)."""
        ...

    def print_pdf(self, data: bytes, job_name: str) -> None:
        """Print every page of the PDF ``data`` as one job called ``job_name``."""
        ...


def parse_a4_setting(value: str) -> tuple[Literal["none", "pdf", "qt"], str]:
    """``""`` → no A4 printer; ``"pdf:<folder>"`` → the PDF folder; anything else → the
    Qt printer of that name (``"default"``: the system's default printer)."""
    value = value.strip()
    if not value:
        return "none", ""
    if value.lower().startswith("pdf:"):
        folder = value[4:].strip()
        if not folder:
            raise ValueError("a4_printer = 'pdf:<folder>' needs a folder")
        return "pdf", folder
    return "qt", value


def count_pdf_pages(data: bytes) -> int:
    """Pages of a PDF (the number of ``/Type /Page`` objects; reportlab writes them plainly)."""
    if not data.startswith(b"%PDF"):
        raise ValueError("not a PDF")
    return max(1, data.count(b"/Type /Page") - data.count(b"/Type /Pages"))
