"""Table models behind the display's lists (STYLE.md habit 9): recent calls, waiting counts.

The waiting counts are the counter's model too, with other columns (common/qt/service_model.py).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from common.qt.service_model import ServiceStatusModel
from common.queue.service import ServiceStatus
from kiosk.display.board import CallEntry

__all__ = ["RecentCallsModel", "WaitingModel"]

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class RecentCallsModel(QAbstractTableModel):
    """The last calls of one display column, newest first, at most ``limit`` rows.

    A recall moves the number back to the top instead of listing it twice.
    """

    class Columns(enum.IntEnum):
        NUMBER = 0
        WINDOW = 1

    NumberRole = Qt.ItemDataRole.UserRole + 1
    WindowRole = Qt.ItemDataRole.UserRole + 2
    RecallRole = Qt.ItemDataRole.UserRole + 3

    def __init__(
        self,
        limit: int,
        parent: QObject | None = None,
        *,
        accept: Callable[[CallEntry], bool] | None = None,
        window_text: Callable[[int], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.limit = max(1, limit)
        self._accept = accept or (lambda _c: True)
        self._window_text = window_text or (lambda n: f"{n}号窗口")
        self._rows: list[CallEntry] = []

    def entries(self) -> list[CallEntry]:
        return list(self._rows)

    def add(self, call: CallEntry) -> bool:
        if not self._accept(call):
            return False
        for row, existing in enumerate(self._rows):
            if existing.number == call.number:
                self.beginRemoveRows(_ROOT, row, row)
                del self._rows[row]
                self.endRemoveRows()
                break
        self.beginInsertRows(_ROOT, 0, 0)
        self._rows.insert(0, call)
        self.endInsertRows()
        if len(self._rows) > self.limit:
            self.beginRemoveRows(_ROOT, self.limit, len(self._rows) - 1)
            del self._rows[self.limit :]
            self.endRemoveRows()
        return True

    def clear(self) -> None:
        if self._rows:
            self.beginRemoveRows(_ROOT, 0, len(self._rows) - 1)
            self._rows.clear()
            self.endRemoveRows()

    def set_window_text(self, fn: Callable[[int], str]) -> None:
        self._window_text = fn
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 1))

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.Columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        call = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return call.number if index.column() == self.Columns.NUMBER else self._window_text(call.window)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == self.NumberRole:
            return call.number
        if role == self.WindowRole:
            return call.window
        if role == self.RecallRole:
            return call.recall
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == self.Columns.NUMBER:
            return self.tr("Number")
        if section == self.Columns.WINDOW:
            return self.tr("Window")
        return None


class WaitingModel(ServiceStatusModel):
    """Waiting count and estimated wait per service, updated in place (no resets)."""

    class Columns(enum.IntEnum):
        SERVICE = 0
        WAITING = 1
        ESTIMATE = 2

    def set_statuses(self, statuses: Sequence[ServiceStatus]) -> bool:
        """Apply new figures; returns whether anything changed."""
        return self._update_rows(statuses)

    def cell(self, row: ServiceStatus, column: enum.IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column is self.Columns.SERVICE:
                return self.service_text(row)
            if column is self.Columns.WAITING:
                return str(row.waiting)
            if not row.open:
                return self.tr("Closed")
            return self.tr("%n min", "", row.estimated_wait_minutes) if row.waiting else "—"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column is self.Columns.SERVICE:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def widest_texts(self, column: enum.IntEnum) -> list[str]:
        """The longest texts a numeric column may show, so the view can size it once."""
        if column is self.Columns.WAITING:
            return ["888"]
        return [self.tr("%n min", "", 888), self.tr("Closed"), "—"]

    def header(self, column: enum.IntEnum) -> str:
        return {
            self.Columns.SERVICE: self.tr("Service"),
            self.Columns.WAITING: self.tr("Waiting"),
            self.Columns.ESTIMATE: self.tr("Est. wait"),
        }[self.Columns(column)]
