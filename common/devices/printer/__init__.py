"""Thermal printing: layouts → ESC/POS (python-escpos), connections, status, print queue, fakes.

Typical wiring at start-up (one entry point, STYLE.md 5)::

    builder = PrintJobBuilder(settings.printer)        # resolves the CJK font, or FontError
    printer = open_printer(settings.printer, builder.font)
    queue = PrintQueue(printer, spool_dir=data_dir() / "spool" / settings.printer.name)
    queue.add_listener(on_print_event)                 # called on the worker thread
    queue.start()
    queue.submit(builder.ticket(ticket_data))
"""

from common.devices.printer.connections import (
    DummyPrinter,
    EscposPrinter,
    PngFolderPrinter,
    TicketPrinter,
    open_printer,
    settings_from_spec,
)
from common.devices.printer.fake import FakePrinter
from common.devices.printer.jobs import PrintJob, PrintJobBuilder
from common.devices.printer.layouts import Layout, Paper
from common.devices.printer.queue import PrintEvent, PrintEventKind, PrintQueue, PrintQueueListener
from common.devices.printer.status import (
    PaperOutError,
    PrinterConfigError,
    PrinterError,
    PrinterOfflineError,
    PrinterState,
    PrinterStatus,
)

__all__ = [
    "DummyPrinter",
    "EscposPrinter",
    "FakePrinter",
    "Layout",
    "Paper",
    "PaperOutError",
    "PngFolderPrinter",
    "PrintEvent",
    "PrintEventKind",
    "PrintJob",
    "PrintJobBuilder",
    "PrintQueue",
    "PrintQueueListener",
    "PrinterConfigError",
    "PrinterError",
    "PrinterOfflineError",
    "PrinterState",
    "PrinterStatus",
    "TicketPrinter",
    "open_printer",
    "settings_from_spec",
]
