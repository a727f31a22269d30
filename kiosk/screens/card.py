"""Waiting for the ID card (请放置身份证), with the card animation and the reader's state."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from common.devices.idcard.reader import ReaderStatus
from common.qt.i18n import fill
from kiosk.flow import KioskFlow, KioskState
from kiosk.screens.base import KioskScreen, centred, centred_row
from kiosk.texts import service_name, tr
from kiosk.widgets import CardAnimation, TouchButton

__all__ = ["CardScreen"]


class CardScreen(KioskScreen):
    """Shown for services that need the ID card when none was read on the home screen."""

    def __init__(self, flow: KioskFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = centred("screenTitle")
        self.service = centred("subtitle")
        self.animation = CardAnimation()
        self.status = centred("statusLine")
        self.hint = centred("hint")
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.cancel)
        layout = self.page(spacing=20)
        layout.addWidget(self.title)
        layout.addWidget(self.service)
        layout.addWidget(self.animation, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.hint)
        layout.addLayout(centred_row(self.back))

    def show_state(self, state: KioskState) -> None:
        self.title.setText(tr("Please place your ID card on the reader"))
        selected = state.selected
        name = service_name(selected, state.language) if selected else ""
        self.service.setText(
            fill(tr("%1 needs your ID card to take a number"), name) if name else ""
        )
        problem = state.card_problem
        if problem is ReaderStatus.READER_GONE:
            text = tr("The ID card reader is not working. Please ask at the service desk.")
        elif problem is ReaderStatus.READ_FAILED:
            text = tr("The card could not be read. Please take it off and place it again.")
        elif problem is ReaderStatus.CARD_EXPIRED:
            text = tr("This ID card has expired. Please go to the service desk.")
        elif state.card_left_on_reader:
            # The reader reports a card once per placement; one lying there since before is silent.
            text = tr("Please lift the card off the reader and place it again.")
        elif state.reader_status is ReaderStatus.READING:
            text = tr("Reading the card — please keep it still…")
        else:
            text = tr("Waiting for the card…")
        self.status.setText(text)
        self.status.setProperty("problem", problem is not None or state.card_left_on_reader)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.hint.setText(
            tr(
                "Lay the card flat on the reader area below the screen. Resident ID cards, "
                "residence permits and permanent residence cards are accepted."
            )
        )
        self.back.setText(tr("Back"))
