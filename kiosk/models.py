"""The home screen's service list as a Qt model (STYLE.md habit 9).

Rows are :class:`~common.queue.service.ServiceStatus` values, refreshed every few seconds. A
refresh with the same services in the same order emits ``dataChanged`` for the rows that
changed (the common case: a waiting count moved), never a reset, so tiles update in place.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt

from common.qt.table_model import ROOT, Index, RowTableModel
from common.queue.service import ServiceStatus
from kiosk.texts import service_name

__all__ = ["ServiceListModel", "ServiceRole"]


class ServiceRole(enum.IntEnum):
    """Custom roles; ``Qt.DisplayRole`` is the name in the model's language."""

    PREFIX = Qt.ItemDataRole.UserRole + 1
    STATUS = Qt.ItemDataRole.UserRole + 2
    WAITING = Qt.ItemDataRole.UserRole + 3
    WAIT_MINUTES = Qt.ItemDataRole.UserRole + 4
    OPEN = Qt.ItemDataRole.UserRole + 5
    GENERAL = Qt.ItemDataRole.UserRole + 6


class ServiceListModel(RowTableModel[ServiceStatus]):
    """Services the kiosk offers, general queue included (the view decides where to show it).

    One column: the home screen lays the rows out as tiles, and ``index(row)`` works as on a list.
    """

    class Columns(enum.IntEnum):
        SERVICE = 0

    Roles = ServiceRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = "zh_CN"

    def index(self, row: int, column: int = 0, parent: Index = ROOT) -> QModelIndex:
        return super().index(row, column, parent)

    def cell(self, row: ServiceStatus, column: enum.IntEnum, role: int) -> Any:
        return service_name(row, self.language) if role == Qt.ItemDataRole.DisplayRole else None

    def role(self, row: ServiceStatus, role: enum.IntEnum) -> Any:
        return {
            ServiceRole.PREFIX: row.prefix,
            ServiceRole.STATUS: row,
            ServiceRole.WAITING: row.waiting,
            ServiceRole.WAIT_MINUTES: row.estimated_wait_minutes,
            ServiceRole.OPEN: row.open,
            ServiceRole.GENERAL: row.general,
        }[ServiceRole(role)]

    def statuses(self) -> list[ServiceStatus]:
        return self.rows()

    def set_language(self, language: str) -> None:
        if language != self.language:
            self.language = language
            if self._rows:
                self.dataChanged.emit(
                    self.index(0), self.index(len(self._rows) - 1), [Qt.ItemDataRole.DisplayRole]
                )

    def set_statuses(self, statuses: Sequence[ServiceStatus]) -> None:
        """Update in place when the services are the same; otherwise remove and insert rows
        (the home screen rebuilds its tiles on those)."""
        new = list(statuses)
        if [s.prefix for s in new] == [s.prefix for s in self._rows]:
            for i, (old, fresh) in enumerate(zip(self._rows, new, strict=True)):
                if old != fresh:
                    self._set_row(i, fresh)
            return
        self._replace_rows(new)
