"""办件查询's answer: one card per case — matter, status in plain words, promised date with its
电子监察 colour (and a word, colour is never the only cue), what is still owed and by when,
where to collect the result or the mail tracking number. Masked data only.

The cases are a :class:`CaseProgressModel` (STYLE.md habit 9); the screen builds one card per
row, like the home screen builds tiles from its service model.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from common.intake.lookup import CaseProgress
from common.intake.words import CaseState
from common.qt.i18n import fill
from kiosk.certprint import ReprintStatus
from kiosk.screens.cardlist import CardListPage
from kiosk.selfservice import SelfServiceFlow, SelfServiceState
from kiosk.texts import tr
from kiosk.widgets import TouchButton, label

if TYPE_CHECKING:
    from common.intake.cases import WatchLevel

# 电子监察 levels by value (common.intake.cases.WatchLevel, a StrEnum): that module is imported
# on the first lookup, not at the kiosk's start.
_RED, _REMINDER, _YELLOW, _TOLERANCE = "red", "reminder", "yellow", "tolerance_overdue"

__all__ = [
    "CaseCard",
    "CaseProgressModel",
    "CasesScreen",
    "collect_text",
    "status_text",
    "watch_text",
]

Index = QModelIndex | QPersistentModelIndex


class CaseProgressModel(QAbstractListModel):
    """The cases on screen; DisplayRole is the matter, custom roles carry the rest."""

    class Roles(enum.IntEnum):
        PROGRESS = Qt.ItemDataRole.UserRole + 1
        NUMBER = Qt.ItemDataRole.UserRole + 2
        STATE = Qt.ItemDataRole.UserRole + 3
        WATCH = Qt.ItemDataRole.UserRole + 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseProgress] = []
        self.language = "zh_CN"

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "、".join(p.matters)
        if role == self.Roles.PROGRESS:
            return p
        if role == self.Roles.NUMBER:
            return p.number
        if role == self.Roles.STATE:
            return p.state.value
        if role == self.Roles.WATCH:
            return p.watch.value if p.watch else ""
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({int(r): QByteArray(r.name.lower().encode()) for r in self.Roles})
        return names

    def rows(self) -> list[CaseProgress]:
        return list(self._rows)

    def set_rows(self, rows: tuple[CaseProgress, ...]) -> None:
        """Replace the rows: removals and inserts, not a reset (the cards follow the signals)."""
        if list(rows) == self._rows:
            return
        if self._rows:
            self.beginRemoveRows(QModelIndex(), 0, len(self._rows) - 1)
            self._rows = []
            self.endRemoveRows()
        if rows:
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._rows = list(rows)
            self.endInsertRows()


def status_text(p: CaseProgress, language: str) -> str:
    return p.state.label if language == "zh_CN" else p.state.label_en


def watch_text(level: WatchLevel | None) -> str:
    """The 电子监察 flag in words (the colour only repeats it)."""
    if level == _RED:
        return tr("past the promised date")
    if level == _REMINDER:
        return tr("due by the next working day")
    if level == _YELLOW:
        return tr("due soon")
    if level == _TOLERANCE:
        return tr("materials overdue")
    return ""


def _date(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}"


def collect_text(p: CaseProgress) -> str:
    """Where the result is collected, or where it went."""
    if p.mailed:
        return fill(tr("Sent by mail: %1 %2"), p.carrier, p.tracking_number)
    if p.state is CaseState.DELIVERED:
        return tr("The result has been handed over.")
    if p.state is CaseState.READY_FOR_DELIVERY:
        if p.window:
            return fill(tr("Ready: collect it at window %1 with your ID card."), p.window)
        return tr("Ready: collect it at the service desk with your ID card.")
    if p.state is CaseState.APPROVED:
        return tr("Approved; the result is being prepared. You will be told when to collect it.")
    if p.state in (CaseState.REJECTED, CaseState.DENIED):
        return tr("Please ask at the service desk about the reasons and what you can do.")
    if p.state is CaseState.CORRECTION_REQUIRED:
        return tr("Please bring the missing materials and apply again.")
    return ""


class CaseCard(QFrame):
    """One case, large and plain; the watch colour is a property the QSS paints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseCard")
        self.matter = label("caseMatter")
        self.number = label("caseNumber")
        self.status = label("caseStatus")
        self.promised = label("casePromised")
        self.owed = label("caseOwed")
        self.collect = label("caseCollect")
        # 补打回执 (kiosk.certprint.ReceiptReprints): only on the card holder's own list.
        self.number_value = ""
        self.reprint = TouchButton("", "secondary")
        self.reprint_status = label("statusLine")
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 14, 20, 14)
        column.setSpacing(6)
        for widget in (
            self.matter,
            self.number,
            self.status,
            self.promised,
            self.owed,
            self.collect,
            self.reprint_status,
        ):
            column.addWidget(widget)
        column.addWidget(self.reprint, 0, Qt.AlignmentFlag.AlignRight)
        self.reprint.hide()
        self.reprint_status.hide()

    def show_progress(self, p: CaseProgress, language: str) -> None:
        self.number_value = p.number
        self.matter.setText("、".join(p.matters))
        self.number.setText(fill(tr("Case number %1"), p.number))
        self.status.setText(fill(tr("Status: %1"), status_text(p, language)))
        flag = watch_text(p.watch)
        if p.promised_date is not None and p.state.is_open:
            text = fill(tr("Promised by %1"), _date(p.promised_date))
            self.promised.setText(f"{text} · {flag}" if flag else text)
        else:
            self.promised.setText("")
        self.promised.setVisible(bool(self.promised.text()))
        # The kiosk paints two colours: red (late, or owed materials overdue) and yellow (due soon).
        level = {_RED: "red", _TOLERANCE: "red", _REMINDER: "yellow", _YELLOW: "yellow"}.get(
            p.watch or "", ""
        )
        self.promised.setProperty("watch", level)
        self.setProperty("watch", level)
        for widget in (self, self.promised):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        if p.owed:
            owed = fill(tr("Still to bring: %1"), "、".join(p.owed))
            if p.owed_by is not None:
                owed += " " + fill(tr("(by %1)"), _date(p.owed_by))
            self.owed.setText(owed)
        else:
            self.owed.setText("")
        self.owed.setVisible(bool(p.owed))
        collect = collect_text(p)
        self.collect.setText(collect)
        self.collect.setVisible(bool(collect))


class CasesScreen(CardListPage):
    """The answer: the holder (masked) or the case, the cards, and the ways back."""

    def __init__(
        self, flow: SelfServiceFlow, model: CaseProgressModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(flow.back, flow.done, parent=parent)
        self._model = model
        self._language = "zh_CN"
        self.cards: list[CaseCard] = []
        # 补打回执: the window connects these (kiosk.screens.certificates); statuses by number.
        self.on_reprint: Callable[[str], None] | None = None
        self.on_rows_changed: Callable[[], None] = lambda: None
        self.reprints: dict[str, ReprintStatus] = {}
        self._by_card = False
        model.rowsInserted.connect(self._rebuild)
        model.rowsRemoved.connect(self._rebuild)
        model.modelReset.connect(self._rebuild)

    def _rebuild(self, *_: object) -> None:
        """One card per row. Cards are kept and reused, never deleted: a kiosk answers thousands
        of lookups a day, and a fresh set of widgets for each would only churn memory."""
        rows = self._model.rows()
        self.on_rows_changed()
        while len(self.cards) < len(rows):
            card = CaseCard()
            card.reprint.clicked.connect(lambda _=False, c=card: self._reprint(c.number_value))
            self.list.insertWidget(len(self.cards), card)
            self.cards.append(card)
        for card, p in zip(self.cards, rows, strict=False):
            card.show_progress(p, self._language)
            self._show_reprint(card, p)
            card.show()
        for card in self.cards[len(rows) :]:
            card.hide()

    def _reprint(self, number: str) -> None:
        if self.on_reprint is not None:
            self.on_reprint(number)

    def _show_reprint(self, card: CaseCard, p: CaseProgress) -> None:
        from kiosk.screens.certificates import reprint_text  # its words live with the page

        # Only a case listed because its holder's card is on the reader, and only one that was
        # accepted (it has a receipt).
        offered = self.on_reprint is not None and self._by_card and p.promised_date is not None
        status = self.reprints.get(p.number)
        card.reprint.setText(tr("Reprint receipt"))
        card.reprint.setVisible(offered and status is not ReprintStatus.PRINTED)
        card.reprint.setEnabled(status is not ReprintStatus.PRINTING)
        text = reprint_text(status) if offered else ""
        card.reprint_status.setText(text)
        card.reprint_status.setVisible(bool(text))
        trouble = status not in (None, ReprintStatus.PRINTING, ReprintStatus.PRINTED)
        if card.reprint_status.property("problem") != trouble:
            card.reprint_status.setProperty("problem", trouble)  # red, like other problems
            card.reprint_status.style().unpolish(card.reprint_status)
            card.reprint_status.style().polish(card.reprint_status)

    def show_reprints(self, statuses: dict[str, ReprintStatus]) -> None:
        """The reprints' statuses changed (kiosk.certprint.ReceiptReprints)."""
        self.reprints = dict(statuses)
        for card, p in zip(self.cards, self._model.rows(), strict=False):
            self._show_reprint(card, p)

    @property
    def shown_cards(self) -> list[CaseCard]:
        """The cards on screen, in the model's order."""
        return self.cards[: self._model.rowCount()]

    def show_state(self, state: SelfServiceState, language: str) -> None:
        if language != self._language or state.by_card != self._by_card:
            self._language = language
            self._by_card = state.by_card
            self._rebuild()
        self.title.setText(tr("Your cases"))
        if state.holder_masked:
            self.who.setText(
                fill(tr("ID card: %1 · %2 case(s)"), state.holder_masked, len(state.cases))
            )
        else:
            self.who.setText(fill(tr("%1 case(s) found"), len(state.cases)))
        self.privacy.setText(
            tr("Lift your ID card or tap Done when you have finished: the screen is cleared.")
        )
        self.back.setText(tr("Back"))
        self.done.setText(tr("Done"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))
