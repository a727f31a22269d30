"""From the manager's desk: a service paused with a reason (the kiosk's queue refuses its number
and says why, the dashboard marks it) and reopened; a window reassigned for the day (the next
call obeys, the next day it is gone). SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from common.db.models import AuditLog, Role
from common.manager.actions import ManagerActions
from common.qt.queue_events import QueueEventBridge
from common.qt.worker import TaskRunner
from common.queue.errors import ServiceClosed
from common.queue.policy import ClosedReason
from common.queue.service import FixedClock, QueueService
from common.staff import StaffView
from counter.manager.desk import ManagerDesk
from counter.manager.models import ServiceModel
from counter.manager.reassign_dialog import ReassignDialog
from counter.session import CounterSession

MANAGER = StaffView(id=9, username="manager", display_name="王经理", role=Role.MANAGER)


@pytest.fixture
def bridge(any_hall: QueueService) -> Iterator[QueueEventBridge]:
    b = QueueEventBridge(any_hall, listen=False)
    b.poll_now()
    yield b
    b.stop()


@pytest.fixture
def desk(qtbot: QtBot, any_hall: QueueService, bridge: QueueEventBridge) -> Iterator[ManagerDesk]:
    clock = any_hall.clock
    assert isinstance(clock, FixedClock)
    d = ManagerDesk(
        any_hall,
        CounterSession(MANAGER, 1),
        runner=TaskRunner(inline=True),
        now=lambda: clock.at,
        debounce_ms=10,
    )
    qtbot.addWidget(d)
    bridge.events.connect(d.on_queue_events)
    d.show()
    with qtbot.waitSignal(d.refreshed, timeout=5000):
        d.start()
    yield d
    d.stop()


def service_cell(desk: ManagerDesk, prefix: str) -> str:
    model = desk.view.services
    (row,) = [i for i, r in enumerate(model.rows()) if r.prefix == prefix]
    return str(model.data(model.index(row, ServiceModel.Columns.SERVICE)))


def test_service_paused_from_the_desk_and_reopened(
    qtbot: QtBot, desk: ManagerDesk, any_hall: QueueService, bridge: QueueEventBridge
) -> None:
    taken = any_hall.issue("F")
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        bridge.poll_now()
    rows = desk.view.services.rows()
    desk.view.service_view.selectRow(next(i for i, r in enumerate(rows) if r.prefix == "F"))
    assert desk.service_pause_button.isEnabled() and not desk.service_reopen_button.isEnabled()

    def choose() -> None:  # the manager picks one of the usual words
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(10, choose)
            return
        dialog.setTextValue("系统维护")
        dialog.accept()

    QTimer.singleShot(0, choose)
    desk.service_pause_button.click()
    assert desk.message.text() == "F 业务已暂停取号"
    assert service_cell(desk, "F").endswith("· 暂停取号：系统维护")
    # The kiosk's issue is refused with the reason; the ticket taken before is still called.
    with pytest.raises(ServiceClosed) as refused:
        any_hall.issue("F")
    assert refused.value.reason is ClosedReason.PAUSED
    assert refused.value.message_en == "Paused: system maintenance"
    # Window 5 serves F in the demo hall.
    called = any_hall.call_next(5)
    assert called is not None and called.number == taken.number
    rows = desk.view.services.rows()
    desk.view.service_view.selectRow(next(i for i, r in enumerate(rows) if r.prefix == "F"))
    assert desk.service_reopen_button.isEnabled() and not desk.service_pause_button.isEnabled()
    desk.service_reopen_button.click()
    assert "暂停" not in service_cell(desk, "F")
    assert any_hall.issue("F").number == "F002"
    with any_hall.db.read() as s:
        audit = [
            (a.actor, a.action, a.target, a.detail)
            for a in s.scalars(select(AuditLog).order_by(AuditLog.id))
            if a.action.startswith("manager.service")
        ]
    assert audit == [
        ("manager", "manager.service-pause", "F", {"reason": "系统维护"}),
        ("manager", "manager.service-reopen", "F", {"paused_for": "系统维护"}),
    ]
    # The paused state reaches the dashboard from another PC too (the event stream).
    ManagerActions(any_hall).pause_service("A", "人员不足", actor="other")
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        bridge.poll_now()
    assert service_cell(desk, "A").endswith("· 暂停取号：人员不足")


def test_reassignment_from_the_desk_lasts_the_day(
    qtbot: QtBot, desk: ManagerDesk, any_hall: QueueService
) -> None:
    clock = any_hall.clock
    assert isinstance(clock, FixedClock)
    configured = dict(any_hall.window_status(1).services)
    any_hall.issue("A")
    any_hall.issue("F")
    desk.reassign_window(1, {"F": 2})
    assert "今日业务已调整" in desk.message.text()
    called = any_hall.call_next(1)
    assert called is not None and called.prefix == "F"
    clock.advance(days=1)
    assert any_hall.window_status(1).services == configured
    any_hall.issue("F")
    any_hall.issue("A")
    called = any_hall.call_next(1)
    assert called is not None and called.prefix == "A"


def test_desk_opens_with_the_notice_now_up(
    qtbot: QtBot, any_hall: QueueService, bridge: QueueEventBridge
) -> None:
    ManagerActions(any_hall).broadcast_notice("今天 16:00 起系统维护", actor="other")
    clock = any_hall.clock
    assert isinstance(clock, FixedClock)
    d = ManagerDesk(
        any_hall, CounterSession(MANAGER, 1), runner=TaskRunner(inline=True), now=lambda: clock.at
    )
    qtbot.addWidget(d)
    d.start()
    assert d.notice.text() == "今天 16:00 起系统维护"  # to edit, or take down
    d.notice_clear.click()
    d.stop()
    d2 = ManagerDesk(
        any_hall, CounterSession(MANAGER, 1), runner=TaskRunner(inline=True), now=lambda: clock.at
    )
    qtbot.addWidget(d2)
    d2.start()
    assert d2.notice.text() == ""
    d2.stop()


def test_reassignment_undone_from_the_dialog(
    qtbot: QtBot, desk: ManagerDesk, any_hall: QueueService, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured = dict(any_hall.window_status(2).services)
    desk.reassign_window(2, {"F": 1})
    assert any_hall.window_status(2).services == {"F": 1}
    rows = desk.view.windows.rows()
    desk.view.window_view.selectRow(next(i for i, r in enumerate(rows) if r.number == 2))
    shown: list[dict[str, int]] = []

    def answer(window: int, services: list[tuple[str, str]], current: dict[str, int]) -> Any:
        shown.append(current)
        dialog = ReassignDialog(window, services, current, desk)

        def press_restore() -> int:
            dialog.restore_button.click()  # 恢复原配置
            return dialog.result()

        monkeypatch.setattr(dialog, "exec", press_restore)
        return dialog

    monkeypatch.setattr(desk, "reassign_dialog", answer)
    desk.reassign_button.click()
    assert shown == [{"F": 1}]  # the dialog opens on today's services
    assert desk.message.text() == "2 号窗口已恢复原配置"
    assert any_hall.window_status(2).services == configured
