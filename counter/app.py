"""``onewindow-counter``: the window-staff app (one entry point wires everything, STYLE.md 5)."""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from common.bootstrap import Hall, SchemaOutOfDate, open_hall, setup_logging
from common.config import ConfigError
from common.db.engine import DatabaseUnavailable
from common.qt.i18n import Translations
from common.qt.pyside_compat import protect_singletons
from common.qt.queue_events import QueueEventBridge
from common.qt.theme import apply_theme
from common.qt.worker import TaskRunner
from common.staff import StaffView, authenticate
from counter.login_dialog import LoginDialog
from counter.main_window import CounterWindow
from counter.session import CounterSession, record_logout

__all__ = ["CounterApp", "main", "parse_args"]

log = logging.getLogger("counter")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="onewindow-counter", description="OneWindow counter (窗口叫号与受理)")
    parser.add_argument("--config", help="the hall's TOML file (default: $ONEWINDOW_CONFIG or the user config folder)")
    parser.add_argument("--window", type=int, help="preselect this window number at login")
    parser.add_argument("--windowed", action="store_true", help="do not maximise the window")
    parser.add_argument("--reader", metavar="PORT", help="ID card reader port (overrides [reader].port)")
    parser.add_argument("--language", choices=("zh_CN", "en"), default="zh_CN")
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args(argv)


class CounterApp:
    """Login → counter window → logout → login … for one PC, with its devices."""

    def __init__(self, app: QApplication, hall: Hall, args: argparse.Namespace) -> None:
        self.app, self.hall, self.args = app, hall, args
        self.station = socket.gethostname()[:32]
        self.runner = TaskRunner(app)
        self.translations = Translations(app, ("counter",))
        self.translations.set_language(args.language)
        self.window: CounterWindow | None = None
        self.bridge = QueueEventBridge(hall.queue, app, poll_interval=0.5)
        self.reader = self._open_reader()
        self._printer_timer = QTimer(app)
        self._printer_timer.setInterval(30_000)
        self._printer_timer.timeout.connect(self._check_printer)
        self._printer = self._open_printer()
        app.aboutToQuit.connect(self._shutdown)

    # -- devices ---------------------------------------------------------------------

    def _open_reader(self) -> object | None:
        port = self.args.reader or self.hall.settings.reader.port
        if not port:
            return None
        from common.devices.idcard.reader import SerialCardReader
        from common.qt.idcard import QtCardReader

        reader_settings = self.hall.settings.reader.model_copy(update={"port": port})
        return QtCardReader(SerialCardReader.from_settings(reader_settings), self.app)

    def _open_printer(self) -> object | None:
        try:
            from common.devices.printer import open_printer

            return open_printer(self.hall.settings.printer)
        except Exception as exc:  # a missing font or driver must not stop the queue
            log.warning("printer unavailable: %s", exc)
            return None

    def _check_printer(self) -> None:
        printer = self._printer
        if printer is None or self.window is None:
            return
        window = self.window

        def status() -> object:
            return printer.status()  # type: ignore[attr-defined]

        def show(result: object) -> None:
            state = getattr(getattr(result, "state", None), "value", "unknown")
            window.status.set_printer(str(state), str(getattr(result, "detail", "")))

        self.runner.submit(status, show, lambda exc: window.status.set_printer("unreachable", str(exc)))

    # -- flow ------------------------------------------------------------------------

    def login(self) -> bool:
        hall = self.hall

        def check(username: str, password: str) -> StaffView:
            return authenticate(hall.db, username, password, station=self.station)

        windows = [(w.number, w.name or f"{w.number}号窗口") for w in hall.settings.windows]
        dialog = LoginDialog(
            check,
            windows,
            self.runner,
            hall_name=hall.settings.hall.name,
            preselect=self.args.window,
            station=self.station,
            english=self.translations.language == "en",
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session is None:
            return False
        self.show_counter(dialog.session)
        return True

    def show_counter(self, session: CounterSession) -> None:
        window = CounterWindow(
            self.hall.queue,
            session,
            self.runner,
            hall_name=self.hall.settings.hall.name,
            english=self.translations.language == "en",
        )
        self.bridge.events.connect(window.on_queue_events)
        self.bridge.connection_changed.connect(window.on_connection)
        window.call_panel.action_done.connect(lambda _a: self.bridge.wake())
        window.logout_requested.connect(self.logout)
        window.language_requested.connect(self.set_language)
        if self.reader is not None:
            self.reader.card_read.connect(window.on_card)  # type: ignore[attr-defined]
            self.reader.reader_status.connect(window.on_reader_status)  # type: ignore[attr-defined]
            self.reader.start()  # type: ignore[attr-defined]
        else:
            window.status.set_reader("stopped", "")
        self.window = window
        if self.args.windowed:
            window.resize(1366, 768)
            window.show()
        else:
            window.showMaximized()
        window.start()
        self.bridge.start()
        self._printer_timer.start()
        self._check_printer()

    def set_language(self, language: str) -> None:
        self.translations.set_language(language)
        if self.window is not None:
            self.window.set_english(language == "en")

    def logout(self) -> None:
        window, self.window = self.window, None
        if window is None:
            return
        try:
            record_logout(self.hall.db, window.session)
        except DatabaseUnavailable as exc:
            log.warning("logout not audited: %s", exc)
        self.bridge.events.disconnect(window.on_queue_events)
        self.bridge.connection_changed.disconnect(window.on_connection)
        if self.reader is not None:
            self.reader.card_read.disconnect(window.on_card)  # type: ignore[attr-defined]
            self.reader.reader_status.disconnect(window.on_reader_status)  # type: ignore[attr-defined]
        window.close()
        window.deleteLater()
        if not self.login():
            self.app.quit()

    def _shutdown(self) -> None:
        self.bridge.stop()
        self.runner.wait(5000)
        self.hall.close()


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    log.critical("unhandled error", exc_info=(kind, value, tb))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    protect_singletons()
    setup_logging("counter", verbose=args.verbose)
    sys.excepthook = _excepthook
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("OneWindow Counter")
    app.setOrganizationName("OneWindow")
    apply_theme(app, "counter")
    try:
        hall = open_hall(args.config)
    except (ConfigError, SchemaOutOfDate, DatabaseUnavailable) as exc:
        log.error("%s", exc)
        QMessageBox.critical(None, "OneWindow", str(exc))
        return 2
    counter = CounterApp(app, hall, args)
    if not counter.login():
        hall.close()
        return 0
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
