"""Counter login: staff name, password and the window this PC serves (窗口登录)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.db.engine import DatabaseUnavailable
from common.qt.i18n import fill
from common.qt.worker import TaskRunner
from common.staff import LoginFailed, StaffView, WindowTaken
from counter.intake.words import t
from counter.password_dialog import ChangePasswordDialog
from counter.session import CounterSession

__all__ = ["LoginDialog"]

Authenticate = Callable[[str, str], StaffView]
# claim(staff, window, take_over): common.staff.claim_window bound to the hall and this station;
# raises WindowTaken while another counter holds the window.
Claim = Callable[[StaffView, int, bool], None]
Confirm = Callable[[QWidget, str], bool]
# change(staff, old, new): common.manager.staffing.change_password bound to the hall.
ChangePassword = Callable[[StaffView, str, str], None]


def _ask(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        parent.windowTitle(),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class LoginDialog(QDialog):
    """Checks the password off the GUI thread (scrypt takes ~50 ms, a locked DB longer).

    ``authenticate(username, password)`` is :func:`common.staff.authenticate` bound to the hall
    database and this station; it audits every attempt and locks after repeated failures. On
    success ``session`` holds the :class:`CounterSession` and the dialog is accepted.

    With ``claim``, the window is claimed after the password is accepted (one counter per
    window); when someone else holds it the dialog says who, and a manager or the same user is
    asked (``confirm``) whether to take it over.
    """

    logged_in = Signal(object)  # CounterSession

    def __init__(
        self,
        authenticate: Authenticate,
        windows: Sequence[tuple[int, str]],
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        hall_name: str = "",
        preselect: int | None = None,
        station: str = "",
        english: bool = False,
        claim: Claim | None = None,
        confirm: Confirm = _ask,
        notice: str = "",
        change_password: ChangePassword | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self._authenticate = authenticate
        self._claim = claim
        self._confirm = confirm
        self._change_password = change_password
        self._typed = ""  # the password just accepted, until a forced change has used it
        self._windows = list(windows)
        self._runner = runner
        self._station = station
        self.english = english
        self.session: CounterSession | None = None

        self.hall_label = QLabel(hall_name)
        self.hall_label.setObjectName("loginHall")
        self.hall_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.title.setObjectName("loginTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(32)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.window_box = QComboBox()
        self.window_box.setObjectName("windowBox")
        for number, _name in windows:
            self.window_box.addItem("", number)
        if preselect is not None:
            index = self.window_box.findData(preselect)
            if index >= 0:
                self.window_box.setCurrentIndex(index)
        self.message = QLabel(notice)
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.login_button = QPushButton()
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelButton")

        form = QFormLayout()
        self._user_label, self._password_label, self._window_label = QLabel(), QLabel(), QLabel()
        form.addRow(self._user_label, self.username)
        form.addRow(self._password_label, self.password)
        form.addRow(self._window_label, self.window_box)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.login_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(14)
        layout.addWidget(self.hall_label)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.login_button.clicked.connect(self.try_login)
        self.password.returnPressed.connect(self.try_login)
        self.cancel_button.clicked.connect(self.reject)
        self.username.textChanged.connect(self._update_enabled)
        self.password.textChanged.connect(self._update_enabled)
        self.retranslate()
        self._update_enabled()
        self.setMinimumWidth(460)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("OneWindow counter — log in"))
        self.title.setText(self.tr("Counter log in"))
        self._user_label.setText(self.tr("Staff user name"))
        self._password_label.setText(self.tr("Password"))
        self._window_label.setText(self.tr("Window"))
        self.login_button.setText(self.tr("Log in"))
        self.cancel_button.setText(self.tr("Quit"))
        self.username.setPlaceholderText(self.tr("e.g. w3"))
        for i, (number, name) in enumerate(self._windows):
            self.window_box.setItemText(i, self.window_text(number, name))

    def window_text(self, number: int, name: str = "") -> str:
        """A window's name from the hall file, else "Window 3" / "3号窗口" in the UI language."""
        if not name:
            name = dict(self._windows).get(number, "")
        return name or fill(self.tr("Window %1"), number)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_enabled(self) -> None:
        self.login_button.setEnabled(bool(self.username.text().strip() and self.password.text()))

    @property
    def selected_window(self) -> int:
        return int(self.window_box.currentData())

    def try_login(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password or not self.login_button.isEnabled():
            return
        self.login_button.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        self._typed = password
        self._runner.submit(
            lambda: self._authenticate(username, password), self._succeeded, self._failed
        )

    def password_dialog(self, staff: StaffView, change: Callable[[str], None]) -> QDialog:
        """The forced 改密码 dialog (after a reset by the manager)."""
        return ChangePasswordDialog(
            staff.username, change, self._runner, self, english=self.english
        )

    def _succeeded(self, staff: StaffView) -> None:
        old, self._typed = self._typed, ""
        if staff.must_change_password:
            # Before anything else (the window claim, the counter): a new password.
            store = self._change_password
            changed = False
            if store is not None:

                def change(new: str) -> None:
                    store(staff, old, new)

                changed = self.password_dialog(staff, change).exec() == QDialog.DialogCode.Accepted
            if not changed:
                self._failed_with(
                    t(
                        self.english,
                        "密码已被重置，须设置新密码后才能登录",
                        "Your password was reset: choose a new one to log in",
                    )
                )
                return
            staff = dataclasses.replace(staff, must_change_password=False)
        if self._claim is None:
            self._logged_in(staff, self.selected_window)
            return
        self._claim_window(staff, self.selected_window, take_over=False)

    def _claim_window(self, staff: StaffView, window: int, *, take_over: bool) -> None:
        claim = self._claim
        assert claim is not None
        self.message.setText(self.tr("Checking…"))
        self._runner.submit(
            lambda: claim(staff, window, take_over),
            lambda _r: self._logged_in(staff, window),
            lambda exc: self._claim_failed(staff, window, exc),
        )

    def _claim_failed(self, staff: StaffView, window: int, exc: BaseException) -> None:
        if not isinstance(exc, WindowTaken):
            self._failed(exc)
            return
        holder = exc.holder
        held = fill(
            self.tr("%1 is in use by %2 (%3) at %4."),
            self.window_text(window),
            holder.display_name,
            holder.username,
            holder.station or "?",
        )
        if exc.may_take_over:
            question = (
                held
                + "\n\n"
                + self.tr("Take this window over? The other counter will be logged out.")
            )
            if self._confirm(self, question):
                self._claim_window(staff, window, take_over=True)
                return
            self._failed_with(held)
            return
        self._failed_with(held + " " + self.tr("Choose another window, or ask the hall manager."))

    def _logged_in(self, staff: StaffView, window: int) -> None:
        self.password.clear()
        self.session = CounterSession(staff=staff, window=window, station=self._station)
        self.message.clear()
        self.logged_in.emit(self.session)
        self.accept()

    def _failed_with(self, text: str) -> None:
        self.password.clear()
        self.password.setFocus()
        self.message.setText(text)
        self._update_enabled()

    def _failed(self, exc: BaseException) -> None:
        self.password.clear()
        self.password.setFocus()
        if isinstance(exc, LoginFailed):
            self.message.setText(exc.message_en if self.english else exc.message_zh)
        elif isinstance(exc, DatabaseUnavailable):
            self.message.setText(self.tr("The hall database cannot be reached; please try again."))
        else:
            self.message.setText(fill(self.tr("Login failed: %1"), type(exc).__name__))
        self._update_enabled()
