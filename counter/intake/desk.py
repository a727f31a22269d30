"""The counter's 受理清单 area: the intake page, the applicant's fields and the case desk, as tabs,
plus the case pages and the citizen's rating view they open.

``counter.main_window.CounterWindow`` puts one :class:`IntakeDesk` in the box it keeps free
and forwards the reader's cards, the ticket being served and finished tickets to it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QWidget

from common.catalog.model import Catalog
from common.catalog.search import CatalogIndex
from common.clock import Clock
from common.config import Settings
from common.devices.idcard.card import IdentityCard
from common.intake.cases import CaseService, CaseView
from common.intake.rating import RatingDraft, RatingService, outbox_backlog
from counter.intake.applicant_form import ApplicantForm
from counter.intake.case_desk import CaseDesk
from counter.intake.case_detail import CaseDetail, DetailPrompts
from counter.intake.flow import DocumentOutput, IntakeFlow, IntakeState, Runner
from counter.intake.intake_panel import IntakePanel, IntakePrompts
from counter.intake.rating_view import RatingView
from counter.intake.words import t

__all__ = ["IntakeDesk", "IntakeServices"]

log = logging.getLogger(__name__)


@dataclass
class IntakeServices:
    """What the intake desk needs, built once by ``counter.app`` (or a test)."""

    settings: Settings
    cases: CaseService
    ratings: RatingService
    clock: Clock
    # Returns the catalog and its search index; run on ``catalog_runner`` (the index takes
    # about a second for 2,000 matters).
    load_catalog: Callable[[], tuple[Catalog, CatalogIndex]]
    documents: DocumentOutput | None = None
    print_runner: Runner | None = None
    catalog_runner: Runner | None = None
    today: Callable[[], dt.date] = field(default=dt.date.today)
    rating_dimensions: bool = False
    rating_timeout_s: int = 60
    rating_enabled: bool = True


class IntakeDesk(QTabWidget):
    """Tabs 受理 / 申请人 / 办件; renders the IntakeFlow and opens case pages and ratings."""

    rating_done = Signal(str)
    backlog_changed = Signal(int)  # unsent outbox rows, after anything that may have added one

    def __init__(
        self,
        services: IntakeServices,
        runner: Runner,
        *,
        actor: str,
        window: int,
        staff_name: str = "",
        parent: QWidget | None = None,
        prompts: IntakePrompts | None = None,
        detail_prompts: DetailPrompts | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDesk")
        self.services, self.runner = services, runner
        self.actor = actor
        self.window_number = window
        self.english = False
        self.detail_prompts = detail_prompts
        self.panel = IntakePanel(prompts=prompts)
        self.applicant = ApplicantForm()
        self.case_desk = CaseDesk(services.cases, runner, window=window, today=services.today)
        self.addTab(self.panel, "")
        self.addTab(self.applicant, "")
        self.addTab(self.case_desk, "")
        self.flow = IntakeFlow(
            services.cases,
            runner,
            self,
            settings=services.settings,
            actor=actor,
            window=window,
            staff_name=staff_name,
            documents=services.documents,
            print_runner=services.print_runner,
        )
        self.panel.set_flow(self.flow)
        self.applicant.field_changed.connect(self.flow.set_field)
        self.panel.case_saved.connect(lambda _v: self.case_desk.refresh())
        self.panel.case_saved.connect(lambda _v: self.refresh_backlog())
        self.rating_done.connect(lambda _r: self.refresh_backlog())
        self.case_desk.open_case.connect(self.open_case)
        self.detail: CaseDetail | None = None
        self.rating: RatingView | None = None
        self.currentChanged.connect(self._tab_changed)
        # The tab titles name these keys; F1–F6 belong to the call panel, F9/F10 to the checklist.
        for key, page in (("F8", self.panel), ("F7", self.case_desk)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda page=page: self.setCurrentWidget(page))
        self.retranslate()

    def start(self) -> None:
        """Load the catalog (off the GUI thread) and the case desk's first list."""
        load = self.services.load_catalog
        runner = self.services.catalog_runner or self.runner

        def loaded(result: tuple[Catalog, CatalogIndex]) -> None:
            if shiboken6.isValid(self):
                self.flow.set_catalog(*result)
                self.panel.picker.refresh()

        def failed(exc: BaseException) -> None:
            log.error("catalog not loaded", exc_info=exc)

        runner.submit(load, loaded, failed)
        self.case_desk.refresh()
        self.refresh_backlog()

    def refresh_backlog(self) -> None:
        """Count the unsent outbox rows (on the runner) for the status bar's central-sync slot."""
        db = self.services.cases.db

        def done(count: int) -> None:
            if shiboken6.isValid(self):
                self.backlog_changed.emit(count)

        def failed(exc: BaseException) -> None:
            log.warning("outbox backlog not read: %s", type(exc).__name__)

        self.runner.submit(lambda: outbox_backlog(db), done, failed)

    # ------------------------------------------------------------------ IntakeView

    def show_intake(self, state: IntakeState) -> None:
        self.panel.show_intake(state)
        self.applicant.show_fields(state.fields, state.errors, card=state.card)
        self.setTabText(1, self._applicant_tab(state))

    def _applicant_tab(self, state: IntakeState) -> str:
        text = t(self.english, "申请人", "Applicant")
        return text + (" ⚠" if state.errors else "")

    # ------------------------------------------------------------------ text

    def retranslate(self) -> None:
        e = self.english
        self.setTabText(0, t(e, "受理 F8", "Intake F8"))
        self.setTabText(1, self._applicant_tab(self.flow.state))
        self.setTabText(2, t(e, "办件 F7", "Cases F7"))

    def set_english(self, english: bool) -> None:
        self.english = english
        self.panel.set_english(english)
        self.applicant.set_english(english)
        self.case_desk.set_english(english)
        if self.detail is not None and shiboken6.isValid(self.detail):
            self.detail.set_english(english)
        self.retranslate()
        self.show_intake(self.flow.state)

    def _tab_changed(self, index: int) -> None:
        if self.widget(index) is self.case_desk:
            self.case_desk.refresh()

    # ------------------------------------------------------------------ inputs from the window

    def on_card(self, card: IdentityCard) -> None:
        if self.detail is not None and shiboken6.isValid(self.detail) and self.detail.isVisible():
            self.detail.on_card(card)  # the collector's card for a hand-over
            return
        self.flow.on_card(card)

    def set_ticket(self, ticket_id: int | None) -> None:
        self.flow.set_ticket(ticket_id)

    # ------------------------------------------------------------------ case pages

    def open_case(self, number: str) -> CaseDetail:
        s = self.services
        detail = CaseDetail(
            s.cases,
            self.runner,
            number,
            actor=self.actor,
            clock=s.clock,
            parent=self,
            english=self.english,
            prompts=self.detail_prompts,
        )
        detail.resize(1000, 640)
        detail.changed.connect(self.case_desk.refresh)
        detail.changed.connect(self.refresh_backlog)
        detail.reprint_requested.connect(self.flow.reprint)
        detail.resubmit_requested.connect(self._resubmit)
        detail.handed_over.connect(lambda v: self.ask_rating(case_number=v.number))
        detail.finished.connect(lambda _r: setattr(self, "detail", None))
        self.detail = detail
        detail.show()
        return detail

    def _resubmit(self, view: CaseView) -> None:
        if self.detail is not None:
            self.detail.close()
        self.flow.start_resubmission(view)
        self.setCurrentWidget(self.panel)

    # ------------------------------------------------------------------ rating

    def ask_rating(
        self, *, ticket_id: int | None = None, case_number: str = ""
    ) -> RatingView | None:
        """The citizen's rating view for a finished ticket or a hand-over (one at a time)."""
        s = self.services
        if not s.rating_enabled or (ticket_id is None and not case_number):
            return None
        if self.rating is not None and shiboken6.isValid(self.rating):
            return self.rating
        ratings, actor = s.ratings, self.actor

        def save(draft: RatingDraft) -> Any:
            return ratings.rate(draft, staff=actor)

        view = RatingView(
            save,
            self.runner,
            ticket_id=ticket_id,
            case_number=case_number,
            window=self.window_number,
            english=self.english,
            dimensions=s.rating_dimensions,
            timeout_s=s.rating_timeout_s,
        )
        view.finished.connect(self._rated)
        self.rating = view
        QTimer.singleShot(0, view.show_for_citizen)
        return view

    def _rated(self, result: str) -> None:
        self.rating = None
        self.rating_done.emit(result)
