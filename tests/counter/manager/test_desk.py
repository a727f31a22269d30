"""The manager's desk: only for managers, follows the event stream, and its actions are audited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from common.db.models import AuditLog, Role
from common.manager.dashboard import Dashboard, DashboardReader, Figure
from common.qt.queue_events import QueueEventBridge
from common.qt.worker import TaskRunner
from common.queue.service import FixedClock, QueueService
from common.staff import StaffView
from counter.main_window import CounterWindow
from counter.manager.desk import ManagerDesk
from counter.manager.models import BadRatingModel, ServiceModel, WindowModel
from counter.manager.reassign_dialog import ReassignDialog
from counter.session import CounterSession

MANAGER = StaffView(id=9, username="manager", display_name="王经理", role=Role.MANAGER)
CLERK = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)


@pytest.fixture
def bridge(any_hall: QueueService) -> Iterator[QueueEventBridge]:
    b = QueueEventBridge(any_hall, listen=False)
    b.poll_now()  # follow from the current end of the stream, as the counter's bridge does
    yield b
    b.stop()


def make_desk(qtbot: QtBot, queue: QueueService, bridge: QueueEventBridge) -> ManagerDesk:
    clock = queue.clock
    assert isinstance(clock, FixedClock)
    desk = ManagerDesk(
        queue,
        CounterSession(MANAGER, 1),
        runner=TaskRunner(inline=True),
        now=lambda: clock.at,
        debounce_ms=10,
    )
    qtbot.addWidget(desk)
    bridge.events.connect(desk.on_queue_events)
    desk.show()
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        desk.start()
    return desk


def test_window_staff_have_no_way_to_the_desk(qtbot: QtBot, hall: QueueService) -> None:
    clerk = CounterWindow(hall, CounterSession(CLERK, 1), TaskRunner(inline=True))
    qtbot.addWidget(clerk)
    assert clerk.manager_button is None and clerk.manager_desk is None
    assert clerk.findChildren(ManagerDesk) == []
    with pytest.raises(PermissionError):
        ManagerDesk(hall, CounterSession(CLERK, 1))


def test_manager_opens_the_desk_from_the_counter(qtbot: QtBot, hall: QueueService) -> None:
    clock = hall.clock
    assert isinstance(clock, FixedClock)
    window = CounterWindow(
        hall, CounterSession(MANAGER, 1), TaskRunner(inline=True), now=lambda: clock.at
    )
    qtbot.addWidget(window)
    window.show()
    assert window.manager_button is not None and window.manager_button.isVisible()
    assert window.manager_button.text() == "大厅管理"
    window.manager_button.click()
    desk = window.manager_desk
    assert desk is not None and desk.isVisible()
    qtbot.waitUntil(lambda: Figure.WINDOWS in desk.board.read, timeout=5000)
    assert [r.number for r in desk.view.windows.rows()] == list(range(1, 9))
    assert window.open_manager_desk() is desk  # one desk per login
    window.set_english(True)
    assert window.manager_button.text() == "Manager's desk"
    assert desk.pause_button.text() == "Pause window…"
    desk.stop()


def test_dashboard_follows_a_call(
    qtbot: QtBot, any_hall: QueueService, bridge: QueueEventBridge
) -> None:
    desk = make_desk(qtbot, any_hall, bridge)
    assert desk.view.tiles["issued"].value.text() == "0"
    any_hall.issue("A")
    any_hall.issue("A")
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        bridge.poll_now()
    assert desk.view.tiles["issued"].value.text() == "2"
    assert desk.view.tiles["waiting"].value.text() == "2"

    any_hall.call_next(3, actor="w3")
    with qtbot.waitSignal(desk.refreshed, timeout=5000) as signal:
        bridge.poll_now()
    assert {Figure.WINDOWS, Figure.TOTALS, Figure.SERVICES} <= signal.args[0]
    row = next(r for r in desk.view.windows.rows() if r.number == 3)
    assert row.current == "A001"
    model = desk.view.windows
    assert model.data(model.index(2, WindowModel.Columns.TICKET)) == "A001"
    assert desk.view.tiles["waiting"].value.text() == "1"
    assert desk.view.flow_chart.hours == (9,)
    desk.stop()


def test_a_burst_of_events_is_read_once(
    qtbot: QtBot, any_hall: QueueService, bridge: QueueEventBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = make_desk(qtbot, any_hall, bridge)
    reads: list[set[Figure]] = []
    original = DashboardReader.read

    def counted(self: DashboardReader, groups: Any = None, into: Dashboard | None = None) -> Any:
        reads.append(set(groups))
        return original(self, groups, into)

    monkeypatch.setattr(DashboardReader, "read", counted)
    for _ in range(5):
        any_hall.issue("B")
        bridge.poll_now()  # five batches inside the debounce interval
    qtbot.waitUntil(lambda: desk.view.tiles["issued"].value.text() == "5", timeout=5000)
    assert reads == [{Figure.TOTALS, Figure.SERVICES}]
    any_hall.record_device_status("kiosk-1", "printer", "ready")
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        bridge.poll_now()
    assert reads[-1] == {Figure.DEVICES}  # a device event reads only the devices
    desk.stop()


def test_pause_from_the_desk_is_audited_and_shown(
    qtbot: QtBot, any_hall: QueueService, bridge: QueueEventBridge
) -> None:
    desk = make_desk(qtbot, any_hall, bridge)
    desk.view.window_view.selectRow(2)
    assert desk.pause_button.isEnabled() and not desk.reopen_button.isEnabled()
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        desk.pause_window(3, "系统升级")
    row = next(r for r in desk.view.windows.rows() if r.number == 3)
    assert row.paused and row.pause_reason == "系统升级"
    assert desk.view.windows.data(desk.view.windows.index(2, WindowModel.Columns.STATE)) == (
        "暂停：系统升级"
    )
    assert any_hall.window_status(3).paused
    with any_hall.db.read() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "manager.pause")).one()
        assert (audit.actor, audit.target, audit.detail) == ("manager", "3", {"reason": "系统升级"})
    desk.view.window_view.selectRow(2)
    assert desk.reopen_button.isEnabled() and not desk.pause_button.isEnabled()
    desk.broadcast_notice("16:00 起暂停受理公积金业务")
    assert desk.message.text() == "通知已发布"
    desk.pause_window(99, "x")  # an unknown window: told, nothing written
    assert desk.message.text().startswith("操作未完成")
    desk.stop()


def test_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, any_hall: QueueService, bridge: QueueEventBridge
) -> None:
    desk = make_desk(qtbot, any_hall, bridge)
    any_hall.issue("A")
    any_hall.call_next(1)
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        bridge.poll_now()
    for model in (desk.view.windows, desk.view.services, desk.view.bad_ratings):
        assert isinstance(model, WindowModel | ServiceModel | BadRatingModel)
        qtmodeltester.check(model)
    desk.stop()


def test_reassign_from_the_desk_and_the_next_call_obeys(
    qtbot: QtBot,
    any_hall: QueueService,
    bridge: QueueEventBridge,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = make_desk(qtbot, any_hall, bridge)
    any_hall.issue("A")
    any_hall.issue("F")
    shown: list[dict[str, int]] = []

    def answer(window: int, services: list[tuple[str, str]], current: dict[str, int]) -> Any:
        shown.append(current)
        dialog = ReassignDialog(window, services, current, desk)
        for prefix, spin in dialog.spins.items():
            spin.setValue(2 if prefix == "F" else 0)
        monkeypatch.setattr(dialog, "exec", lambda: ReassignDialog.DialogCode.Accepted)
        return dialog

    monkeypatch.setattr(desk, "reassign_dialog", answer)
    desk.view.window_view.selectRow(0)
    assert desk.reassign_button.isEnabled()
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        desk.reassign_button.click()
    assert shown == [{"A": 2, "B": 3, "C": 1}]
    assert any_hall.window_status(1).services == {"F": 2}
    called = any_hall.call_next(1, actor="w1")
    assert called is not None and called.prefix == "F"
    with any_hall.db.read() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "manager.reassign")).one()
        assert audit.actor == "manager" and audit.detail["after"] == {"F": 2}
    desk.stop()


def test_reassign_dialog_needs_a_service(qtbot: QtBot) -> None:
    dialog = ReassignDialog(1, [("A", "综合受理"), ("B", "投资项目")], {"A": 2})
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.weights() == {"A": 2}
    dialog.spins["A"].setValue(0)
    assert not ok.isEnabled() and dialog.weights() == {}
    dialog.spins["B"].setValue(3)
    assert ok.isEnabled() and dialog.weights() == {"B": 3}


def test_desk_follows_a_scripted_day_and_its_tiles_equal_sql_counts(
    qtbot: QtBot, any_hall_db: Any, any_hall: QueueService, bridge: QueueEventBridge
) -> None:
    from sqlalchemy import text

    from common.intake.calendar import HallCalendar
    from common.intake.cases import CaseService
    from tests.common.manager.test_dashboard import scripted_day

    clock = any_hall.clock
    assert isinstance(clock, FixedClock)
    desk = ManagerDesk(
        any_hall,
        CounterSession(MANAGER, 1),
        cases=CaseService(any_hall_db, any_hall.settings, clock, HallCalendar()),
        runner=TaskRunner(inline=True),
        now=lambda: clock.at,
        debounce_ms=10,
    )
    qtbot.addWidget(desk)
    bridge.events.connect(desk.on_queue_events)
    desk.show()
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        desk.start()
    scripted_day(any_hall, any_hall_db, clock)
    bridge.poll_now()  # issues, calls, finishes, the skip, the pause, the device alert
    qtbot.waitUntil(lambda: not desk._pending and not desk._debounce.isActive(), timeout=5000)
    with qtbot.waitSignal(desk.refreshed, timeout=5000):
        desk.refresh({Figure.CASES, Figure.RATINGS, Figure.SYNC})  # the slow timer's groups

    def count(sql: str) -> int:
        with any_hall_db.read() as s:
            return int(s.execute(text(sql)).scalar() or 0)

    tiles = desk.view.tiles
    assert tiles["issued"].value.text() == str(count("SELECT count(*) FROM ticket"))
    assert tiles["served"].value.text() == str(
        count("SELECT count(*) FROM ticket WHERE status = 'finished'")
    )
    assert tiles["no_show"].value.text() == str(
        count("SELECT count(*) FROM ticket WHERE status = 'no_show'")
    )
    assert tiles["waiting"].value.text() == str(
        count("SELECT count(*) FROM ticket WHERE status = 'waiting'")
    )
    assert tiles["cases"].value.text() == str(count("SELECT count(*) FROM intake_case"))
    assert tiles["devices"].value.text() == str(
        count("SELECT count(*) FROM device_status WHERE needs_attention")
    )
    assert tiles["sync"].value.text() == str(
        count("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND parked_at IS NULL")
    )
    good = count("SELECT count(*) FROM rating WHERE level >= 3")
    total = count("SELECT count(*) FROM rating")
    assert tiles["satisfaction"].value.text() == f"{good / total * 100:.1f}%"
    assert desk.view.bad_ratings.rowCount() == count("SELECT count(*) FROM rating WHERE level <= 2")
    assert desk.view.ratings_chart.counts[::-1] == tuple(
        count(f"SELECT count(*) FROM rating WHERE level = {level}") for level in range(1, 6)
    )
    # The case accepted today is promised for the next working day: on the 电子监察 list.
    assert [w.number for w in desk.view.watch.rows()] == [
        n for (n,) in _rows(any_hall_db, "SELECT number FROM intake_case")
    ]
    assert desk.view.lists.tabText(1) == "电子监察（1）"
    paused = {r.number for r in desk.view.windows.rows() if r.paused}
    with any_hall_db.read() as s:
        assert paused == set(s.execute(text('SELECT number FROM "window" WHERE paused')).scalars())
    desk.stop()


def test_another_counter_obeys_a_reassignment_at_once(
    qtbot: QtBot, any_hall_db: Any, any_hall: QueueService
) -> None:
    from common.manager.actions import ManagerActions

    clock = any_hall.clock
    assert isinstance(clock, FixedClock)
    # Window 1's own PC: its own queue service and cache (60 s), following the stream.
    pc = QueueService(any_hall_db, any_hall.settings, clock)
    bridge = QueueEventBridge(pc, listen=False)
    bridge.poll_now()
    counter = CounterWindow(
        pc, CounterSession(CLERK, 1), TaskRunner(inline=True), now=lambda: clock.at
    )
    qtbot.addWidget(counter)
    bridge.events.connect(counter.on_queue_events)
    assert pc.window_status(1).services == {"A": 2, "B": 3, "C": 1}  # cached now
    any_hall.issue("A")
    any_hall.issue("F")
    ManagerActions(any_hall).reassign_window(1, {"F": 2}, actor="manager")  # the manager's PC
    bridge.poll_now()
    called = pc.call_next(1, actor="w1")
    assert called is not None and called.prefix == "F"
    bridge.stop()


def _rows(db: Any, sql: str) -> list[Any]:
    from sqlalchemy import text

    with db.read() as s:
        return list(s.execute(text(sql)))
