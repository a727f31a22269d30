"""Thermal printing: layouts → ESC/POS (python-escpos), connections, status, print queue, fakes.

Typical wiring at start-up (one entry point, STYLE.md 5)::

    builder = PrintJobBuilder(settings.printer)        # resolves the CJK font, or FontError
    printer = open_printer(settings.printer, builder.font)
    queue = PrintQueue(printer, spool_dir=data_dir() / "spool" / settings.printer.name)
    queue.add_listener(on_print_event)                 # called on the worker thread
    queue.start()
    queue.submit(builder.ticket(ticket_data))
"""

import os as _os
import platform as _platform
import shutil as _shutil
import tempfile as _tempfile

from common.config import data_dir as _data_dir


def _persistent_escpos_cache() -> None:
    """Keep python-escpos's parsed printer capabilities between runs.

    Without ESCPOS_CAPABILITIES_PICKLE_DIR, python-escpos parses a 1 MB YAML file (about a
    second on a kiosk PC) into a fresh temporary folder on every start and leaves that folder
    behind. It must be set before escpos is first imported, hence here, before our imports.
    python-escpos writes its pickle in place, so a second program starting at the same moment
    (kiosk and counter on one PC) could read it half-written; the first build therefore
    happens in a private folder and is published with an atomic rename.
    """
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in _os.environ:
        return
    folder = _data_dir() / "cache" / "escpos"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only data folder only costs start-up time
    name = f"{_platform.python_version()}.capabilities.pickle"
    if (folder / name).exists():
        _os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(folder)
        return
    private = _tempfile.mkdtemp(prefix="build-", dir=folder)
    _os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = private
    import escpos.capabilities  # noqa: F401  (builds the pickle in `private`)

    try:
        _os.replace(_os.path.join(private, name), folder / name)
    except OSError:
        pass  # another program published it first, or escpos changed its file name
    _shutil.rmtree(private, ignore_errors=True)


_persistent_escpos_cache()

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
