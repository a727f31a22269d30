"""Staff-confirmed green channel (绿色通道): a reason and the staff PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QVBoxLayout, QWidget

from kiosk.flow import GREEN_REASONS, KioskFlow, KioskState
from kiosk.screens.base import KioskScreen, centred
from kiosk.texts import green_reason_text, pin_error_text, tr
from kiosk.widgets import PinPad, TouchButton

__all__ = ["GreenScreen"]


class GreenScreen(KioskScreen):
    """For disabled people, military and pregnant women; 70+ get it from the card automatically."""

    def __init__(self, flow: KioskFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._flow = flow
        self.title = centred("screenTitle")
        self.hint = centred("hint")
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
        self.pin_label = centred("caption")
        self.pad = PinPad()
        self.pad.submitted.connect(self._submit)
        self.error = centred("error")
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.cancel)
        reasons = QVBoxLayout()
        # With the reasons (not across the top): in landscape the PIN pad gets the full height.
        reasons.addWidget(self.hint)
        reasons.addLayout(grid)
        # Landscape: the stretch takes the button to the bottom of its column, level with the
        # PIN pad's last row. Portrait: the column keeps its natural height (set_landscape), so
        # the button sits right under the reasons instead of floating mid-screen.
        reasons.addStretch(1)
        # Beside the reasons rather than under everything: a 1080-pixel landscape panel in large
        # print has no row to spare below the PIN pad.
        reasons.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        pad_box = QVBoxLayout()
        pad_box.addWidget(self.pin_label)
        pad_box.addWidget(self.pad)
        pad_box.addWidget(self.error)
        pad_box.addStretch(1)
        # Portrait: reasons above the PIN pad; landscape: side by side.
        layout = self.page((32, 16, 32, 16), spacing=12)
        layout.addWidget(self.title)
        layout.addLayout(self.turning_body(reasons, pad_box, spacing=24), 1)

    def set_landscape(self, landscape: bool) -> None:
        super().set_landscape(landscape)
        assert self.body is not None
        self.body.setStretch(0, 1 if landscape else 0)

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
            tr(
                "For disabled people, serving and retired military, and pregnant women. "
                "A member of staff chooses the reason and enters the PIN."
            )
        )
        for reason, button in self.reasons.items():
            button.setText(green_reason_text(reason))
        self.pin_label.setText(tr("Staff PIN"))
        self.error.setText(pin_error_text(state))
        self.back.setText(tr("Back"))
