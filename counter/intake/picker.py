"""The matter picker: one search box answering as the staff type, the area filter, the hits.

Name, code or pinyin initials (``eshfzy``) all work (``common.catalog.search``); bundles are
shown as 一件事; with the box empty the recently used matters are listed. Enter picks the
highlighted hit, Ctrl+Enter (or the "add" button) adds it to the case when the hall combines
matters. Up/Down in the search box move through the hits without leaving it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.catalog.model import Area
from common.catalog.search import SearchHit
from common.qt.table_model import RowTableModel
from counter.intake.words import t

__all__ = ["HitListModel", "MatterPicker"]

_AREA_EN = {
    Area.INVESTMENT: "Investment projects",
    Area.BUSINESS_REGISTRATION: "Business registration",
    Area.REAL_ESTATE: "Real estate",
    Area.PUBLIC_SECURITY: "Public security",
    Area.HOUSING_FUND: "Housing fund",
    Area.TAX: "Tax",
    Area.HUMAN_RESOURCES: "Human resources & social security",
    Area.SOCIAL_AFFAIRS: "Social affairs",
}


class HitListModel(RowTableModel[SearchHit]):
    """The picker's hits (one column): matters with their area, bundles marked 一件事."""

    class Columns(enum.IntEnum):
        NAME = 0

    class Roles(enum.IntEnum):
        CODE = Qt.ItemDataRole.UserRole + 1
        KIND = Qt.ItemDataRole.UserRole + 2

    english = False

    def set_hits(self, hits: list[SearchHit]) -> None:
        self._update_rows(hits, key=lambda h: (h.kind, h.code))

    def role(self, row: SearchHit, role: enum.IntEnum) -> Any:
        return row.code if role == self.Roles.CODE else row.kind

    def cell(self, row: SearchHit, column: enum.IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            e = self.english
            # Two lines: the name whole, and where it belongs (a bundle spans areas).
            if row.kind == "bundle":
                return f"{row.name}\n【{t(e, '一件事 · 跨板块联办', 'bundle · several areas')}】"
            area = (_AREA_EN[row.area] if e else row.area.value) if row.area is not None else ""
            return f"{row.name}\n{area}"
        if role == Qt.ItemDataRole.ToolTipRole:
            area = (
                (_AREA_EN[row.area] if self.english else row.area.value)
                if row.area is not None
                else ""
            )
            return f"{row.name}\n{area}\n{row.code}".replace("\n\n", "\n")
        return None


class MatterPicker(QWidget):
    """Search box + area filter + hits; emits ``picked(kind, code, combine)``."""

    picked = Signal(str, str, bool)

    def __init__(
        self, search: Callable[[str, Area | None], list[SearchHit]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("matterPicker")
        self._search = search
        self.english = False
        self.combine_allowed = True
        self.box = QLineEdit()
        self.box.setObjectName("matterSearch")
        self.box.setClearButtonEnabled(True)
        self.area = QComboBox()
        self.area.setObjectName("areaFilter")
        # Not as wide as its longest area name: the window must fit 1366 pixels in English too.
        self.area.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.area.setMinimumContentsLength(5)
        self.box.setMinimumWidth(90)
        self.model = HitListModel(self)
        self.hits = QListView()
        self.hits.setObjectName("matterHits")
        self.hits.setModel(self.model)
        self.hits.setUniformItemSizes(True)
        self.hits.setWordWrap(True)
        self.hits.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hits.setStyleSheet(
            "QListView::item{padding:5px 4px;border-bottom:1px solid #e3e8ef;color:#1b2530;}"
            "QListView::item:selected{background:#1565c0;color:white;}"
        )
        self.add_button = QPushButton()
        self.add_button.setObjectName("addMatterButton")
        top = QHBoxLayout()
        top.addWidget(self.box, 3)
        top.addWidget(self.area, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.hits, 1)
        layout.addWidget(self.add_button)
        self.box.textChanged.connect(self.refresh)
        self.area.currentIndexChanged.connect(self.refresh)
        self.box.installEventFilter(self)
        self.hits.activated.connect(lambda index: self._pick(index.row(), combine=False))
        self.add_button.clicked.connect(
            lambda: self._pick(self.hits.currentIndex().row(), combine=True)
        )
        self.retranslate()

    def retranslate(self) -> None:
        e = self.english
        self.model.english = e
        self.box.setPlaceholderText(
            t(
                e,
                "输入事项名称、编码或拼音首字母（如 eshfzy）",
                "Name, code or pinyin initials (e.g. eshfzy)",
            )
        )
        current = self.area.currentIndex()
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItem(t(e, "全部板块", "All areas"), None)
        for a in Area:
            self.area.addItem(_AREA_EN[a] if e else a.value, a)
        self.area.setCurrentIndex(max(0, current))
        self.area.blockSignals(False)
        self.add_button.setText(
            t(e, "＋ 合并到本件（Ctrl+Enter）", "+ Add to this case (Ctrl+Enter)")
        )
        self.add_button.setVisible(self.combine_allowed)
        self.model._rows_changed()

    def set_english(self, english: bool) -> None:
        self.english = english
        self.retranslate()

    def refresh(self) -> None:
        area = self.area.currentData()
        self.model.set_hits(self._search(self.box.text(), area if isinstance(area, Area) else None))
        if self.model.rowCount() and not self.hits.currentIndex().isValid():
            self.hits.setCurrentIndex(self.model.index(0, 0))
        elif self.model.rowCount():
            self.hits.setCurrentIndex(self.model.index(0, 0))

    def _pick(self, row: int, *, combine: bool) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        hit = self.model.rows()[row]
        self.picked.emit(hit.kind, hit.code, combine and self.combine_allowed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            row = self.hits.currentIndex().row()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(0, row + step), self.model.rowCount() - 1)
                self.hits.setCurrentIndex(self.model.index(row, 0))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                combine = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
                self._pick(max(row, 0), combine=combine)
                return True
        return super().eventFilter(watched, event)
