"""The kiosk window: header, banners, the screen stack and footer; the flow's Qt-side ports.

:class:`KioskWindow` owns a :class:`~kiosk.flow.KioskFlow` and implements its ports: database
and device I/O go through :class:`~common.qt.worker.TaskRunner` (never on the GUI thread),
reader and print-queue events arrive through their Qt adapters (already on the GUI thread),
and every state change is drawn by :meth:`KioskWindow.show_state`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from common.config import Settings
from common.devices.a4.base import A4Printer
from common.devices.idcard.card import IdentityCard
from common.devices.idcard.reader import ReaderStatus
from common.devices.printer.queue import PrintEvent, PrintEventKind
from common.devices.printer.status import PrinterState
from common.devices.scanner.base import ScannerStatus
from common.intake.lookup import ProgressLookup
from common.manager.actions import latest_notice
from common.qt.i18n import Translations, fill
from common.qt.scanner import QtScanner
from common.qt.theme import style_sheet
from common.qt.voice import Speaker
from common.qt.worker import TaskRunner
from common.queue.no_show import hall_notices
from common.queue.service import Holder, QueueService, ServiceStatus, TicketView
from common.selfservice.checkin import KioskCheckins
from common.selfservice.prints import KioskPrints
from common.selfservice.rating import KioskRatings
from kiosk.flow import IssueRequest, KioskFlow, KioskState, Prompt, Screen
from kiosk.models import ServiceListModel
from kiosk.printing import TicketPrinting
from kiosk.screens.admin import AdminScreen
from kiosk.screens.admin_pin import AdminPinScreen
from kiosk.screens.base import say
from kiosk.screens.card import CardScreen
from kiosk.screens.certificates import CertificatesPage
from kiosk.screens.checkin import CheckinPage
from kiosk.screens.green import GreenScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.issuing import IssuingScreen
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.selfservice import SelfServicePage
from kiosk.screens.ticket import TicketScreen
from kiosk.texts import green_reason_text, prompt_text, tr
from kiosk.theme import scale_for, scale_style_sheet
from kiosk.widgets import AdminCorner, TouchButton, label

__all__ = ["KioskWindow"]

log = logging.getLogger(__name__)

_TICK_MS = 250


class KioskWindow(QWidget):
    """The whole kiosk UI. Build it in ``main()`` (or a test) and call :meth:`start`.

    ``inline`` runners (tests) make database calls synchronous; ``apply_styles=False`` skips
    the app-wide style sheet (unit tests that do not look at pixels).
    """

    exit_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        queue: QueueService,
        *,
        station: str = "kiosk-1",
        printing: TicketPrinting | None = None,
        speaker: Speaker | None = None,
        translations: Translations | None = None,
        runner: TaskRunner | None = None,
        print_runner: TaskRunner | None = None,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], dt.date] | None = None,
        apply_styles: bool = True,
        tick_ms: int = _TICK_MS,
        progress: ProgressLookup | None = None,
        a4: A4Printer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if today is None:
            # The hall's day, not this PC's: a kiosk whose PC runs on UTC would otherwise look
            # for "today's" services and hand-overs on yesterday from 00:00 to 08:00 hall time.
            tz = settings.hall.tz

            def hall_today() -> dt.date:
                return dt.datetime.now(tz).date()

            today = hall_today
        self.setObjectName("kiosk")
        self.setWindowTitle("一窗通 · 自助取号")
        self.settings = settings
        self.queue = queue
        self.station = station
        self.printing = printing
        self.speaker = speaker
        self.translations = translations
        self.apply_styles = apply_styles
        # Database work in order on one worker; printing on its own so a slow raster never
        # delays the next citizen's number.
        self.runner = runner or TaskRunner(self)
        self.print_runner = print_runner or TaskRunner(self)
        # Per device ("printer", "reader"): the last report not yet stored, and those in flight.
        # An alert lost while the database was away is sent again when it answers.
        self._pending_reports: dict[str, tuple[str, str, bool]] = {}
        self._reporting: set[str] = set()
        self.model = ServiceListModel(self)
        self.flow = KioskFlow(settings, self, clock=clock, today=today)
        # 办件查询 and the other self-service pages: their own flow, reached from home.
        self.progress = progress or ProgressLookup(queue.db, settings)
        self.scanner: QtScanner | None = None
        self._scanner_gone = False
        self._clock, self._today = clock, today
        self.a4 = a4  # 证照打印's A4 printer ([kiosk] a4_printer); None: the slip, if any
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._on_tick)
        self._last_clock = ""
        self._elderly = False
        self._scale = 0.0  # of the style sheet applied; 0: none yet

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        flow = self.flow
        self.hall_name = label("hallName", wrap=True)
        self.admin_corner = AdminCorner(self.hall_name)
        self.admin_corner.triggered.connect(flow.admin_request)
        self.clock_label = label(
            "clock", wrap=False, align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.language_button = TouchButton("", "header")
        self.language_button.clicked.connect(self._toggle_language)
        self.elderly_button = TouchButton("", "header")
        self.elderly_button.clicked.connect(flow.toggle_elderly)
        header = QFrame()
        header.setObjectName("header")
        column = self.header_column = QVBoxLayout(header)
        column.setContentsMargins(24, 8, 24, 8)
        column.setSpacing(4)
        # The hall name moves up here, on a row of its own, when it does not fit beside the
        # clock and buttons (see _arrange_header).
        self.header_name_row = QHBoxLayout()
        self.header_row = QHBoxLayout()
        self.header_row.addWidget(self.admin_corner, 1)
        self.header_row.addWidget(self.clock_label)
        self.header_row.addWidget(self.language_button)
        self.header_row.addWidget(self.elderly_button)
        column.addLayout(self.header_name_row)
        column.addLayout(self.header_row)

        self.db_banner = label("dbBanner", align=Qt.AlignmentFlag.AlignCenter)
        self.printer_banner = label("printerBanner", align=Qt.AlignmentFlag.AlignCenter)
        # The hall manager's notice line (common.manager.actions.broadcast_notice), on home.
        self.manager_notice = ""
        self.notice_banner = label("noticeBanner", align=Qt.AlignmentFlag.AlignCenter)
        self.holder_banner, self.holder_text, self.holder_clear = self._banner(
            "holderBanner", flow.forget_card
        )
        self.green_banner, self.green_text, self.green_clear = self._banner(
            "greenBanner", flow.clear_green
        )

        self.home = HomeScreen(flow, self.model, on_self_service=self.open_self_service)
        self.card = CardScreen(flow)
        self.issuing = IssuingScreen()
        self.ticket = TicketScreen(flow)
        self.notice = NoticeScreen(flow)
        self.green = GreenScreen(flow)
        self.admin_pin = AdminPinScreen(flow)
        self.admin = AdminScreen(flow, self.station)
        self.selfservice = SelfServicePage(
            self.settings,
            self.progress,
            self.runner,
            on_leave=flow.leave_self_service,
            speaker=self.speaker,
            ratings=KioskRatings(self.queue.db, self.settings, self.queue.clock),
            voice_on=self._voice_on,
            clock=self._clock,
            today=self._today,
        )
        # 预约签到: its own pages and flow; the ticket leaves through this kiosk's ticket screen.
        self.checkin = CheckinPage(
            KioskCheckins(self.queue),
            self.runner,
            on_leave=flow.leave_self_service,
            on_ticket=flow.checked_in,
            station=self.station,
            speaker=self.speaker,
            voice_on=self._voice_on,
            clock=self._clock,
        )
        # 证照打印 (and 补打回执 for 办件查询's answer): shown for Screen.SELF_SERVICE while its
        # flow is active (kiosk.certprint).
        self.certificates = CertificatesPage(
            KioskPrints(self.queue.db, self.settings, self.queue.clock, station=self.station),
            self.runner,
            self.print_runner,
            on_leave=flow.leave_self_service,
            a4=self.a4,
            thermal=(self.printing.builder, self.printing.queue) if self.printing else None,
            report_device=self._report_device,
            idle_seconds=self.settings.kiosk.idle_seconds,
            speaker=self.speaker,
            voice_on=self._voice_on,
            clock=self._clock,
            today=self._today,
        )
        cases = self.selfservice.cases_page
        cases.on_reprint = lambda number: self.certificates.reprints.request(
            number, self.selfservice.flow.card_holder
        )
        cases.on_rows_changed = self.certificates.reprints.clear
        self.certificates.on_reprints = cases.show_reprints
        self.screens: dict[Screen, QWidget] = {
            Screen.HOME: self.home,
            Screen.CARD: self.card,
            Screen.ISSUING: self.issuing,
            Screen.TICKET: self.ticket,
            Screen.NOTICE: self.notice,
            Screen.GREEN: self.green,
            Screen.ADMIN_PIN: self.admin_pin,
            Screen.ADMIN: self.admin,
            Screen.SELF_SERVICE: self.selfservice,
            Screen.CHECKIN: self.checkin,
        }
        self.stack = QStackedWidget()
        for screen in self.screens.values():
            self.stack.addWidget(screen)
        self.stack.addWidget(self.certificates)
        self._show_page(self.home)

        self.footer = label("footer", align=Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        # Wrapped labels report their minimum height at the layout's narrowest width, which
        # would force a 1080-pixel panel taller than itself; the panel's size is the truth
        # (kiosk.screenshots checks every label still fits at that size).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        for banner in (
            self.db_banner,
            self.printer_banner,
            self.notice_banner,
            self.holder_banner,
            self.green_banner,
        ):
            layout.addWidget(banner)
            banner.hide()
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.footer)

    @staticmethod
    def _banner(name: str, on_clear: Callable[[], None]) -> tuple[QFrame, QLabel, TouchButton]:
        """A banner over the screens: a line of text and a button that takes it back."""
        banner = QFrame()
        banner.setObjectName(name)
        text = label("bannerText")
        clear = TouchButton("", "bannerButton")
        clear.clicked.connect(on_clear)
        row = QHBoxLayout(banner)
        row.setContentsMargins(24, 6, 24, 6)
        row.addWidget(text, 1)
        row.addWidget(clear)
        return banner, text, clear

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        """Install the touch watcher, start the tick timer and show home."""
        app = QApplication.instance()
        if app is not None:
            # Any press anywhere counts as "still here" for the idle time-out.
            app.installEventFilter(self)
        self._timer.start()
        self.flow.start()

    def shutdown(self) -> None:
        """Stop timers and background work; safe to call twice."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.speaker is not None:
            self.speaker.stop()
        self.runner.wait(5000)
        self.print_runner.wait(5000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.flow.touch()
            self.selfservice.flow.touch()
            self.certificates.flow.touch()
            self.checkin.flow.touch()
        elif (
            event.type() == QEvent.Type.KeyPress
            and self.scanner is not None
            and self.scanner.wants_keys
            and isinstance(event, QKeyEvent)
            and not event.isAutoRepeat()
        ):
            # A keyboard-wedge scanner types the code and presses Enter; the kiosk has no text
            # field, so its keys are the scanner's. (Enter arrives as "\r".)
            key_text = (
                "\r" if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else event.text()
            )
            if key_text:
                self.scanner.key_pressed(key_text)
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        portrait = event.size().height() > event.size().width()
        self.home.set_columns(2 if portrait else 4)
        self.ticket.set_landscape(not portrait)
        self.green.set_landscape(not portrait)
        self.selfservice.set_landscape(not portrait)
        self.certificates.set_landscape(not portrait)
        self.checkin.set_landscape(not portrait)
        if self._scale and scale_for(event.size().width(), event.size().height()) != self._scale:
            self._apply_style()
        self._arrange_header()

    def _apply_style(self) -> None:
        """The theme for the visitor's print size, scaled to this window (kiosk.theme)."""
        app = QApplication.instance()
        if not (self.apply_styles and isinstance(app, QApplication)):
            return
        self._scale = scale_for(self.width(), self.height())
        sheet = style_sheet("kiosk", elderly=self._elderly)
        app.setStyleSheet(scale_style_sheet(sheet, self._scale, elderly=self._elderly))
        self._arrange_header()

    def _arrange_header(self) -> None:
        """Hall name beside the clock and buttons when it fits on one line, else on its own row.

        A wrapped label squeezed beside the buttons would break 示范区政务服务中心 one character
        per line on a 720-pixel panel; on its own row it has the full width.
        """
        row = self.header_row
        margins = self.header_column.contentsMargins()
        controls = sum(
            w.sizeHint().width() + row.spacing()
            for w in (self.clock_label, self.language_button, self.elderly_button)
            if not w.isHidden()
        )
        name = self.hall_name.fontMetrics().horizontalAdvance(self.hall_name.text())
        one_line = name + controls + margins.left() + margins.right() + 8 <= self.width()
        beside = self.header_row.indexOf(self.admin_corner) >= 0
        if one_line and not beside:
            self.header_name_row.removeWidget(self.admin_corner)
            self.header_row.insertWidget(0, self.admin_corner, 1)
        elif not one_line and beside:
            self.header_row.removeWidget(self.admin_corner)
            self.header_name_row.addWidget(self.admin_corner)
        # Without the name beside them, the (right-aligned) clock takes the spare width.
        self.header_row.setStretch(0, 1)

    def _on_tick(self) -> None:
        self.flow.tick()
        self.selfservice.flow.tick()
        self.certificates.flow.tick()
        self.checkin.flow.tick()
        now = dt.datetime.now(self.settings.hall.tz)
        text = now.strftime("%Y-%m-%d %H:%M")
        if text != self._last_clock:
            self._last_clock = text
            self.clock_label.setText(text)

    def _toggle_language(self) -> None:
        self.flow.set_language("en" if self.flow.state.language == "zh_CN" else "zh_CN")

    # ------------------------------------------------------------------ device adapters

    def on_card(self, card: IdentityCard) -> None:
        """From ``QtCardReader.card_read`` (GUI thread). The full number goes no further than
        the queue's keyed hash; the screen gets the masked name."""
        holder = Holder(id_number=card.number, name=card.name, birth_date=card.birth_date)
        if self.flow.state.screen is Screen.SELF_SERVICE and self.certificates.flow.state.active:
            self.flow.card_read(holder, card.masked_name, valid_to=card.valid_to)
            self.certificates.flow.card_read(holder, card.masked_name, valid_to=card.valid_to)
            return
        if self.flow.state.screen is Screen.SELF_SERVICE:
            self.flow.card_read(
                holder, card.masked_name, valid_to=card.valid_to
            )  # only marks it on the reader
            self.selfservice.flow.card_read(holder, card.masked_name, valid_to=card.valid_to)
            return
        if self.flow.state.screen is Screen.CHECKIN:
            self.flow.card_read(holder, card.masked_name, valid_to=card.valid_to)
            expired = card.valid_to is not None and self._today() > card.valid_to
            self.checkin.flow.card_read(holder, card.masked_name, expired=expired)
            return
        self.flow.card_read(holder, card.masked_name, valid_to=card.valid_to)

    def on_reader_status(self, status: ReaderStatus, message: str) -> None:
        """From ``QtCardReader.reader_status`` (GUI thread): the enum itself, never its text."""
        self.flow.reader_status(status, message)
        if status in (
            ReaderStatus.CARD_REMOVED,
            ReaderStatus.NO_CARD,
            ReaderStatus.READ_FAILED,
            ReaderStatus.READER_GONE,
        ):
            # Not only CARD_REMOVED: our driver says "removed" for any card that left, but a
            # reader that only says "read failed" / "no card" must clear the holder's cases too.
            self.selfservice.flow.card_removed()
            self.certificates.flow.card_removed()
            self.checkin.flow.card_removed()

    # ------------------------------------------------------------------ self-service

    def open_self_service(self, entry: str = "lookup") -> None:
        """An entry beside the one-tap button; a card already read on home is used at once."""
        held = self.flow.enter_self_service(
            Screen.CHECKIN if entry == "checkin" else Screen.SELF_SERVICE
        )
        if held is None:
            return
        holder, masked = held
        if entry == "certificates":
            self.certificates.flow.open(holder, masked)
            self.show_state(self.flow.state)  # the certificates page, not 办件查询
            return
        if entry == "checkin":
            self.checkin.flow.open(holder, masked)
        elif entry == "rating":
            self.selfservice.flow.open_rating(holder, masked)
        else:
            self.selfservice.flow.open_lookup(holder, masked)

    def attach_scanner(self, scanner: QtScanner) -> None:
        """The receipt QR scanner (``main()`` builds it from ``[kiosk] scanner``)."""
        self.scanner = scanner
        scanner.scanned.connect(self.on_scanned)
        scanner.scanner_status.connect(self.on_scanner_status)
        scanner.attach()
        self.selfservice.scanner_available = scanner.scanner.status is ScannerStatus.READY

    def on_scanned(self, payload: str) -> None:
        """A code from the scanner (GUI thread): a receipt scanned on home opens 办件查询."""
        if self.flow.state.screen is Screen.HOME:
            self.open_self_service()
        if self.flow.state.screen is Screen.SELF_SERVICE:
            self.selfservice.flow.scanned(payload)

    def on_scanner_status(self, status: ScannerStatus, message: str) -> None:
        available = status is ScannerStatus.READY
        if available != self.selfservice.scanner_available:
            self.selfservice.scanner_available = available
            self.selfservice.show_state(self.flow.state)
        # The hall manager hears of an outage once, and once more when it is back (like the reader).
        if status is ScannerStatus.GONE and not self._scanner_gone:
            self._scanner_gone = True
            log.warning("QR scanner gone: %s", message)
            self._report_device("scanner", status.value, message, True)
        elif status is ScannerStatus.READY and self._scanner_gone:
            self._scanner_gone = False
            self._report_device("scanner", status.value, "", False)

    def _voice_on(self) -> bool:
        mode = self.flow.kiosk.voice
        return mode == "always" or (mode == "elderly" and self.flow.state.elderly)

    def on_print_event(self, event: PrintEvent) -> None:
        """From ``QtPrintEvents.event`` (GUI thread)."""
        self.certificates.on_print_event(event)  # a certificate slip or a reprinted receipt
        if event.kind is PrintEventKind.PRINTED:
            number = self.printing.number_of(event.job_id) if self.printing else None
            if number:
                self.flow.ticket_printed(number)
            self.flow.pending_changed(event.pending)
        elif event.kind in (PrintEventKind.STATUS, PrintEventKind.WAITING, PrintEventKind.FAILED):
            self.flow.printer_state(
                event.status.state, event.message or event.status.detail, event.pending
            )
        elif event.kind is PrintEventKind.QUEUED:
            self.flow.pending_changed(event.pending)

    # ------------------------------------------------------------------ KioskPorts

    def refresh_services(self) -> None:
        self.runner.submit(
            self.queue.service_statuses, self._services_loaded, self.flow.services_failed
        )
        # Today's notice with the tiles (an indexed look-up): shown within one refresh, and
        # read afresh after a restart.
        queue = self.queue
        self.runner.submit(lambda: latest_notice(queue), self.show_notice, lambda _e: None)

    def show_notice(self, text: str) -> None:
        """The manager's notice line on home ("" takes it down)."""
        self.manager_notice = text
        self.notice_banner.setText(text)
        self.notice_banner.setVisible(bool(text) and self.flow.state.screen is Screen.HOME)

    def _services_loaded(self, statuses: Sequence[ServiceStatus]) -> None:
        self.flow.services_loaded(statuses)
        for device, report in list(self._pending_reports.items()):
            if device not in self._reporting:
                # The manager's alert was lost while the database was away; send it now.
                self._report_device(device, *report)

    def issue(self, request: IssueRequest) -> None:
        queue, station = self.queue, self.station

        def work() -> TicketView:
            return queue.issue(
                request.prefix,
                holder=request.holder,
                priority=request.priority,
                green_reason=request.green_reason,
                source=station,
            )

        self.runner.submit(
            work,
            lambda ticket: self.flow.issued(request.request_id, ticket),
            lambda error: self.flow.issue_failed(request.request_id, error),
        )

    def print_ticket(self, ticket: TicketView) -> None:
        printing = self.printing
        if printing is None:
            log.warning("no printer configured; ticket %s shown on screen only", ticket.number)
            self.flow.printer_state(PrinterState.UNREACHABLE, "no printer configured")
            return

        def failed(error: BaseException) -> None:
            log.error("could not prepare ticket %s for printing", ticket.number, exc_info=error)
            self.flow.printer_state(PrinterState.UNREACHABLE, f"{type(error).__name__}: {error}")

        self.print_runner.submit(lambda: printing.print_ticket(ticket), None, failed)

    def retry_print(self) -> None:
        if self.printing is not None:
            self.printing.retry()

    def report_printer(self, state: PrinterState, message: str, needs_attention: bool) -> None:
        self._report_device("printer", state.value, message, needs_attention)

    def report_reader(self, state: ReaderStatus, message: str, needs_attention: bool) -> None:
        self._report_device("reader", state.value, message, needs_attention)

    def _report_device(self, device: str, state: str, message: str, needs_attention: bool) -> None:
        report = (state, message, needs_attention)
        self._pending_reports[device] = report
        self._reporting.add(device)
        queue, station = self.queue, self.station

        def done(_: object) -> None:
            self._reporting.discard(device)
            if self._pending_reports.get(device) == report:
                del self._pending_reports[device]

        def failed(error: BaseException) -> None:
            self._reporting.discard(device)
            log.warning(
                "could not tell the hall manager about the %s (%s); will retry", device, error
            )

        self.runner.submit(
            lambda: queue.record_device_status(
                station, device, state, message, needs_attention=needs_attention
            ),
            done,
            failed,
        )

    def speak(self, prompt: Prompt, state: KioskState) -> None:
        if self.speaker is not None:
            say(self.speaker, state.language, prompt_text(prompt, state))

    def apply_mode(self, language: str, elderly: bool) -> None:
        if self.translations is not None:
            self.translations.set_language(language)
        app = QApplication.instance()
        if self.apply_styles and isinstance(app, QApplication):
            self._elderly = elderly
            self._apply_style()
        self._elderly = elderly
        self.setProperty("elderly", elderly)
        self.model.set_language(language)

    def exit_app(self) -> None:
        self.exit_requested.emit()
        self.close()

    # ------------------------------------------------------------------ drawing

    def _show_page(self, page: QWidget) -> None:
        # A QStackedWidget is as tall as its tallest page; hidden pages must not count, or the
        # admin screen's minimum height would push the home screen off a 1080-pixel panel.
        for other in (*self.screens.values(), self.certificates):
            policy = QSizePolicy.Policy.Preferred if other is page else QSizePolicy.Policy.Ignored
            other.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(page)
        self.stack.updateGeometry()

    def show_state(self, state: KioskState) -> None:
        if state.services != tuple(self.model.statuses()):
            self.model.set_statuses(state.services)
        self.model.set_language(state.language)
        hall = self.settings.hall
        self.hall_name.setText(
            hall.name if state.language == "zh_CN" or not hall.name_en else hall.name_en
        )
        self.language_button.setText("English" if state.language == "zh_CN" else "中文")
        self.elderly_button.setText(tr("Standard print") if state.elderly else tr("Large print"))
        home = state.screen is Screen.HOME
        self.language_button.setVisible(
            state.screen not in (Screen.ADMIN, Screen.ADMIN_PIN, Screen.ISSUING)
        )
        self.elderly_button.setVisible(self.language_button.isVisible())
        self.db_banner.setVisible(state.db_down)
        self.db_banner.setText(
            tr(
                "The system is reconnecting to the hall database. "
                "Numbers can be taken again in a moment."
            )
        )
        self.printer_banner.setVisible(state.printer_trouble and home)
        self.notice_banner.setVisible(bool(self.manager_notice) and home)
        self.printer_banner.setText(
            tr(
                "The ticket printer is out of order: your number will be shown on screen. "
                "Staff have been told."
            )
        )
        self.holder_banner.setVisible(bool(state.holder_masked) and home)
        if state.holder_masked:
            text = fill(tr("ID card read: %1"), state.holder_masked)
            if state.holder_green:
                text += " · " + tr("aged 70+: green channel")
            self.holder_text.setText(text + " — " + tr("now choose a service"))
        self.holder_clear.setText(tr("Not me"))
        self.green_banner.setVisible(bool(state.green_reason) and home)
        if state.green_reason:
            self.green_text.setText(
                fill(
                    tr("Green channel confirmed (%1) — now choose a service"),
                    green_reason_text(state.green_reason),
                )
            )
        self.green_clear.setText(tr("Cancel"))
        self.footer.setText(
            "　".join(hall_notices(self.settings))
            if state.language == "zh_CN"
            else tr("Please wait in the seating area and watch for your number on the screens.")
        )
        if state.screen is not Screen.SELF_SERVICE and self.selfservice.flow.state.active:
            self.selfservice.flow.close()  # e.g. the admin gesture: the visitor's pages are gone
        if state.screen is not Screen.SELF_SERVICE and self.certificates.flow.state.active:
            self.certificates.flow.close()
        if state.screen is not Screen.CHECKIN and self.checkin.flow.state.active:
            self.checkin.flow.close()
        screen = self.screens[state.screen]
        if state.screen is Screen.SELF_SERVICE and self.certificates.flow.state.active:
            screen = self.certificates
        if self.stack.currentWidget() is not screen:
            self._show_page(screen)
            if isinstance(screen, (GreenScreen, AdminPinScreen)):
                screen.pad.clear()
        screen.show_state(state)  # type: ignore[attr-defined]
        self._arrange_header()  # the hall name's language, the buttons shown
