"""The wall display puts the hall manager's notice first on its ticker, takes it down on an
empty one, and reads today's notice at start."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from common.manager.actions import ManagerActions
from common.qt.queue_events import QueueEventBridge
from common.qt.worker import TaskRunner
from common.queue.no_show import hall_notices
from common.queue.service import QueueService
from kiosk.display.window import DisplayWindow


def display(qtbot: QtBot, hall: QueueService) -> tuple[DisplayWindow, QueueEventBridge]:
    window = DisplayWindow(hall.settings, hall, TaskRunner(inline=True))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    bridge = QueueEventBridge(hall, window)
    bridge.events.connect(window.on_queue_events)
    window.ready.connect(lambda last: setattr(bridge.follower, "last_id", last))
    window.start()
    return window, bridge


def test_notice_on_the_ticker_taken_down_and_read_at_start(
    qtbot: QtBot, hall: QueueService
) -> None:
    window, bridge = display(qtbot, hall)
    standing = hall_notices(hall.settings, hall.settings.display.notice or None)
    assert window.ticker.text == window.ticker.SEPARATOR.join(standing)
    actions = ManagerActions(hall)
    actions.broadcast_notice("公积金系统维护，14:00 恢复", actor="mgr")
    bridge.poll_now()
    qtbot.waitUntil(lambda: window.manager_notice != "", timeout=3000)
    assert window.ticker.text.startswith("公积金系统维护，14:00 恢复" + window.ticker.SEPARATOR)
    # A display switched on later shows it from the start.
    later, later_bridge = display(qtbot, hall)
    assert later.manager_notice == "公积金系统维护，14:00 恢复"
    actions.broadcast_notice("", actor="mgr")
    bridge.poll_now()
    qtbot.waitUntil(lambda: window.manager_notice == "", timeout=3000)
    assert window.ticker.text == window.ticker.SEPARATOR.join(standing)
    for b in (bridge, later_bridge):
        b.stop()
    for w in (window, later):
        w.stop()
