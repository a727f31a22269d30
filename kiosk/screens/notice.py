"""Why no number could be issued: closed, full, per-ID limit, database down …"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from common.qt.i18n import fill
from kiosk.flow import KioskFlow, KioskState
from kiosk.texts import notice_text, tr
from kiosk.widgets import TouchButton, label

__all__ = ["NoticeScreen"]


class NoticeScreen(QWidget):
    """A headline, the reason in plain words, and the way back."""

    def __init__(self, flow: KioskFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = label("noticeIcon", "!", wrap=False, align=Qt.AlignmentFlag.AlignCenter)
        self.headline = label("screenTitle", align=Qt.AlignmentFlag.AlignCenter)
        self.message = label("message", align=Qt.AlignmentFlag.AlignCenter)
        self.back = TouchButton("", "primary")
        self.back.clicked.connect(flow.cancel)
        self.countdown = label("countdown", align=Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(24)
        layout.addStretch(2)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.headline)
        layout.addWidget(self.message)
        layout.addStretch(2)
        layout.addLayout(buttons)
        layout.addWidget(self.countdown)

    def show_state(self, state: KioskState) -> None:
        if state.notice is None:
            return
        headline, message = notice_text(state.notice, state.language)
        self.headline.setText(headline)
        self.message.setText(message)
        self.back.setText(tr("Back to start"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))
