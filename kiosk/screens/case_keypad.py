"""办件查询 by case number + the last four digits of the phone, on an on-screen keypad.

The phone digits show as dots. A wrong phone and a wrong number get the same line (the flow
makes sure of it); the hall code in front of the number may be left out.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from common.qt.i18n import fill
from kiosk.screens.base import KioskScreen, centred, centred_row
from kiosk.screens.lookup import message_text
from kiosk.selfservice import SelfMessage, SelfServiceFlow, SelfServiceState
from kiosk.texts import tr
from kiosk.widgets import TouchButton, label

__all__ = ["KeypadScreen"]


class KeypadScreen(KioskScreen):
    """Two fields (tap to choose), a digit pad with "-" and ⌫, and 查询."""

    def __init__(
        self, flow: SelfServiceFlow, hall_code: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._flow = flow
        self._hall_code = hall_code
        self.title = centred("screenTitle")
        self.number_button = TouchButton("", "keypadField")
        self.number_button.setCheckable(True)
        self.number_button.clicked.connect(lambda: flow.choose_field("number"))
        self.phone_button = TouchButton("", "keypadField")
        self.phone_button.setCheckable(True)
        self.phone_button.clicked.connect(lambda: flow.choose_field("phone"))
        self.hint = centred("hint")
        self.message = centred("statusLine")
        grid = QGridLayout()
        grid.setSpacing(10)
        self.keys: dict[str, TouchButton] = {}
        for i, key in enumerate("123456789-0"):
            button = TouchButton(key, "pinKey")
            button.clicked.connect(lambda _=False, k=key: flow.key(k))
            grid.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        self.backspace = TouchButton("⌫", "pinKey")
        self.backspace.clicked.connect(flow.backspace)
        grid.addWidget(self.backspace, 3, 2)
        self.search = TouchButton("", "primary")
        self.search.clicked.connect(flow.submit)
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.back)
        self.countdown = centred("countdown")
        fields = QVBoxLayout()
        fields.setSpacing(12)
        self.fields_caption = label("caption")
        fields.addWidget(self.fields_caption)
        fields.addWidget(self.number_button)
        fields.addWidget(self.phone_button)
        fields.addWidget(self.hint)
        fields.addWidget(self.message)
        fields.addStretch(1)
        pad = QHBoxLayout()
        pad.addStretch(1)
        pad.addLayout(grid, 4)
        pad.addStretch(1)
        layout = self.page(spacing=16)
        layout.addWidget(self.title)
        layout.addLayout(self.turning_body(fields, pad, spacing=24), 1)
        layout.addLayout(centred_row(self.back, self.search))
        layout.addWidget(self.countdown)

    def show_self(self, state: SelfServiceState) -> None:
        self.title.setText(tr("Look up by case number"))
        self.fields_caption.setText(
            tr("Case number and the last four digits of the phone you gave")
        )
        number = state.number_typed or fill(
            tr("Case number, e.g. %1-20261123-0001"), self._hall_code
        )
        phone = "●" * len(state.phone_typed) + "○" * (4 - len(state.phone_typed))
        self.number_button.setText(number)
        self.phone_button.setText(fill(tr("Phone, last 4 digits: %1"), phone))
        self.number_button.setChecked(state.entry == "number")
        self.phone_button.setChecked(state.entry == "phone")
        self.hint.setText(
            tr("The case number is on your receipt. The hall code in front may be left out.")
        )
        text = message_text(state.message, state.tries_left)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        # The answer takes the place of the hint and the caption (a 720p panel in large print).
        self.hint.setVisible(not text)
        self.fields_caption.setVisible(not text)
        self.message.setProperty("problem", bool(text))
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        locked = state.message is SelfMessage.LOCKED
        for key, button in self.keys.items():
            button.setEnabled(not locked and (key != "-" or state.entry == "number"))
        self.search.setText(tr("Look up"))
        self.search.setEnabled(self._flow.can_submit)
        self.back.setText(tr("Back"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))
