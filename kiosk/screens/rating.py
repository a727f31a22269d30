"""评价 at the kiosk: find the service (card, the ticket's or receipt's QR code, or the ticket's
number), pick it, rate it, thanks.

The same five levels and bad-rating reasons as the counter's rating view
(:mod:`common.intake.rating`); "other" needs the citizen's own words, which a touch screen
without a keyboard cannot take, so the kiosk offers the five common reasons.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from common.intake.rating import BAD_REASONS, RatingLevel
from common.qt.i18n import fill
from kiosk.screens.base import KioskScreen, centred, centred_row, show_problem
from kiosk.screens.lookup import message_text
from kiosk.selfservice import SelfServiceFlow, SelfServiceState
from kiosk.texts import tr
from kiosk.widgets import CardAnimation, TouchButton

__all__ = ["RateDoneScreen", "RateFindScreen", "RatePickScreen", "RateScreen", "rate_find_hint"]

KIOSK_REASONS = tuple(r for r in BAD_REASONS if r[0] != "other")


def rate_find_hint(scanner: bool) -> str:
    """The ways to find a service, said and shown (the scanner only when there is one)."""
    if scanner:
        return tr("Place your ID card, scan your ticket or receipt, or type the ticket number.")
    return tr("Place your ID card on the reader, or type the number on your ticket.")


class RateFindScreen(KioskScreen):
    """Place the card, scan the ticket or receipt, or type the ticket's number (a service
    letter, then digits)."""

    def __init__(
        self, flow: SelfServiceFlow, prefixes: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._flow = flow
        self.title = centred("screenTitle")
        self.animation = CardAnimation()
        self.card_hint = centred("subtitle")
        self.typed = TouchButton("", "keypadField")
        self.message = centred("statusLine")
        self.grid = grid = QGridLayout()
        grid.setSpacing(10)
        self.keys: dict[str, TouchButton] = {}
        for key in [*prefixes, *"1234567890"]:
            button = TouchButton(key, "pinKey")
            button.clicked.connect(lambda _=False, k=key: flow.ticket_key(k))
            self.keys[key] = button
        self.backspace = TouchButton("⌫", "pinKey")
        self.backspace.clicked.connect(flow.ticket_backspace)
        self._grid_keys(5)
        self.search = TouchButton("", "primary")
        self.search.clicked.connect(flow.submit_ticket)
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.back)
        self.countdown = centred("countdown")
        picture = QVBoxLayout()
        picture.addWidget(self.animation, 1)
        picture.addWidget(self.card_hint)
        pad = QVBoxLayout()
        pad.setSpacing(12)
        pad.addWidget(self.typed)
        pad.addLayout(grid)
        layout = self.page(spacing=16)
        layout.addWidget(self.title)
        layout.addLayout(self.turning_body(picture, pad, spacing=24), 1)
        # Under both columns, not under the keys: in a landscape column a message wrapped to
        # two lines in large print and squeezed the keys into each other.
        layout.addWidget(self.message)
        layout.addLayout(centred_row(self.back, self.search))
        layout.addWidget(self.countdown)

    def _grid_keys(self, columns: int) -> None:
        buttons = [*self.keys.values(), self.backspace]
        for button in buttons:
            self.grid.removeWidget(button)
        for i, button in enumerate(buttons):
            self.grid.addWidget(button, i // columns, i % columns)

    def set_landscape(self, landscape: bool) -> None:
        super().set_landscape(landscape)
        # Wider rows in landscape: five rows of keys do not fit a 720-pixel panel in large print.
        self._grid_keys(7 if landscape else 5)

    def show_self(self, state: SelfServiceState, *, scanner: bool = False) -> None:
        self.title.setText(tr("Rate our service"))
        self.card_hint.setText(rate_find_hint(scanner))
        self.typed.setText(state.ticket_typed or tr("Ticket number, e.g. A001"))
        show_problem(self.message, message_text(state.message))
        self.search.setText(tr("Next"))
        self.search.setEnabled(self._flow.can_submit_ticket)
        self.back.setText(tr("Back"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))


class RatePickScreen(KioskScreen):
    """Several finished services today: one button each."""

    def __init__(self, flow: SelfServiceFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._flow = flow
        self.title = centred("screenTitle")
        self.list = QVBoxLayout()
        self.list.setSpacing(12)
        self.buttons: list[TouchButton] = []
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.back)
        layout = self.page(spacing=16)
        layout.addWidget(self.title)
        layout.addLayout(self.list)
        layout.addStretch(1)
        layout.addLayout(centred_row(self.back))

    def show_self(self, state: SelfServiceState, language: str) -> None:
        self.title.setText(tr("Which service would you like to rate?"))
        while len(self.buttons) < len(state.rateables):
            button = TouchButton("", "selfEntry")
            # Connected once; the ticket it stands for is a property set on every redraw.
            button.clicked.connect(
                lambda _=False, b=button: self._flow.choose_service(int(b.property("ticketId")))
            )
            self.list.addWidget(button)
            self.buttons.append(button)
        for button, service in zip(self.buttons, state.rateables, strict=False):
            name = (
                service.service_name
                if language == "zh_CN" or not service.service_name_en
                else service.service_name_en
            )
            window = fill(tr("window %1"), service.window) if service.window else ""
            button.setText(" · ".join(part for part in (service.number, name, window) if part))
            button.setProperty("ticketId", service.ticket_id)
            button.show()
        for button in self.buttons[len(state.rateables) :]:
            button.hide()
        self.back.setText(tr("Back"))


class RateScreen(KioskScreen):
    """Five levels, best first; a bad level shows the reasons."""

    def __init__(self, flow: SelfServiceFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = centred("screenTitle")
        self.service = centred("subtitle")
        self.levels: dict[int, TouchButton] = {}
        self.level_grid = levels = QGridLayout()
        levels.setSpacing(10)
        for level in RatingLevel:
            button = TouchButton("", "choice")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, v=int(level): flow.choose_level(v))
            self.levels[int(level)] = button
        self._grid_levels(1)
        self.reasons_title = centred("caption")
        self.reasons: dict[str, TouchButton] = {}
        reasons = QGridLayout()
        reasons.setSpacing(10)
        for i, (key, _zh, _en) in enumerate(KIOSK_REASONS):
            button = TouchButton("", "choice")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, k=key: flow.toggle_reason(k))
            reasons.addWidget(button, i // 2, i % 2)
            self.reasons[key] = button
        self.message = centred("statusLine")
        self.submit = TouchButton("", "primary")
        self.submit.clicked.connect(flow.submit_rating)
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.back)
        right = QVBoxLayout()
        right.addWidget(self.reasons_title)
        right.addLayout(reasons)
        right.addWidget(self.message)
        right.addStretch(1)
        layout = self.page(spacing=14)
        layout.addWidget(self.title)
        layout.addWidget(self.service)
        layout.addLayout(self.turning_body(levels, right, spacing=20), 1)
        layout.addLayout(centred_row(self.back, self.submit))

    def _grid_levels(self, columns: int) -> None:
        for i, button in enumerate(self.levels.values()):
            self.level_grid.removeWidget(button)
            self.level_grid.addWidget(button, i // columns, i % columns)

    def set_landscape(self, landscape: bool) -> None:
        super().set_landscape(landscape)
        # Five levels one under another do not fit a 720-pixel panel in large print.
        self._grid_levels(2 if landscape else 1)

    def show_self(self, state: SelfServiceState, language: str) -> None:
        self.title.setText(tr("How satisfied are you?"))
        chosen = state.chosen
        if chosen is not None:
            name = (
                chosen.service_name
                if language == "zh_CN" or not chosen.service_name_en
                else chosen.service_name_en
            )
            self.service.setText(f"{chosen.number} · {name}")
        for value, button in self.levels.items():
            level = RatingLevel(value)
            button.setText(level.label if language == "zh_CN" else level.label_en.capitalize())
            button.setChecked(state.level == value)
        bad = 1 <= state.level <= 2
        self.reasons_title.setText(tr("What went wrong? (choose one or more)"))
        self.reasons_title.setVisible(bad)
        for key, zh, en in KIOSK_REASONS:
            button = self.reasons[key]
            button.setText(zh if language == "zh_CN" else en.capitalize())
            button.setChecked(key in state.reasons)
            button.setVisible(bad)
        show_problem(self.message, message_text(state.message))
        self.submit.setText(tr("Submit"))
        self.submit.setEnabled(bool(state.level))
        self.back.setText(tr("Back"))


class RateDoneScreen(KioskScreen):
    """Thanks, and the way home."""

    def __init__(self, flow: SelfServiceFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = centred("screenTitle")
        self.text = centred("message")
        self.done = TouchButton("", "primary")
        self.done.clicked.connect(flow.done)
        self.countdown = centred("countdown")
        layout = self.page(spacing=24)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addStretch(1)
        layout.addLayout(centred_row(self.done))
        layout.addWidget(self.countdown)

    def show_self(self, state: SelfServiceState) -> None:
        self.title.setText(tr("Thank you for your rating"))
        self.text.setText(tr("Your rating helps the hall serve you better."))
        self.done.setText(tr("Done"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))
