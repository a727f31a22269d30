"""The hall manager's device alert strip: kiosk printer trouble reaches the counter of a manager.

The strip is fed like the rest of the counter: a snapshot read at login (on the TaskRunner) and
then the queue event stream (``device`` events) through the QueueEventBridge.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from common.db.models import Role
from common.qt.i18n import Translations
from common.qt.queue_events import QueueEventBridge
from common.qt.worker import TaskRunner
from common.queue.events import QueueEventRecord
from common.queue.service import DeviceAlert, FixedClock, QueueService
from common.staff import StaffView
from counter.device_alert_strip import DeviceAlertStrip
from counter.device_alerts import DeviceAlertBoard, DeviceAlertSnapshot
from counter.main_window import CounterWindow
from counter.session import CounterSession

MANAGER = StaffView(id=9, username="manager", display_name="王经理", role=Role.MANAGER)
CLERK = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)


def make_window(
    qtbot: QtBot, queue: QueueService, staff: StaffView, runner: TaskRunner | None = None
) -> tuple[CounterWindow, QueueEventBridge]:
    bridge = QueueEventBridge(queue, listen=False)
    bridge.poll_now()  # as the app's bridge: it follows from the current end of the stream
    clock = queue.clock
    assert isinstance(clock, FixedClock)
    window = CounterWindow(
        queue, CounterSession(staff, 1), runner or TaskRunner(inline=True), now=lambda: clock.at
    )
    qtbot.addWidget(window)
    bridge.events.connect(window.on_queue_events)
    window.show()
    window.start()
    return window, bridge


def visible_strips(window: CounterWindow) -> list[DeviceAlertStrip]:
    return [s for s in window.findChildren(DeviceAlertStrip) if s.isVisible()]


def test_manager_sees_paper_out_until_the_kiosk_is_ready_again(
    qtbot: QtBot, any_hall: QueueService
) -> None:
    window, bridge = make_window(qtbot, any_hall, MANAGER)
    strip = window.device_alerts
    assert strip is not None and not strip.isVisible()  # a quiet hall: no strip at all

    any_hall.record_device_status(
        "kiosk-1", "printer", "paper_out", "paper end sensor", needs_attention=True
    )
    bridge.poll_now()
    assert strip.isVisible()
    assert strip.lines == ["kiosk-1: printer out of paper  (09:00)"]

    any_hall.record_device_status("kiosk-1", "printer", "ready", needs_attention=False)
    bridge.poll_now()
    assert not strip.isVisible()
    assert strip.lines == []


def test_window_staff_never_see_device_alerts(
    qtbot: QtBot, hall: QueueService, monkeypatch: pytest.MonkeyPatch
) -> None:
    hall.record_device_status("kiosk-2", "printer", "offline", needs_attention=True)

    def not_for_clerks() -> list[DeviceAlert]:
        raise AssertionError("a window clerk's counter read device alerts")

    monkeypatch.setattr(hall, "device_alerts", not_for_clerks)
    window, bridge = make_window(qtbot, hall, CLERK)
    hall.record_device_status("kiosk-1", "printer", "paper_out", needs_attention=True)
    bridge.poll_now()
    assert window.device_alerts is None
    assert visible_strips(window) == []


def test_alerts_present_at_login_are_shown(qtbot: QtBot, hall: QueueService) -> None:
    hall.record_device_status("kiosk-2", "printer", "offline", "cover open", needs_attention=True)
    hall.record_device_status("kiosk-3", "printer", "paper_near_end", needs_attention=False)
    assert isinstance(hall.clock, FixedClock)
    hall.clock.advance(minutes=7)
    hall.record_device_status("kiosk-1", "printer", "paper_out", needs_attention=True)
    window, _bridge = make_window(qtbot, hall, MANAGER)
    strip = window.device_alerts
    assert strip is not None and strip.isVisible()
    assert strip.lines == [
        "kiosk-2: printer offline  (09:00)",
        "kiosk-1: printer out of paper  (09:07)",
    ]
    assert visible_strips(window) == [strip]


def test_the_login_read_runs_on_the_runner_not_the_gui_thread(
    qtbot: QtBot, hall: QueueService, monkeypatch: pytest.MonkeyPatch
) -> None:
    hall.record_device_status("kiosk-1", "printer", "paper_out", needs_attention=True)
    threads: list[threading.Thread] = []
    real = hall.device_alerts

    def spy() -> list[DeviceAlert]:
        threads.append(threading.current_thread())
        return real()

    monkeypatch.setattr(hall, "device_alerts", spy)
    runner = TaskRunner()
    window, _bridge = make_window(qtbot, hall, MANAGER, runner)
    strip = window.device_alerts
    assert strip is not None
    qtbot.waitUntil(lambda: strip.isVisible(), timeout=5000)
    assert threads and threads[0] is not threading.main_thread()
    runner.wait(5000)


def test_an_alert_from_an_earlier_day_says_which_day(qtbot: QtBot, hall: QueueService) -> None:
    hall.record_device_status("kiosk-1", "printer", "paper_out", needs_attention=True)
    assert isinstance(hall.clock, FixedClock)
    hall.clock.advance(days=1)
    window, _bridge = make_window(qtbot, hall, MANAGER)
    assert window.device_alerts is not None
    assert window.device_alerts.lines == ["kiosk-1: printer out of paper  (11-23 09:00)"]


def test_the_strip_reads_in_chinese(qtbot: QtBot, qapp: QApplication, hall: QueueService) -> None:
    hall.record_device_status("kiosk-1", "printer", "paper_out", needs_attention=True)
    translations = Translations(qapp, ("counter",))
    translations.set_language("zh_CN")
    try:
        window, _bridge = make_window(qtbot, hall, MANAGER)
        strip = window.device_alerts
        assert strip is not None
        assert strip.heading.text() == "设备告警"
        assert strip.lines == ["kiosk-1：打印机缺纸（09:00）"]
    finally:
        translations.set_language("en")


# --------------------------------------------------------------------------- the board, without Qt

UTC9 = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


def device_event(event_id: int, station: str, state: str, attention: bool) -> QueueEventRecord:
    return QueueEventRecord(
        id=event_id,
        at=UTC9 + dt.timedelta(minutes=event_id),
        hall_day=UTC9.date(),
        kind="device",
        number="",
        service_prefix="",
        window_number=None,
        data={"station": station, "device": "printer", "state": state, "attention": attention},
    )


def test_events_before_the_snapshot_lands_are_replayed_over_it() -> None:
    board = DeviceAlertBoard()
    # Read by the bridge while the login read is still on the runner.
    assert not board.apply(
        [device_event(5, "kiosk-1", "paper_out", True), device_event(6, "kiosk-2", "offline", True)]
    )
    assert board.alerts == []
    # The snapshot was taken after event 5: kiosk-1 is in it, kiosk-2's event is newer.
    snapshot = DeviceAlertSnapshot(
        5, (DeviceAlert("kiosk-1", "printer", "paper_out", "sensor", UTC9),)
    )
    assert board.load(snapshot)
    assert [(a.station, a.state, a.message) for a in board.alerts] == [
        ("kiosk-1", "paper_out", "sensor"),
        ("kiosk-2", "offline", ""),
    ]


def test_events_already_in_the_snapshot_do_not_undo_it() -> None:
    board = DeviceAlertBoard()
    # Snapshot after event 8 (kiosk-1 ready again, so not listed); the bridge then delivers the
    # older paper_out event 7 late: it must not bring the alert back.
    board.load(DeviceAlertSnapshot(8, ()))
    assert not board.apply([device_event(7, "kiosk-1", "paper_out", True)])
    assert board.alerts == []
    assert board.apply([device_event(9, "kiosk-1", "offline", True)])
    assert board.apply([device_event(10, "kiosk-1", "ready", False)])
    assert board.alerts == []
