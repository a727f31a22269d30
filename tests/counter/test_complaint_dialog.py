"""The 办不成事 dialog: refuses bad input with clear messages, marks the fields, loses nothing
typed (not on a refusal, not when the database is away), picks a catalog matter by pinyin, and
is opened by F11 at any counter."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from common.db.engine import DatabaseUnavailable
from common.db.models import Role
from common.manager.followup import ComplaintDraft, ComplaintSource, FollowupItem
from common.qt.worker import TaskRunner
from common.queue.service import QueueService
from common.staff import StaffView
from counter.complaint_dialog import ComplaintDialog
from counter.main_window import CounterWindow
from counter.session import CounterSession

CLERK = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)
MATTERS = [("350102-BDC-017", "二手房转移登记"), ("350102-BDC-020", "二手房抵押登记")]


def ime(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method commits it (QTest.keyClicks takes Latin-1 only)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


class Recorder:
    """Stands in for FollowupService.record_complaint; fails while ``down``."""

    def __init__(self) -> None:
        self.saved: list[ComplaintDraft] = []
        self.down = False

    def __call__(self, draft: ComplaintDraft) -> FollowupItem:
        if self.down:
            raise DatabaseUnavailable("the database is not reachable")
        self.saved.append(draft)
        return object()  # type: ignore[return-value]


def search(text: str) -> Sequence[tuple[str, str]]:
    return MATTERS if text.lower().startswith("esf") else []


def make(qtbot: QtBot, recorder: Recorder, english: bool = False) -> ComplaintDialog:
    dialog = ComplaintDialog(recorder, TaskRunner(inline=True), english=english, search=search)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # shortcuts (Ctrl+Enter) need the active window
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    return dialog


def test_an_empty_report_is_refused_with_every_problem_and_the_first_field_focused(
    qtbot: QtBot,
) -> None:
    recorder = Recorder()
    dialog = make(qtbot, recorder)
    dialog.source.setCurrentIndex(list(ComplaintSource).index(ComplaintSource.HOTLINE))
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert recorder.saved == [] and dialog.isVisible()
    assert dialog.problems.text().splitlines() == [
        "• 12345来件请填写工单号",
        "• 请选择或填写所办事项",
        "• 请写明办不成的原因（卡在哪里）",
        "• 请填写联系电话，以便回访",
    ]
    for key in ("work_order", "matter", "blocked", "phone"):
        assert dialog.field(key).property("invalid") is True
    assert not dialog.field("name").property("invalid")
    assert dialog.work_order.hasFocus()
    # Typing into a marked field takes its mark away.
    qtbot.keyClicks(dialog.work_order, "GD-1")
    assert dialog.work_order.property("invalid") is False


def test_nothing_typed_is_lost_on_a_refusal_or_a_database_outage(qtbot: QtBot) -> None:
    recorder = Recorder()
    dialog = make(qtbot, recorder, english=True)
    ime(dialog.matter, "社保卡补办")
    ime(dialog.blocked, "系统显示卡已挂失，无法补办")
    qtbot.keyClicks(dialog.phone, "1390691552")  # one digit short
    ime(dialog.name, "陈小明")
    dialog.save_button.click()
    assert dialog.problems.text() == (
        "• a phone is an 11-digit mobile number or an area code and a fixed-line number"
    )
    assert dialog.phone.hasFocus()
    qtbot.keyClicks(dialog.phone, "7")
    recorder.down = True
    dialog.save_button.click()
    assert "everything typed is kept" in dialog.problems.text()
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert (dialog.matter.text(), dialog.blocked.toPlainText()) == (
        "社保卡补办",
        "系统显示卡已挂失，无法补办",
    )
    assert (dialog.phone.text(), dialog.name.text()) == ("13906915527", "陈小明")
    recorder.down = False
    with qtbot.waitSignal(dialog.saved, timeout=2000):
        dialog.save_button.click()
    (saved,) = recorder.saved
    assert (saved.source, saved.matter_name, saved.matter_code) == (
        ComplaintSource.WINDOW,
        "社保卡补办",
        "",
    )
    assert (saved.phone, saved.name, saved.work_order) == ("13906915527", "陈小明", "")


def test_a_catalog_matter_is_picked_by_pinyin_and_a_work_order_only_for_12345(
    qtbot: QtBot,
) -> None:
    recorder = Recorder()
    dialog = make(qtbot, recorder)
    assert not dialog.work_order.isEnabled()  # 窗口: no work order
    qtbot.keyClicks(dialog.matter, "esf")
    shown = dialog._matters.stringList()
    assert shown[0] == "二手房转移登记  ·  350102-BDC-017"
    dialog.completer.activated.emit(shown[0])
    assert dialog.matter.text() == "二手房转移登记"
    assert "350102-BDC-017" in dialog.matter_code.text()
    dialog.source.setCurrentIndex(list(ComplaintSource).index(ComplaintSource.HOTLINE))
    assert dialog.work_order.isEnabled()
    qtbot.keyClicks(dialog.work_order, "gd-0001")
    ime(dialog.blocked, "要求提供的完税证明系统已共享，窗口仍要纸质件")
    qtbot.keyClicks(dialog.phone, "0591-87654321")
    with qtbot.waitSignal(dialog.saved, timeout=2000):
        dialog.submit()
    (saved,) = recorder.saved
    assert (saved.matter_code, saved.matter_name) == ("350102-BDC-017", "二手房转移登记")
    assert saved.work_order == "gd-0001" and saved.source is ComplaintSource.HOTLINE
    assert not dialog.isVisible()


def test_cancel_with_text_asks_first(qtbot: QtBot) -> None:
    dialog = make(qtbot, Recorder())
    asked: list[bool] = []

    def answer(discard: bool) -> bool:
        asked.append(discard)
        return discard

    dialog.confirm_discard = lambda: answer(False)  # type: ignore[method-assign]
    ime(dialog.blocked, "排队两小时没办成")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [False] and dialog.isVisible()
    assert dialog.blocked.toPlainText() == "排队两小时没办成"
    dialog.confirm_discard = lambda: answer(True)  # type: ignore[method-assign]
    dialog.cancel_button.click()
    assert asked == [False, True] and not dialog.isVisible()


def test_f11_opens_the_dialog_at_a_window_clerks_counter(qtbot: QtBot, hall: QueueService) -> None:
    window = CounterWindow(hall, CounterSession(CLERK, 2), TaskRunner(inline=True))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    dialog = window.complaint_dialog
    assert dialog is not None and dialog.isVisible()
    assert window.open_complaint_dialog() is dialog  # F11 again: the same report, not a second
    window.set_english(True)
    assert window.complaint_button.text() == "Could not get done (F11)"
