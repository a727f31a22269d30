"""Waiting counts for the services a window serves, as a table model (STYLE.md habit 9)."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt

from common.qt.service_model import ServiceStatusModel
from common.queue.service import ServiceStatus

__all__ = ["WaitingCountsModel"]


class WaitingCountsModel(ServiceStatusModel):
    """One row per service of the window: name, weight (板块 / 全科 / AB 岗), waiting, est. wait.

    Updated in place like every :class:`~common.qt.service_model.ServiceStatusModel`; a closed
    service says why in its tooltip.
    """

    class Columns(enum.IntEnum):
        SERVICE = 0
        WEIGHT = 1
        WAITING = 2
        ESTIMATE = 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._weights: dict[str, int] = {}

    @property
    def total_waiting(self) -> int:
        return self.waiting_for()

    def set_statuses(self, statuses: Sequence[ServiceStatus], weights: Mapping[str, int]) -> None:
        """Show ``statuses`` of the services in ``weights`` (the window's), in hall order."""
        before, self._weights = self._weights, dict(weights)
        self._update_statuses([s for s in statuses if s.prefix in weights])
        # A weight can change (the manager re-staffs a window) while the figures do not.
        column = self.Columns.WEIGHT
        for row, prefix in enumerate(self.prefixes()):
            if prefix in before and before[prefix] != self._weights[prefix]:
                self.dataChanged.emit(self.index(row, column), self.index(row, column))

    def cell(self, row: ServiceStatus, column: enum.IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column is self.Columns.SERVICE:
                return self.service_text(row)
            if column is self.Columns.WEIGHT:
                return str(self._weights.get(row.prefix, 0))
            if column is self.Columns.WAITING:
                return str(row.waiting)
            return self.tr("%n min", "", row.estimated_wait_minutes) if row.waiting else "—"
        if role == Qt.ItemDataRole.TextAlignmentRole and column is not self.Columns.SERVICE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and not row.open:
            return row.closed_reason_en if self.english else row.closed_reason_zh
        return None

    def header(self, column: enum.IntEnum) -> str:
        return {
            self.Columns.SERVICE: self.tr("Service"),
            self.Columns.WEIGHT: self.tr("Weight"),
            self.Columns.WAITING: self.tr("Waiting"),
            self.Columns.ESTIMATE: self.tr("Est. wait"),
        }[self.Columns(column)]
