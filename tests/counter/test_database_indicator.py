"""The status bar's database indicator follows what the counter's database calls report: a failed
write (read-only or vanished database) keeps it red although reads still work."""

from __future__ import annotations

import logging

import pytest
from pytestqt.qtbot import QtBot

from common.db.engine import DatabaseUnavailable
from common.db.models import Role
from common.qt.worker import TaskRunner
from common.queue.service import QueueService, TicketView
from common.staff import StaffView
from counter.db_health import DatabaseHealth
from counter.main_window import CounterWindow
from counter.session import CounterSession


def test_health_rule() -> None:
    health = DatabaseHealth()
    assert health.reachable
    health.write_failed("attempt to write a readonly database")
    health.read_ok()
    assert not health.reachable and health.detail == "attempt to write a readonly database"
    health.write_ok()
    assert health.reachable and health.detail == ""
    health.read_failed("server closed the connection")
    assert not health.reachable
    health.read_ok()
    assert health.reachable


def test_failed_write_keeps_the_indicator_red_until_a_write_succeeds(
    qtbot: QtBot,
    hall: QueueService,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    staff = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)
    window = CounterWindow(hall, CounterSession(staff, 1), TaskRunner(inline=True))
    qtbot.addWidget(window)
    window.start()
    hall.issue("A")
    window.call_panel.refresh()
    assert window.status.texts["database"] == "Database: connected"
    assert window.status.database.property("level") == "ok"

    real_call_next = hall.call_next

    def read_only(*_a: object, **_k: object) -> TicketView | None:
        raise DatabaseUnavailable("attempt to write a readonly database")

    monkeypatch.setattr(hall, "call_next", read_only)
    with caplog.at_level(logging.WARNING, logger="counter"):
        window.call_panel.call_next()  # fails; the refresh after it (a read) succeeds
    assert window.status.texts["database"] == "Database: unreachable"
    assert window.status.database.property("level") == "error"
    assert "readonly" in window.status.database.toolTip()
    assert any(
        "readonly" in r.getMessage() and r.name.startswith("counter") for r in caplog.records
    )
    window.on_connection(True, "")  # the event bridge's poll (a read) works too
    window.call_panel.refresh()
    assert window.status.texts["database"] == "Database: unreachable"

    monkeypatch.setattr(hall, "call_next", real_call_next)
    window.call_panel.call_next()  # a write works again
    assert window.call_panel.number.text() == "A001"
    assert window.status.texts["database"] == "Database: connected"
    assert window.status.database.property("level") == "ok"


def test_failed_refresh_turns_it_red_and_a_later_one_green(
    qtbot: QtBot, hall: QueueService, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)
    window = CounterWindow(hall, CounterSession(staff, 1), TaskRunner(inline=True))
    qtbot.addWidget(window)
    real = hall.window_status

    def gone(*_a: object, **_k: object) -> object:
        raise DatabaseUnavailable("the database file is missing")

    monkeypatch.setattr(hall, "window_status", gone)
    window.start()
    assert window.status.texts["database"] == "Database: unreachable"
    monkeypatch.setattr(hall, "window_status", real)
    window.call_panel.refresh()
    assert window.status.texts["database"] == "Database: connected"
