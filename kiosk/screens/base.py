"""The scaffold every kiosk screen stands on: a page drawn from the flow's state.

A screen is built once and redrawn by :meth:`KioskScreen.show_state` whenever the flow's
:class:`~kiosk.flow.KioskState` changes (texts included, so a language switch is one redraw).
The pieces every screen repeated live here: centred labels, a row of buttons centred between
stretches, the page's outer column, and the body that turns from top-to-bottom (portrait) to
side by side (landscape) so nothing is squeezed off a 1080-pixel-high panel in large print.
The self-service pages also share their problem line, their spoken prompts, a touch-scrolled
column of cards and a stack of sub-pages turned by the flow's screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from common.qt.voice import Speaker, spoken_form
from kiosk.flow import KioskState
from kiosk.widgets import label

__all__ = [
    "KioskScreen",
    "card_column",
    "centred",
    "centred_row",
    "page_stack",
    "say",
    "show_problem",
    "turn_to",
]


def centred(object_name: str, text: str = "", *, wrap: bool = True) -> QLabel:
    """A centred label styled by ``object_name`` (kiosk.qss)."""
    return label(object_name, text, wrap=wrap, align=Qt.AlignmentFlag.AlignCenter)


def centred_row(*items: QWidget | QLayout, stretch: int = 0) -> QHBoxLayout:
    """``items`` side by side, centred between two equal stretches (each item gets ``stretch``)."""
    row = QHBoxLayout()
    row.addStretch(1)
    for item in items:
        if isinstance(item, QLayout):
            row.addLayout(item, stretch)
        else:
            row.addWidget(item, stretch)
    row.addStretch(1)
    return row


def card_column() -> tuple[QWidget, QVBoxLayout, QScrollArea]:
    """A column of cards that scrolls by touch: ``(box, column, scroll area)``.

    Cards go into ``column`` above its closing stretch; the box is the area's widget.
    """
    box = QWidget()
    box.setObjectName("pageBody")
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(16)
    column.addStretch(1)
    area = QScrollArea()
    area.setObjectName("tileScroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(box)
    # A finger drags the list: a touch panel has no wheel.
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return box, column, area


def page_stack(owner: QWidget, pages: Iterable[QWidget]) -> QStackedWidget:
    """``pages`` stacked one behind the other, filling ``owner`` edge to edge."""
    stack = QStackedWidget()
    for page in pages:
        stack.addWidget(page)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(stack)
    return stack


def turn_to(stack: QStackedWidget, page: QWidget) -> None:
    """Show ``page`` of ``stack`` (nothing to do if it is showing already)."""
    if stack.currentWidget() is page:
        return
    # A stack is as big as its biggest page; hidden pages must not count, or one page's
    # minimum size would push the page showing off a 1080-pixel panel.
    for i in range(stack.count()):
        other = stack.widget(i)
        if other is None:  # never for i < count(); the binding types it as optional
            continue
        policy = QSizePolicy.Policy.Preferred if other is page else QSizePolicy.Policy.Ignored
        other.setSizePolicy(policy, policy)
    stack.setCurrentWidget(page)


def show_problem(line: QLabel, text: str, *, problem: bool = True) -> None:
    """Show ``text`` on ``line`` (hidden when empty), styled as a problem (kiosk.qss) if it is."""
    line.setText(text)
    line.setVisible(bool(text))
    line.setProperty("problem", bool(text) and problem)
    # A dynamic property changes the look only once the style is applied again.
    line.style().unpolish(line)
    line.style().polish(line)


def say(speaker: Speaker | None, language: str, text: str) -> None:
    """Say a page's ``text`` aloud (nothing without a speaker or without words)."""
    if speaker is None or not text:
        return
    if language == "zh_CN":
        text = spoken_form(text)
    # A new prompt replaces the old one: the page it described is gone.
    speaker.stop()
    speaker.speak(text)


class KioskScreen(QWidget):
    """One page of the kiosk; subclasses build their widgets and draw the state."""

    body: QBoxLayout | None = None

    def page(
        self, margins: tuple[int, int, int, int] = (32, 24, 32, 24), spacing: int | None = None
    ) -> QVBoxLayout:
        """The screen's outer column."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*margins)
        if spacing is not None:
            layout.setSpacing(spacing)
        return layout

    def turning_body(self, *parts: QLayout, spacing: int) -> QBoxLayout:
        """``parts`` above one another in portrait, side by side in landscape
        (:meth:`set_landscape`).
        """
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(spacing)
        for part in parts:
            self.body.addLayout(part, 1)
        return self.body

    def set_landscape(self, landscape: bool) -> None:
        """Turn the body, if the screen has one."""
        if self.body is not None:
            direction = (
                QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
            )
            self.body.setDirection(direction)

    def show_state(self, state: KioskState) -> None:
        """Draw ``state``; called on every change while the screen is current."""
        raise NotImplementedError
