"""Counter login: scrypt-checked, locked after repeated failures, every attempt audited."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from common.db.models import AuditLog, Role
from common.qt.i18n import Translations
from common.qt.worker import TaskRunner
from common.queue.service import QueueService
from common.staff import StaffView, authenticate, claim_window, create_staff, window_holder
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


def test_login_success_gives_a_session_at_the_chosen_window(
    qtbot: QtBot, hall: QueueService
) -> None:
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
        failures = s.scalars(
            select(AuditLog).where(AuditLog.action.in_(["login-failed", "login-locked"]))
        ).all()
    assert len(failures) == 6


# --------------------------------------------------------------------------- one counter per window


def claim_dialog(
    qtbot: QtBot, hall: QueueService, station: str, answers: list[bool] | None = None
) -> tuple[LoginDialog, list[str]]:
    asked: list[str] = []

    def check(username: str, password: str) -> StaffView:
        return authenticate(hall.db, username, password, station=station)

    def claim(staff: StaffView, window: int, take_over: bool) -> None:
        claim_window(hall.db, staff, window, station=station, take_over=take_over)

    def confirm(_parent: object, text: str) -> bool:
        asked.append(text)
        return (answers or [False]).pop(0)

    windows = [(w.number, w.name) for w in hall.settings.windows]
    dialog = LoginDialog(
        check,
        windows,
        TaskRunner(inline=True),
        preselect=1,
        station=station,
        claim=claim,
        confirm=confirm,
    )
    qtbot.addWidget(dialog)
    return dialog, asked


def log_in(dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.try_login()


def test_a_window_held_by_another_counter_is_refused_saying_who(
    qtbot: QtBot, hall: QueueService
) -> None:
    create_staff(hall.db, "w1", "李晓梅", "window1", Role.WINDOW)
    create_staff(hall.db, "w3", "赵丽", "window3", Role.WINDOW)
    first, _ = claim_dialog(qtbot, hall, "pc-1")
    log_in(first, "w1", "window1")
    assert first.session is not None and first.session.window == 1
    second, asked = claim_dialog(qtbot, hall, "pc-3")
    log_in(second, "w3", "window3")
    assert second.session is None
    assert asked == []  # a window clerk is not offered a take-over
    text = second.message.text()
    assert "李晓梅" in text and "w1" in text and "pc-1" in text
    assert second.password.text() == ""
    holder = window_holder(hall.db, 1)
    assert holder is not None and holder.username == "w1"
    second.window_box.setCurrentIndex(second.window_box.findData(2))
    log_in(second, "w3", "window3")  # another window is free
    assert second.session is not None and second.session.window == 2


def test_a_manager_takes_a_window_over_only_after_confirming(
    qtbot: QtBot, hall: QueueService
) -> None:
    create_staff(hall.db, "w1", "李晓梅", "window1", Role.WINDOW)
    create_staff(hall.db, "boss", "王经理", "manager123", Role.MANAGER)
    first, _ = claim_dialog(qtbot, hall, "pc-1")
    log_in(first, "w1", "window1")
    boss, asked = claim_dialog(qtbot, hall, "pc-9", answers=[False, True])
    log_in(boss, "boss", "manager123")
    assert boss.session is None and len(asked) == 1 and "李晓梅" in asked[0]
    log_in(boss, "boss", "manager123")
    assert boss.session is not None and boss.session.window == 1
    holder = window_holder(hall.db, 1)
    assert holder is not None and holder.username == "boss"
    with hall.db.read() as s:
        actions = [
            a
            for a in s.scalars(select(AuditLog.action).order_by(AuditLog.id))
            if a.startswith("window-")
        ]
    assert actions == [
        "window-claimed",
        "window-claim-refused",
        "window-claim-refused",
        "window-taken-over",
    ]


def test_a_window_without_a_name_is_named_in_the_ui_language(
    qtbot: QtBot, hall: QueueService
) -> None:
    dialog = LoginDialog(
        lambda u, p: StaffView(1, u, u, Role.WINDOW),
        [(7, ""), (8, "综合窗口")],
        TaskRunner(inline=True),
    )
    qtbot.addWidget(dialog)
    assert [dialog.window_box.itemText(i) for i in range(2)] == ["Window 7", "综合窗口"]
    assert [dialog.window_box.itemData(i) for i in range(2)] == [7, 8]


def test_a_window_without_a_name_in_chinese(qtbot: QtBot, qapp: QApplication) -> None:
    translations = Translations(qapp, ("counter",))
    translations.set_language("zh_CN")
    try:
        dialog = LoginDialog(
            lambda u, p: StaffView(1, u, u, Role.WINDOW), [(7, "")], TaskRunner(inline=True)
        )
        qtbot.addWidget(dialog)
        assert dialog.window_box.itemText(0) == "7号窗口"
    finally:
        translations.set_language("en")
