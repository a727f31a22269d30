"""``onewindow-counter``: the window-staff app (one entry point wires everything, STYLE.md 5)."""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from common.bootstrap import Hall
from common.db.engine import DatabaseUnavailable
from common.devices.idcard.reader import ReaderStatus
from common.manager.staffing import change_password
from common.qt.app import open_hall_or_explain, start_application
from common.qt.i18n import Translations
from common.qt.queue_events import QueueEventBridge
from common.qt.worker import TaskRunner
from common.staff import (
    HEARTBEAT_INTERVAL,
    StaffView,
    authenticate,
    claim_window,
    heartbeat_window,
    release_window,
)
from counter.login_dialog import LoginDialog
from counter.main_window import CounterWindow
from counter.session import CounterSession, record_logout

if TYPE_CHECKING:  # imported when used: a counter without a reader or printer never loads them
    from common.devices.printer import TicketPrinter
    from common.devices.printer.status import PrinterStatus
    from common.qt.idcard import QtCardReader
    from common.qt.sync_status import QtSyncStatus
    from common.sync.worker import SyncStatus

__all__ = ["CounterApp", "main", "parse_args"]

log = logging.getLogger("counter")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="onewindow-counter", description="OneWindow counter (窗口叫号与受理)"
    )
    parser.add_argument(
        "--config",
        help="the hall's TOML file (default: $ONEWINDOW_CONFIG or the user config folder)",
    )
    parser.add_argument("--window", type=int, help="preselect this window number at login")
    parser.add_argument("--windowed", action="store_true", help="do not maximise the window")
    parser.add_argument(
        "--reader",
        metavar="PORT",
        help='ID card reader port (overrides [reader].port; "" for none)',
    )
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
        # Devices belong to this PC, not to a login: their last report is kept here and handed
        # to every counter window, so a re-login shows the reader and printer as they are
        # (the hall trial saw "reader: none" and "printer: unknown" after logging out and in).
        self.reader = self._open_reader()
        self.reader_state: tuple[ReaderStatus, str] = (
            (self.reader.status, "") if self.reader is not None else (ReaderStatus.STOPPED, "")
        )
        self.printer_state: tuple[str, str] = ("unknown", "")
        if self.reader is not None:
            self.reader.reader_status.connect(self._reader_reported)
        self._printer_timer = QTimer(app)
        self._printer_timer.setInterval(30_000)
        self._printer_timer.timeout.connect(self._check_printer)
        self._printer = self._open_printer()
        # The sync with the central server: a worker thread of its own, started at the first
        # login and stopped on aboutToQuit; None when the hall's TOML names no server.
        self.sync_status: SyncStatus | None = None
        self.sync = self._open_sync()
        # The intake desk's case engine, receipts and ratings (counter.intake): one set per PC.
        from counter.intake.wiring import build_intake_services

        self.intake = build_intake_services(hall.db, hall.settings, app, thermal=self._printer)
        # The window claim (one counter per window) is renewed while this counter runs; a claim
        # not renewed for a few minutes is free for another counter (common.staff).
        self._heartbeat_timer = QTimer(app)
        self._heartbeat_timer.setInterval(int(HEARTBEAT_INTERVAL.total_seconds() * 1000))
        self._heartbeat_timer.timeout.connect(self._heartbeat)
        app.aboutToQuit.connect(self._shutdown)

    # -- devices ---------------------------------------------------------------------

    def _open_reader(self) -> QtCardReader | None:
        # --reader "" means no reader on this PC, not "the TOML's port": a kiosk and a counter
        # on one PC must not both open the same port (hall trial, issue 15).
        port = self.hall.settings.reader.port if self.args.reader is None else self.args.reader
        if not port:
            return None
        from common.devices.idcard.reader import SerialCardReader
        from common.qt.idcard import QtCardReader

        reader_settings = self.hall.settings.reader.model_copy(update={"port": port})
        return QtCardReader(SerialCardReader.from_settings(reader_settings), self.app)

    def _open_printer(self) -> TicketPrinter | None:
        try:
            from common.devices.printer import open_printer

            return open_printer(self.hall.settings.printer)
        except Exception as exc:  # a missing font or driver must not stop the queue
            log.warning("printer unavailable: %s", exc)
            return None

    def _open_sync(self) -> QtSyncStatus | None:
        central = self.hall.settings.central
        if not central.url:
            return None
        from common.clock import DatabaseClock
        from common.qt.sync_status import QtSyncStatus
        from common.sync.client import client_from_settings
        from common.sync.worker import SyncWorker

        try:
            client = client_from_settings(central)
        except ValueError as exc:
            log.warning("central sync not started: %s", exc)
            return None
        worker = SyncWorker(self.hall.db, client, self.hall.settings, DatabaseClock())
        bridge = QtSyncStatus(worker, self.app)
        bridge.status_changed.connect(self._sync_reported)
        return bridge

    def _sync_reported(self, status: SyncStatus) -> None:
        """The sync worker's status (GUI thread): the status bar, and the manager's strip when
        the backlog is older than the hall's threshold."""
        import datetime as dt

        from counter.device_alerts import sync_alert

        self.sync_status = status
        window = self.window
        if window is None:
            return
        now = dt.datetime.now(dt.UTC)
        window.status.set_sync(status, now, self.hall.settings.hall.tz)
        threshold = dt.timedelta(minutes=self.hall.settings.central.alert_backlog_minutes)
        board, strip = window.device_board, window.device_alerts
        if (
            board is not None
            and strip is not None
            and board.set_sync(sync_alert(status, now, threshold))
        ):
            strip.show_alerts(board.alerts)

    def _reader_reported(self, status: ReaderStatus, message: str) -> None:
        self.reader_state = (status, message)
        if self.window is not None:
            self.window.on_reader_status(status, message)

    def _printer_reported(self, state: str, message: str) -> None:
        self.printer_state = (state, message)
        if self.window is not None:  # whichever window is open now, not the one that asked
            self.window.status.set_printer(state, message)

    def _check_printer(self) -> None:
        printer = self._printer
        if printer is None:
            return

        def show(result: PrinterStatus) -> None:
            self._printer_reported(result.state.value, result.detail)

        def failed(exc: BaseException) -> None:
            self._printer_reported("unreachable", str(exc))

        self.runner.submit(printer.status, show, failed)

    # -- flow ------------------------------------------------------------------------

    def login(self, notice: str = "") -> bool:
        hall, station = self.hall, self.station
        tz = hall.settings.hall.tz

        def check(username: str, password: str) -> StaffView:
            return authenticate(hall.db, username, password, station=station, tz=tz)

        def claim(staff: StaffView, window: int, take_over: bool) -> None:
            claim_window(hall.db, staff, window, station=station, take_over=take_over)

        def change(staff: StaffView, old: str, new: str) -> None:
            change_password(hall.db, staff.id, old, new, station=station)

        windows = [(w.number, w.name) for w in hall.settings.windows]
        dialog = LoginDialog(
            check,
            windows,
            self.runner,
            hall_name=hall.settings.hall.name,
            preselect=self.args.window,
            station=station,
            english=self.translations.language == "en",
            claim=claim,
            notice=notice,
            change_password=change,
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
            intake=self.intake.services,
        )
        self.bridge.events.connect(window.on_queue_events)
        self.bridge.connection_changed.connect(window.on_connection)
        window.call_panel.action_done.connect(lambda _a: self.bridge.wake())
        window.logout_requested.connect(self.logout)
        window.language_requested.connect(self.set_language)
        if self.reader is not None:
            self.reader.card_read.connect(window.on_card)
            self.reader.attach()  # the first login starts it; later ones find it running
        # What the devices last said, at once (a reader may have answered inside attach());
        # the printer is asked again below.
        window.on_reader_status(*self.reader_state)
        if self._printer is not None:
            window.status.set_printer(*self.printer_state)
        else:
            window.status.set_printer("unreachable", "no printer configured")
        self.window = window
        if self.sync is not None:
            self.sync.attach()  # the first login starts the worker; later ones find it running
            if self.sync_status is not None:
                self._sync_reported(self.sync_status)
        if self.args.windowed:
            window.resize(1366, 768)
            window.show()
        else:
            window.showMaximized()
        window.start()
        self.bridge.start()
        self._printer_timer.start()
        self._heartbeat_timer.start()
        self._check_printer()

    def _heartbeat(self) -> None:
        window = self.window
        if window is None:
            return
        db, session = self.hall.db, window.session

        def renewed(ours: bool) -> None:
            if self.window is not window:
                return
            window.call_panel.note_database(ok=True, write=True)
            if not ours:
                # Taken over from another PC (a manager, or this user elsewhere): this counter
                # must stop acting on the window's tickets at once.
                log.warning("window %s was taken over; logging out", session.window)
                self.logout(notice=window.taken_over_notice(), release=False)

        def failed(exc: BaseException) -> None:
            if self.window is not window:
                return
            if isinstance(exc, DatabaseUnavailable):
                window.call_panel.note_database(ok=False, write=True, detail=exc.detail)
            else:
                log.error("window claim heartbeat failed", exc_info=exc)

        self.runner.submit(
            lambda: heartbeat_window(db, session.staff.id, session.window, station=session.station),
            renewed,
            failed,
        )

    def set_language(self, language: str) -> None:
        self.translations.set_language(language)
        if self.window is not None:
            self.window.set_english(language == "en")

    def logout(self, notice: str = "", *, release: bool = True) -> None:
        window, self.window = self.window, None
        if window is None:
            return
        self._heartbeat_timer.stop()
        db, session = self.hall.db, window.session

        def not_audited(exc: BaseException) -> None:
            if isinstance(exc, DatabaseUnavailable):
                log.warning("logout not audited: %s", exc)
            else:
                log.error("logout not audited", exc_info=exc)

        # A database write: on the runner, never on the GUI thread (STYLE.md habit 7).
        self.runner.submit(lambda: record_logout(db, session), None, not_audited)
        if release:
            self._release(session)
        self.bridge.events.disconnect(window.on_queue_events)
        self.bridge.connection_changed.disconnect(window.on_connection)
        if self.reader is not None:
            self.reader.card_read.disconnect(window.on_card)
        window.close()
        window.deleteLater()
        if not self.login(notice):
            self.app.quit()

    def _release(self, session: CounterSession) -> None:
        db = self.hall.db

        def not_released(exc: BaseException) -> None:
            # Not fatal: the claim goes stale by itself after a few minutes.
            log.warning("window %s not released: %s", session.window, exc)

        self.runner.submit(
            lambda: release_window(db, session.staff, session.window, station=session.station),
            None,
            not_released,
        )

    def _shutdown(self) -> None:
        # The reader stops itself on aboutToQuit (QtCardReader); the rest in this order: no new
        # work, work in flight finished, then the devices and the database it used.
        self._printer_timer.stop()
        self._heartbeat_timer.stop()
        self.bridge.stop()
        if self.sync is not None:
            self.sync.detach()  # joins the worker before the database closes
        if self.window is not None:  # quitting while logged in gives the window up too
            self._release(self.window.session)
        self.runner.wait(5000)
        self.intake.shutdown()
        if self._printer is not None:
            self._printer.close()
        self.hall.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    app = start_application("counter", "OneWindow Counter", verbose=args.verbose, theme="counter")
    hall = open_hall_or_explain(args.config, log, title="OneWindow")
    if hall is None:
        return 2
    counter = CounterApp(app, hall, args)
    if not counter.login():
        hall.close()
        return 0
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
