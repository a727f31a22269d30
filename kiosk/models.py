"""The home screen's service list as a Qt model (STYLE.md habit 9).

Rows are :class:`~common.queue.service.ServiceStatus` values, refreshed every few seconds. A
refresh with the same services in the same order emits ``dataChanged`` for the rows that
changed (the common case: a waiting count moved), never a reset, so tiles update in place.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QPersistentModelIndex, Qt

from common.queue.service import ServiceStatus
from kiosk.texts import service_name

__all__ = ["ServiceListModel", "ServiceRole"]

_Index = QModelIndex | QPersistentModelIndex


class ServiceRole(enum.IntEnum):
    """Custom roles; ``Qt.DisplayRole`` is the name in the model's language."""

    PREFIX = Qt.ItemDataRole.UserRole + 1
    STATUS = Qt.ItemDataRole.UserRole + 2
    WAITING = Qt.ItemDataRole.UserRole + 3
    WAIT_MINUTES = Qt.ItemDataRole.UserRole + 4
    OPEN = Qt.ItemDataRole.UserRole + 5
    GENERAL = Qt.ItemDataRole.UserRole + 6


class ServiceListModel(QAbstractListModel):
    """Services the kiosk offers, general queue included (the view decides where to show it)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ServiceStatus] = []
        self.language = "zh_CN"

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return service_name(row, self.language)
        if role == ServiceRole.PREFIX:
            return row.prefix
        if role == ServiceRole.STATUS:
            return row
        if role == ServiceRole.WAITING:
            return row.waiting
        if role == ServiceRole.WAIT_MINUTES:
            return row.estimated_wait_minutes
        if role == ServiceRole.OPEN:
            return row.open
        if role == ServiceRole.GENERAL:
            return row.general
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({int(r): QByteArray(r.name.lower().encode()) for r in ServiceRole})
        return names

    def statuses(self) -> list[ServiceStatus]:
        return list(self._rows)

    def set_language(self, language: str) -> None:
        if language != self.language:
            self.language = language
            if self._rows:
                self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [Qt.ItemDataRole.DisplayRole])

    def set_statuses(self, statuses: Sequence[ServiceStatus]) -> None:
        """Update in place when the services are the same; otherwise remove and insert rows."""
        new = list(statuses)
        if [s.prefix for s in new] == [s.prefix for s in self._rows]:
            for i, (old, fresh) in enumerate(zip(self._rows, new, strict=True)):
                if old != fresh:
                    self._rows[i] = fresh
                    self.dataChanged.emit(self.index(i), self.index(i))
            return
        if self._rows:
            self.beginRemoveRows(QModelIndex(), 0, len(self._rows) - 1)
            self._rows = []
            self.endRemoveRows()
        if new:
            self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
            self._rows = new
            self.endInsertRows()
