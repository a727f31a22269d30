"""The checklist as a table model: one row per material over the immutable Checklist."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from common.intake.checklist import Checklist, ChecklistItem
from common.intake.words import MaterialMark
from common.qt.table_model import RowTableModel
from counter.intake.words import t

__all__ = ["ChecklistModel"]

# Mark colours: the same meaning everywhere on the desk (green in, amber owed, red missing).
MARK_COLOURS = {
    MaterialMark.RECEIVED: "#d7f0dc",
    MaterialMark.SHARED: "#d6e8fa",
    MaterialMark.TOLERATED: "#fff0c2",
    MaterialMark.MISSING: "#f9d4d4",
    MaterialMark.NOT_APPLICABLE: "#e8e8e8",
}


class ChecklistModel(RowTableModel[ChecklistItem]):
    """Rows of :class:`ChecklistItem`; a new Checklist value updates only the rows that changed."""

    class Columns(enum.IntEnum):
        NAME = 0
        FORM = 1
        COPIES = 2
        KEY = 3
        TOLERABLE = 4
        SHARED = 5
        MARK = 6

    class Roles(enum.IntEnum):
        KEY = Qt.ItemDataRole.UserRole + 1  # the material's key
        MARK = Qt.ItemDataRole.UserRole + 2  # its MaterialMark value, "" when unmarked

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.english = False

    def set_checklist(self, checklist: Checklist | None) -> None:
        items = checklist.items if checklist is not None else ()
        if {i.key for i in items}.isdisjoint(r.key for r in self._rows):
            # Another matter: one removal and one insertion, not a signal per row.
            self._replace_rows(items)
        else:
            self._update_rows(items, key=lambda i: i.key)  # a mark changed: that row only

    def set_english(self, english: bool) -> None:
        self.english = english
        self._rows_changed()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Columns) - 1)

    def key_at(self, row: int) -> str | None:
        return self._rows[row].key if 0 <= row < len(self._rows) else None

    def row_of(self, key: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.key == key), -1)

    def header(self, column: enum.IntEnum) -> str | None:
        e = self.english
        return {
            self.Columns.NAME: t(e, "材料名称", "Material"),
            self.Columns.FORM: t(e, "形式", "Form"),
            self.Columns.COPIES: t(e, "份数", "Copies"),
            self.Columns.KEY: t(e, "要件", "Key"),
            self.Columns.TOLERABLE: t(e, "可容缺", "Tolerable"),
            self.Columns.SHARED: t(e, "共享数据", "Shared data"),
            self.Columns.MARK: t(e, "收取情况", "Mark"),
        }[self.Columns(column)]

    def role(self, row: ChecklistItem, role: enum.IntEnum) -> Any:
        if role == self.Roles.KEY:
            return row.key
        return row.mark.value if row.mark is not None else ""

    def cell(self, row: ChecklistItem, column: enum.IntEnum, role: int) -> Any:
        e = self.english
        c = self.Columns
        if role == Qt.ItemDataRole.DisplayRole:
            if column == c.NAME:
                return row.name
            if column == c.FORM:
                return (
                    {"原件": "original", "复印件": "copy", "电子": "electronic"}.get(
                        row.form.value, row.form.value
                    )
                    if e
                    else row.form.value
                )
            if column == c.COPIES:
                return str(row.copies)
            if column == c.KEY:
                return "★" if row.key_item else ""
            if column == c.TOLERABLE:
                return t(e, "可容缺", "yes") if row.tolerable else ""
            if column == c.SHARED:
                if row.replaced_by is None:
                    return ""
                return {
                    "id_card": t(e, "身份证", "ID card"),
                    "e_certificate": t(e, "电子证照", "e-certificate"),
                    "department": t(e, "部门共享", "department data"),
                }[row.replaced_by.source.value]
            if column == c.MARK:
                if row.mark is None:
                    return t(e, "未勾选", "not marked")
                return row.mark.label_en if e else row.mark.label
        if role == Qt.ItemDataRole.ToolTipRole and column == c.KEY and row.key_item:
            return t(
                e, "要件：缺少则须一次性告知补正", "key item: missing means a correction notice"
            )
        if role == Qt.ItemDataRole.ToolTipRole and column == c.NAME:
            parts = [row.requirement]
            if row.not_applicable_when:
                parts.append(t(e, "不适用情形：", "does not apply: ") + row.not_applicable_when)
            return "\n".join(parts)
        if role == Qt.ItemDataRole.BackgroundRole and column == c.MARK and row.mark is not None:
            return QBrush(QColor(MARK_COLOURS[row.mark]))
        if role == Qt.ItemDataRole.TextAlignmentRole and column != c.NAME:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
