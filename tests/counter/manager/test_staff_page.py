"""人员管理 in the manager's desk: staff added, a password reset (the login forces a change
before anything else), an account locked (login refused), allowed windows enforced."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from common.db.models import AuditLog, Role
from common.manager.staffing import StaffAdmin, change_password
from common.qt.worker import TaskRunner
from common.queue.service import QueueService
from common.staff import StaffView, authenticate, claim_window, create_staff
from counter.login_dialog import LoginDialog
from counter.manager.staff_view import StaffDialog, StaffPage, WindowsDialog
from counter.password_dialog import ChangePasswordDialog


@pytest.fixture
def page(qtbot: QtBot, any_hall: QueueService) -> StaffPage:
    create_staff(any_hall.db, "manager", "王经理", "manager123", Role.MANAGER)
    admin = StaffAdmin(any_hall.db, any_hall.clock, tz=any_hall.settings.hall.tz)
    p = StaffPage(admin, "manager", TaskRunner(inline=True))
    qtbot.addWidget(p)
    p.show()
    p.reload()
    return p


def login_dialog(qtbot: QtBot, hall: QueueService, window: int = 3) -> LoginDialog:
    def check(username: str, password: str) -> StaffView:
        return authenticate(hall.db, username, password, station="pc-3", clock=hall.clock)

    def claim(staff: StaffView, number: int, take_over: bool) -> None:
        claim_window(hall.db, staff, number, station="pc-3", take_over=take_over, clock=hall.clock)

    def change(staff: StaffView, old: str, new: str) -> None:
        change_password(hall.db, staff.id, old, new, station="pc-3", clock=hall.clock)

    windows = [(w.number, w.name) for w in hall.settings.windows]
    dialog = LoginDialog(
        check,
        windows,
        TaskRunner(inline=True),
        preselect=window,
        station="pc-3",
        claim=claim,
        change_password=change,
    )
    qtbot.addWidget(dialog)
    return dialog


def answer(fill: Callable[[QDialog], None]) -> None:
    """Fill and accept the next modal dialog as soon as it is open."""

    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(10, go)
            return
        fill(dialog)

    QTimer.singleShot(0, go)


def press_ok(dialog: QDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    ok.click()


def add_li(page: StaffPage, windows: tuple[int, ...] = (3,)) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, StaffDialog)
        dialog.username.setText("li.na")
        dialog.display_name.setText("李娜")
        dialog.password.setText("short")
        assert "8" in dialog.problem.text()  # the policy speaks before OK is possible
        dialog.password.setText("Temp2026a")
        dialog.repeat.setText("Temp2026a")
        for n in windows:
            dialog.boxes[n].setChecked(True)
        press_ok(dialog)

    answer(fill)
    page.add_button.click()


def state_of(page: StaffPage, username: str) -> str:
    (row,) = [r for r in page.model.rows() if r.username == username]
    return page.model.state(row)


def test_staff_added_then_forced_to_change_the_password(
    qtbot: QtBot, page: StaffPage, any_hall: QueueService
) -> None:
    add_li(page)
    assert page.message.text() == "已新增 li.na"
    assert state_of(page, "li.na") == "下次登录须改密码"
    texts = [
        str(page.model.index(r, c).data())
        for r in range(page.model.rowCount())
        for c in range(page.model.columnCount())
    ]
    assert not any("scrypt" in x for x in texts)  # never a hash on screen
    dialog = login_dialog(qtbot, any_hall)
    dialog.username.setText("li.na")
    dialog.password.setText("Temp2026a")
    seen: list[str] = []

    def fill(d: QDialog) -> None:
        assert isinstance(d, ChangePasswordDialog)
        seen.append(d.windowTitle())
        d.new.setText("Mine2026b")
        d.repeat.setText("Mine2026b")
        press_ok(d)

    answer(fill)
    dialog.try_login()
    assert seen == ["请修改密码"]  # before the counter opened
    assert dialog.session is not None and dialog.session.window == 3
    assert not dialog.session.staff.must_change_password
    authenticate(any_hall.db, "li.na", "Mine2026b", clock=any_hall.clock)
    page.reload()
    assert state_of(page, "li.na") == "正常"


def test_reset_password_refuses_the_login_until_changed(
    qtbot: QtBot, page: StaffPage, any_hall: QueueService
) -> None:
    add_li(page)
    change_password(any_hall.db, page.model.rows()[-1].id, "Temp2026a", "Mine2026b")
    page.reload()
    page.select("li.na")

    def fill(d: QDialog) -> None:
        assert isinstance(d, StaffDialog) and d.reset_for == "li.na"
        d.password.setText("Reset2026c")
        d.repeat.setText("Reset2026c")
        press_ok(d)

    answer(fill)
    page.reset_button.click()
    assert "已重置" in page.message.text()
    dialog = login_dialog(qtbot, any_hall)
    dialog.username.setText("li.na")
    dialog.password.setText("Reset2026c")
    answer(lambda d: d.reject())  # the user cancels the change: no counter
    dialog.try_login()
    assert dialog.session is None and "须设置新密码" in dialog.message.text()
    with any_hall.db.read() as s:
        actions = [a.action for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert "manager.staff-password-reset" in actions
    assert "window-claimed" not in actions  # nothing happened before the change


def test_locked_account_is_refused_at_the_login(
    qtbot: QtBot, page: StaffPage, any_hall: QueueService
) -> None:
    add_li(page)
    page.select("li.na")
    assert page.lock_button.text() == "停用"
    page.lock_button.click()
    assert state_of(page, "li.na") == "已停用"
    dialog = login_dialog(qtbot, any_hall)
    dialog.username.setText("li.na")
    dialog.password.setText("Temp2026a")
    dialog.try_login()
    assert dialog.session is None and "已停用" in dialog.message.text()
    page.select("li.na")
    assert page.lock_button.text() == "启用"
    page.lock_button.click()
    assert state_of(page, "li.na") == "下次登录须改密码"
    page.select("manager")
    assert not page.lock_button.isEnabled()  # not yourself


def test_allowed_windows_are_enforced_at_the_login(
    qtbot: QtBot, page: StaffPage, any_hall: QueueService
) -> None:
    add_li(page, windows=(2,))
    (row,) = [r for r in page.model.rows() if r.username == "li.na"]
    assert row.windows == (2,)
    change_password(any_hall.db, row.id, "Temp2026a", "Mine2026b")
    dialog = login_dialog(qtbot, any_hall, window=3)
    dialog.username.setText("li.na")
    dialog.password.setText("Mine2026b")
    dialog.try_login()
    assert dialog.session is None
    assert dialog.message.text() == "您未被安排在 3 号窗口，可登录的窗口：2"
    # The manager gives window 3 as well (the windows dialog), and the login goes through.
    page.select("li.na")

    def fill(d: QDialog) -> None:
        assert isinstance(d, WindowsDialog)
        d.boxes[3].setChecked(True)
        press_ok(d)

    answer(fill)
    page.windows_button.click()
    dialog.password.setText("Mine2026b")
    dialog.try_login()
    assert dialog.session is not None and dialog.session.window == 3
    # And the role: made a manager from the page.
    page.select("li.na")
    page.role_button.click()
    assert [r.role for r in page.model.rows() if r.username == "li.na"] == [Role.MANAGER]


def test_page_in_english(page: StaffPage) -> None:
    page.set_english(True)
    assert page.add_button.text() == "Add staff…"
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "User name"
    page.select("manager")
    assert page.model.state(page.model.rows()[0]) == "Active"
