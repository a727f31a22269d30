"""Counter login: scrypt-checked, locked after repeated failures, every attempt audited."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from common.db.models import AuditLog, Role
from common.qt.worker import TaskRunner
from common.queue.service import QueueService
from common.staff import StaffView, authenticate, create_staff
from counter.login_dialog import LoginDialog
from counter.session import record_logout


def make_dialog(qtbot: QtBot, hall: QueueService) -> LoginDialog:
    create_staff(hall.db, "w3", "赵丽", "window3", Role.WINDOW)
    create_staff(hall.db, "manager", "王经理", "manager123", Role.MANAGER)

    def check(username: str, password: str) -> StaffView:
        return authenticate(hall.db, username, password, station="pc-3")

    windows = [(w.number, w.name) for w in hall.settings.windows]
    dialog = LoginDialog(check, windows, TaskRunner(inline=True), preselect=3, station="pc-3")
    qtbot.addWidget(dialog)
    return dialog


def test_login_success_gives_a_session_at_the_chosen_window(qtbot: QtBot, hall: QueueService) -> None:
    dialog = make_dialog(qtbot, hall)
    assert not dialog.login_button.isEnabled()
    qtbot.keyClicks(dialog.username, "w3")
    qtbot.keyClicks(dialog.password, "window3")
    with qtbot.waitSignal(dialog.logged_in):
        dialog.login_button.click()
    assert dialog.session is not None
    assert dialog.session.window == 3 and dialog.session.staff.role is Role.WINDOW
    assert dialog.password.text() == ""
    record_logout(hall.db, dialog.session)
    with hall.db.read() as s:
        actions = [a.action for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions[-2:] == ["login", "logout"]


def test_manager_role(qtbot: QtBot, hall: QueueService) -> None:
    dialog = make_dialog(qtbot, hall)
    dialog.username.setText("manager")
    dialog.password.setText("manager123")
    dialog.try_login()
    assert dialog.session is not None and dialog.session.is_manager


def test_wrong_password_then_lock(qtbot: QtBot, hall: QueueService) -> None:
    dialog = make_dialog(qtbot, hall)
    for _ in range(4):
        dialog.username.setText("w3")
        dialog.password.setText("nope")
        dialog.try_login()
        assert dialog.message.text() == "用户名或密码错误"
    dialog.password.setText("nope")
    dialog.try_login()
    assert "锁定" in dialog.message.text()
    dialog.password.setText("window3")  # right password, but locked now
    dialog.try_login()
    assert dialog.session is None and "锁定" in dialog.message.text()
    with hall.db.read() as s:
        failures = s.scalars(select(AuditLog).where(AuditLog.action.in_(["login-failed", "login-locked"]))).all()
    assert len(failures) == 6
