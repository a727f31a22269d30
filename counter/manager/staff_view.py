"""人员管理: the manager's staff page — add, reset a password, lock / unlock, role, windows.

Only renders and asks; the rules and the audit are :class:`common.manager.staffing.StaffAdmin`'s,
run on the desk's worker (scrypt takes ~50 ms, a busy database longer). No password hash is
ever read into this page; a password typed here goes to the worker and is forgotten.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.db.models import Role
from common.manager.staffing import StaffAdmin, StaffError, StaffRow
from common.passwords import password_problem
from common.qt.table_model import RowTableModel
from common.qt.worker import TaskRunner
from counter.manager.table_view import row_table
from counter.manager.words import t

__all__ = ["StaffDialog", "StaffModel", "StaffPage", "WindowsDialog"]

_LOCKED = QColor("#b91c1c")
_ATTENTION = QColor("#b45309")


def role_text(role: Role, english: bool) -> str:
    return (
        t(english, "大厅管理员", "Hall manager")
        if role is Role.MANAGER
        else t(english, "窗口人员", "Window staff")
    )


def windows_text(windows: Sequence[int], english: bool) -> str:
    if not windows:
        return t(english, "全部窗口", "Any window")
    return "、".join(str(w) for w in windows) if not english else ", ".join(map(str, windows))


class StaffModel(RowTableModel[StaffRow]):
    """Accounts: user name, name, role, state (正常 / 已停用 / 须改密码 / 锁定至), windows."""

    class Columns(enum.IntEnum):
        USER = 0
        NAME = 1
        ROLE = 2
        STATE = 3
        WINDOWS = 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.english = False
        self.tz: Any = None

    def set_english(self, english: bool) -> None:
        self.english = english
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Columns) - 1)
        self._rows_changed()

    def show_rows(self, rows: Sequence[StaffRow]) -> None:
        self._update_rows(rows, key=lambda r: r.id)

    def header(self, column: enum.IntEnum) -> str | None:
        e = self.english
        return {
            self.Columns.USER: t(e, "用户名", "User name"),
            self.Columns.NAME: t(e, "姓名", "Name"),
            self.Columns.ROLE: t(e, "角色", "Role"),
            self.Columns.STATE: t(e, "状态", "State"),
            self.Columns.WINDOWS: t(e, "可用窗口", "Windows"),
        }[self.Columns(column)]

    def state(self, row: StaffRow) -> str:
        e = self.english
        if row.locked:
            return t(e, "已停用", "Locked")
        if row.locked_until is not None:
            until = row.locked_until.astimezone(self.tz).strftime("%H:%M")
            return t(e, f"输错锁定至 {until}", f"Locked out until {until}")
        if row.must_change_password:
            return t(e, "下次登录须改密码", "Must change password")
        return t(e, "正常", "Active")

    def cell(self, row: StaffRow, column: enum.IntEnum, role: int) -> Any:
        c, e = self.Columns(column), self.english
        if role == Qt.ItemDataRole.DisplayRole:
            if c is self.Columns.USER:
                return row.username
            if c is self.Columns.NAME:
                return row.display_name
            if c is self.Columns.ROLE:
                return role_text(row.role, e)
            if c is self.Columns.STATE:
                return self.state(row)
            return windows_text(row.windows, e)
        if role == Qt.ItemDataRole.ForegroundRole and c is self.Columns.STATE:
            if row.locked or row.locked_until is not None:
                return QBrush(_LOCKED)
            if row.must_change_password:
                return QBrush(_ATTENTION)
        return None


def _window_boxes(
    numbers: Sequence[int], chosen: Iterable[int], english: bool
) -> tuple[QGridLayout, dict[int, QCheckBox]]:
    grid = QGridLayout()
    boxes: dict[int, QCheckBox] = {}
    picked = set(chosen)
    for i, n in enumerate(numbers):
        box = QCheckBox(t(english, f"{n} 号", f"No. {n}"))
        box.setChecked(n in picked)
        boxes[n] = box
        grid.addWidget(box, i // 6, i % 6)
    return grid, boxes


def _ok_cancel(dialog: QDialog, english: bool) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t(english, "确定", "OK"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t(english, "取消", "Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class StaffDialog(QDialog):
    """新增人员 (``username`` None) or 重置密码 (only the password fields).

    OK stays disabled until the fields are filled, the two passwords match and the policy
    (:func:`common.passwords.password_problem`) has nothing to say; its words show under them.
    """

    def __init__(
        self,
        windows: Sequence[int],
        parent: QWidget | None = None,
        *,
        username: str | None = None,
        english: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self.setMinimumWidth(440)
        e = self.english = english
        self.reset_for = username
        self.username = QLineEdit(username or "")
        self.username.setMaxLength(32)
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(32)
        self.role = QComboBox()
        for role in (Role.WINDOW, Role.MANAGER):
            self.role.addItem(role_text(role, e), role)
        self.password = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self._check)
        self.username.textChanged.connect(self._check)
        self.display_name.textChanged.connect(self._check)
        self.problem = QLabel()
        self.problem.setObjectName("staffProblem")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        if username is None:
            self.setWindowTitle(t(e, "新增人员", "Add staff"))
            form.addRow(t(e, "用户名", "User name"), self.username)
            form.addRow(t(e, "姓名", "Name"), self.display_name)
            form.addRow(t(e, "角色", "Role"), self.role)
        else:
            self.setWindowTitle(
                t(e, f"重置 {username} 的密码", f"Reset the password of {username}")
            )
        form.addRow(t(e, "临时密码", "Temporary password"), self.password)
        form.addRow(t(e, "再输一次", "Repeat"), self.repeat)
        note = QLabel(
            t(
                e,
                "首次登录时须改成自己的密码。至少 8 位，含字母和数字。",
                "The user chooses their own at the next login. 8+ characters, letters and digits.",
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.boxes: dict[int, QCheckBox] = {}
        if username is None:
            title = QLabel(t(e, "可用窗口（都不选 = 全部窗口）", "Windows (none ticked: any)"))
            grid, self.boxes = _window_boxes(windows, (), e)
            layout.addWidget(title)
            layout.addLayout(grid)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        self.buttons = _ok_cancel(self, e)
        layout.addWidget(self.buttons)
        self._check()

    def chosen_windows(self) -> list[int]:
        return [n for n, box in self.boxes.items() if box.isChecked()]

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())

    def _check(self) -> None:
        e = self.english
        user = self.reset_for or self.username.text().strip().lower()
        pw, again = self.password.text(), self.repeat.text()
        problem = ""
        if pw:
            found = password_problem(pw, user)
            if found is not None:
                problem = found[1] if e else found[0]
            elif again and again != pw:
                problem = t(e, "两次输入的密码不一致", "The two passwords differ")
        self.problem.setText(problem)
        filled = bool(user and pw and again == pw)
        if self.reset_for is None:
            filled = filled and bool(self.display_name.text().strip())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(filled and not problem)


class WindowsDialog(QDialog):
    """Which windows a person may sit at (none ticked: any window)."""

    def __init__(
        self,
        username: str,
        windows: Sequence[int],
        chosen: Iterable[int],
        parent: QWidget | None = None,
        *,
        english: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("windowsDialog")
        e = english
        self.setWindowTitle(t(e, f"{username} 的可用窗口", f"Windows of {username}"))
        grid, self.boxes = _window_boxes(windows, chosen, e)
        note = QLabel(t(e, "都不选 = 全部窗口", "None ticked: any window"))
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addWidget(_ok_cancel(self, e))

    def chosen_windows(self) -> list[int]:
        return [n for n, box in self.boxes.items() if box.isChecked()]


class StaffPage(QWidget):
    """The staff table and its actions; ``changed`` after each change is stored and re-read."""

    changed = Signal()
    loaded = Signal()

    def __init__(
        self,
        admin: StaffAdmin,
        actor: str,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        english: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffPage")
        self.admin, self.actor, self._runner = admin, actor, runner
        self.english = english
        self.windows: list[int] = []
        self.model = StaffModel(self)
        self.model.tz = admin.tz
        self.table = row_table(self.model, StaffModel.Columns.WINDOWS)
        self.table.setObjectName("staffTable")
        self.add_button = QPushButton()
        self.reset_button = QPushButton()
        self.lock_button = QPushButton()
        self.role_button = QPushButton()
        self.windows_button = QPushButton()
        self.message = QLabel()
        self.message.setObjectName("staffMessage")
        bar = QHBoxLayout()
        for button in (
            self.add_button,
            self.reset_button,
            self.lock_button,
            self.role_button,
            self.windows_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.ask_add)
        self.reset_button.clicked.connect(self.ask_reset)
        self.lock_button.clicked.connect(self.toggle_lock)
        self.role_button.clicked.connect(self.toggle_role)
        self.windows_button.clicked.connect(self.ask_windows)
        self.table.selectionModel().selectionChanged.connect(self._selection)
        self.model.modelReset.connect(self._selection)
        self.model.dataChanged.connect(self._selection)
        self.set_english(english)

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        admin = self.admin

        def read() -> tuple[list[StaffRow], list[int]]:
            return admin.list_staff(), admin.window_numbers()

        def done(result: tuple[list[StaffRow], list[int]]) -> None:
            if shiboken6.isValid(self):
                rows, self.windows = result
                self.model.show_rows(rows)
                self._selection()
                self.loaded.emit()

        self._runner.submit(read, done, self._failed)

    def set_english(self, english: bool) -> None:
        self.english = e = english
        self.model.set_english(e)
        self.add_button.setText(t(e, "新增人员…", "Add staff…"))
        self.reset_button.setText(t(e, "重置密码…", "Reset password…"))
        self.windows_button.setText(t(e, "可用窗口…", "Windows…"))
        self._selection()

    def selected(self) -> StaffRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.rows()[rows[0].row()]

    def select(self, username: str) -> None:
        for i, row in enumerate(self.model.rows()):
            if row.username == username:
                self.table.selectRow(i)
                return

    def _selection(self, *_args: object) -> None:
        row, e = self.selected(), self.english
        for button in (self.reset_button, self.lock_button, self.role_button, self.windows_button):
            button.setEnabled(row is not None)
        locked = row is not None and row.locked
        self.lock_button.setText(t(e, "启用", "Unlock") if locked else t(e, "停用", "Lock"))
        manager = row is not None and row.role is Role.MANAGER
        self.role_button.setText(
            t(e, "设为窗口人员", "Make window staff")
            if manager
            else t(e, "设为管理员", "Make manager")
        )
        # Not yourself: a hall is never left without a manager who can open this page.
        mine = row is not None and row.username == self.actor
        self.lock_button.setEnabled(row is not None and not mine)
        self.role_button.setEnabled(row is not None and not mine)

    # ------------------------------------------------------------------ changes

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if isinstance(exc, StaffError):
            text = exc.text(self.english)
        else:
            text = t(self.english, "数据库暂时无法访问", "Database unreachable")
        self.message.setText(t(self.english, f"未完成：{text}", f"Not done: {text}"))

    def _change(self, what: Callable[[], object], done_text: str) -> None:
        def done(_r: object) -> None:
            if shiboken6.isValid(self):
                self.message.setText(done_text)
                self.reload()
                self.changed.emit()

        self._runner.submit(what, done, self._failed)

    def add_dialog(self) -> StaffDialog:
        """The dialog :meth:`ask_add` shows (a test replaces this to answer it)."""
        return StaffDialog(self.windows, self, english=self.english)

    def reset_dialog(self, username: str) -> StaffDialog:
        return StaffDialog(self.windows, self, username=username, english=self.english)

    def windows_dialog(self, row: StaffRow) -> WindowsDialog:
        return WindowsDialog(row.username, self.windows, row.windows, self, english=self.english)

    def ask_add(self) -> None:
        dialog = self.add_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        username = dialog.username.text().strip().lower()
        name, password = dialog.display_name.text(), dialog.password.text()
        role, windows, actor = dialog.chosen_role(), dialog.chosen_windows(), self.actor
        dialog.password.clear()
        dialog.repeat.clear()
        self._change(
            lambda: self.admin.add_staff(
                username, name, password, role=role, windows=windows, actor=actor
            ),
            t(self.english, f"已新增 {username}", f"{username} added"),
        )

    def ask_reset(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = self.reset_dialog(row.username)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        password, actor, username = dialog.password.text(), self.actor, row.username
        dialog.password.clear()
        dialog.repeat.clear()
        self._change(
            lambda: self.admin.reset_password(username, password, actor=actor),
            t(
                self.english,
                f"{username} 的密码已重置，下次登录须修改",
                f"Password of {username} reset; it must be changed at the next login",
            ),
        )

    def toggle_lock(self) -> None:
        row = self.selected()
        if row is None:
            return
        lock, username, actor = not row.locked, row.username, self.actor
        self._change(
            lambda: self.admin.set_locked(username, lock, actor=actor),
            t(self.english, f"{username} 已停用", f"{username} locked")
            if lock
            else t(self.english, f"{username} 已启用", f"{username} unlocked"),
        )

    def toggle_role(self) -> None:
        row = self.selected()
        if row is None:
            return
        role = Role.WINDOW if row.role is Role.MANAGER else Role.MANAGER
        username, actor = row.username, self.actor
        self._change(
            lambda: self.admin.set_role(username, role, actor=actor),
            t(
                self.english,
                f"{username}：{role_text(role, False)}",
                f"{username}: {role_text(role, True)}",
            ),
        )

    def ask_windows(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = self.windows_dialog(row)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        windows, username, actor = dialog.chosen_windows(), row.username, self.actor
        self._change(
            lambda: self.admin.set_windows(username, windows, actor=actor),
            t(self.english, f"{username} 的可用窗口已更新", f"Windows of {username} updated"),
        )
