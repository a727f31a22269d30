"""The applicant as read from the ID card (masked): what the clerk checks against the person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from common.devices.idcard.card import IdentityCard

__all__ = ["ApplicantPanel"]


class ApplicantPanel(QGroupBox):
    """Shows the masked name and number, card type, age and validity of the card on the reader.

    Only masked values are ever put on screen (个人信息保护法); the full card stays in memory for
    the intake flow of a later issue.
    """

    def __init__(
        self, parent: QWidget | None = None, *, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("applicantPanel")
        self._today = today
        self.card: IdentityCard | None = None
        self.hint = QLabel()
        self.hint.setObjectName("applicantHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLabel()
        self.name.setObjectName("applicantName")
        self.number = QLabel()
        self.number.setObjectName("applicantNumber")
        self.kind = QLabel()
        self.age = QLabel()
        self.validity = QLabel()
        self.validity.setObjectName("applicantValidity")
        self._form_host = QWidget()
        form = QFormLayout(self._form_host)
        self._labels = [QLabel() for _ in range(5)]
        for label, value in zip(
            self._labels, (self.name, self.number, self.kind, self.age, self.validity), strict=True
        ):
            form.addRow(label, value)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self._form_host)
        self.retranslate()
        self.clear()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Applicant (ID card)"))
        for label, text in zip(
            self._labels,
            (
                self.tr("Name"),
                self.tr("ID number"),
                self.tr("Card type"),
                self.tr("Age"),
                self.tr("Valid until"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.hint.setText(self.tr("Place the applicant's ID card on the reader."))
        if self.card is not None:
            self.show_card(self.card)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_card(self, card: IdentityCard) -> None:
        self.card = card
        today = self._today()
        self.name.setText(card.masked_name)
        self.number.setText(card.masked_number)
        self.kind.setText(card.card_type.label_zh)
        self.age.setText(str(card.age_at(today)))
        if card.long_term or card.valid_to is None:
            self.validity.setText(self.tr("Long-term"))
        else:
            text = card.valid_to.isoformat()
            if card.is_expired(today):
                text += "  " + self.tr("(expired)")
            self.validity.setText(text)
        self.validity.setProperty("expired", "true" if card.is_expired(today) else "false")
        self.validity.style().unpolish(self.validity)
        self.validity.style().polish(self.validity)
        self.hint.hide()
        self._form_host.show()

    def clear(self) -> None:
        self.card = None
        for value in (self.name, self.number, self.kind, self.age, self.validity):
            value.clear()
        self._form_host.hide()
        self.hint.show()
