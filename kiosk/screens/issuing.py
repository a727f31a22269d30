"""Taking the number (正在取号): shown for the database round trip, and while it is retried."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.flow import KioskState
from kiosk.screens.base import KioskScreen, centred
from kiosk.texts import tr

__all__ = ["IssuingScreen"]


class IssuingScreen(KioskScreen):
    """A short wait with moving dots; explains itself if the database is slow to answer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = centred("screenTitle")
        self.dots = centred("dots", "●", wrap=False)
        self.detail = centred("hint")
        self._step = 0
        # Runs only while visible (started in showEvent), so no timer ticks behind other screens.
        self._timer = QTimer(self)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self._advance)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.dots)
        layout.addWidget(self.detail)
        layout.addStretch(3)

    def _advance(self) -> None:
        self._step = (self._step + 1) % 4
        self.dots.setText(" ".join("●" if i <= self._step else "○" for i in range(4)))

    def showEvent(self, event: object) -> None:
        self._timer.start()
        super().showEvent(event)  # type: ignore[arg-type]

    def hideEvent(self, event: object) -> None:
        self._timer.stop()
        super().hideEvent(event)  # type: ignore[arg-type]

    def show_state(self, state: KioskState) -> None:
        self.title.setText(tr("Taking your number…"))
        self.detail.setText(
            tr("The system is reconnecting, please wait a moment…") if state.retrying else ""
        )
