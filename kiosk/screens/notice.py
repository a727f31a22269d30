"""Why no number could be issued: closed, full, per-ID limit, database down …"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from common.qt.i18n import fill
from kiosk.flow import KioskFlow, KioskState
from kiosk.screens.base import KioskScreen, centred, centred_row
from kiosk.texts import notice_text, tr
from kiosk.widgets import TouchButton

__all__ = ["NoticeScreen"]


class NoticeScreen(KioskScreen):
    """A headline, the reason in plain words, and the way back."""

    def __init__(self, flow: KioskFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = centred("noticeIcon", "!", wrap=False)
        self.headline = centred("screenTitle")
        self.message = centred("message")
        self.back = TouchButton("", "primary")
        self.back.clicked.connect(flow.cancel)
        self.countdown = centred("countdown")
        layout = self.page((48, 24, 48, 24), spacing=24)
        layout.addStretch(2)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.headline)
        layout.addWidget(self.message)
        layout.addStretch(2)
        layout.addLayout(centred_row(self.back))
        layout.addWidget(self.countdown)

    def show_state(self, state: KioskState) -> None:
        if state.notice is None:
            return
        headline, message = notice_text(state.notice, state.language)
        self.headline.setText(headline)
        self.message.setText(message)
        self.back.setText(tr("Back to start"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))
