"""The one table-model base and the four models on it, each checked by qtmodeltester."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from common.qt.service_model import ServiceStatusModel
from common.qt.table_model import RowTableModel
from common.queue.service import ServiceStatus
from counter.waiting_model import WaitingCountsModel
from kiosk.display.board import CallEntry
from kiosk.display.models import RecentCallsModel, WaitingModel
from kiosk.models import ServiceListModel, ServiceRole


@dataclass(frozen=True)
class _Row:
    key: str
    value: int


class _Model(RowTableModel[_Row]):
    class Columns(enum.IntEnum):
        KEY = 0
        VALUE = 1

    class Roles(enum.IntEnum):
        VALUE = Qt.ItemDataRole.UserRole + 1

    def cell(self, row: _Row, column: enum.IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.key if column == self.Columns.KEY else str(row.value)
        return None

    def role(self, row: _Row, role: enum.IntEnum) -> Any:
        return row.value

    def header(self, column: enum.IntEnum) -> str:
        return column.name.title()


def _signals(model: RowTableModel[Any]) -> list[str]:
    seen: list[str] = []
    model.rowsInserted.connect(lambda *a: seen.append(f"insert {a[1]}-{a[2]}"))
    model.rowsRemoved.connect(lambda *a: seen.append(f"remove {a[1]}-{a[2]}"))
    model.rowsMoved.connect(lambda *a: seen.append(f"move {a[1]}->{a[4]}"))
    model.dataChanged.connect(lambda a, b, *_: seen.append(f"change {a.row()}-{b.row()}"))
    model.modelReset.connect(lambda: seen.append("reset"))
    return seen


def test_the_base_makes_the_smallest_changes(qtmodeltester: ModelTester) -> None:
    model = _Model()
    seen = _signals(model)
    model._update_rows([_Row("a", 1), _Row("b", 2), _Row("c", 3)], key=lambda r: r.key)
    qtmodeltester.check(model)
    seen.clear()
    assert not model._update_rows([_Row("a", 1), _Row("b", 2), _Row("c", 3)], key=lambda r: r.key)
    assert seen == []
    model._update_rows(
        [_Row("c", 3), _Row("a", 1), _Row("b", 5), _Row("d", 4)], key=lambda r: r.key
    )
    assert seen == ["move 2->0", "change 2-2", "insert 3-3"]
    assert [(r.key, r.value) for r in model.rows()] == [("c", 3), ("a", 1), ("b", 5), ("d", 4)]
    qtmodeltester.check(model)
    assert model.data(model.index(2, 1)) == "5"
    assert model.data(model.index(2, 0), _Model.Roles.VALUE) == 5
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Value"
    assert model.roleNames()[int(_Model.Roles.VALUE)] == QByteArray(b"value")
    assert "reset" not in seen


def _status(prefix: str, waiting: int = 1, general: bool = False) -> ServiceStatus:
    return ServiceStatus(
        prefix=prefix,
        name=f"业务{prefix}",
        name_en=f"Service {prefix}",
        general=general,
        waiting=waiting,
        estimated_wait_minutes=waiting * 2,
        open=True,
        closed_reason_zh="",
        closed_reason_en="",
        id_card="optional",
        issued_today=waiting,
        daily_cap=999,
    )


@pytest.mark.parametrize(
    "make", [WaitingModel, WaitingCountsModel, ServiceListModel], ids=lambda m: m.__name__
)
def test_every_service_model_passes_qtmodeltester(
    qtbot: QtBot, qtmodeltester: ModelTester, make: type
) -> None:
    model = make()
    rows = [_status("A", general=True), _status("B", 3), _status("C", 0)]
    weights = {"A": 1, "B": 2, "C": 1}

    def show(statuses: list[ServiceStatus]) -> None:
        if isinstance(model, WaitingCountsModel):
            model.set_statuses(statuses, weights)
        else:
            model.set_statuses(statuses)

    show(rows)
    qtmodeltester.check(model)
    show([rows[1], replace(rows[0], waiting=7), rows[2]])
    qtmodeltester.check(model)
    assert isinstance(model, RowTableModel) and len(model.rows()) == 3
    if isinstance(model, ServiceStatusModel):
        assert model.data(model.index(0, 0), ServiceStatusModel.PrefixRole) in {"A", "B"}
    else:
        assert model.data(model.index(0, 0), ServiceRole.STATUS) in model.rows()


def test_recent_calls_pass_qtmodeltester(qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    at = dt.datetime(2026, 11, 23, 1, tzinfo=dt.UTC)
    calls = RecentCallsModel(3)
    seen = _signals(calls)
    for i in range(5):
        calls.add(CallEntry(i, f"A{i:03d}", 1, "A", False, at))
    calls.add(CallEntry(9, "A003", 2, "A", True, at))
    qtmodeltester.check(calls)
    assert [e.number for e in calls.entries()] == ["A003", "A004", "A002"]
    assert calls.data(calls.index(0, 0), RecentCallsModel.RecallRole) is True
    assert calls.data(calls.index(0, 1)) == "2号窗口"
    assert "reset" not in seen
    calls.clear()
    assert calls.rowCount() == 0
