"""The manager's actions: audited, seen on the event stream, and obeyed by the next call."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from common.db.engine import HallDatabase
from common.db.models import AuditLog, QueueEvent
from common.manager.actions import NOTICE_KIND, NOTICE_MAX, ManagerActions
from common.queue.errors import UnknownWindow
from common.queue.service import QueueService


def _audit(db: HallDatabase) -> list[tuple[str, str, str, dict[str, Any]]]:
    with db.read() as s:
        return [
            (a.actor, a.action, a.target, a.detail)
            for a in s.scalars(select(AuditLog).order_by(AuditLog.id))
            if a.action.startswith("manager.")
        ]


def _last_event(db: HallDatabase) -> QueueEvent:
    with db.read() as s:
        row = s.scalars(select(QueueEvent).order_by(QueueEvent.id.desc())).first()
        assert row is not None
        s.expunge(row)
        return row


def test_pause_and_reopen_are_audited_with_reasons(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    actions = ManagerActions(any_hall)
    actions.pause_window(3, "  系统升级 ", actor="mgr")
    status = any_hall.window_status(3)
    assert status.paused and status.pause_reason == "系统升级"
    assert _last_event(any_hall_db).kind == "paused"
    actions.reopen_window(3, "升级完成", actor="mgr")
    assert not any_hall.window_status(3).paused
    assert _audit(any_hall_db) == [
        ("mgr", "manager.pause", "3", {"reason": "系统升级"}),
        ("mgr", "manager.reopen", "3", {"reason": "升级完成", "paused_for": "系统升级"}),
    ]
    with pytest.raises(ValueError):
        actions.pause_window(3, " ", actor="mgr")
    with pytest.raises(ValueError):
        actions.reopen_window(3, "", actor="mgr")
    with pytest.raises(UnknownWindow):
        actions.pause_window(99, "x", actor="mgr")


def test_notice_is_a_queue_event_and_audited(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    line = ManagerActions(any_hall).broadcast_notice(
        "今天 16:00\n起暂停  公积金业务" + "。" * 200, actor="mgr"
    )
    assert line.startswith("今天 16:00 起暂停 公积金业务") and len(line) == NOTICE_MAX
    event = _last_event(any_hall_db)
    assert event.kind == NOTICE_KIND and event.data == {"text": line}
    assert _audit(any_hall_db) == [("mgr", "manager.notice", "hall", {"text": line})]


def test_reassigned_window_calls_by_its_new_services(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    any_hall.issue("A")
    any_hall.issue("F")
    # Window 1 serves A, B, C: reassigned to F only, its next call is the F ticket.
    ManagerActions(any_hall).reassign_window(1, {"F": 2, "A": 0}, actor="mgr")
    assert any_hall.window_status(1).services == {"F": 2}
    called = any_hall.call_next(1, actor="w1")
    assert called is not None and called.prefix == "F"
    ((actor, action, target, detail),) = _audit(any_hall_db)
    assert (actor, action, target) == ("mgr", "manager.reassign", "1")
    assert detail == {
        "before": {"A": 2, "B": 3, "C": 1},
        "after": {"F": 2},
        "day": str(called.hall_day),  # for the rest of this hall day only
    }
    with pytest.raises(ValueError):
        ManagerActions(any_hall).reassign_window(1, {"A": 0}, actor="mgr")
    with pytest.raises(ValueError):
        ManagerActions(any_hall).reassign_window(1, {"Z": 1}, actor="mgr")
