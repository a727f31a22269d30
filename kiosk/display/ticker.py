"""A scrolling notice line (滚动公告) for the bottom of the hall display."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

__all__ = ["NoticeTicker"]


class NoticeTicker(QWidget):
    """Scrolls the notices right to left, seamlessly, ~``speed`` logical pixels per second.

    Paints the text itself (no growing label or string): the cost per frame is constant however
    long the display runs.
    """

    SEPARATOR = "　　◆　　"

    def __init__(
        self, parent: QWidget | None = None, *, speed: float = 90.0, fps: int = 30
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noticeTicker")
        self._text = ""
        self._offset = 0.0
        self.speed = speed
        self.color = QColor("#ffffff")
        self._timer = QTimer(self)
        self._timer.setInterval(max(10, 1000 // fps))
        self._timer.timeout.connect(self._step)

    def set_notices(self, notices: Sequence[str]) -> None:
        self._text = self.SEPARATOR.join(n for n in notices if n.strip())
        self._offset = 0.0
        if self._text:
            self._timer.start()
        else:
            self._timer.stop()
        self.update()

    @property
    def text(self) -> str:
        return self._text

    def _step(self) -> None:
        if not self.isVisible():
            return
        self._offset += (
            self.speed * self._timer.interval() / 1000.0 * max(1.0, self.height() / 60.0)
        )
        width = QFontMetrics(self.font()).horizontalAdvance(self._text + self.SEPARATOR)
        if width > 0 and self._offset >= width:
            self._offset -= width  # wrap: the offset never grows without bound
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._text:
            return
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.color)
        metrics = QFontMetrics(self.font())
        unit = metrics.horizontalAdvance(self._text + self.SEPARATOR)
        baseline = (self.height() + metrics.ascent() - metrics.descent()) // 2
        x = -self._offset
        while x < self.width():
            painter.drawText(int(x), baseline, self._text + self.SEPARATOR)
            x += unit
        painter.end()
