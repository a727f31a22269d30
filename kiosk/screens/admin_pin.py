"""The admin PIN pad behind the hidden corner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.flow import KioskFlow, KioskState
from kiosk.texts import pin_error_text, tr
from kiosk.widgets import PinPad, TouchButton, label

__all__ = ["AdminPinScreen"]


class AdminPinScreen(QWidget):
    """PIN entry; wrong PINs are counted and lock the pad for a minute."""

    def __init__(self, flow: KioskFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("screenTitle", align=Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad()
        self.pad.submitted.connect(flow.admin_pin)
        self.error = label("error", align=Qt.AlignmentFlag.AlignCenter)
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.cancel)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.pad, 2)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addLayout(row, 3)
        layout.addWidget(self.error)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def show_state(self, state: KioskState) -> None:
        self.title.setText(tr("Administrator PIN"))
        self.error.setText(pin_error_text(state))
        self.back.setText(tr("Back"))
