"""Staff-confirmed green channel (绿色通道): a reason and the staff PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.flow import GREEN_REASONS, KioskFlow, KioskState
from kiosk.texts import green_reason_text, tr
from kiosk.widgets import PinPad, TouchButton, label

__all__ = ["GreenScreen"]


class GreenScreen(QWidget):
    """For disabled people, military and pregnant women; 70+ get it from the card automatically."""

    def __init__(self, flow: KioskFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._flow = flow
        self.title = label("screenTitle", align=Qt.AlignmentFlag.AlignCenter)
        self.hint = label("hint", align=Qt.AlignmentFlag.AlignCenter)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.reasons: dict[str, TouchButton] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, reason in enumerate(GREEN_REASONS):
            button = TouchButton("", "choice")
            button.setCheckable(True)
            self.group.addButton(button)
            self.reasons[reason] = button
            grid.addWidget(button, i // 2, i % 2)
        self.pin_label = label("caption", align=Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad()
        self.pad.submitted.connect(self._submit)
        self.error = label("error", align=Qt.AlignmentFlag.AlignCenter)
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.cancel)
        pad_row = QHBoxLayout()
        pad_row.addStretch(1)
        pad_row.addWidget(self.pad, 2)
        pad_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(grid)
        layout.addWidget(self.pin_label)
        layout.addLayout(pad_row, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignHCenter)

    def selected_reason(self) -> str:
        for reason, button in self.reasons.items():
            if button.isChecked():
                return reason
        return ""

    def _submit(self, pin: str) -> None:
        reason = self.selected_reason()
        if not reason:
            self.error.setText(tr("Please choose the reason first."))
            return
        if self._flow.confirm_green(reason, pin):
            for button in self.reasons.values():
                button.setChecked(False)

    def show_state(self, state: KioskState) -> None:
        self.title.setText(tr("Green channel — confirmed by staff"))
        self.hint.setText(
            tr("For disabled people, serving and retired military, and pregnant women. A member of staff chooses the reason and enters the PIN.")
        )
        for reason, button in self.reasons.items():
            button.setText(green_reason_text(reason))
        self.pin_label.setText(tr("Staff PIN"))
        if state.pin_locked:
            self.error.setText(tr("Too many wrong PINs. Please wait a minute."))
        elif state.pin_error:
            self.error.setText(tr("Wrong PIN. Please try again."))
        else:
            self.error.setText("")
        self.back.setText(tr("Back"))
