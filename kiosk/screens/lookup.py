"""办件查询's start page: place the ID card, scan the receipt's QR code, or type the number."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from common.qt.i18n import fill
from kiosk.screens.base import centred
from kiosk.screens.find import CardFindPage
from kiosk.selfservice import SelfMessage, SelfServiceFlow, SelfServiceState
from kiosk.texts import tr
from kiosk.widgets import TouchButton

__all__ = ["LookupScreen", "message_text"]


def message_text(message: SelfMessage, tries_left: int = 0) -> str:
    """The line said to the citizen for ``message`` ("" for none), on every self-service page."""
    if message is SelfMessage.NOT_FOUND:
        text = tr(
            "No matching case. Please check the case number and the last four digits of the phone."
        )
        if 0 < tries_left < 5:
            text += " " + fill(tr("%1 tries left."), tries_left)
        return text
    if message is SelfMessage.NO_CASES:
        return tr("There is no case in this hall for this ID card.")
    if message is SelfMessage.LOCKED:
        return tr("Too many tries. Please wait a minute or ask at the service desk.")
    if message is SelfMessage.NOTHING_TO_RATE:
        return tr(
            "Nothing to rate: a service can be rated once, after it has finished at a window."
        )
    if message is SelfMessage.NOT_HANDED_OVER:
        return tr("This case was not handed over today: nothing to rate.")
    if message is SelfMessage.ALREADY_RATED:
        return tr("This service has been rated already. Thank you.")
    if message is SelfMessage.REASON_NEEDED:
        return tr("Please choose at least one reason.")
    if message is SelfMessage.CARD_EXPIRED:
        return tr("This ID card has expired. Please go to the service desk.")
    if message is SelfMessage.DATABASE:
        return tr("The system cannot reach the hall database. Please try again in a moment.")
    if message is SelfMessage.ERROR:
        return tr("The lookup did not work. Please ask at the service desk.")
    return ""


class LookupScreen(CardFindPage):
    """Three ways in, the card first (the one most citizens have with them)."""

    def __init__(self, flow: SelfServiceFlow, parent: QWidget | None = None) -> None:
        self.scan_hint = centred("subtitle")
        self.keypad = TouchButton("", "primary")
        self.keypad.clicked.connect(flow.open_keypad)
        super().__init__(flow.back, lines=[self.scan_hint], button=self.keypad, parent=parent)

    def show_self(self, state: SelfServiceState, *, scanner: bool, reader: bool) -> None:
        self.scan_hint.setText(
            tr("Or hold the QR code on your receipt under the scanner.") if scanner else ""
        )
        self.scan_hint.setVisible(scanner)
        self.keypad.setText(tr("Type the case number"))
        self.show_find(
            title=tr("Case progress"),
            card_hint=tr("Place your ID card on the reader to see all your cases."),
            reader=reader,
            message=message_text(state.message, state.tries_left),
            seconds_left=state.seconds_left,
        )
