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
from typing import Any

from PySide6.QtCore import Qt

from common.qt.table_model import RowTableModel
from common.queue.service import ServiceStatus

__all__ = ["ServiceStatusModel"]


class ServiceStatusModel(RowTableModel[ServiceStatus]):
    """Rows of :class:`ServiceStatus` in hall order; subclasses define ``Columns`` and cells.

    Roles every subclass has: ``PrefixRole`` (the service prefix) and ``WaitingRole`` (an int).
    """

    class Roles(enum.IntEnum):
        PREFIX = Qt.ItemDataRole.UserRole + 1
        WAITING = Qt.ItemDataRole.UserRole + 2

    PrefixRole = Roles.PREFIX
    WaitingRole = Roles.WAITING

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.english = False

    # -- data --------------------------------------------------------------------------

    def statuses(self) -> list[ServiceStatus]:
        return self.rows()

    def prefixes(self) -> list[str]:
        return [r.prefix for r in self._rows]

    def waiting_for(self, prefixes: Collection[str] = ()) -> int:
        """Tickets waiting for ``prefixes`` (every service shown when empty)."""
        return sum(r.waiting for r in self._rows if not prefixes or r.prefix in prefixes)

    def _update_statuses(self, statuses: Sequence[ServiceStatus]) -> bool:
        """Make the rows ``statuses``, in that order, by the smallest changes; whether any."""
        return self._update_rows(statuses, key=lambda s: s.prefix)

    def set_english(self, english: bool) -> None:
        """Service names and headers in English (or Chinese); views repaint in place."""
        self.english = english
        self._rows_changed()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Columns) - 1)

    def service_text(self, row: ServiceStatus) -> str:
        name = row.name_en if self.english and row.name_en else row.name
        return f"{row.prefix}  {name}"

    def role(self, row: ServiceStatus, role: enum.IntEnum) -> Any:
        return row.prefix if role == self.Roles.PREFIX else row.waiting
