"""The case desk (办件): lists for this window and the hall, filterable, opening a case's page.

The lists are read on the runner (never on the GUI thread); typing in the filter waits a
moment (150 ms) before asking, so a burst of keys is one query.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from common.db.engine import DatabaseUnavailable
from common.intake.cases import CaseService
from common.qt.table_model import RowTableModel
from counter.intake.flow import Runner
from counter.intake.queries import CaseRow, DeskList, list_cases
from counter.intake.words import t

__all__ = ["CaseDesk", "CaseListModel"]

_FLAG_COLOURS = {
    "red": "#f9d4d4",
    "reminder": "#ffe0b2",
    "yellow": "#fff0c2",
    "tolerance_overdue": "#ffe0b2",
}


class CaseListModel(RowTableModel[CaseRow]):
    """Case rows under Columns; rows keyed by case number (updates, not resets)."""

    class Columns(enum.IntEnum):
        NUMBER = 0
        TITLE = 1
        STATE = 2
        WINDOW = 3
        DATE = 4

    class Roles(enum.IntEnum):
        NUMBER = Qt.ItemDataRole.UserRole + 1

    english = False

    def set_cases(self, rows: list[CaseRow]) -> None:
        self._update_rows(rows, key=lambda r: r.number)

    def header(self, column: enum.IntEnum) -> str | None:
        e = self.english
        return {
            0: t(e, "办件编号", "Case number"),
            1: t(e, "事项", "Matter"),
            2: t(e, "状态", "State"),
            3: t(e, "窗口", "Window"),
            4: t(e, "承诺/补齐日期", "Promised / due"),
        }[int(column)]

    def role(self, row: CaseRow, role: enum.IntEnum) -> Any:
        return row.number

    def cell(self, row: CaseRow, column: enum.IntEnum, role: int) -> Any:
        e = self.english
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.Columns.NUMBER:
                return row.number
            if column == self.Columns.TITLE:
                return row.title
            if column == self.Columns.STATE:
                text = row.state.label_en if e else row.state.label
                if row.flag:
                    flag = {
                        "red": t(e, "红牌", "red"),
                        "yellow": t(e, "黄牌", "yellow"),
                        "reminder": t(e, "明日到期", "due tomorrow"),
                        "tolerance_overdue": t(e, "容缺逾期", "tolerance overdue"),
                    }[row.flag]
                    text += f"（{flag}）" if not e else f" ({flag})"
                return text
            if column == self.Columns.WINDOW:
                return str(row.window) if row.window is not None else ""
            if column == self.Columns.DATE:
                date = (
                    row.supplement_deadline
                    if row.supplement_deadline
                    and row.flag in ("", "tolerance_overdue")
                    and row.state.value == "accepted_with_tolerance"
                    else row.promised_date
                )
                return date.isoformat() if date else ""
        if role == Qt.ItemDataRole.BackgroundRole and row.flag:
            return QBrush(QColor(_FLAG_COLOURS.get(row.flag, "#ffffff")))
        return None


class CaseDesk(QWidget):
    """The lists, a filter box and the scope (this window / the hall); ``open_case(number)``."""

    open_case = Signal(str)

    def __init__(
        self,
        cases: CaseService,
        runner: Runner,
        *,
        window: int,
        today: Callable[[], dt.date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseDesk")
        self.cases, self.runner, self.today = cases, runner, today
        self.window_number = window
        self.english = False
        self.which = DeskList.TODAY
        self._loading = False
        self._again = False
        self.list_buttons: dict[DeskList, QPushButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        tabs = QHBoxLayout()
        for which in DeskList:
            button = QPushButton()
            button.setCheckable(True)
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _c=False, w=which: self.show_list(w))
            group.addButton(button)
            self.list_buttons[which] = button
            tabs.addWidget(button)
        self.list_buttons[DeskList.TODAY].setChecked(True)
        self.filter = QLineEdit()
        self.filter.setObjectName("caseFilter")
        self.filter.setClearButtonEnabled(True)
        self.hall_scope = QCheckBox()
        self.hall_scope.setObjectName("hallScope")
        self.open_button = QPushButton()
        self.status = QLabel()
        self.status.setObjectName("caseDeskStatus")
        row = QHBoxLayout()
        row.addWidget(self.filter, 1)
        row.addWidget(self.hall_scope)
        row.addWidget(self.open_button)
        self.model = CaseListModel(self)
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CaseListModel.Columns.TITLE, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(tabs)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.filter.textChanged.connect(lambda _t: self._debounce.start())
        self.hall_scope.toggled.connect(lambda _c: self.refresh())
        self.table.activated.connect(self._activated)
        self.open_button.clicked.connect(lambda: self._activated(self.table.currentIndex()))
        self.retranslate()

    def retranslate(self) -> None:
        e = self.english
        self.model.english = e
        for which, button in self.list_buttons.items():
            button.setText(which.label_en if e else which.label)
        self.filter.setPlaceholderText(
            t(e, "按办件编号、号票或事项筛选", "Filter by case number, ticket or matter")
        )
        self.hall_scope.setText(t(e, "全大厅", "Whole hall"))
        self.open_button.setText(t(e, "查看办件", "Open case"))
        self.model._rows_changed()
        self.model.headerDataChanged.emit(
            Qt.Orientation.Horizontal, 0, len(CaseListModel.Columns) - 1
        )

    def set_english(self, english: bool) -> None:
        self.english = english
        self.retranslate()

    def show_list(self, which: DeskList) -> None:
        self.which = which
        self.list_buttons[which].setChecked(True)
        self.refresh()

    def refresh(self) -> None:
        """Read the current list on the runner; a refresh asked meanwhile runs once after."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        cases, which, text = self.cases, self.which, self.filter.text()
        window = None if self.hall_scope.isChecked() else self.window_number
        today = self.today()

        def load() -> list[CaseRow]:
            return list_cases(cases, which, today=today, window=window, text=text)

        self.runner.submit(load, self._loaded, self._failed)

    def _loaded(self, rows: list[CaseRow]) -> None:
        self._loading = False
        self.model.set_cases(rows)
        self.status.setText(t(self.english, f"共 {len(rows)} 件", f"{len(rows)} case(s)"))
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self._again = False
        if isinstance(exc, DatabaseUnavailable):
            self.status.setText(
                t(
                    self.english,
                    "数据库无法连接，列表未更新",
                    "Database unreachable: list not updated",
                )
            )
        else:
            self.status.setText(type(exc).__name__)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(self.model.rows()[index.row()].number)
