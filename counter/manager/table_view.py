"""The manager's lists as one kind of table: whole rows, one at a time, read-only, striped.

The dashboard's tables, the staff list and the follow-up list all behave alike, so a manager
who learns one knows them all; one column (the one with the most text) takes the spare width.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

__all__ = ["row_table"]


def row_table(model: QAbstractItemModel, stretch: int) -> QTableView:
    """A table over ``model`` that selects one whole row and is never edited in place; columns
    fit their contents and column ``stretch`` takes the rest of the width."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view
