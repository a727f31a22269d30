"""改密码: after the hall manager reset it (or on a new account), before anything else.

The login dialog shows this when :attr:`StaffView.must_change_password` is set; the counter is
not opened until a new password is stored (:func:`common.manager.staffing.change_password`,
run on the worker: scrypt takes ~50 ms). Cancelling leaves the user at the login.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from common.manager.staffing import StaffError
from common.passwords import password_problem
from common.qt.worker import TaskRunner
from counter.intake.words import t

__all__ = ["ChangePasswordDialog"]


class ChangePasswordDialog(QDialog):
    """Two fields for the new password; OK only when they match and the policy agrees.

    ``change(new)`` stores it (raises :class:`StaffError` with words for the user).
    """

    def __init__(
        self,
        username: str,
        change: Callable[[str], None],
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        english: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.setMinimumWidth(420)
        self._username, self._change, self._runner = username, change, runner
        e = self.english = english
        self.setWindowTitle(t(e, "请修改密码", "Choose a new password"))
        intro = QLabel(
            t(
                e,
                f"{username}：您的密码已由大厅管理员重置，请先设置自己的新密码。",
                f"{username}: the hall manager reset your password; choose your own first.",
            )
        )
        intro.setWordWrap(True)
        self.new = QLineEdit()
        self.new.setObjectName("newPassword")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("repeatPassword")
        for field in (self.new, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self._check)
        form = QFormLayout()
        form.addRow(t(e, "新密码", "New password"), self.new)
        form.addRow(t(e, "再输一次", "Repeat"), self.repeat)
        self.problem = QLabel(t(e, "至少 8 位，含字母和数字", "8+ characters, letters and digits"))
        self.problem.setObjectName("passwordProblem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(t(e, "确定", "OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t(e, "取消", "Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        e, new, again = self.english, self.new.text(), self.repeat.text()
        problem = password_problem(new, self._username) if new else None
        if problem is not None:
            self.problem.setText(problem[1] if e else problem[0])
        elif again and again != new:
            self.problem.setText(t(e, "两次输入的密码不一致", "The two passwords differ"))
        else:
            self.problem.setText("")
        self.ok.setEnabled(bool(new) and new == again and problem is None)

    def submit(self) -> None:
        if not self.ok.isEnabled():
            return
        new = self.new.text()
        self.ok.setEnabled(False)
        self._runner.submit(lambda: self._change(new), lambda _r: self.accept(), self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, StaffError):
            self.problem.setText(exc.text(self.english))
        else:
            self.problem.setText(t(self.english, "数据库暂时无法访问", "Database unreachable"))
        self._check()
