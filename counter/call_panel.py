"""The call panel (叫号面板): the current ticket, the window's waiting counts, and the actions.

The panel renders :class:`counter.flow.CounterFlow`'s state and forwards presses to it; the flow
decides (one action at a time, the call-next guard, the legal actions) and runs each queue call
on the TaskRunner (STYLE.md habits 2 and 7). Each action has a keyboard shortcut
(F1 call next, F2 recall, F3 skip, F4 transfer, F5 finish, F6 pause / resume).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from common.db.models import Priority
from common.qt.i18n import fill
from common.qt.worker import TaskRunner
from common.queue.events import COUNT_KINDS, QueueEventRecord
from common.queue.service import QueueService, ServiceStatus, TicketView, WindowStatus
from counter.db_health import DatabaseHealth
from counter.flow import CounterFlow, CounterState, Outcome, OutcomeKind, ReceiptPrinter
from counter.pause_dialog import PauseDialog
from counter.session import Action, CounterSession
from counter.transfer_dialog import TransferDialog
from counter.waiting_model import WaitingCountsModel

__all__ = ["CallPanel", "DialogPrompts", "Prompts", "confirm_call_next_box"]

log = logging.getLogger(__name__)

SHORTCUTS = {
    Action.CALL_NEXT: "F1",
    Action.RECALL: "F2",
    Action.SKIP: "F3",
    Action.TRANSFER: "F4",
    Action.FINISH: "F5",
    Action.PAUSE: "F6",
    Action.RESUME: "F6",
}


class Prompts(Protocol):
    """The questions an action asks (tests answer them without a modal dialog)."""

    def transfer_target(
        self, parent: QWidget, number: str, services: Sequence[tuple[str, str]]
    ) -> str | None: ...

    def pause_reason(self, parent: QWidget) -> str | None: ...

    def confirm_call_next(self, parent: QWidget, number: str, seconds_ago: int) -> bool: ...


def confirm_call_next_box(parent: QWidget, number: str, seconds_ago: int) -> QMessageBox:
    """ "Finish A009 and call the next?" — No is the default (Enter, Esc and a stray key say No)."""
    translate = QCoreApplication.translate
    box = QMessageBox(parent)
    box.setObjectName("confirmCallNext")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("CallPanel", "Call next?"))
    box.setText(fill(translate("CallPanel", "%1 was called only %2 s ago."), number, seconds_ago))
    box.setInformativeText(
        fill(
            translate(
                "CallPanel", "Calling the next number finishes %1. Finish %1 and call the next?"
            ),
            number,
        )
    )
    yes = box.addButton(
        translate("CallPanel", "Yes, finish and call next"), QMessageBox.ButtonRole.YesRole
    )
    no = box.addButton(
        fill(translate("CallPanel", "No, keep serving %1"), number),
        QMessageBox.ButtonRole.NoRole,
    )
    yes.setObjectName("confirmYes")
    no.setObjectName("confirmNo")
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    no.setFocus()
    return box


class DialogPrompts:
    """Asks with the real dialogs."""

    def confirm_call_next(self, parent: QWidget, number: str, seconds_ago: int) -> bool:
        box = confirm_call_next_box(parent, number, seconds_ago)
        self._ask(box, parent)
        clicked = box.clickedButton()
        return clicked is not None and box.buttonRole(clicked) is QMessageBox.ButtonRole.YesRole

    def transfer_target(
        self, parent: QWidget, number: str, services: Sequence[tuple[str, str]]
    ) -> str | None:
        dialog = TransferDialog(number, services, parent)
        return dialog.chosen() if self._ask(dialog, parent) else None

    def pause_reason(self, parent: QWidget) -> str | None:
        dialog = PauseDialog(parent)
        return dialog.chosen() if self._ask(dialog, parent) else None

    @staticmethod
    def _ask(dialog: QDialog, parent: QWidget) -> bool:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        # The F-key shortcuts are window shortcuts: they only fire while the counter window is
        # active. Without this, F6 (resume) did nothing after the pause dialog closed until the
        # clerk clicked the window.
        window = parent.window()
        window.activateWindow()
        window.raise_()
        parent.setFocus(Qt.FocusReason.OtherFocusReason)
        return accepted


def _minutes(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


class CallPanel(QWidget):
    """Current ticket + actions + waiting counts for one window, for one logged-in session."""

    ticket_changed = Signal(object)  # TicketView | None: the applicant panel resets on a new ticket
    database_state = Signal(bool, str)  # reachable?, message
    action_done = Signal(str)  # Action value, after the queue service accepted it

    def __init__(
        self,
        queue: QueueService,
        session: CounterSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        prompts: Prompts | None = None,
        now: Callable[[], dt.datetime] | None = None,
        clock: Callable[[], float] | None = None,
        printer: ReceiptPrinter | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callPanel")
        self.queue = queue
        self.session = session
        self.prompts: Prompts = prompts or DialogPrompts()
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.last_error: str = ""
        self._shown = CounterState()
        self._db_shown: tuple[bool, str] | None = None
        extra: dict[str, Any] = {} if clock is None else {"clock": clock}
        self.flow = CounterFlow(
            queue,
            session,
            runner,
            self,
            settings=queue.settings,
            now=self._now,
            printer=printer,
            **extra,
        )
        self.destroyed.connect(self.flow.close)

        # -- the current ticket ----------------------------------------------------------
        self.ticket_box = QFrame()
        self.ticket_box.setObjectName("ticketBox")
        self.caption = QLabel()
        self.caption.setObjectName("ticketCaption")
        self.number = QLabel("—")
        self.number.setObjectName("ticketNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.priority = QLabel()
        self.priority.setObjectName("ticketPriority")
        self.priority.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details = QLabel()
        self.details.setObjectName("ticketDetails")
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_banner = QLabel()
        self.paused_banner.setObjectName("pausedBanner")
        self.paused_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_banner.setWordWrap(True)
        self.paused_banner.hide()
        box = QVBoxLayout(self.ticket_box)
        box.addWidget(self.caption)
        box.addWidget(self.number)
        box.addWidget(self.priority)
        box.addWidget(self.details)
        box.addWidget(self.paused_banner)

        # -- actions (QAction: the shortcut and the button share one enabled state) -------
        self.actions_by_kind: dict[Action, QAction] = {}
        self.buttons: dict[Action, QToolButton] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        positions = {
            Action.CALL_NEXT: (0, 0, 1, 2),
            Action.RECALL: (1, 0, 1, 1),
            Action.SKIP: (1, 1, 1, 1),
            Action.TRANSFER: (2, 0, 1, 1),
            Action.FINISH: (2, 1, 1, 1),
            Action.PAUSE: (3, 0, 1, 2),
            Action.RESUME: (3, 0, 1, 2),
        }
        for kind in Action:
            action = QAction(self)
            action.setObjectName(f"action_{kind.value}")
            action.setShortcut(QKeySequence(SHORTCUTS[kind]))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            # The flow is the one gate: a queued key press for an action no longer legal, or
            # one that arrives while another runs, does nothing there.
            action.triggered.connect(lambda _checked=False, k=kind: self.flow.press(k))
            self.addAction(action)
            self.actions_by_kind[kind] = action
            button = QToolButton()
            button.setObjectName(f"button_{kind.value}")
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setMinimumHeight(52)
            self.buttons[kind] = button
            grid.addWidget(button, *positions[kind])
        self.buttons[Action.CALL_NEXT].setProperty("primary", "true")
        self.buttons[Action.CALL_NEXT].setMinimumHeight(64)

        # -- waiting counts -----------------------------------------------------------------
        self.waiting_model = WaitingCountsModel(self)
        self.waiting_title = QLabel()
        self.waiting_title.setObjectName("sectionTitle")
        self.waiting_view = QTableView()
        self.waiting_view.setObjectName("waitingView")
        self.waiting_view.setModel(self.waiting_model)
        self.waiting_view.verticalHeader().hide()
        self.waiting_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.waiting_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.waiting_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.waiting_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

        self.message = QLabel()
        self.message.setObjectName("panelMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ticket_box, 3)
        layout.addWidget(self.message)
        layout.addLayout(grid, 2)
        title_row = QHBoxLayout()
        title_row.addWidget(self.waiting_title)
        title_row.addStretch(1)
        layout.addLayout(title_row)
        layout.addWidget(self.waiting_view, 2)

        # Waiting counts change with every kiosk issue: coalesce bursts into one query.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(200)
        self._refresh_timer.timeout.connect(self.refresh)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_ticket)
        self._tick.start()
        self.retranslate()
        self._update_actions()

    # ------------------------------------------------------------------ text

    def retranslate(self) -> None:
        labels = {
            Action.CALL_NEXT: self.tr("Call next"),
            Action.RECALL: self.tr("Recall"),
            Action.SKIP: self.tr("Skip / no-show"),
            Action.TRANSFER: self.tr("Transfer…"),
            Action.FINISH: self.tr("Finish"),
            Action.PAUSE: self.tr("Pause…"),
            Action.RESUME: self.tr("Resume"),
        }
        for kind, action in self.actions_by_kind.items():
            action.setText(f"{labels[kind]}  [{SHORTCUTS[kind]}]")
            action.setToolTip(f"{labels[kind]} ({SHORTCUTS[kind]})")
        self.caption.setText(self.tr("Now serving"))
        self.waiting_title.setText(self.tr("Waiting for this window"))
        self.waiting_model.set_english(self.english)
        self._show_ticket()

    def set_english(self, english: bool) -> None:
        self.english = english
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ the flow's state

    @property
    def state(self) -> CounterState:
        return self.flow.state

    @property
    def status(self) -> WindowStatus | None:
        return self.flow.state.status

    @property
    def statuses(self) -> tuple[ServiceStatus, ...]:
        return self.flow.state.statuses

    @property
    def busy(self) -> bool:
        return self.flow.state.busy is not None

    @property
    def legal(self) -> frozenset[Action]:
        return self.flow.state.legal

    @property
    def health(self) -> DatabaseHealth:
        return self.flow.health

    @property
    def english(self) -> bool:
        return self.flow.english

    @english.setter
    def english(self, english: bool) -> None:
        self.flow.english = english

    @property
    def runner(self) -> TaskRunner:
        return self.flow._runner  # type: ignore[return-value]

    @runner.setter
    def runner(self, runner: TaskRunner) -> None:
        self.flow._runner = runner

    # -- CounterView (the flow calls these) ----------------------------------------------

    def show_state(self, state: CounterState) -> None:
        """Draw the flow's state; emit what the window listens for when it changed."""
        before, self._shown = self._shown, state
        if state.statuses != before.statuses or state.status is not before.status:
            services = state.status.services if state.status is not None else {}
            self.waiting_model.set_statuses(state.statuses, services)
            self._fit_waiting_rows()
        self._show_ticket()
        self._update_actions()
        if state.outcome is not before.outcome and state.outcome is not None:
            self._show_outcome(state.outcome)
        db = (state.db_reachable, state.db_detail)
        if db != self._db_shown:
            self._db_shown = db
            self.database_state.emit(*db)
        before_id = before.current.id if before.current is not None else None
        after_id = state.current.id if state.current is not None else None
        if before_id != after_id:
            self.ticket_changed.emit(state.current)

    def confirm_call_next(self, current: TicketView, seconds_ago: int) -> bool:
        return self.prompts.confirm_call_next(self, current.number, seconds_ago)

    def transfer_target(self, number: str, services: Sequence[tuple[str, str]]) -> str | None:
        return self.prompts.transfer_target(self, number, services)

    def pause_reason(self) -> str | None:
        return self.prompts.pause_reason(self)

    # ------------------------------------------------------------------ drawing

    def _update_actions(self) -> None:
        legal = self.legal
        paused = bool(self.status and self.status.paused)
        for kind, action in self.actions_by_kind.items():
            action.setEnabled(kind in legal)
        # Pause and resume share a place and a key; show the one that fits the window's state.
        self.buttons[Action.PAUSE].setVisible(not paused)
        self.buttons[Action.RESUME].setVisible(paused)
        self.actions_by_kind[Action.PAUSE].setShortcut(
            QKeySequence() if paused else QKeySequence("F6")
        )
        self.actions_by_kind[Action.RESUME].setShortcut(
            QKeySequence("F6") if paused else QKeySequence()
        )

    def _show_ticket(self) -> None:
        status = self.status
        ticket = status.current if status else None
        if status is not None and status.paused:
            reason = status.pause_reason
            self.paused_banner.setText(fill(self.tr("Window paused: %1"), reason))
            self.paused_banner.show()
        else:
            self.paused_banner.hide()
        if ticket is None:
            self.number.setText("—")
            self.priority.setText("")
            self.priority.setProperty("kind", "")
            waiting = self.waiting_model.total_waiting
            self.details.setText(
                self.tr("No ticket at this window. %n waiting.", "", waiting)
                if status is not None
                else self.tr("Loading…")
            )
            self._repolish(self.priority)
            return
        self.number.setText(ticket.number)
        priority = {
            Priority.GREEN: self.tr("Green channel"),
            Priority.APPOINTMENT: self.tr("Appointment"),
            Priority.NORMAL: self.tr("Normal"),
        }[ticket.priority]
        self.priority.setText(priority)
        self.priority.setProperty("kind", ticket.priority.value)
        self._repolish(self.priority)
        # Two lines at most, whatever the ticket: the box must not grow when a ticket is called
        # and push the buttons down over the waiting table (1366×768).
        first = [f"{ticket.prefix} · {self._service_text(ticket)}"]
        if ticket.transferred_from:
            first.append(fill(self.tr("(transferred from %1)"), ticket.transferred_from))
        waited = _minutes(ticket.waited(self._now()))
        first.append(self.tr("Waited %n min", "", waited))
        second = []
        if ticket.called_at is not None:
            serving = max(0, int((self._now() - ticket.called_at).total_seconds()))
            second.append(
                self.tr("At the window for %1").replace(
                    "%1", f"{serving // 60:02d}:{serving % 60:02d}"
                )
            )
        if ticket.call_count > 1:
            second.append(self.tr("Called %n times", "", ticket.call_count))
        holder = ticket.holder_masked or self.tr("no ID card at issue")
        second.append(fill(self.tr("Holder: %1"), holder))
        lines = ["  ·  ".join(first), "  ·  ".join(second)]
        self.details.setText("\n".join(lines))

    def _fit_waiting_rows(self) -> None:
        # The window's services (a handful) stay visible without a scroll bar: the layout
        # takes the room from the ticket box and the buttons, which can spare it.
        view = self.waiting_view
        rows = min(6, self.waiting_model.rowCount())
        height = (
            view.horizontalHeader().sizeHint().height()
            + rows * view.verticalHeader().defaultSectionSize()
        )
        view.setMinimumHeight(height + 2 * view.frameWidth())

    def _service_text(self, ticket: TicketView) -> str:
        """A ticket's service by name (不动产), in the UI language, not by its prefix letter."""
        return (
            ticket.service_name_en
            if self.english and ticket.service_name_en
            else ticket.service_name
        )

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def _show_message(self, text: str, *, error: bool = True) -> None:
        self.last_error = text if error else ""
        self.message.setText(text)
        # Strings, not bools: PySide6 mis-counts references to bool properties at exit.
        self.message.setProperty("error", "true" if error else "false")
        self._repolish(self.message)
        self.message.setVisible(bool(text))

    def _show_outcome(self, outcome: Outcome) -> None:
        kind = outcome.kind
        if kind is OutcomeKind.DONE:
            self._show_message(self._done_text(outcome), error=False)
            if outcome.action is not None:
                self.action_done.emit(outcome.action.value)
        elif kind is OutcomeKind.REFUSED and outcome.words is not None:
            self._show_message(outcome.words.text(self.english))
        elif kind is OutcomeKind.DB_DOWN:
            self._show_message(self.tr("The hall database cannot be reached; nothing was changed."))
        elif kind is OutcomeKind.FAILED:
            self._show_message(fill(self.tr("The action failed: %1"), outcome.detail))
        elif kind is OutcomeKind.LOAD_DB_DOWN:
            self._show_message(self.tr("The hall database cannot be reached; retrying."))
            self._refresh_timer.start(2000)
        elif kind is OutcomeKind.LOAD_FAILED:
            self._show_message(fill(self.tr("Could not load the window: %1"), outcome.detail))

    def _done_text(self, outcome: Outcome) -> str:
        t = outcome.ticket
        number = t.number if t is not None else ""
        if outcome.words is not None:  # 过号: the queue rule's own words (common.queue.no_show)
            return outcome.words.text(self.english)
        match outcome.action:
            case Action.CALL_NEXT:
                if t is None:
                    return self.tr("Nobody is waiting for this window.")
                return fill(self.tr("Called %1."), number)
            case Action.RECALL:
                return fill(self.tr("Recalled %1."), number)
            case Action.TRANSFER if t is not None:
                return fill(self.tr("%1 transferred to %2."), number, self._service_text(t))
            case Action.FINISH:
                return fill(self.tr("%1 finished."), number)
            case Action.PAUSE:
                return self.tr("Window paused.")
            case Action.RESUME:
                return self.tr("Window resumed.")
        return ""

    # ------------------------------------------------------------------ database state

    def note_database(self, *, ok: bool, write: bool, detail: str = "") -> None:
        """Record how a database call went and show the result (any caller: refresh, actions,
        the event bridge, the window-claim heartbeat). Failures go to counter.log once each."""
        self.flow.note_database(ok=ok, write=write, detail=detail)

    # ------------------------------------------------------------------ loading

    def start(self) -> None:
        """At login: load the window and warm the queue up (off the GUI thread)."""
        self.flow.start()

    def refresh(self) -> None:
        """Reload the window's state and the waiting counts (off the GUI thread)."""
        self.flow.refresh()

    def on_queue_events(self, batch: Sequence[QueueEventRecord]) -> None:
        """Slot for QueueEventBridge.events: refresh when counts or this window changed."""
        mine = self.session.window
        if any(e.kind in COUNT_KINDS or e.window_number == mine for e in batch):
            if not self._refresh_timer.isActive():
                self._refresh_timer.start(200)

    # ------------------------------------------------------------------ actions (forwarded)

    def press(self, action: Action) -> None:
        """What a button or its F-key does (tests press here too)."""
        self.flow.press(action)

    def call_next(self) -> None:
        self.flow.call_next()

    def recall(self) -> None:
        self.flow.recall()

    def skip(self) -> None:
        self.flow.skip()

    def transfer(self) -> None:
        self.flow.transfer()

    def finish(self) -> None:
        self.flow.finish()

    def pause(self) -> None:
        self.flow.pause()

    def resume(self) -> None:
        self.flow.resume()
