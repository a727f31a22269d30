"""The checklist table: keyboard-first, and big enough to tick with a mouse.

Keys on the table: arrows move, Space cycles the marks the item allows, 1–5 set 已收取 / 容缺 /
共享 / 缺少 / 不适用, 0 or Backspace clears, Enter confirms (受理). A click on the mark cell
cycles too; the mark buttons under the table set the current row's mark.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from common.intake.words import MaterialMark
from counter.intake.checklist_model import ChecklistModel
from counter.intake.flow import MARK_KEYS

__all__ = ["ChecklistTable"]

ROW_HEIGHT = 40  # a finger or a hurried mouse hits it


class ChecklistTable(QTableView):
    """Emits ``mark_requested(key, mark or None)``, ``cycle_requested(key)`` and ``confirm``."""

    mark_requested = Signal(str, object)
    cycle_requested = Signal(str)
    confirm = Signal()

    def __init__(self, model: ChecklistModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistTable")
        self.setModel(model)
        self._model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(ChecklistModel.Columns.NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.clicked.connect(self._clicked)
        model.rowsInserted.connect(self._ensure_current)
        # New rows bring new widths (复印件 after 原件): fit the narrow columns again.
        # Coalesced: a new checklist brings many row signals, the columns are fitted once.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_columns)
        model.rowsInserted.connect(self._fit_timer.start)
        model.headerDataChanged.connect(self._fit_timer.start)  # the language changed

    def _fit_columns(self) -> None:
        """Fit the narrow columns to a new checklist; the mark column to its longest possible
        label, so ticking (the frequent change) never measures anything."""
        header = self.horizontalHeader()
        c = ChecklistModel.Columns
        for column in c:
            if column not in (c.NAME, c.MARK):
                header.resizeSection(
                    column,
                    max(
                        header.minimumSectionSize(),
                        self.sizeHintForColumn(column),
                        header.sectionSizeHint(column),
                    ),
                )
        metrics = self.fontMetrics()
        english = self._model.english
        labels = [m.label_en if english else m.label for m in MaterialMark] + [
            "not marked",
            "未勾选",
        ]
        widest = max(metrics.horizontalAdvance(text) for text in labels) + 24
        header.resizeSection(c.MARK, max(widest, header.sectionSizeHint(c.MARK)))

    def _ensure_current(self) -> None:
        if not self.currentIndex().isValid() and self._model.rowCount():
            self.setCurrentIndex(self._model.index(0, 0))

    def current_key(self) -> str | None:
        index = self.currentIndex()
        return self._model.key_at(index.row()) if index.isValid() else None

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == ChecklistModel.Columns.MARK:
            key = self._model.key_at(index.row())
            if key is not None:
                self.cycle_requested.emit(key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = self.current_key()
        k = event.key()
        if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm.emit()
            return
        if key is not None:
            if k == Qt.Key.Key_Space:
                self.cycle_requested.emit(key)  # stays on the row: Space again cycles on
                return
            digit = k - Qt.Key.Key_0
            if 1 <= digit <= 5:
                self.mark_requested.emit(key, MARK_KEYS[digit])
                self._advance_if_marked(key)
                return
            if k in (Qt.Key.Key_0, Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
                self.mark_requested.emit(key, None)
                return
        super().keyPressEvent(event)

    def _advance_if_marked(self, key: str) -> None:
        """After a digit: move to the next row once the mark took (the staff tick down the list)."""
        row = self._model.row_of(key)
        rows = self._model.rows()
        if 0 <= row < len(rows) and rows[row].mark is not None and row + 1 < len(rows):
            self.setCurrentIndex(self._model.index(row + 1, self.currentIndex().column()))

    def mark_current(self, mark: MaterialMark | None) -> None:
        key = self.current_key()
        if key is not None:
            self.mark_requested.emit(key, mark)

    def next_row(self) -> None:
        row = self.currentIndex().row()
        if row + 1 < self._model.rowCount():
            self.setCurrentIndex(self._model.index(row + 1, 0))
