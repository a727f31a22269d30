"""Small touch widgets shared by the kiosk screens: big buttons, wrapped labels, a PIN pad,
the card animation and the hidden admin corner.

Sizes come from the QSS theme (resources/styles/kiosk.qss, kiosk-elderly.qss) through object
names; the code only sets what a style sheet cannot (minimum touch size, word wrap).
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, Qt, QVariantAnimation, Signal
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "AdminCorner",
    "CardAnimation",
    "PinPad",
    "TouchButton",
    "label",
]

# 适老化: touch targets at least 60 × 60 dp; normal mode keeps them as large (the QSS grows
# them further in elderly mode).
MIN_TARGET = 64


def label(
    object_name: str, text: str = "", *, wrap: bool = True, align: Qt.AlignmentFlag | None = None
) -> QLabel:
    """A label styled by ``object_name``; wrapped by default so no Chinese line is clipped."""
    widget = QLabel(text)
    widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if align is not None:
        widget.setAlignment(align)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return widget


class TouchButton(QPushButton):
    """A push button sized for fingers; ``role`` names its QSS style (primary, secondary …)."""

    def __init__(
        self, text: str = "", role: str = "secondary", parent: QWidget | None = None
    ) -> None:
        super().__init__(text, parent)
        self.setObjectName(role)
        self.setMinimumSize(MIN_TARGET, MIN_TARGET)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a touch screen has no keyboard focus ring
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)


class PinPad(QWidget):
    """A numeric PIN pad; ``submitted(pin)`` on OK. Digits show as dots, never as numbers."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, max_length: int = 8) -> None:
        super().__init__(parent)
        self._pin = ""
        self._max = max_length
        self.display = label("pinDisplay", " ", wrap=False, align=Qt.AlignmentFlag.AlignCenter)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.digit_buttons: dict[str, TouchButton] = {}
        for i, key in enumerate("123456789"):
            self._add_key(grid, key, i // 3, i % 3)
        self.clear_button = TouchButton("⌫", "pinKey")
        self.clear_button.clicked.connect(self._backspace)
        grid.addWidget(self.clear_button, 3, 0)
        self._add_key(grid, "0", 3, 1)
        self.ok_button = TouchButton("OK", "pinOk")
        self.ok_button.clicked.connect(self._submit)
        grid.addWidget(self.ok_button, 3, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.display)
        layout.addLayout(grid)
        self._show()

    def _add_key(self, grid: QGridLayout, key: str, row: int, col: int) -> None:
        button = TouchButton(key, "pinKey")
        button.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(button, row, col)
        self.digit_buttons[key] = button

    def press(self, key: str) -> None:
        if len(self._pin) < self._max:
            self._pin += key
            self._show()

    def _backspace(self) -> None:
        self._pin = self._pin[:-1]
        self._show()

    def clear(self) -> None:
        self._pin = ""
        self._show()

    def _submit(self) -> None:
        pin, self._pin = self._pin, ""
        self._show()
        self.submitted.emit(pin)

    def _show(self) -> None:
        self.display.setText("● " * len(self._pin) if self._pin else " ")


class CardAnimation(QWidget):
    """A card gliding onto a reader, over and over, while the kiosk waits for the ID card.

    The animation runs only while the widget is shown, so hidden screens cost nothing and no
    timer outlives its screen.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(280, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._phase = 0.0
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setDuration(2200)
        self._anim.setLoopCount(-1)
        self._anim.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._anim.valueChanged.connect(self._on_value)

    @property
    def running(self) -> bool:
        return self._anim.state() == QVariantAnimation.State.Running

    def _on_value(self, value: object) -> None:
        self._phase = float(value)  # type: ignore[arg-type]
        self.update()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._anim.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._anim.stop()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        unit = min(w / 1.6, h / 1.3)
        cx = w / 2
        # The reader: a dark slab with a glowing pad.
        reader = QRectF(cx - unit * 0.7, h * 0.55, unit * 1.4, unit * 0.42)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#37474f"))
        p.drawRoundedRect(reader, unit * 0.06, unit * 0.06)
        glow = 0.5 + 0.5 * math.sin(self._phase * math.tau)
        pad = reader.adjusted(unit * 0.15, unit * 0.08, -unit * 0.15, -unit * 0.08)
        p.setBrush(QColor(38, 166, 154, int(90 + 120 * glow)))
        p.drawRoundedRect(pad, unit * 0.04, unit * 0.04)
        # The card comes down from above and rests on the pad for the second half.
        travel = min(1.0, self._phase * 2.0)
        card_w, card_h = unit * 0.86, unit * 0.54
        top = h * 0.05 + (pad.top() - card_h * 0.55 - h * 0.05) * travel
        card = QRectF(cx - card_w / 2, top, card_w, card_h)
        p.setBrush(QColor("#e3f2fd"))
        p.setPen(QPen(QColor("#1565c0"), max(2.0, unit * 0.012)))
        p.drawRoundedRect(card, unit * 0.05, unit * 0.05)
        # A face and lines, so it reads as an ID card at a glance.
        p.setBrush(QColor("#90caf9"))
        p.setPen(Qt.PenStyle.NoPen)
        face = QRectF(
            card.right() - card_w * 0.32, card.top() + card_h * 0.18, card_w * 0.22, card_h * 0.56
        )
        p.drawRoundedRect(face, 6, 6)
        p.setBrush(QColor("#1565c0"))
        for i in range(3):
            line = QRectF(
                card.left() + card_w * 0.1,
                card.top() + card_h * (0.25 + 0.2 * i),
                card_w * 0.45,
                card_h * 0.07,
            )
            p.drawRoundedRect(line, 3, 3)
        if travel >= 1.0:
            # Radio waves while the card rests on the pad.
            p.setPen(QPen(QColor(38, 166, 154, int(255 * glow)), max(2.0, unit * 0.015)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            for r in (0.12, 0.2):
                path = QPainterPath()
                centre = QPointF(card.right() + unit * 0.02, card.center().y())
                path.arcMoveTo(
                    QRectF(
                        centre.x() - unit * r, centre.y() - unit * r, unit * r * 2, unit * r * 2
                    ),
                    -40,
                )
                path.arcTo(
                    QRectF(
                        centre.x() - unit * r, centre.y() - unit * r, unit * r * 2, unit * r * 2
                    ),
                    -40,
                    80,
                )
                p.drawPath(path)
        p.end()


class AdminCorner(QWidget):
    """The hidden way to the admin PIN: five taps within three seconds on the hall name area.

    Hidden so citizens do not stumble on it; a PIN still guards everything behind it.
    """

    triggered = Signal()

    def __init__(
        self, child: QWidget, parent: QWidget | None = None, *, taps: int = 5, window: float = 3.0
    ) -> None:
        super().__init__(parent)
        self._taps: list[float] = []
        self._needed, self._window = taps, window
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(child)
        child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t < self._window] + [now]
        if len(self._taps) >= self._needed:
            self._taps.clear()
            self.triggered.emit()
        super().mousePressEvent(event)
