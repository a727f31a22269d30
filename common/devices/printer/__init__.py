"""Thermal printing: layouts → ESC/POS (python-escpos), connections, status, print queue, fakes.

Typical wiring at start-up (one entry point, STYLE.md 5)::

    builder = PrintJobBuilder(settings.printer)        # resolves the CJK font, or FontError
    printer = open_printer(settings.printer, builder.font)
    queue = PrintQueue(printer, spool_dir=data_dir() / "spool" / settings.printer.name)
    queue.add_listener(on_print_event)                 # called on the worker thread
    queue.start()
    queue.submit(builder.ticket(ticket_data))
"""

from common.config import data_dir as _data_dir
from common.devices.printer.escpos_cache import (
    load_escpos_capabilities as _load_escpos_capabilities,
)

# Before anything imports escpos: python-escpos parses and caches its printer capabilities at
# import time, and must never rewrite a cache another program is reading (escpos_cache.py).
_load_escpos_capabilities(_data_dir() / "cache" / "escpos")

from common.devices.printer.connections import (  # noqa: E402
    DummyPrinter,
    EscposPrinter,
    PngFolderPrinter,
    TicketPrinter,
    open_printer,
    settings_from_spec,
)
from common.devices.printer.fake import FakePrinter  # noqa: E402
from common.devices.printer.jobs import PrintJob, PrintJobBuilder  # noqa: E402
from common.devices.printer.layouts import Layout, Paper  # noqa: E402
from common.devices.printer.queue import PrintEvent, PrintEventKind, PrintQueue, PrintQueueListener  # noqa: E402
from common.devices.printer.status import (  # noqa: E402
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
