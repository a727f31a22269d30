"""The counter's main window: header, call panel, applicant, intake checklist slot, status bar."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.db.engine import DatabaseUnavailable
from common.devices.idcard.card import IdentityCard
from common.devices.idcard.reader import ReaderStatus
from common.manager.actions import WINDOW_SERVICES_KIND
from common.manager.followup import FollowupItem, FollowupService
from common.qt.i18n import fill
from common.qt.worker import TaskRunner
from common.queue.service import QueueService, TicketView
from counter.applicant_panel import ApplicantPanel
from counter.call_panel import CallPanel, Prompts
from counter.complaint_dialog import COMPLAINT_SHORTCUT, ComplaintDialog
from counter.device_alert_strip import DeviceAlertStrip
from counter.device_alerts import DeviceAlertBoard, DeviceAlertSnapshot, read_snapshot
from counter.intake.desk import IntakeDesk, IntakeServices
from counter.manager.desk import ManagerDesk
from counter.session import CounterSession
from counter.status_bar import CounterStatusBar

__all__ = ["CounterWindow"]

log = logging.getLogger("counter")


class CounterWindow(QMainWindow):
    """One logged-in session at one window.

    Devices and the event stream are wired by ``counter.app.main`` (or a test): connect the
    card reader's ``card_read`` to :meth:`on_card`, its ``reader_status`` (a ReaderStatus) to
    :meth:`on_reader_status`, and a QueueEventBridge's signals to :meth:`on_queue_events` and
    :meth:`on_connection`.

    A hall manager (大厅管理员) also gets :attr:`device_alerts`, the strip of devices that need
    attention, loaded at :meth:`start` and kept current by the same event stream; window staff
    have no strip (``None``) and the counter never reads device state for them.
    """

    logout_requested = Signal()
    language_requested = Signal(str)

    def __init__(
        self,
        queue: QueueService,
        session: CounterSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        hall_name: str = "",
        prompts: Prompts | None = None,
        now: Callable[[], dt.datetime] | None = None,
        english: bool = False,
        intake: IntakeServices | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("counterWindow")
        self.session = session
        self.hall_name = hall_name
        self.english = english
        self._queue = queue
        self._runner = runner
        self._loading_alerts = False

        self.title = QLabel()
        self.title.setObjectName("counterTitle")
        self.who = QLabel()
        self.who.setObjectName("counterWho")
        self.language_button = QPushButton()
        self.language_button.setObjectName("languageButton")
        self.logout_button = QPushButton()
        self.logout_button.setObjectName("logoutButton")
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.who)
        header.addWidget(self.language_button)
        header.addWidget(self.logout_button)

        # 办不成事 / 有诉即办: every counter records a citizen's report (F11) into the manager's
        # follow-up loop (common.manager.followup).
        self.followups = FollowupService(queue.db, queue.settings, queue.clock)
        self.complaint_dialog: ComplaintDialog | None = None
        self.complaint_button = QPushButton()
        self.complaint_button.setObjectName("complaintButton")
        self.complaint_button.clicked.connect(self.open_complaint_dialog)
        header.insertWidget(2, self.complaint_button)
        complaint_key = QShortcut(QKeySequence(COMPLAINT_SHORTCUT), self)
        complaint_key.setContext(Qt.ShortcutContext.WindowShortcut)
        complaint_key.activated.connect(self.open_complaint_dialog)

        self.device_alerts: DeviceAlertStrip | None = None
        self.device_board: DeviceAlertBoard | None = None
        if session.is_manager:
            self.device_board = DeviceAlertBoard()
            self.device_alerts = DeviceAlertStrip(queue.settings.hall.tz, self, now=now)
        # The hall manager's desk (counter.manager) opens in its own window; staff have no button.
        self.manager_button: QPushButton | None = None
        self.manager_desk: ManagerDesk | None = None
        self._manager_args = (intake.cases if intake is not None else None, now)
        if session.is_manager:
            self.manager_button = QPushButton()
            self.manager_button.setObjectName("managerDeskButton")
            self.manager_button.clicked.connect(self.open_manager_desk)
            header.insertWidget(2, self.manager_button)

        self.call_panel = CallPanel(queue, session, runner, self, prompts=prompts, now=now)
        self.call_panel.english = english
        self.applicant = ApplicantPanel()
        # The universal-intake checklist (无差别受理清单) arrives in a later issue; this box is
        # where it goes, so the window's layout does not change when it lands.
        self.intake = QGroupBox()
        self.intake.setObjectName("intakeChecklistPlaceholder")
        self.intake_note = QLabel()
        self.intake_note.setObjectName("intakeNote")
        self.intake_note.setWordWrap(True)
        self.intake_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intake_layout = QVBoxLayout(self.intake)
        intake_layout.addWidget(self.intake_note)
        # The intake desk (counter.intake) fills the box when the hall's case services are
        # wired in (counter.app; tests of the call panel alone leave it empty).
        self.intake_desk: IntakeDesk | None = None
        if intake is not None:
            self.intake_desk = IntakeDesk(
                intake,
                runner,
                actor=session.actor,
                window=session.window,
                staff_name=session.staff.display_name,
            )
            self.intake_note.hide()
            intake_layout.setContentsMargins(2, 2, 2, 2)
            intake_layout.addWidget(self.intake_desk)
            if english:
                self.intake_desk.set_english(True)
            # Outbox rows waiting for the central server, in the central-sync slot.
            self.intake_desk.backlog_changed.connect(self._show_backlog)

        right = QVBoxLayout()
        right.addWidget(self.applicant, 2 if intake is None else 1)
        right.addWidget(self.intake, 5 if intake is None else 7)
        body = QHBoxLayout()
        body.addWidget(self.call_panel, 5 if intake is None else 4)
        body.addLayout(right, 6 if intake is None else 9)
        central = QWidget()
        central.setObjectName("counterCentral")
        outer = QVBoxLayout(central)
        outer.addLayout(header)
        if self.device_alerts is not None:
            outer.addWidget(self.device_alerts)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        self.status = CounterStatusBar(self)
        self.setStatusBar(self.status)

        self.logout_button.clicked.connect(self.logout_requested)
        self.language_button.clicked.connect(
            lambda: self.language_requested.emit("zh_CN" if self.english else "en")
        )
        self.call_panel.database_state.connect(self.status.set_database)
        self.call_panel.ticket_changed.connect(self._ticket_changed)
        self.call_panel.action_done.connect(self._action_done)
        self.retranslate()

    # ------------------------------------------------------------------ text

    def retranslate(self) -> None:
        window = fill(self.tr("Window %1"), self.session.window)
        self.setWindowTitle(fill(self.tr("OneWindow counter — %1"), window))
        self.title.setText(f"{self.hall_name}  ·  {window}" if self.hall_name else window)
        role = self.tr("Hall manager") if self.session.is_manager else self.tr("Window staff")
        self.who.setText(f"{self.session.staff.display_name}（{role}）")
        self.language_button.setText("中文" if self.english else "English")
        self.logout_button.setText(self.tr("Log out"))
        if self.manager_button is not None:
            self.manager_button.setText("Manager's desk" if self.english else "大厅管理")
        self.complaint_button.setText(
            f"{'Could not get done' if self.english else '办不成事'} ({COMPLAINT_SHORTCUT})"
        )
        self.intake.setTitle(self.tr("Intake checklist"))
        self.intake_note.setText(
            self.tr("The universal-intake checklist for the chosen matters will appear here.")
        )

    def taken_over_notice(self) -> str:
        """Shown at the login screen after another counter took this window over."""
        window = fill(self.tr("Window %1"), self.session.window)
        return fill(self.tr("%1 was taken over by another counter."), window)

    def set_english(self, english: bool) -> None:
        self.english = english
        self.call_panel.set_english(english)
        if self.intake_desk is not None:
            self.intake_desk.set_english(english)
        if self.manager_desk is not None:
            self.manager_desk.set_english(english)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ wiring slots

    def start(self) -> None:
        self.call_panel.start()
        self.load_device_alerts()
        if self.intake_desk is not None:
            self.intake_desk.start()

    def on_queue_events(self, batch: object) -> None:
        # The manager gave a window other services: this PC's cached weights are stale now.
        kinds = {getattr(e, "kind", "") for e in batch}  # type: ignore[attr-defined]
        if WINDOW_SERVICES_KIND in kinds:
            self._queue.cache.invalidate()
        self.call_panel.on_queue_events(batch)  # type: ignore[arg-type]
        if self.device_board is not None and self.device_board.apply(batch):  # type: ignore[arg-type]
            self._show_device_alerts()
        if self.manager_desk is not None:
            self.manager_desk.on_queue_events(batch)  # type: ignore[arg-type]

    def open_manager_desk(self) -> ManagerDesk:
        """Managers only: the dashboard and actions, in a window of its own (made once)."""
        if self.manager_desk is None:
            cases, now = self._manager_args
            self.manager_desk = ManagerDesk(
                self._queue,
                self.session,
                self,
                cases=cases,
                english=self.english,
                hall_name=self.hall_name,
                now=now,
            )
            self.manager_desk.start()
        self.manager_desk.showMaximized()
        self.manager_desk.raise_()
        return self.manager_desk

    def open_complaint_dialog(self) -> ComplaintDialog:
        """Record a 办不成事 / 有诉即办 report (window staff and managers alike)."""
        open_one = self.complaint_dialog
        if open_one is not None and shiboken6.isValid(open_one) and open_one.isVisible():
            open_one.raise_()  # one report at a time; F11 again brings it back to the front
            return open_one
        desk = self.intake_desk

        def search(text: str) -> list[tuple[str, str]]:
            if desk is None:
                return []
            return [(h.code, h.name) for h in desk.flow.search(text, limit=12)]

        followups, actor, window = self.followups, self.session.actor, self.session.window
        dialog = ComplaintDialog(
            lambda draft: followups.record_complaint(draft, actor=actor, window=window),
            self._runner,
            self,
            english=self.english,
            search=search if desk is not None else None,
        )
        dialog.saved.connect(self._complaint_saved)
        dialog.finished.connect(dialog.deleteLater)
        self.complaint_dialog = dialog
        dialog.open()
        return dialog

    def _complaint_saved(self, item: FollowupItem) -> None:
        due = item.due_date.isoformat() if item.due_date else "—"
        self.status.showMessage(
            f"Report recorded: follow-up due {due}"
            if self.english
            else f"已登记办不成事，跟进期限 {due}",
            15_000,
        )
        if self.manager_desk is not None:
            self.manager_desk.refresh_followups()

    def on_connection(self, connected: bool, message: str) -> None:
        # The bridge only reads: a working read must not hide a failing write (DatabaseHealth).
        self.call_panel.note_database(ok=connected, write=False, detail=message)
        if connected:
            self.call_panel.refresh()
            if self.device_board is not None and not self.device_board.loaded:
                self.load_device_alerts()  # the login-time read failed: try again now

    def load_device_alerts(self) -> None:
        """Managers only: read the devices needing attention (on the runner, never here)."""
        if self.device_board is None or self._loading_alerts:
            return
        self._loading_alerts = True
        queue = self._queue

        # The runner outlives this window: a logout may delete it before the read returns.
        def loaded(snapshot: DeviceAlertSnapshot) -> None:
            if not shiboken6.isValid(self):
                return
            self._loading_alerts = False
            if self.device_board is not None and self.device_board.load(snapshot):
                self._show_device_alerts()

        def failed(exc: BaseException) -> None:
            # Events that arrive meanwhile are kept by the board; the read is retried when the
            # event bridge reports the database reachable again.
            if not shiboken6.isValid(self):
                return
            self._loading_alerts = False
            if isinstance(exc, DatabaseUnavailable):
                log.warning("device alerts not loaded: %s", exc.detail)
                self.call_panel.note_database(ok=False, write=False, detail=exc.detail)
            else:
                log.error("device alerts not loaded", exc_info=exc)

        self._runner.submit(lambda: read_snapshot(queue), loaded, failed)

    def _show_device_alerts(self) -> None:
        if self.device_alerts is not None and self.device_board is not None:
            self.device_alerts.show_alerts(self.device_board.alerts)

    def on_card(self, card: IdentityCard) -> None:
        self.applicant.show_card(card)
        if self.intake_desk is not None:
            self.intake_desk.on_card(card)

    def on_reader_status(self, status: ReaderStatus, message: str) -> None:
        # A removed card keeps the applicant on screen until the next ticket: the clerk is
        # usually still serving that person.
        self.status.set_reader(status, message)

    def _ticket_changed(self, ticket: TicketView | None) -> None:
        # A new citizen at the window: the previous applicant must not stay on screen.
        self.applicant.clear()
        if self.intake_desk is not None:
            # The case accepted next links this ticket (the CounterFlow knows which is served).
            self.intake_desk.set_ticket(ticket.id if ticket is not None else None)

    def _show_backlog(self, count: int) -> None:
        self.status.set_outbox_backlog(count)

    def _action_done(self, action: str) -> None:
        # A finished service (办结): the citizen rates it on the customer-facing view.
        if action != "finish" or self.intake_desk is None:
            return
        outcome = self.call_panel.flow.state.outcome
        if outcome is not None and outcome.ticket is not None:
            self.intake_desk.ask_rating(ticket_id=outcome.ticket.id)
