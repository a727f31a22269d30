"""``onewindow-kiosk``: the entry point that wires settings, hall database, devices and window.

One place builds everything (STYLE.md habit 5) and hands it in; nothing here is global. The
kiosk refuses to start twice on one PC (a :class:`QLockFile` in the data folder), hides the
mouse cursor when full screen, and keeps running when the database or a device is briefly
away: those are banners, never a crash.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

_STARTED = time.perf_counter()  # for --exit-after-first-frame (the benchmark's cold start)

# The Qt-free half of the start is imported before PySide6: once PySide6 is in, its __feature__
# import hook reads the source of every module imported after it, looking for "PySide6", and
# SQLAlchemy, pydantic, python-escpos and Pillow are ~600 modules: about 0.1 s of CPU at every
# cold start (docs/PERFORMANCE.md). The printer stack is built before the first frame anyway.
from common.bootstrap import Hall, SchemaOutOfDate, open_hall  # noqa: E402
from common.config import ConfigError, Settings, data_dir, load_settings  # noqa: E402
from common.db.engine import DatabaseDamaged, DatabaseUnavailable, open_database  # noqa: E402
from common.devices.a4.base import A4Printer  # noqa: E402
from common.devices.printer.connections import open_printer  # noqa: E402
from common.devices.printer.jobs import PrintJobBuilder  # noqa: E402
from common.devices.printer.queue import PrintQueue  # noqa: E402
from common.queue.service import QueueService  # noqa: E402

# isort: split
from PySide6.QtCore import QEvent, QLockFile, QObject, Qt  # noqa: E402
from PySide6.QtGui import QCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from common.qt.app import start_application, window_size  # noqa: E402
from common.qt.i18n import Translations  # noqa: E402

__all__ = ["KioskRuntime", "build_runtime", "main", "parse_args"]

log = logging.getLogger("kiosk")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="onewindow-kiosk", description="一窗通 自助取号机 / OneWindow kiosk"
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="the hall's TOML file (default: $ONEWINDOW_CONFIG or the user config folder)",
    )
    parser.add_argument("--windowed", action="store_true", help="run in a window, not full screen")
    parser.add_argument(
        "--size", type=window_size, help="window size WxH, e.g. 1080x1920 (portrait) or 1920x1080"
    )
    parser.add_argument(
        "--reader",
        metavar="PORT",
        help=(
            "ID card reader port (COM3, /dev/ttyUSB0, a pyserial URL); overrides [reader] port; "
            '"" for none'
        ),
    )
    parser.add_argument(
        "--printer-dir",
        type=Path,
        metavar="DIR",
        help="print tickets as PNG files into DIR (the demo printer)",
    )
    parser.add_argument(
        "--station", default="kiosk-1", help="this kiosk's name for tickets and device alerts"
    )
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    parser.add_argument("--exit-after-first-frame", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def settings_for(args: argparse.Namespace) -> Settings:
    """The hall's settings with the command line's overrides applied (validated again)."""
    settings = load_settings(args.config)
    data = settings.model_dump()
    if args.reader is not None:
        # --reader "" means no reader on this PC, not "the TOML's port": a kiosk and a counter
        # on one PC must not both open the same port (hall trial, issue 15).
        data["reader"]["port"] = args.reader.strip()
    if args.printer_dir:
        data["printer"]["connection"] = "png"
        data["printer"]["png_dir"] = str(args.printer_dir)
    if args.windowed:
        data["kiosk"]["full_screen"] = False
    return Settings.model_validate(data)


@dataclass
class KioskRuntime:
    """What ``main()`` built, so it can be torn down in the right order."""

    app: QApplication
    settings: Settings
    hall: Hall
    window: object
    closers: list[object] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self.closers):
            try:
                closer()  # type: ignore[operator]
            except Exception:
                log.exception("shutting down %r failed", closer)
        self.closers.clear()


def _open_hall(settings: Settings) -> Hall:
    try:
        return open_hall(settings=settings)
    except DatabaseDamaged:
        raise  # no banner will cure a damaged file: a person must restore it (main() says so)
    except DatabaseUnavailable as exc:
        # The database is away right now; start anyway and let the banner and retries handle it.
        log.warning("hall database unavailable at start (%s); starting with the banner", exc.detail)
        db = open_database(settings.database.resolved_url(), echo=settings.database.echo)
        return Hall(settings=settings, db=db, queue=QueueService(db, settings))


def a4_printer(setting: str) -> A4Printer | None:
    """证照打印's A4 printer from ``[kiosk] a4_printer``: none, a PDF folder, or a Qt printer."""
    from common.devices.a4 import PdfFolderPrinter, parse_a4_setting

    kind, value = parse_a4_setting(setting)
    if kind == "pdf":
        return PdfFolderPrinter(Path(value).expanduser())
    if kind == "qt":
        from common.qt.a4_printer import QtA4Printer

        return QtA4Printer(value)
    return None


def build_runtime(app: QApplication, args: argparse.Namespace) -> KioskRuntime:
    """Settings, hall, printer, reader, speaker, translations and the window (not shown yet)."""
    from common.qt.print_events import QtPrintEvents
    from kiosk.printing import TicketPrinting
    from kiosk.window import KioskWindow

    settings = settings_for(args)
    hall = _open_hall(settings)
    runtime = KioskRuntime(app=app, settings=settings, hall=hall, window=None)
    runtime.closers.append(hall.close)

    builder = PrintJobBuilder(settings.printer)  # FontError here: no CJK font, say so at start
    printer = open_printer(settings.printer, builder.font)
    spool = data_dir() / "spool" / args.station
    print_queue = PrintQueue(printer, spool_dir=spool)
    printing = TicketPrinting(settings, builder, print_queue)
    runtime.closers.append(printer.close)
    runtime.closers.append(print_queue.stop)  # closers run in reverse: the queue stops first

    speaker = None
    if settings.kiosk.voice != "off":
        from common.qt.voice import EspeakSpeaker

        program = EspeakSpeaker.find()
        if program is not None:
            speaker = EspeakSpeaker(program, app)  # Mandarin voice; English prompts in English
        else:
            log.info("no espeak-ng on this PC; voice prompts are off")

    translations = Translations(app, ("kiosk",))
    window = KioskWindow(
        settings,
        hall.queue,
        station=args.station,
        printing=printing,
        speaker=speaker,
        translations=translations,
        a4=a4_printer(settings.kiosk.a4_printer),
    )
    runtime.window = window
    runtime.closers.insert(1, window.shutdown)

    events = QtPrintEvents(print_queue, window)
    events.print_event.connect(window.on_print_event)
    events.attach()
    runtime.closers.append(events.detach)
    print_queue.start()

    if settings.reader.port:
        from common.devices.idcard.reader import SerialCardReader
        from common.qt.idcard import QtCardReader

        reader = QtCardReader(SerialCardReader.from_settings(settings.reader), window)
        reader.card_read.connect(window.on_card)
        reader.reader_status.connect(window.on_reader_status)
        reader.start()
        runtime.closers.append(reader.stop)
    else:
        log.info("no ID card reader configured; card-required services will ask staff for help")
        window.flow.no_reader()

    if settings.kiosk.scanner:
        # The receipt QR scanner for 办件查询 (serial / USB-COM, or keyboard wedge).
        from common.devices.scanner.factory import scanner_from_settings
        from common.qt.scanner import QtScanner

        device = scanner_from_settings(settings.kiosk)
        if device is not None:
            scanner = QtScanner(device, window)
            window.attach_scanner(scanner)
            runtime.closers.append(scanner.detach)
    return runtime


class _FirstFrame(QObject):
    """Prints the time from process start to the window's first paint, then quits (benchmark)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            print(f"first-frame-ms {(time.perf_counter() - _STARTED) * 1000:.0f}", flush=True)
            self._app.quit()
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # No theme yet: the window applies it with the visitor's print size (KioskWindow.apply_mode).
    app = start_application("kiosk", "onewindow-kiosk", verbose=args.verbose)

    data_dir().mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir() / "kiosk.lock"))
    lock.setStaleLockTime(0)  # only a lock whose process is gone is stale, however old
    if not lock.tryLock(200):
        log.error("another kiosk is already running on this PC")
        if not args.exit_after_first_frame:
            QMessageBox.critical(
                None, "一窗通", "取号机程序已在运行。\nThe kiosk is already running on this PC."
            )
        return 2

    try:
        runtime = build_runtime(app, args)
    except (ConfigError, SchemaOutOfDate, DatabaseDamaged) as exc:
        log.error("%s", exc)
        # The hall file's and the schema's messages are English; the person at the kiosk may not be.
        detail = exc.bilingual if isinstance(exc, DatabaseDamaged) else str(exc)
        QMessageBox.critical(
            None,
            "一窗通",
            f"取号机无法启动：设置文件或数据库需要处理，请联系技术人员。\n"
            f"The kiosk cannot start:\n{detail}",
        )
        lock.unlock()
        return 2
    except Exception as exc:  # FontError, printer config …: tell the person installing it
        log.exception("kiosk failed to start")
        QMessageBox.critical(None, "一窗通", f"取号机无法启动 / The kiosk cannot start:\n{exc}")
        lock.unlock()
        return 1

    from kiosk.window import KioskWindow

    window = runtime.window
    assert isinstance(window, KioskWindow)
    if args.size:
        window.resize(*args.size)
    else:
        window.resize(1080, 1920)
    window.start()
    if args.exit_after_first_frame:
        window.installEventFilter(_FirstFrame(app))
    if runtime.settings.kiosk.full_screen:
        # Citizens touch; a mouse pointer on a kiosk only confuses.
        app.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        window.showFullScreen()
    else:
        window.show()
    app.aboutToQuit.connect(runtime.close)
    try:
        return app.exec()
    finally:
        runtime.close()
        lock.unlock()


if __name__ == "__main__":
    sys.exit(main())
