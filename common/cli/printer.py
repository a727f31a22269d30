"""``onewindow print-test PRINTER``: print a test ticket and report the printer's status.

PRINTER is the configured printer's name or a connection spec (``dummy``, ``png:DIR``,
``file:/dev/usb/lp0``, ``network:HOST:9100``, ``serial:COM3``, ``usb:0x0416:0x5011``,
``win32raw:NAME``). Exit codes: 0 printed, 1 printer trouble (status or send), 2 configuration
(bad spec, no CJK font).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from common.config import load_settings

__all__ = ["register", "run_print_test"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "print-test",
        help="print a test ticket and report printer status",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "printer", metavar="PRINTER", help="configured printer name or connection spec"
    )
    parser.add_argument("--mode", choices=("raster", "native"), help="override the configured mode")
    parser.add_argument("--paper", type=int, choices=(58, 80), help="override the paper width (mm)")
    parser.add_argument(
        "--status-only", action="store_true", help="only ask for status, print nothing"
    )
    parser.set_defaults(func=run_print_test)


def run_print_test(args: argparse.Namespace) -> int:
    # Imported here so `onewindow --help` stays fast and works without the printing stack.
    from common.devices.printer import (
        DummyPrinter,
        PngFolderPrinter,
        PrinterConfigError,
        PrinterError,
        PrintJobBuilder,
        open_printer,
        settings_from_spec,
    )
    from common.documents.data import TicketData
    from common.documents.fonts import FontError
    from common.queue.no_show import hall_notices

    settings = load_settings(getattr(args, "config", None))
    try:
        printer_settings = settings_from_spec(args.printer, settings.printer)
        overrides: dict[str, Any] = {}
        if args.mode:
            overrides["mode"] = args.mode
        if args.paper:
            overrides["paper_mm"] = args.paper
        if overrides:
            printer_settings = printer_settings.model_validate(
                {**printer_settings.model_dump(), **overrides}
            )
        builder = PrintJobBuilder(printer_settings)
        printer = open_printer(printer_settings, builder.font)
    except (PrinterConfigError, FontError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    s = printer_settings
    print(
        f"printer {s.name}: {s.connection}, {s.mode}, {s.paper_mm} mm, "
        f"profile {s.profile}, font {builder.font.label}"
    )
    status = printer.status()
    print(f"status: {status}")
    if args.status_only:
        return 0 if status.state.can_print or status.state.value == "unknown" else 1
    if status.state.value in ("paper_out", "offline", "unreachable"):
        print(
            "not printing: the printer cannot take a job now / 打印机当前无法打印", file=sys.stderr
        )
        return 1
    ticket = TicketData(
        hall_name=settings.hall.name,
        service_name="打印测试 Print test",
        number="T001",
        waiting_ahead=3,
        issued_at=dt.datetime.now(settings.hall.tz).replace(tzinfo=None),
        estimated_wait_minutes=12,
        progress_url="https://example.invalid/onewindow/print-test",
        green_channel=True,
        appointment=True,
        holder_name="测试员",
        notice=hall_notices(settings),
    )
    job = builder.ticket(ticket)
    try:
        printer.send(job)
    except PrinterError as exc:
        print(f"print failed / 打印失败: {exc}", file=sys.stderr)
        return 1
    finally:
        printer.close()
    print(f"sent job {job.job_id}: {len(job.data)} bytes")
    if isinstance(printer, PngFolderPrinter):
        print(f"written to {printer.folder}")
    if isinstance(printer, DummyPrinter):
        print(f"dummy output: {len(printer.output)} bytes")
    return 0
