"""Waiting counts per service as a table model, shared by the counter and the hall display.

Both show :class:`~common.queue.service.ServiceStatus` rows that are refreshed every few seconds
(STYLE.md habit 9). :class:`ServiceStatusModel` keeps the rows and updates them keyed by prefix:
changed rows emit ``dataChanged``, new or vanished services are inserted or removed, a reordered
hall configuration moves rows, so views keep their place and never see a reset. Subclasses say
which columns there are and what a cell shows (and keep their own ``tr()`` context).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from common.queue.service import ServiceStatus

__all__ = ["ServiceStatusModel"]

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ServiceStatusModel(QAbstractTableModel):
    """Rows of :class:`ServiceStatus` in hall order; subclasses define ``Columns`` and cells.

    Roles every subclass has: ``PrefixRole`` (the service prefix) and ``WaitingRole`` (an int).
    """

    Columns: ClassVar[type[enum.IntEnum]]

    PrefixRole = Qt.ItemDataRole.UserRole + 1
    WaitingRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ServiceStatus] = []
        self.english = False

    # -- data --------------------------------------------------------------------------

    def statuses(self) -> list[ServiceStatus]:
        return list(self._rows)

    def prefixes(self) -> list[str]:
        return [r.prefix for r in self._rows]

    def waiting_for(self, prefixes: Collection[str] = ()) -> int:
        """Tickets waiting for ``prefixes`` (every service shown when empty)."""
        return sum(r.waiting for r in self._rows if not prefixes or r.prefix in prefixes)

    def _update_rows(self, statuses: Sequence[ServiceStatus]) -> bool:
        """Make the rows ``statuses``, in that order, by the smallest changes; whether any."""
        changed = False
        wanted = {s.prefix for s in statuses}
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].prefix not in wanted:
                self.beginRemoveRows(_ROOT, row, row)
                del self._rows[row]
                self.endRemoveRows()
                changed = True
        for target, status in enumerate(statuses):
            prefixes = self.prefixes()
            if status.prefix not in prefixes:
                self.beginInsertRows(_ROOT, target, target)
                self._rows.insert(target, status)
                self.endInsertRows()
                changed = True
                continue
            row = prefixes.index(status.prefix)
            if row != target:  # order changed in the hall config: move it
                self.beginMoveRows(_ROOT, row, row, _ROOT, target if target < row else target + 1)
                self._rows.insert(target, self._rows.pop(row))
                self.endMoveRows()
                changed = True
            if self._rows[target] != status:
                self._rows[target] = status
                self.dataChanged.emit(self.index(target, 0), self.index(target, len(self.Columns) - 1))
                changed = True
        return changed

    def set_english(self, english: bool) -> None:
        """Service names and headers in English (or Chinese); views repaint in place."""
        self.english = english
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.Columns) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Columns) - 1)

    def service_text(self, row: ServiceStatus) -> str:
        name = row.name_en if self.english and row.name_en else row.name
        return f"{row.prefix}  {name}"

    # -- what subclasses say -----------------------------------------------------------

    def cell(self, row: ServiceStatus, column: enum.IntEnum, role: int) -> Any:
        """``data()`` for the roles other than PrefixRole and WaitingRole."""
        raise NotImplementedError

    def header(self, column: enum.IntEnum) -> str:
        raise NotImplementedError

    # -- Qt model interface ------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.Columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == self.PrefixRole:
            return row.prefix
        if role == self.WaitingRole:
            return row.waiting
        return self.cell(row, self.Columns(index.column()), role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(self.Columns):
            return None
        return self.header(self.Columns(section))
