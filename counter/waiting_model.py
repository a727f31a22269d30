"""Waiting counts for the services a window serves, as a table model (STYLE.md habit 9)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from common.queue.service import ServiceStatus

__all__ = ["WaitingCountsModel"]

_Index = QModelIndex | QPersistentModelIndex


class WaitingCountsModel(QAbstractTableModel):
    """One row per service of the window: name, weight (板块 / 全科 / AB 岗), waiting, est. wait.

    Updates are keyed by prefix: changed rows emit ``dataChanged``, new or vanished services are
    inserted or removed, so views keep their selection and never see a reset.
    """

    class Columns(enum.IntEnum):
        SERVICE = 0
        WEIGHT = 1
        WAITING = 2
        ESTIMATE = 3

    PrefixRole = Qt.ItemDataRole.UserRole + 1
    WaitingRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ServiceStatus] = []
        self._weights: dict[str, int] = {}
        self.english = False

    # -- data --------------------------------------------------------------------------

    @property
    def total_waiting(self) -> int:
        return sum(r.waiting for r in self._rows)

    def prefixes(self) -> list[str]:
        return [r.prefix for r in self._rows]

    def set_statuses(self, statuses: Sequence[ServiceStatus], weights: dict[str, int]) -> None:
        """Show ``statuses`` of the services in ``weights`` (the window's), in hall order."""
        self._weights = dict(weights)
        wanted = [s for s in statuses if s.prefix in weights]
        wanted_prefixes = {s.prefix for s in wanted}
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].prefix not in wanted_prefixes:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        for target, status in enumerate(wanted):
            current = [r.prefix for r in self._rows]
            if status.prefix in current:
                row = current.index(status.prefix)
                if row != target:  # order changed in the hall config: move it
                    self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target if target < row else target + 1)
                    self._rows.insert(target, self._rows.pop(row))
                    self.endMoveRows()
                if self._rows[target] != status:
                    self._rows[target] = status
                    self.dataChanged.emit(self.index(target, 0), self.index(target, len(self.Columns) - 1))
            else:
                self.beginInsertRows(QModelIndex(), target, target)
                self._rows.insert(target, status)
                self.endInsertRows()

    # -- Qt model interface ------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.Columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = self.Columns(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is self.Columns.SERVICE:
                name = row.name_en if self.english and row.name_en else row.name
                return f"{row.prefix}  {name}"
            if column is self.Columns.WEIGHT:
                return str(self._weights.get(row.prefix, 0))
            if column is self.Columns.WAITING:
                return str(row.waiting)
            return self.tr("%n min", "", row.estimated_wait_minutes) if row.waiting else "—"
        if role == Qt.ItemDataRole.TextAlignmentRole and column is not self.Columns.SERVICE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == self.PrefixRole:
            return row.prefix
        if role == self.WaitingRole:
            return row.waiting
        if role == Qt.ItemDataRole.ToolTipRole and not row.open:
            return row.closed_reason_en if self.english else row.closed_reason_zh
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(self.Columns):
            return None
        return {
            self.Columns.SERVICE: self.tr("Service"),
            self.Columns.WEIGHT: self.tr("Weight"),
            self.Columns.WAITING: self.tr("Waiting"),
            self.Columns.ESTIMATE: self.tr("Est. wait"),
        }[self.Columns(section)]

    def retranslate(self, english: bool) -> None:
        self.english = english
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.Columns) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Columns) - 1)
