"""Admin (管理): device and database state, reprints, this run's settings, and exit."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from common.qt.i18n import fill
from kiosk.flow import KioskFlow, KioskState
from kiosk.screens.base import KioskScreen, centred
from kiosk.texts import tr
from kiosk.widgets import TouchButton, label

__all__ = ["AdminScreen"]

_CHOICES: dict[str, Sequence[object]] = {
    "idle_seconds": (30, 60, 120),
    "ticket_show_seconds": (10, 15, 30),
    "language": ("zh_CN", "en"),
    "elderly_default": (False, True),
    "voice": ("elderly", "always", "off"),
}


class AdminScreen(KioskScreen):
    """Behind the PIN. Settings changed here last until the kiosk restarts (the hall's TOML
    file stays the source of truth, edited by the hall's IT)."""

    def __init__(self, flow: KioskFlow, station: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._flow = flow
        self._station = station
        self.title = centred("screenTitle")
        self.status = label("adminStatus")
        self.status.setWordWrap(True)
        self.recent_label = label("caption")
        self.recent_row = QHBoxLayout()
        self.reprint_buttons: list[TouchButton] = []
        self.settings_grid = QGridLayout()
        self.settings_grid.setHorizontalSpacing(12)
        self.setting_labels: dict[str, object] = {}
        self.setting_buttons: dict[str, dict[object, TouchButton]] = {}
        for row, (key, values) in enumerate(_CHOICES.items()):
            name = label("settingName", wrap=True)
            self.setting_labels[key] = name
            self.settings_grid.addWidget(name, row, 0)
            group = QButtonGroup(self)
            buttons: dict[object, TouchButton] = {}
            for col, value in enumerate(values, start=1):
                button = TouchButton("", "adminChoice")
                button.setCheckable(True)
                group.addButton(button)
                button.clicked.connect(
                    lambda _=False, k=key, v=value: self._flow.admin_update(**{k: v})
                )
                self.settings_grid.addWidget(button, row, col)
                buttons[value] = button
            self.setting_buttons[key] = buttons
        self.retry = TouchButton("", "secondary")
        self.retry.clicked.connect(flow.admin_retry_printer)
        self.exit = TouchButton("", "danger")
        self.exit.clicked.connect(flow.admin_exit)
        self.back = TouchButton("", "primary")
        self.back.clicked.connect(flow.cancel)
        actions = QHBoxLayout()
        actions.addWidget(self.retry)
        actions.addWidget(self.exit)
        actions.addWidget(self.back)
        # Staff-only and dense: on a 720-pixel panel it scrolls rather than squeeze its buttons.
        body = QWidget()
        body.setObjectName("pageBody")
        scroll = QScrollArea()
        scroll.setObjectName("pageScroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.recent_label)
        layout.addLayout(self.recent_row)
        layout.addLayout(self.settings_grid)
        layout.addStretch(1)
        layout.addLayout(actions)

    def _labels(self) -> dict[str, str]:
        return {
            "idle_seconds": tr("Idle time-out"),
            "ticket_show_seconds": tr("Ticket shown for"),
            "language": tr("Start language"),
            "elderly_default": tr("Start in large print"),
            "voice": tr("Voice prompts"),
        }

    def _value_text(self, key: str, value: object) -> str:
        if key in ("idle_seconds", "ticket_show_seconds"):
            return fill(tr("%1 s"), value)
        return {
            "zh_CN": "中文",
            "en": "English",
            False: tr("Off"),
            True: tr("On"),
            "elderly": tr("Large print only"),
            "always": tr("Always"),
            "off": tr("Off"),
        }[value]

    def show_state(self, state: KioskState) -> None:
        kiosk = self._flow.kiosk
        self.title.setText(tr("Kiosk administration"))
        db = tr("unreachable") if state.db_down else tr("connected")
        printer = state.printer_state.value + (
            f" ({state.printer_message})" if state.printer_message else ""
        )
        self.status.setText(
            "\n".join(
                (
                    fill(tr("Station: %1"), self._station),
                    fill(tr("Hall database: %1"), db),
                    fill(tr("Printer: %1 · jobs waiting: %2"), printer, state.pending_jobs),
                    fill(tr("ID card reader: %1"), state.reader_status.value),
                )
            )
        )
        self.recent_label.setText(
            tr("Reprint a recent ticket") if state.recent else tr("No tickets issued yet")
        )
        numbers = [t.number for t in state.recent[:6]]
        if [b.text() for b in self.reprint_buttons] != numbers:
            for button in self.reprint_buttons:
                self.recent_row.removeWidget(button)
                button.deleteLater()
            self.reprint_buttons = []
            for number in numbers:
                button = TouchButton(number, "adminChoice")
                button.clicked.connect(lambda _=False, n=number: self._flow.admin_reprint(n))
                self.recent_row.addWidget(button)
                self.reprint_buttons.append(button)
        for key, name in self._labels().items():
            widget = self.setting_labels[key]
            widget.setText(name)  # type: ignore[attr-defined]
            current = getattr(kiosk, key)
            for value, button in self.setting_buttons[key].items():
                button.setText(self._value_text(key, value))
                button.setChecked(value == current)
        self.retry.setText(tr("Retry printer"))
        self.exit.setText(tr("Exit kiosk"))
        self.back.setText(tr("Back"))
