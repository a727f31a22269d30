"""The "place your ID card" page that check-in, 证照打印 and 办件查询 each open on.

All three show the same thing: a title, the card picture beside the words in landscape (above
them in portrait), a hint, a line for what went wrong, a way back and the countdown. Each flow
adds its own lines (what appears here, "or scan the receipt") and, for the lookup, a button.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QVBoxLayout, QWidget

from common.qt.i18n import fill
from kiosk.screens.base import KioskScreen, centred, centred_row, show_problem
from kiosk.texts import tr
from kiosk.widgets import CardAnimation, TouchButton

__all__ = ["CardFindPage"]


class CardFindPage(KioskScreen):
    """Place the ID card: the holder's records are found by it.

    ``lines`` stand between the card hint and the message line; ``button`` (if any) is centred
    under the message, inside the words so it turns with them.
    """

    def __init__(
        self,
        back: Callable[[], None],
        *,
        lines: Sequence[QWidget] = (),
        button: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = centred("screenTitle")
        self.animation = CardAnimation()
        self.card_hint = centred("subtitle")
        self.message = centred("statusLine")
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(back)
        self.countdown = centred("countdown")
        picture = QVBoxLayout()
        picture.addWidget(self.animation, 1)
        words = QVBoxLayout()
        words.setSpacing(18)
        words.addStretch(1)
        words.addWidget(self.card_hint)
        for line in lines:
            words.addWidget(line)
        words.addWidget(self.message)
        if button is not None:
            words.addLayout(centred_row(button))
        words.addStretch(1)
        layout = self.page(spacing=18)
        layout.addWidget(self.title)
        # The card picture beside the words in landscape: above them it is squeezed to nothing
        # on a 720-pixel panel in large print.
        layout.addLayout(self.turning_body(picture, words, spacing=24), 1)
        layout.addLayout(centred_row(self.back))
        layout.addWidget(self.countdown)

    def show_find(
        self, *, title: str, card_hint: str, reader: bool, message: str, seconds_left: int
    ) -> None:
        """Draw the shared parts; ``card_hint`` gives way to a plain word when there is no
        reader (the citizen would otherwise wait for a card that is never read).
        """
        self.title.setText(title)
        self.card_hint.setText(card_hint if reader else tr("The ID card reader is not available."))
        show_problem(self.message, message)
        self.back.setText(tr("Back"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), seconds_left))
