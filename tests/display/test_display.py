"""The hall display follows the queue: calls shown and announced once, in order, one at a time."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from common.config import Settings
from common.db.models import Role
from common.qt.queue_events import QueueEventBridge
from common.qt.theme import apply_theme
from common.qt.voice import Announcer, FakeSpeaker, announcement_text, spoken_form
from common.qt.worker import TaskRunner
from common.queue.events import QueueEventRecord
from common.queue.service import QueueService
from common.staff import StaffView
from counter.call_panel import CallPanel
from counter.session import CounterSession
from kiosk.display.board import DisplayBoard, columns_for
from kiosk.display.models import RecentCallsModel, WaitingModel
from kiosk.display.window import DisplayWindow
from tests.conftest import make_settings


class Rig:
    """A display (inline runner, fake speaker) on the hall, and counters for its windows."""

    def __init__(
        self,
        qtbot: QtBot,
        queue: QueueService,
        settings: Settings | None = None,
        finish_ms: int = 0,
    ) -> None:
        self.qtbot, self.queue = qtbot, queue
        self.speaker = FakeSpeaker(auto_finish_ms=finish_ms)
        self.announcer = Announcer(self.speaker, repeat=1, gap_ms=1)
        self.started: list[str] = []
        self.announcer.started.connect(self.started.append)
        self.window = DisplayWindow(
            settings or queue.settings, queue, TaskRunner(inline=True), announcer=self.announcer
        )
        qtbot.addWidget(self.window)
        self.window.resize(1920, 1080)
        self.bridge = QueueEventBridge(queue, self.window)
        self.bridge.events.connect(self.window.on_queue_events)
        self.window.ready.connect(lambda last: setattr(self.bridge.follower, "last_id", last))
        self.window.start()
        self.panels: dict[int, CallPanel] = {}

    def counter(self, window: int) -> CallPanel:
        if window not in self.panels:
            staff = StaffView(id=window, username=f"w{window}", display_name="x", role=Role.WINDOW)
            panel = CallPanel(self.queue, CounterSession(staff, window), TaskRunner(inline=True))
            self.qtbot.addWidget(panel)
            panel.refresh()
            self.panels[window] = panel
        return self.panels[window]

    def sync(self) -> None:
        self.bridge.poll_now()
        self.window.refresh_counts()


def said(number: str, window: int) -> str:
    return spoken_form(announcement_text(number, window))


def test_call_at_counter_appears_and_is_announced_once(qtbot: QtBot, hall: QueueService) -> None:
    rig = Rig(qtbot, hall)
    hall.issue("A")
    panel = rig.counter(3)
    panel.refresh()
    with qtbot.waitSignal(rig.window.call_shown, timeout=2000):
        panel.call_next()
        rig.sync()
    assert rig.window.call_number.text() == "A001"
    assert "3" in rig.window.call_window.text()
    assert rig.window.flashing
    qtbot.waitUntil(lambda: not rig.announcer.busy, timeout=2000)
    assert rig.speaker.spoken == [said("A001", 3)]
    assert rig.started == ["请A001号到3号窗口办理"]
    rig.sync()  # polling again must not announce it again
    qtbot.wait(20)
    assert rig.speaker.spoken == [said("A001", 3)]
    assert [e.number for e in rig.window.columns[0].model.entries()] == ["A001"]


def test_recall_is_announced_again(qtbot: QtBot, hall: QueueService) -> None:
    rig = Rig(qtbot, hall)
    hall.issue("A")
    panel = rig.counter(2)
    panel.refresh()
    panel.call_next()
    rig.sync()
    panel.recall()
    rig.sync()
    qtbot.waitUntil(lambda: len(rig.speaker.spoken) == 2 and not rig.announcer.busy, timeout=2000)
    assert rig.speaker.spoken == [said("A001", 2)] * 2
    assert rig.window.columns[0].model.rowCount() == 1  # a recall moves the number up, not twice


def test_burst_of_twenty_calls_is_announced_in_order_without_overlap(
    qtbot: QtBot, hall: QueueService
) -> None:
    rig = Rig(qtbot, hall, finish_ms=3)
    for _ in range(20):
        hall.issue("A")
    expected: list[str] = []
    for i in range(20):
        window = i % 8 + 1
        ticket = hall.call_next(window, actor=f"w{window}")
        assert ticket is not None
        expected.append(said(ticket.number, window))
        if i % 3 == 0:
            rig.sync()  # batches of different sizes reach the display
    rig.sync()
    qtbot.waitUntil(lambda: len(rig.speaker.spoken) == 20 and not rig.announcer.busy, timeout=10000)
    assert rig.speaker.spoken == expected
    assert rig.speaker.overlaps == 0
    assert rig.announcer.dropped == 0


def test_transfer_skip_and_pause_update_the_counts(qtbot: QtBot, hall: QueueService) -> None:
    rig = Rig(qtbot, hall)
    hall.issue("A")
    hall.issue("A")
    rig.sync()
    counts = {s.prefix: s.waiting for s in rig.window.waiting_model.statuses()}
    assert counts["A"] == 2
    hall.call_next(1)
    hall.transfer(1, "D")
    rig.sync()
    counts = {s.prefix: s.waiting for s in rig.window.waiting_model.statuses()}
    assert counts["A"] == 1 and counts["D"] == 1
    hall.pause(2, "会议")
    rig.sync()
    assert rig.window.board.paused == {2: "会议"}


def test_connection_loss_keeps_the_board_and_shows_a_discreet_indicator(
    qtbot: QtBot, hall: QueueService
) -> None:
    rig = Rig(qtbot, hall)
    hall.issue("A")
    hall.call_next(1)
    rig.sync()
    rig.window.show()
    assert not rig.window.offline.isVisible()
    rig.window.on_connection(False, "server closed the connection")
    assert rig.window.offline.isVisible()
    assert rig.window.call_number.text() == "A001"
    rig.window.on_connection(True, "")
    assert not rig.window.offline.isVisible()


def test_start_up_shows_todays_calls_without_announcing(qtbot: QtBot, hall: QueueService) -> None:
    for _ in range(3):
        hall.issue("A")
    hall.call_next(1)
    hall.call_next(2)
    rig = Rig(qtbot, hall)
    assert rig.window.call_number.text() == "A002"
    assert rig.speaker.spoken == []
    hall.call_next(3)
    rig.sync()
    qtbot.waitUntil(lambda: rig.speaker.spoken == [said("A003", 3)], timeout=2000)


def test_board_is_bounded_and_resets_on_a_new_day() -> None:
    board = DisplayBoard(keep=40)
    day = dt.date(2026, 11, 23)
    at = dt.datetime(2026, 11, 23, 1, tzinfo=dt.UTC)
    events = [
        QueueEventRecord(i, at, day, "called", f"A{i:03d}", "A", i % 8 + 1) for i in range(1, 10001)
    ]
    change = board.apply(events)
    assert len(change.calls) == 10000 and len(board.calls) == 40
    assert board.apply(events[-5:]).calls == []  # re-delivered: not shown or announced twice
    nxt = QueueEventRecord(10001, at, day + dt.timedelta(days=1), "called", "A001", "A", 1)
    change = board.apply([nxt])
    assert change.new_day and len(board.calls) == 1


def test_models(qtbot: QtBot, qtmodeltester: ModelTester, hall: QueueService) -> None:
    calls = RecentCallsModel(3)
    at = dt.datetime(2026, 11, 23, 1, tzinfo=dt.UTC)
    from kiosk.display.board import CallEntry

    for i in range(6):
        calls.add(CallEntry(i, f"A{i:03d}", 1, "A", False, at))
    calls.add(CallEntry(9, "A004", 1, "A", True, at))
    qtmodeltester.check(calls)
    assert [e.number for e in calls.entries()] == ["A004", "A005", "A003"]
    waiting = WaitingModel()
    hall.issue("B")
    waiting.set_statuses(hall.service_statuses())
    qtmodeltester.check(waiting)
    assert waiting.waiting_for(frozenset({"B"})) == 1


def test_window_columns_layout() -> None:
    settings = make_settings(
        display={"layout": "windows", "columns": [{"title": "一区", "windows": [1, 2]}]}
    )
    [spec] = columns_for(settings)
    assert spec.windows == {1, 2} and "A" in spec.services
    default = columns_for(make_settings(display={"layout": "windows"}))
    assert [c.title for c in default] == ["1–4号窗口", "5–8号窗口"]


def test_layouts_at_the_three_resolutions(qtbot: QtBot, hall: QueueService) -> None:
    rig = Rig(qtbot, hall)
    for w, h in ((1920, 1080), (3840, 2160), (1080, 1920)):
        rig.window.resize(w, h)
        rig.window.show()
        qtbot.waitUntil(lambda: (rig.window.width(), rig.window.height()) == (w, h), timeout=2000)  # noqa: B023
        assert rig.window.call_number.font().pixelSize() == round(180 * min(w, h) / 1080)


def test_call_number_keeps_its_size_through_a_call_and_the_flash(
    qtbot: QtBot, qapp: QApplication, hall: QueueService
) -> None:
    """Under the display's style sheet a flash re-polishes the call labels; that used to put back
    the default ~12 px font the first time a call arrived, and it stayed tiny afterwards."""
    apply_theme(qapp, "display")
    try:
        settings = make_settings(display={"flash_seconds": 0.5})
        rig = Rig(qtbot, hall, settings)
        rig.window.show()
        qtbot.waitUntil(lambda: rig.window.width() == 1920, timeout=2000)
        labels = (rig.window.call_caption, rig.window.call_number, rig.window.call_window)
        before = [label.font().pixelSize() for label in labels]
        assert before[1] == 180
        hall.issue("A")
        panel = rig.counter(1)
        with qtbot.waitSignal(rig.window.call_shown, timeout=2000):
            panel.call_next()
            rig.sync()
        assert rig.window.flashing
        assert [label.font().pixelSize() for label in labels] == before
        qtbot.waitUntil(lambda: not rig.window.flashing, timeout=3000)
        assert rig.window.call_frame.property("flash") == "off"
        assert [label.font().pixelSize() for label in labels] == before
        assert rig.window.call_number.text() == "A001"
    finally:
        qapp.setStyleSheet("")


def test_every_service_fits_and_no_estimate_is_elided_on_a_small_screen(
    qtbot: QtBot, hall: QueueService
) -> None:
    """1280×720, and shorter (a window with a title bar): the last service is not cut at the
    bottom, and an estimate that grows after start-up ("—" → "42 分钟") is not elided."""
    rig = Rig(qtbot, hall)
    view = rig.window.waiting_view
    for height in (720, 660, 600):
        rig.window.resize(1280, height)
        rig.window.show()
        qtbot.waitUntil(lambda: rig.window.height() == height, timeout=2000)  # noqa: B023
        for _ in range(14):
            hall.issue("D")
        rig.sync()
        qtbot.wait(10)
        rows = view.model().rowCount()
        assert rows == len(hall.settings.services)
        assert view.verticalHeader().length() <= view.viewport().height()
        metrics = view.fontMetrics()
        header = view.horizontalHeader()
        for row in range(rows):
            for column in (1, 2):
                text = view.model().index(row, column).data()
                assert metrics.horizontalAdvance(text) < header.sectionSize(column), (height, text)
