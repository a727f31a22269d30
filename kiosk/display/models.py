"""Table models behind the display's lists (STYLE.md habit 9): recent calls, waiting counts.

The waiting counts are the counter's model too, with other columns (common/qt/service_model.py).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt

from common.qt.service_model import ServiceStatusModel
from common.qt.table_model import RowTableModel
from common.queue.service import ServiceStatus
from kiosk.display.board import CallEntry

__all__ = ["RecentCallsModel", "WaitingModel"]


class RecentCallsModel(RowTableModel[CallEntry]):
    """The last calls of one display column, newest first, at most ``limit`` rows.

    A recall moves the number back to the top instead of listing it twice.
    """

    class Columns(enum.IntEnum):
        NUMBER = 0
        WINDOW = 1

    class Roles(enum.IntEnum):
        NUMBER = Qt.ItemDataRole.UserRole + 1
        WINDOW = Qt.ItemDataRole.UserRole + 2
        RECALL = Qt.ItemDataRole.UserRole + 3

    NumberRole, WindowRole, RecallRole = Roles.NUMBER, Roles.WINDOW, Roles.RECALL

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

    def entries(self) -> list[CallEntry]:
        return self.rows()

    def add(self, call: CallEntry) -> bool:
        if not self._accept(call):
            return False
        for row, existing in enumerate(self._rows):
            if existing.number == call.number:
                self._remove_rows(row, row)
                break
        self._insert_rows(0, [call])
        if len(self._rows) > self.limit:
            self._remove_rows(self.limit)
        return True

    def clear(self) -> None:
        self._remove_rows(0)

    def set_window_text(self, fn: Callable[[int], str]) -> None:
        self._window_text = fn
        self._rows_changed(columns=[self.Columns.WINDOW])

    def cell(self, row: CallEntry, column: enum.IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.number if column == self.Columns.NUMBER else self._window_text(row.window)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def role(self, row: CallEntry, role: enum.IntEnum) -> Any:
        if role == self.Roles.NUMBER:
            return row.number
        return row.window if role == self.Roles.WINDOW else row.recall

    def header(self, column: enum.IntEnum) -> str:
        return self.tr("Number") if column == self.Columns.NUMBER else self.tr("Window")


class WaitingModel(ServiceStatusModel):
    """Waiting count and estimated wait per service, updated in place (no resets)."""

    class Columns(enum.IntEnum):
        SERVICE = 0
        WAITING = 1
        ESTIMATE = 2

    def set_statuses(self, statuses: Sequence[ServiceStatus]) -> bool:
        """Apply new figures; returns whether anything changed."""
        return self._update_statuses(statuses)

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
