"""预约签到 on the kiosk window: place the card, see the appointment, check in.

:class:`CheckinPage` is the window's page for ``Screen.CHECKIN``. It owns a
:class:`~kiosk.checkin.CheckinFlow` and implements its ports: the hall database is asked
through the window's :class:`~common.qt.worker.TaskRunner` (never on the GUI thread), prompts
go to the kiosk's speaker, and the ticket is handed to the kiosk's own flow, which shows and
prints it like any other number.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from common.qt.i18n import fill
from common.qt.voice import Speaker
from common.qt.worker import TaskRunner
from common.queue.service import TicketView
from common.selfservice.checkin import AppointmentState, HolderAppointments, KioskCheckins
from kiosk.checkin import (
    CheckinFlow,
    CheckinMessage,
    CheckinPrompt,
    CheckinRequest,
    CheckinScreen,
    CheckinState,
)
from kiosk.flow import KioskState
from kiosk.screens.base import (
    KioskScreen,
    centred,
    centred_row,
    page_stack,
    say,
    show_problem,
    turn_to,
)
from kiosk.screens.find import CardFindPage
from kiosk.texts import tr
from kiosk.widgets import TouchButton, label

__all__ = ["CheckinPage", "checkin_message_text", "status_line"]


def checkin_message_text(state: CheckinState, language: str) -> str:
    """The line said to the citizen on "place your card" ("" for none)."""
    m = state.message
    if m is CheckinMessage.NO_APPOINTMENT:
        return tr("There is no appointment for this ID card today.")
    if m is CheckinMessage.CARD_EXPIRED:
        return tr("This ID card has expired. Please go to the service desk.")
    if m is CheckinMessage.REFUSED:
        return state.refusal[0] if language == "zh_CN" else state.refusal[1]
    if m is CheckinMessage.DATABASE:
        return tr("The system cannot reach the hall database. Please try again in a moment.")
    if m is CheckinMessage.ERROR:
        return tr("Check-in did not work. Please ask at the service desk.")
    return ""


def status_line(state: CheckinState) -> str:
    """What the appointment page says under the appointment: check in, or why not."""
    a, status = state.appointment, state.status
    if a is None or status is None:
        return ""
    if status is AppointmentState.OPEN:
        return tr("Tap Check in to take your number.")
    if status is AppointmentState.EARLY:
        return fill(
            tr("Your appointment is %1. Please come back to check in after %2."),
            a.slot_text,
            a.opens.strftime("%H:%M"),
        )
    if status is AppointmentState.LATE:
        return tr("Your appointment time has passed. Please take an ordinary number.")
    return fill(tr("You have checked in already. Your number is %1."), a.ticket_number)


class _FindPage(CardFindPage):
    """Place the ID card (the appointment is found by it)."""

    def __init__(self, flow: CheckinFlow) -> None:
        super().__init__(flow.back)

    def show_checkin(self, state: CheckinState, language: str, *, reader: bool) -> None:
        self.show_find(
            title=tr("Appointment check-in"),
            card_hint=tr("Place your ID card on the reader to check in for today's appointment."),
            reader=reader,
            message=checkin_message_text(state, language),
            seconds_left=state.seconds_left,
        )


class _SearchingPage(KioskScreen):
    def __init__(self) -> None:
        super().__init__()
        self.title = centred("screenTitle")
        layout = self.page()
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addStretch(1)

    def show_checkin(self, state: CheckinState) -> None:
        self.title.setText(
            tr("Checking you in…") if state.checking_in else tr("Looking up your appointment…")
        )


class _AppointmentPage(KioskScreen):
    """The appointment (matter, slot, masked holder) and the check-in button, or why not."""

    def __init__(self, flow: CheckinFlow) -> None:
        super().__init__()
        self._flow = flow
        self.title = centred("screenTitle")
        # The progress page's card styles (kiosk.qss): one look for "your business here".
        self.card = QFrame()
        self.card.setObjectName("caseCard")
        self.matter = label("caseMatter")
        self.slot = label("caseStatus")
        self.holder = label("caseNumber")
        box = QVBoxLayout(self.card)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(8)
        for widget in (self.matter, self.slot, self.holder):
            box.addWidget(widget)
        self.status = centred("statusLine")
        self.check_in = TouchButton("", "primary")
        self.check_in.clicked.connect(flow.tap_check_in)
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.back)
        self.countdown = centred("countdown")
        layout = self.page(spacing=20)
        layout.addWidget(self.title)
        layout.addStretch(1)
        layout.addWidget(self.card)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(centred_row(self.back, self.check_in))
        layout.addWidget(self.countdown)

    def show_checkin(self, state: CheckinState) -> None:
        a = state.appointment
        self.title.setText(tr("Your appointment today"))
        if a is not None:
            self.matter.setText(a.matter_name)
            self.slot.setText(fill(tr("Appointment time %1"), a.slot_text))
        self.holder.setVisible(bool(state.holder_masked))
        self.holder.setText(fill(tr("Booked by: %1"), state.holder_masked))
        line = status_line(state)
        ok = state.status in (AppointmentState.OPEN, AppointmentState.CHECKED_IN)
        show_problem(self.status, line, problem=not ok)
        self.check_in.setText(tr("Check in"))
        self.check_in.setVisible(state.status is AppointmentState.OPEN)
        self.check_in.setEnabled(self._flow.can_check_in)
        self.back.setText(tr("Back"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))


class CheckinPage(KioskScreen):
    """预约签到's pages, drawn from :class:`CheckinState`; the Qt side of :class:`CheckinFlow`."""

    def __init__(
        self,
        checkins: KioskCheckins,
        runner: TaskRunner,
        *,
        on_leave: Callable[[], None],
        on_ticket: Callable[[TicketView], None],
        station: str = "kiosk",
        speaker: Speaker | None = None,
        voice_on: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.checkins = checkins
        self.runner = runner
        self.speaker = speaker
        self.station = station
        self._on_leave = on_leave
        self._on_ticket = on_ticket
        self.language = "zh_CN"
        self.reader_available = True
        self.flow = CheckinFlow(checkins.settings, self, clock=clock, voice_on=voice_on)
        self.find_page = _FindPage(self.flow)
        self.searching_page = _SearchingPage()
        self.appointment_page = _AppointmentPage(self.flow)
        self.pages: dict[CheckinScreen, QWidget] = {
            CheckinScreen.FIND: self.find_page,
            CheckinScreen.SEARCHING: self.searching_page,
            CheckinScreen.APPOINTMENT: self.appointment_page,
        }
        self.stack = page_stack(self, self.pages.values())

    # ------------------------------------------------------------------ drawing

    def set_landscape(self, landscape: bool) -> None:
        self.find_page.set_landscape(landscape)

    def show_state(self, state: KioskState) -> None:
        """The kiosk's state changed (language, reader …): redraw the current page."""
        self.language = state.language
        self.reader_available = state.reader_configured and not state.reader_out
        self.show_checkin(self.flow.state)

    def show_checkin(self, state: CheckinState) -> None:
        turn_to(self.stack, self.pages[state.screen])
        if state.screen is CheckinScreen.FIND:
            self.find_page.show_checkin(state, self.language, reader=self.reader_available)
        elif state.screen is CheckinScreen.SEARCHING:
            self.searching_page.show_checkin(state)
        else:
            self.appointment_page.show_checkin(state)

    # ------------------------------------------------------------------ CheckinPorts

    def find_appointments(self, request: CheckinRequest) -> None:
        checkins = self.checkins

        def work() -> HolderAppointments:
            return checkins.of_holder(request.id_number)

        self.runner.submit(
            work,
            lambda today: self.flow.found(request.request_id, today),
            lambda error: self.flow.failed(request.request_id, error),
        )

    def check_in(self, request: CheckinRequest) -> None:
        checkins, station = self.checkins, self.station

        def work() -> TicketView:
            return checkins.check_in(
                request.id_number, request.name, request.appointment_id, source=station
            )

        self.runner.submit(
            work,
            lambda ticket: self.flow.checked_in(request.request_id, ticket),
            lambda error: self.flow.failed(request.request_id, error),
        )

    def ticket_issued(self, ticket: TicketView) -> None:
        self._on_ticket(ticket)

    def speak_checkin(self, prompt: CheckinPrompt, state: CheckinState) -> None:
        say(self.speaker, self.language, self.prompt_text(prompt, state))

    def prompt_text(self, prompt: CheckinPrompt, state: CheckinState) -> str:
        """What is said aloud: the page's words, never a name or an ID number."""
        if prompt is CheckinPrompt.FIND:
            return tr("Place your ID card on the reader to check in for today's appointment.")
        if prompt is CheckinPrompt.APPOINTMENT:
            return status_line(state)
        return checkin_message_text(state, self.language)

    def leave_checkin(self) -> None:
        self._on_leave()
