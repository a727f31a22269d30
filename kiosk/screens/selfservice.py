"""The self-service page of the kiosk window: its sub-pages, and the Qt side of its flow.

:class:`SelfServicePage` is the window's page for ``Screen.SELF_SERVICE``. It owns a
:class:`~kiosk.selfservice.SelfServiceFlow` and implements its ports: reads of the hall
database go through the window's :class:`~common.qt.worker.TaskRunner` (never on the GUI
thread), prompts go to the kiosk's speaker, and leaving hands back to the kiosk's own flow.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from common.config import Settings
from common.intake.lookup import CaseProgress, ProgressLookup
from common.qt.voice import Speaker
from common.qt.worker import TaskRunner
from common.selfservice.rating import KioskRatings, RateableService
from kiosk.flow import KioskState
from kiosk.screens.base import KioskScreen, centred, page_stack, say, turn_to
from kiosk.screens.case_keypad import KeypadScreen
from kiosk.screens.lookup import LookupScreen, message_text
from kiosk.screens.progress import CaseProgressModel, CasesScreen, status_text
from kiosk.screens.rating import (
    RateDoneScreen,
    RateFindScreen,
    RatePickScreen,
    RateScreen,
    rate_find_hint,
)
from kiosk.selfservice import (
    LookupKind,
    LookupRequest,
    RatingRequest,
    SelfPrompt,
    SelfScreen,
    SelfServiceFlow,
    SelfServiceState,
)
from kiosk.texts import tr

__all__ = ["SelfServicePage"]


class _Searching(KioskScreen):
    def __init__(self) -> None:
        super().__init__()
        self.title = centred("screenTitle")
        layout = self.page()
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addStretch(1)

    def show_self(self) -> None:
        self.title.setText(tr("Looking up your cases…"))


class SelfServicePage(KioskScreen):
    """Start page, keypad, searching and answer; drawn from :class:`SelfServiceState`."""

    def __init__(
        self,
        settings: Settings,
        progress: ProgressLookup,
        runner: TaskRunner,
        *,
        on_leave: Callable[[], None],
        ratings: KioskRatings | None = None,
        speaker: Speaker | None = None,
        voice_on: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.progress = progress
        self.ratings = ratings
        self.runner = runner
        self.speaker = speaker
        self._on_leave = on_leave
        self.language = "zh_CN"
        self.reader_available = True
        self.scanner_available = False
        self.flow = SelfServiceFlow(settings, self, clock=clock, today=today, voice_on=voice_on)
        self.model = CaseProgressModel(self)
        self.lookup_page = LookupScreen(self.flow)
        self.keypad_page = KeypadScreen(self.flow, settings.hall.code)
        self.searching_page = _Searching()
        self.cases_page = CasesScreen(self.flow, self.model)
        self.rate_find_page = RateFindScreen(self.flow, [s.prefix for s in settings.services])
        self.rate_pick_page = RatePickScreen(self.flow)
        self.rate_page = RateScreen(self.flow)
        self.rate_done_page = RateDoneScreen(self.flow)
        self.pages: dict[SelfScreen, QWidget] = {
            SelfScreen.RATE_FIND: self.rate_find_page,
            SelfScreen.RATE_PICK: self.rate_pick_page,
            SelfScreen.RATE: self.rate_page,
            SelfScreen.RATE_DONE: self.rate_done_page,
            SelfScreen.LOOKUP: self.lookup_page,
            SelfScreen.KEYPAD: self.keypad_page,
            SelfScreen.SEARCHING: self.searching_page,
            SelfScreen.CASES: self.cases_page,
        }
        self.stack = page_stack(self, self.pages.values())

    # ------------------------------------------------------------------ drawing

    def set_landscape(self, landscape: bool) -> None:
        self.keypad_page.set_landscape(landscape)
        self.lookup_page.set_landscape(landscape)
        self.rate_find_page.set_landscape(landscape)
        self.rate_page.set_landscape(landscape)

    def show_state(self, state: KioskState) -> None:
        """The kiosk's state changed (language, reader …): redraw the current sub-page."""
        self.language = state.language
        self.model.language = state.language
        self.reader_available = state.reader_configured and not state.reader_out
        self.show_self_service(self.flow.state)

    def show_self_service(self, state: SelfServiceState) -> None:
        self.model.set_rows(state.cases)
        turn_to(self.stack, self.pages[state.screen])
        if state.screen is SelfScreen.LOOKUP:
            self.lookup_page.show_self(
                state, scanner=self.scanner_available, reader=self.reader_available
            )
        elif state.screen is SelfScreen.KEYPAD:
            self.keypad_page.show_self(state)
        elif state.screen is SelfScreen.SEARCHING:
            self.searching_page.show_self()
        elif state.screen is SelfScreen.RATE_FIND:
            self.rate_find_page.show_self(state, scanner=self.scanner_available)
        elif state.screen is SelfScreen.RATE_PICK:
            self.rate_pick_page.show_self(state, self.language)
        elif state.screen is SelfScreen.RATE:
            self.rate_page.show_self(state, self.language)
        elif state.screen is SelfScreen.RATE_DONE:
            self.rate_done_page.show_self(state)
        else:
            self.cases_page.show_state(state, self.language)

    # ------------------------------------------------------------------ SelfServicePorts

    def lookup(self, request: LookupRequest) -> None:
        progress, ratings = self.progress, self.ratings

        def work() -> list[CaseProgress] | list[RateableService]:
            if request.kind is LookupKind.RATEABLE_HOLDER:
                assert ratings is not None
                return ratings.of_holder(request.id_number, request.today)
            if request.kind is LookupKind.RATEABLE_TICKET:
                assert ratings is not None
                return [ratings.by_ticket(request.number, request.today)]
            if request.kind is LookupKind.RATEABLE_CODE:
                assert ratings is not None
                return [ratings.by_code(request.payload, request.today)]
            if request.kind is LookupKind.HOLDER:
                return progress.of_holder(request.id_number, request.today)
            if request.kind is LookupKind.NUMBER:
                return [progress.by_number(request.number, request.phone_last4, request.today)]
            return [progress.by_code(request.payload, request.today)]

        self.runner.submit(
            work,
            lambda cases: self.flow.found(request.request_id, cases),
            lambda error: self.flow.lookup_failed(request.request_id, error),
        )

    def submit_rating(self, request: RatingRequest) -> None:
        from common.intake.rating import RatingLevel

        ratings = self.ratings
        assert ratings is not None
        self.runner.submit(
            lambda: ratings.rate(request.service, RatingLevel(request.level), request.reasons),
            lambda _: self.flow.rated(request.request_id),
            lambda error: self.flow.rating_failed(request.request_id, error),
        )

    def speak_self(self, prompt: SelfPrompt, state: SelfServiceState) -> None:
        say(self.speaker, self.language, self.prompt_text(prompt, state))

    def prompt_text(self, prompt: SelfPrompt, state: SelfServiceState) -> str:
        """What is said aloud: the page's words, never a number or a name."""
        if prompt is SelfPrompt.LOOKUP:
            return tr("Place your ID card on the reader, or scan the QR code on your receipt.")
        if prompt is SelfPrompt.KEYPAD:
            return tr("Type the case number, then the last four digits of your phone.")
        if prompt is SelfPrompt.CASES:
            if len(state.cases) == 1:
                return status_text(state.cases[0], self.language)
            return tr("Your cases are on the screen.")
        if prompt is SelfPrompt.RATE_FIND:
            return rate_find_hint(self.scanner_available)
        if prompt is SelfPrompt.RATE:
            return tr("How satisfied are you?")
        if prompt is SelfPrompt.THANKS:
            return tr("Thank you for your rating")
        return message_text(state.message, 0 if state.rating else state.tries_left)

    def leave_self_service(self) -> None:
        self._on_leave()
