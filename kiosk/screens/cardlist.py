"""The page of cards a holder's lookup ends on: their cases (办件查询) or e-certificates (证照打印).

Both show the same frame: a title, whose the cards are (masked), the cards scrolling by touch,
notes under them, Back and Done, and the countdown. What a card says is each page's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.screens.base import card_column, centred, centred_row
from kiosk.widgets import TouchButton

__all__ = ["CardListPage"]


class CardListPage(QWidget):
    """A holder's cards in a touch-scrolled column; ``lines`` stand above the privacy note."""

    def __init__(
        self,
        back: Callable[[], None],
        done: Callable[[], None],
        *,
        lines: Sequence[QWidget] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = centred("screenTitle")
        self.who = centred("subtitle")
        self.box, self.list, self.scroll_area = card_column()
        self.privacy = centred("hint")
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(back)
        self.done = TouchButton("", "primary")
        self.done.clicked.connect(done)
        self.countdown = centred("countdown")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.who)
        layout.addWidget(self.scroll_area, 1)
        for line in lines:
            layout.addWidget(line)
        layout.addWidget(self.privacy)
        layout.addLayout(centred_row(self.back, self.done))
        layout.addWidget(self.countdown)
