"""One base for the apps' table models (STYLE.md habit 9): rows of plain values, a Columns enum.

Every list the kiosk, the counter and the hall display show is a :class:`RowTableModel`: the rows
are frozen Python values (a ``ServiceStatus``, a ``CallEntry``), the columns an ``IntEnum`` named
``Columns``, custom roles an ``IntEnum`` named ``Roles`` (also published by ``roleNames()``).
A subclass says what a cell shows (:meth:`cell`), what a custom role returns (:meth:`role`) and
what a header says (:meth:`header`); the Qt interface and the row changes live here, so every
model emits the same, minimal signals: ``dataChanged`` for a changed row, inserted, removed or
moved rows for the rest, never a reset. pytest-qt's ``qtmodeltester`` checks each of them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

__all__ = ["ROOT", "Index", "RowTableModel"]

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
R = TypeVar("R")


class RowTableModel(QAbstractTableModel, Generic[R]):
    """Rows of ``R`` under the columns of ``Columns``; subclasses define the cells."""

    Columns: ClassVar[type[enum.IntEnum]]
    Roles: ClassVar[type[enum.IntEnum] | None] = None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    # -- what subclasses say -----------------------------------------------------------

    def cell(self, row: R, column: enum.IntEnum, role: int) -> Any:
        """``data()`` for Qt's own roles (display, alignment, tooltip …); None for nothing."""
        return None

    def role(self, row: R, role: enum.IntEnum) -> Any:
        """``data()`` for one of ``Roles`` (the same for every column)."""
        raise NotImplementedError

    def header(self, column: enum.IntEnum) -> str | None:
        return None

    # -- rows --------------------------------------------------------------------------

    def rows(self) -> list[R]:
        return list(self._rows)

    def _insert_rows(self, first: int, rows: Sequence[R]) -> None:
        if rows:
            self.beginInsertRows(ROOT, first, first + len(rows) - 1)
            self._rows[first:first] = list(rows)
            self.endInsertRows()

    def _remove_rows(self, first: int, last: int | None = None) -> None:
        """Remove rows ``first`` to ``last`` (inclusive; default: to the end)."""
        last = len(self._rows) - 1 if last is None else last
        if first <= last:
            self.beginRemoveRows(ROOT, first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()

    def _replace_rows(self, rows: Sequence[R]) -> None:
        """All rows anew, as removals and insertions (for views that rebuild on them)."""
        self._remove_rows(0)
        self._insert_rows(0, rows)

    def _set_row(self, row: int, value: R) -> None:
        self._rows[row] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.Columns) - 1))

    def _rows_changed(
        self, first: int = 0, last: int | None = None, columns: Sequence[int] = ()
    ) -> None:
        """Tell views that rows ``first`` to ``last`` (in ``columns``, default all) read anew."""
        last = len(self._rows) - 1 if last is None else last
        if first > last:
            return
        left, right = (min(columns), max(columns)) if columns else (0, len(self.Columns) - 1)
        self.dataChanged.emit(self.index(first, left), self.index(last, right))

    def _update_rows(self, rows: Sequence[R], key: Callable[[R], Hashable]) -> bool:
        """Make the rows ``rows``, in that order, by the smallest changes keyed by ``key``.

        Vanished keys are removed, new ones inserted, reordered ones moved, changed ones emit
        ``dataChanged``; returns whether anything changed.
        """
        changed = False
        wanted = {key(r) for r in rows}
        for row in range(len(self._rows) - 1, -1, -1):
            if key(self._rows[row]) not in wanted:
                self._remove_rows(row, row)
                changed = True
        for target, value in enumerate(rows):
            keys = [key(r) for r in self._rows]
            if key(value) not in keys:
                self._insert_rows(target, [value])
                changed = True
                continue
            row = keys.index(key(value))
            if row != target:
                self.beginMoveRows(ROOT, row, row, ROOT, target if target < row else target + 1)
                self._rows.insert(target, self._rows.pop(row))
                self.endMoveRows()
                changed = True
            if self._rows[target] != value:
                self._set_row(target, value)
                changed = True
        return changed

    # -- Qt model interface ------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.Columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.Columns):
            return None
        row = self._rows[index.row()]
        roles = self.Roles
        if roles is not None and role in roles._value2member_map_:
            return self.role(row, roles(role))
        return self.cell(row, self.Columns(index.column()), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(self.Columns):
            return None
        return self.header(self.Columns(section))

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        if self.Roles is not None:
            names.update({int(r): QByteArray(r.name.lower().encode()) for r in self.Roles})
        return names
