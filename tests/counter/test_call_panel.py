"""The call panel drives the queue service and offers only legal actions."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from common.db.models import Priority, Role, TicketStatus
from common.qt.worker import TaskRunner
from common.queue.service import Holder, QueueService
from common.staff import StaffView
from counter.call_panel import CallPanel
from counter.session import Action, CounterSession, legal_actions
from counter.waiting_model import WaitingCountsModel


class FakePrompts:
    """Answers the transfer and pause questions without a modal dialog."""

    def __init__(
        self, transfer: str | None = "D", reason: str | None = "会议", confirm: bool = False
    ) -> None:
        self.transfer, self.reason, self.confirm = transfer, reason, confirm
        self.offered: list[tuple[str, str]] = []
        self.confirms: list[tuple[str, int]] = []

    def transfer_target(
        self, parent: object, number: str, services: Sequence[tuple[str, str]]
    ) -> str | None:
        self.offered = list(services)
        return self.transfer

    def pause_reason(self, parent: object) -> str | None:
        return self.reason

    def confirm_call_next(self, parent: object, number: str, seconds_ago: int) -> bool:
        self.confirms.append((number, seconds_ago))
        return self.confirm


def make_panel(
    qtbot: QtBot, queue: QueueService, window: int = 1, prompts: FakePrompts | None = None
) -> CallPanel:
    staff = StaffView(id=1, username=f"w{window}", display_name="李晓梅", role=Role.WINDOW)
    panel = CallPanel(
        queue,
        CounterSession(staff, window),
        TaskRunner(inline=True),
        prompts=prompts or FakePrompts(),
    )
    qtbot.addWidget(panel)
    panel.refresh()
    return panel


def enabled(panel: CallPanel) -> set[Action]:
    return {k for k, a in panel.actions_by_kind.items() if a.isEnabled()}


def test_nothing_waiting_only_pause_is_offered(qtbot: QtBot, hall: QueueService) -> None:
    panel = make_panel(qtbot, hall)
    assert enabled(panel) == {Action.PAUSE}


def test_call_next_shows_ticket_and_enables_ticket_actions(
    qtbot: QtBot, hall: QueueService
) -> None:
    hall.issue("A", holder=Holder("11010519491231002X", "张三丰"), priority=Priority.NORMAL)
    panel = make_panel(qtbot, hall)
    assert Action.CALL_NEXT in enabled(panel)
    panel.buttons[Action.CALL_NEXT].click()
    assert panel.number.text() == "A001"
    assert "张*丰" in panel.details.text()
    assert "11010519491231002X" not in panel.details.text()
    assert enabled(panel) == {
        Action.RECALL,
        Action.SKIP,
        Action.TRANSFER,
        Action.FINISH,
        Action.PAUSE,
    }
    status = hall.window_status(1)
    assert status.current is not None and status.current.number == "A001"


def test_recall_and_finish(qtbot: QtBot, hall: QueueService) -> None:
    hall.issue("A")
    panel = make_panel(qtbot, hall)
    panel.call_next()
    panel.actions_by_kind[Action.RECALL].trigger()
    current = hall.window_status(1).current
    assert current is not None and current.call_count == 2
    panel.finish()
    assert hall.window_status(1).current is None
    ticket = hall.ticket("A001")
    assert ticket is not None and ticket.status is TicketStatus.FINISHED
    assert enabled(panel) == {Action.PAUSE}


def test_skip_requeues_per_the_hall_rule(qtbot: QtBot, hall: QueueService) -> None:
    hall.issue("A")
    panel = make_panel(qtbot, hall)
    panel.call_next()
    panel.skip()
    ticket = hall.ticket("A001")
    assert ticket is not None and ticket.status is TicketStatus.WAITING  # requeue is the default
    # The rule's own words (common.queue.no_show), the same the ticket and the display use.
    assert panel.message.text() == "A001 未到，已顺延3位重新排队，无需重新取号。"
    panel.set_english(True)
    panel.call_next()
    panel.skip()  # max_requeues = 1: the second time it is a no-show
    assert panel.message.text() == "A001 did not come; marked as no-show (a new number is needed)."
    ticket = hall.ticket("A001")
    assert ticket is not None and ticket.status is TicketStatus.NO_SHOW


def test_transfer_offers_other_services_and_keeps_issue_time(
    qtbot: QtBot, hall: QueueService
) -> None:
    issued = hall.issue("A")
    prompts = FakePrompts(transfer="D")
    panel = make_panel(qtbot, hall, prompts=prompts)
    panel.call_next()
    panel.transfer()
    assert "A" not in {p for p, _ in prompts.offered}
    moved = hall.ticket("A001")
    assert moved is not None and moved.prefix == "D" and moved.status is TicketStatus.WAITING
    assert moved.issued_at == issued.issued_at and moved.transferred_from == "A"
    assert panel.status is not None and panel.status.current is None
    assert panel.message.text() == "A001 transferred to 不动产."  # the service's name, not "D"


def test_transfer_cancelled_changes_nothing(qtbot: QtBot, hall: QueueService) -> None:
    hall.issue("A")
    panel = make_panel(qtbot, hall, prompts=FakePrompts(transfer=None))
    panel.call_next()
    panel.transfer()
    current = hall.window_status(1).current
    assert current is not None and current.number == "A001"


def test_pause_blocks_calling_until_resumed(qtbot: QtBot, hall: QueueService) -> None:
    hall.issue("A")
    panel = make_panel(qtbot, hall, prompts=FakePrompts(reason="会议"))
    panel.actions_by_kind[Action.PAUSE].trigger()
    status = hall.window_status(1)
    assert status.paused and status.pause_reason == "会议"
    assert enabled(panel) == {Action.RESUME}
    assert panel.buttons[Action.RESUME].isVisibleTo(panel) and not panel.buttons[
        Action.PAUSE
    ].isVisibleTo(panel)
    panel.call_next()  # a stale shortcut: refused by the panel, nothing called
    assert hall.window_status(1).current is None
    panel.resume()
    assert not hall.window_status(1).paused
    assert Action.CALL_NEXT in enabled(panel)


def test_queue_refusal_is_shown_not_raised(qtbot: QtBot, hall: QueueService) -> None:
    hall.issue("A")
    panel = make_panel(qtbot, hall)
    hall.pause(1, "break", actor="manager")  # paused elsewhere; the panel has not refreshed yet
    panel.call_next()
    assert "暂停" in panel.message.text()
    assert enabled(panel) == {Action.RESUME}


def test_no_action_while_one_is_running(qtbot: QtBot, hall: QueueService) -> None:
    hall.issue("A")
    hall.issue("A")
    panel = make_panel(qtbot, hall)
    panel.runner = TaskRunner(
        panel
    )  # threaded: the first call is still running at the second press
    with qtbot.waitSignal(panel.action_done, timeout=5000):
        panel.call_next()
        assert enabled(panel) == set()
        panel.call_next()
    panel.runner.wait()
    qtbot.waitUntil(lambda: not panel.runner.busy)
    waiting = hall.waiting(["A"])
    assert [t.number for t in waiting] == ["A002"]


@pytest.mark.parametrize("paused", [False, True])
def test_legal_actions_rule(hall: QueueService, paused: bool) -> None:
    hall.issue("A")
    if paused:
        hall.pause(1, "x")
    else:
        hall.call_next(1)
    status = hall.window_status(1)
    legal = legal_actions(status, busy=False, waiting=3, transfer_targets=8)
    if paused:
        assert legal == {Action.RESUME}
    else:
        assert legal == {
            Action.CALL_NEXT,
            Action.RECALL,
            Action.SKIP,
            Action.TRANSFER,
            Action.FINISH,
            Action.PAUSE,
        }
    assert legal_actions(status, busy=True, waiting=3, transfer_targets=8) == frozenset()


def test_waiting_model(qtbot: QtBot, qtmodeltester: ModelTester, hall: QueueService) -> None:
    for prefix in "AABD":
        hall.issue(prefix)
    model = WaitingCountsModel()
    model.set_statuses(hall.service_statuses(), {"A": 2, "B": 3, "C": 1})
    qtmodeltester.check(model)
    assert model.prefixes() == ["A", "B", "C"] and model.total_waiting == 3
    model.set_statuses(hall.service_statuses(), {"A": 2, "D": 1})
    qtmodeltester.check(model)
    assert model.prefixes() == ["A", "D"]
    # Only the weight changes (the manager re-staffs the window): the view must still repaint it.
    weight = model.index(0, WaitingCountsModel.Columns.WEIGHT)
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as changed:
        model.set_statuses(hall.service_statuses(), {"A": 5, "D": 1})
    assert changed.args is not None and changed.args[0] == weight
    assert model.data(weight) == "5"


def test_events_trigger_a_refresh(qtbot: QtBot, hall: QueueService) -> None:
    panel = make_panel(qtbot, hall)
    assert Action.CALL_NEXT not in enabled(panel)
    from common.queue.events import QueueEventFollower

    follower = QueueEventFollower(hall, start_after=hall.last_event_id())
    hall.issue("A")
    panel.on_queue_events(follower.poll_once())
    qtbot.waitUntil(lambda: Action.CALL_NEXT in enabled(panel), timeout=3000)


def test_called_ticket_leaves_the_waiting_table_whole_at_1366x768(
    qtbot: QtBot, hall: QueueService
) -> None:
    from counter.main_window import CounterWindow

    hall.issue("A", holder=Holder("11010519491231002X", "张三丰"), priority=Priority.GREEN)
    hall.issue("A")
    staff = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)
    window = CounterWindow(
        hall, CounterSession(staff, 1), TaskRunner(inline=True), prompts=FakePrompts()
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.start()
    panel = window.call_panel
    panel.call_next()
    panel.recall()  # "called 2 times": the longest details
    qtbot.wait(20)
    view = panel.waiting_view
    assert view.model().rowCount() == len(hall.window_status(1).services)
    assert view.verticalHeader().length() <= view.viewport().height()
    assert not view.verticalScrollBar().isVisible()
    assert panel.details.text().count("\n") == 1


def _events_since(hall: QueueService, after: int) -> list[tuple[str, str]]:
    return [(str(e.kind), e.number) for e in hall.events_after(after)]


@pytest.mark.parametrize(
    ("in_service", "events", "called"),
    [
        # An empty window: exactly one call, no finish.
        (False, [("called", "A001")], "A001"),
        # A001 at the window a while: A001 finished and A002 called; A002 is never finished.
        (True, [("finished", "A001"), ("called", "A002")], "A002"),
    ],
)
def test_four_f1_keys_60ms_apart_call_one_citizen_and_end_no_service_unseen(
    qtbot: QtBot,
    hall: QueueService,
    in_service: bool,
    events: list[tuple[str, str]],
    called: str,
) -> None:
    """Hall trial (issue 15): with A001 in service, F1 four times 60 ms apart called and
    finished two citizens within 140 ms. Now one call is made; then the guard asks (No) and
    the called ticket stays at the window."""
    from PySide6.QtCore import Qt

    from counter.main_window import CounterWindow

    for _ in range(4):
        hall.issue("A")
    if in_service:
        hall.call_next(1, actor="w1")  # A001 has been at the window a while (hall clock)
    prompts = FakePrompts(confirm=False)
    staff = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)
    window = CounterWindow(hall, CounterSession(staff, 1), TaskRunner(inline=True), prompts=prompts)
    qtbot.addWidget(window)
    # Threaded, as in the app (key presses arrive while work runs); owned by the window, so its
    # pool goes (and its threads are joined) with the window.
    runner = TaskRunner(window)
    window.call_panel.runner = runner
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.start()
    panel = window.call_panel
    qtbot.waitUntil(lambda: Action.CALL_NEXT in enabled(panel), timeout=5000)
    start = hall.last_event_id()
    for _ in range(4):
        qtbot.keyClick(panel, Qt.Key.Key_F1)
        qtbot.wait(60)
    runner.wait()
    qtbot.waitUntil(lambda: not runner.busy and not panel.busy, timeout=5000)
    assert _events_since(hall, start) == events
    assert panel.number.text() == called
    assert prompts.confirms and {n for n, _ in prompts.confirms} == {called}
    status = hall.window_status(1)
    assert status.current is not None and status.current.number == called


def test_f1_within_the_guard_asks_and_no_changes_nothing(qtbot: QtBot, hall: QueueService) -> None:
    hall.issue("A")
    hall.issue("A")
    prompts = FakePrompts(confirm=False)
    panel = make_panel(qtbot, hall, prompts=prompts)
    panel.actions_by_kind[Action.CALL_NEXT].trigger()
    assert panel.number.text() == "A001"
    message, start = panel.message.text(), hall.last_event_id()
    panel.actions_by_kind[Action.CALL_NEXT].trigger()
    assert [n for n, _ in prompts.confirms] == ["A001"]
    assert hall.last_event_id() == start
    assert panel.number.text() == "A001" and panel.message.text() == message
    assert Action.CALL_NEXT in enabled(panel)  # the clerk may still call next on purpose
    prompts.confirm = True
    panel.actions_by_kind[Action.CALL_NEXT].trigger()
    assert _events_since(hall, start) == [("finished", "A001"), ("called", "A002")]


def test_the_confirm_dialog_defaults_to_no(qtbot: QtBot, hall: QueueService) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from counter.call_panel import DialogPrompts, confirm_call_next_box

    panel = make_panel(qtbot, hall)
    box = confirm_call_next_box(panel, "A009", 3)
    default = box.defaultButton()
    assert default is not None and box.buttonRole(default) is QMessageBox.ButtonRole.NoRole
    assert box.escapeButton() is default
    box.deleteLater()

    answers: list[str] = []

    def press(key: Qt.Key) -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        answers.append(dialog.objectName())
        qtbot.keyClick(dialog, key)

    # Enter (or a stray Space on the focused button) on the real dialog says No.
    QTimer.singleShot(50, lambda: press(Qt.Key.Key_Return))
    assert DialogPrompts().confirm_call_next(panel, "A009", 3) is False
    QTimer.singleShot(50, lambda: press(Qt.Key.Key_Escape))
    assert DialogPrompts().confirm_call_next(panel, "A009", 3) is False
    assert answers == ["confirmCallNext", "confirmCallNext"]


def test_the_confirm_dialog_yes(qtbot: QtBot, hall: QueueService) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from counter.call_panel import DialogPrompts

    panel = make_panel(qtbot, hall)

    def click_yes() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QMessageBox)
        yes = next(
            b for b in dialog.buttons() if dialog.buttonRole(b) is QMessageBox.ButtonRole.YesRole
        )
        yes.click()

    QTimer.singleShot(50, click_yes)
    assert DialogPrompts().confirm_call_next(panel, "A009", 3) is True
