"""The admin PIN pad behind the hidden corner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.flow import KioskFlow, KioskState
from kiosk.screens.base import KioskScreen, centred, centred_row
from kiosk.texts import pin_error_text, tr
from kiosk.widgets import PinPad, TouchButton

__all__ = ["AdminPinScreen"]


class AdminPinScreen(KioskScreen):
    """PIN entry; wrong PINs are counted and lock the pad for a minute."""

    def __init__(self, flow: KioskFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = centred("screenTitle")
        self.pad = PinPad()
        self.pad.submitted.connect(flow.admin_pin)
        self.error = centred("error")
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.cancel)
        layout = self.page()
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addLayout(centred_row(self.pad, stretch=2), 3)
        layout.addWidget(self.error)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def show_state(self, state: KioskState) -> None:
        self.title.setText(tr("Administrator PIN"))
        self.error.setText(pin_error_text(state))
        self.back.setText(tr("Back"))
