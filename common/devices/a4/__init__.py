"""The kiosk's A4 printer as a device, like the ID card reader and the thermal printer.

A small interface (:class:`A4Printer`: ``status()`` and ``print_pdf(data, job_name)``) and its
implementations:

* :class:`PdfFolderPrinter` — writes each job as a PDF file into a folder (the demo, or a hall
  that files copies), atomically: a half-written file never carries the final name;
* :class:`FakeA4Printer` — tests: a paper tray that runs out mid-job, offline, a job log;
* ``common.qt.a4_printer.QtA4Printer`` — a real printer through QtPrintSupport (Qt lives
  only in ``common.qt``), chosen by :func:`a4_printer_from_config` when the setting is a
  printer's name.

Status uses the thermal printer's words (:class:`~common.devices.printer.status.PrinterState`),
so the hall manager's alert strip shows 缺纸 / 脱机 the same way for both printers. A failed
job raises :class:`~common.devices.printer.status.PrinterError` (or a subclass): the caller
records only a print that returned, so a job is never recorded, or retried, twice.
"""

from __future__ import annotations

from common.devices.a4.base import A4Printer, parse_a4_setting
from common.devices.a4.fake import FakeA4Printer
from common.devices.a4.folder import PdfFolderPrinter

__all__ = ["A4Printer", "FakeA4Printer", "PdfFolderPrinter", "parse_a4_setting"]
