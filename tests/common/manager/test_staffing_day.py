"""The manager's day-scoped changes to the queue: a service paused with a reason, a window
reassigned for the rest of the hall day (gone the next day), today's notice (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.db.models import AuditLog, EventKind, QueueEvent
from common.manager.actions import ManagerActions, latest_notice
from common.queue.errors import ServiceClosed
from common.queue.policy import ClosedReason
from common.queue.service import QueueService


def _status(q: QueueService, prefix: str) -> tuple[bool, str]:
    (s,) = [s for s in q.service_statuses() if s.prefix == prefix]
    return s.open, s.closed_reason_zh


def test_paused_service_issues_nothing_but_its_waiting_are_called(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    taken = any_hall.issue("A")
    actions = ManagerActions(any_hall)
    actions.pause_service("A", "  系统维护  ", actor="mgr")
    assert _status(any_hall, "A") == (False, "暂停取号：系统维护")
    with pytest.raises(ServiceClosed) as refused:
        any_hall.issue("A")
    assert refused.value.reason is ClosedReason.PAUSED and "系统维护" in refused.value.message_zh
    # Already taken numbers are served (DECISIONS.md): window 1 serves A.
    called = any_hall.call_next(1)
    assert called is not None and called.number == taken.number
    any_hall.issue("B")  # other services go on
    actions.reopen_service("A", actor="mgr")
    assert _status(any_hall, "A") == (True, "")
    assert any_hall.issue("A").number == "A002"  # numbering goes on, no gap
    with any_hall_db.read() as s:
        kinds = [e.kind for e in s.scalars(select(QueueEvent).order_by(QueueEvent.id))]
        audit = [a.action for a in s.scalars(select(AuditLog)) if a.action.startswith("manager.")]
    assert EventKind.SERVICE_PAUSED in kinds and EventKind.SERVICE_RESUMED in kinds
    assert audit == ["manager.service-pause", "manager.service-reopen"]
    with pytest.raises(ValueError):
        actions.pause_service("A", " ", actor="mgr")


def test_reassignment_ends_with_the_hall_day(any_hall: QueueService, clock: ManualClock) -> None:
    actions = ManagerActions(any_hall)
    configured = any_hall.window_status(1).services
    assert configured == actions.configured_weights(1)
    any_hall.issue("A")
    any_hall.issue("F")
    actions.reassign_window(1, {"F": 2}, actor="mgr")
    assert any_hall.window_status(1).services == {"F": 2}
    # Late in the evening (hall time) the reassignment still holds …
    clock.at = clock.at.replace(hour=23, minute=59)
    any_hall.issue("A")
    called = any_hall.call_next(1)
    assert called is not None and called.prefix == "F"
    # … past midnight it is gone: the window serves its configured services again.
    clock.advance(minutes=2)
    assert any_hall.window_status(1).services == configured
    any_hall.issue("F")
    any_hall.issue("A")
    called = any_hall.call_next(1)
    assert called is not None and called.prefix == "A"
    # A reassignment the next day replaces the old day's rows, and can be undone.
    actions.reassign_window(1, {"B": 1}, actor="mgr")
    assert any_hall.window_status(1).services == {"B": 1}
    actions.restore_window(1, actor="mgr")
    assert any_hall.window_status(1).services == configured


def test_estimate_counts_windows_as_reassigned_today(any_hall: QueueService) -> None:
    """The kiosk's estimate divides by the windows that serve the service today."""
    for _ in range(6):
        any_hall.issue("F")
    before = {s.prefix: s.estimated_wait_minutes for s in any_hall.service_statuses()}["F"]
    actions = ManagerActions(any_hall)
    for number in (1, 2, 3, 4):
        actions.reassign_window(number, {"F": 1}, actor="mgr")
    after = {s.prefix: s.estimated_wait_minutes for s in any_hall.service_statuses()}["F"]
    assert after < before


def test_latest_notice_is_todays(any_hall: QueueService, clock: ManualClock) -> None:
    actions = ManagerActions(any_hall)
    assert latest_notice(any_hall) == ""
    actions.broadcast_notice("下午 3 点起系统维护", actor="mgr")
    assert latest_notice(any_hall) == "下午 3 点起系统维护"
    actions.broadcast_notice("", actor="mgr")
    assert latest_notice(any_hall) == ""
    actions.broadcast_notice("今日公积金业务暂停", actor="mgr")
    clock.advance(days=1)
    assert latest_notice(any_hall) == ""  # yesterday's line is not today's
    assert isinstance(clock.at, dt.datetime)
