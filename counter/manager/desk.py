"""The hall manager's desk (大厅管理): the live dashboard and the actions bar, in its own window.

Kept current from the queue event stream the counter already follows (one bridge, STYLE.md
habit 3): each batch names the figure groups it changes (:func:`figures_for_events`), the desk
gathers them for ``debounce_ms`` and reads only those groups, one read at a time, on its own
worker (never on the GUI thread). Cases, ratings and the outbox write no queue event; they are
read again every ``slow_ms`` and after the desk's own actions. A minute timer moves the "how
long" figures on without reading anything.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from importlib import resources

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from common.intake.cases import CaseService
from common.manager.actions import NOTICE_MAX, ManagerActions, latest_notice
from common.manager.dashboard import (
    Dashboard,
    DashboardReader,
    Figure,
    ServiceRow,
    figures_for_events,
)
from common.manager.followup import FollowupService
from common.manager.staffing import StaffAdmin
from common.qt.worker import TaskRunner
from common.queue.policy import PAUSE_REASONS
from common.queue.service import QueueService
from counter.manager.dashboard_view import DashboardView
from counter.manager.followup_view import FollowupPage
from counter.manager.reassign_dialog import ReassignDialog
from counter.manager.reports_view import ReportsPage
from counter.manager.staff_view import StaffPage
from counter.manager.words import t
from counter.session import CounterSession

__all__ = ["ManagerDesk"]

log = logging.getLogger("counter.manager")

# Which attributes of a Dashboard each group fills (the totals group also draws the charts).
_FIELDS: dict[Figure, tuple[str, ...]] = {
    Figure.TOTALS: ("totals", "flow"),
    Figure.WINDOWS: ("windows",),
    Figure.SERVICES: ("services",),
    Figure.CASES: ("cases",),
    Figure.RATINGS: ("ratings",),
    Figure.DEVICES: ("devices",),
    Figure.SYNC: ("sync",),
}
_SLOW = frozenset({Figure.CASES, Figure.RATINGS, Figure.SYNC})


class ManagerDesk(QWidget):
    """The manager's own window; ``refreshed(set[Figure])`` after each group drawn."""

    refreshed = Signal(object)
    action_failed = Signal(str)

    def __init__(
        self,
        queue: QueueService,
        session: CounterSession,
        parent: QWidget | None = None,
        *,
        cases: CaseService | None = None,
        runner: TaskRunner | None = None,
        english: bool = False,
        hall_name: str = "",
        now: Callable[[], dt.datetime] | None = None,
        debounce_ms: int = 250,
        slow_ms: int = 30_000,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        if not session.is_manager:
            # The button is never offered to window staff; this guards any other way in.
            raise PermissionError("the manager's desk is for hall managers only")
        self.setObjectName("managerDesk")
        self.setStyleSheet(
            resources.files("counter.manager").joinpath("desk.qss").read_text("utf-8")
        )
        self.session = session
        self.hall_name = hall_name
        self.english = english
        self.reader = DashboardReader(queue, cases)
        self.manager_actions = ManagerActions(queue)
        self.board = Dashboard()
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._runner = runner or TaskRunner(self)
        self._pending: set[Figure] = set()
        self._reading = False

        self.title = QLabel()
        self.title.setObjectName("managerTitle")
        self.pause_button = QPushButton()
        self.reopen_button = QPushButton()
        self.reassign_button = QPushButton()
        self.service_pause_button = QPushButton()
        self.service_reopen_button = QPushButton()
        self.notice = QLineEdit()
        self.notice.setObjectName("managerNotice")
        self.notice.setMaxLength(NOTICE_MAX)
        self.notice_button = QPushButton()
        self.notice_clear = QPushButton()
        self.message = QLabel()
        self.message.setObjectName("managerMessage")
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.pause_button)
        bar.addWidget(self.reopen_button)
        bar.addWidget(self.reassign_button)
        bar.addSpacing(8)
        bar.addWidget(self.service_pause_button)
        bar.addWidget(self.service_reopen_button)
        self.view = DashboardView(queue.settings.hall.tz, self._now, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        # Pages beside the dashboard (人员管理 …); add_page puts another one in.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("managerTabs")
        self.tabs.addTab(self.view, "")
        # The notice line sits beside the tabs, where the row is empty: in the action bar it was
        # squeezed to a few characters at 1366 px once the service buttons came.
        notice_row = QWidget()
        notice_layout = QHBoxLayout(notice_row)
        notice_layout.setContentsMargins(0, 0, 0, 4)
        self.notice.setMinimumWidth(420)
        notice_layout.addWidget(self.notice, 1)
        notice_layout.addWidget(self.notice_button)
        notice_layout.addWidget(self.notice_clear)
        self.tabs.setCornerWidget(notice_row, Qt.Corner.TopRightCorner)
        self.staff_page = StaffPage(
            StaffAdmin(queue.db, queue.clock, tz=queue.settings.hall.tz),
            session.actor,
            self._runner,
            english=english,
        )
        self._pages: list[tuple[QWidget, str, str]] = [(self.view, "实时看板", "Dashboard")]
        self.add_page(self.staff_page, "人员管理", "Staff")
        # 跟进: bad ratings and 办不成事 reports through verify, rectify, call back, close.
        self.followup_page = FollowupPage(
            FollowupService(queue.db, queue.settings, queue.clock),
            session.actor,
            self._runner,
            english=english,
        )
        self.add_page(self.followup_page, "跟进", "Follow-up")
        # A step taken: the dashboard's bad ratings say how far each has been followed up.
        self.followup_page.changed.connect(lambda: self.refresh({Figure.RATINGS}))
        # 报表: a period's report, built and exported on a worker thread of its own.
        self.reports_page = ReportsPage(queue.db, queue.settings, english=english, now=self._now)
        self.add_page(self.reports_page, "报表", "Reports")
        layout.addWidget(self.tabs, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._flush)
        self._slow = QTimer(self)
        self._slow.setInterval(slow_ms)
        self._slow.timeout.connect(lambda: self.refresh(_SLOW))
        # The ratings group is read on the slow timer and after a finished ticket: a new bad
        # rating has opened an item by then, so the 跟进 list is read with it.
        self.refreshed.connect(self._followups_with_ratings)
        self._minute = QTimer(self)
        self._minute.setInterval(60_000)
        self._minute.timeout.connect(self.view.tick)

        self.pause_button.clicked.connect(self._ask_pause)
        self.reopen_button.clicked.connect(self._ask_reopen)
        self.reassign_button.clicked.connect(self._ask_reassign)
        self.service_pause_button.clicked.connect(self._ask_service_pause)
        self.service_reopen_button.clicked.connect(self._ask_service_reopen)
        self.view.service_view.selectionModel().selectionChanged.connect(self._selection)
        self.view.services.dataChanged.connect(self._selection)
        self.notice_button.clicked.connect(lambda: self.broadcast_notice(self.notice.text()))
        self.notice_clear.clicked.connect(lambda: self.broadcast_notice(""))
        self.action_failed.connect(self._show_failure)
        self.view.window_view.selectionModel().selectionChanged.connect(self._selection)
        # The selected window paused or reopened (by anyone): the buttons follow.
        self.view.windows.dataChanged.connect(self._selection)
        self.set_english(english)
        self._selection()

    # ------------------------------------------------------------------ life

    def start(self) -> None:
        """Read every group once, then follow events and the slow timer."""
        self.refresh(set(Figure))
        self.staff_page.reload()
        # The notice now up on the kiosks and the display, to edit or take down.
        queue = self.reader.queue
        self._runner.submit(
            lambda: latest_notice(queue),
            lambda text: self.notice.setText(text) if shiboken6.isValid(self) else None,
            lambda _e: None,
        )
        self.followup_page.reload()
        self._slow.start()
        self._minute.start()

    def stop(self) -> None:
        """Stop the timers and wait for a read in flight (logout, quit, tests)."""
        for timer in (self._debounce, self._slow, self._minute):
            timer.stop()
        self._runner.wait()
        self.reports_page.wait()

    def closeEvent(self, event: object) -> None:
        self._debounce.stop()
        super().closeEvent(event)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ language

    def set_english(self, english: bool) -> None:
        self.english = e = english
        title = t(e, "大厅管理", "Hall manager's desk")
        self.setWindowTitle(f"{title} — {self.hall_name}" if self.hall_name else title)
        self.title.setText(f"{self.hall_name}  ·  {title}" if self.hall_name else title)
        self.pause_button.setText(t(e, "暂停窗口…", "Pause window…"))
        self.reopen_button.setText(t(e, "恢复窗口…", "Reopen window…"))
        self.reassign_button.setText(t(e, "调整业务…", "Services…"))
        self.service_pause_button.setText(t(e, "暂停取号…", "Pause service…"))
        self.service_reopen_button.setText(t(e, "恢复取号", "Reopen service"))
        for i, (_page, zh, en) in enumerate(self._pages):
            self.tabs.setTabText(i, t(e, zh, en))
        self.staff_page.set_english(e)
        self.followup_page.set_english(e)
        self.reports_page.set_english(e)
        self.notice.setPlaceholderText(
            t(e, "通知：显示在取号机和大屏上", "Notice for kiosks and display")
        )
        self.notice_button.setText(t(e, "发布通知", "Broadcast"))
        self.notice_clear.setText(t(e, "撤下", "Take down"))
        self.view.set_english(e)

    def _followups_with_ratings(self, groups: set[Figure]) -> None:
        if Figure.RATINGS in groups:
            self.followup_page.reload()

    def refresh_followups(self) -> None:
        """A counter recorded a 办不成事 report, or a bad rating came in: read the loop again
        (with the ratings group, see :meth:`_followups_with_ratings`)."""
        self.refresh({Figure.RATINGS})

    def add_page(self, page: QWidget, zh: str, en: str) -> None:
        """A page in a tab beside the dashboard, titled in both languages."""
        self._pages.append((page, zh, en))
        self.tabs.addTab(page, t(self.english, zh, en))

    # ------------------------------------------------------------------ following the hall

    def on_queue_events(self, batch: Iterable[object]) -> None:
        """A batch from the queue event bridge: read the groups it changed, after a pause."""
        groups = figures_for_events(str(getattr(ev, "kind", "")) for ev in batch)
        if groups:
            self._pending |= groups
            if not self._debounce.isActive():
                self._debounce.start()

    def refresh(self, groups: Iterable[Figure]) -> None:
        """Read these groups now (well: as soon as the read in flight is back)."""
        self._pending |= set(groups)
        self._flush()

    def _flush(self) -> None:
        if self._reading or not self._pending:
            return
        groups, self._pending = self._pending, set()
        self._reading = True
        reader = self.reader

        def done(part: Dashboard) -> None:
            if not shiboken6.isValid(self):
                return
            self._reading = False
            for group in groups:
                for name in _FIELDS[group]:
                    setattr(self.board, name, getattr(part, name))
            self.board.now, self.board.day = part.now, part.day
            self.board.read |= groups
            self.view.show_board(self.board, groups)
            self.refreshed.emit(groups)
            if self._pending:
                self._debounce.start()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self._reading = False
            self._pending |= groups  # tried again with the next event or the slow timer
            log.warning("dashboard not read: %s", type(exc).__name__)
            self.message.setText(
                t(
                    self.english,
                    "数据库暂时无法读取，看板稍后更新",
                    "Database unreachable; the figures will catch up",
                )
            )

        self._runner.submit(lambda: reader.read(groups), done, failed)

    # ------------------------------------------------------------------ actions

    def _selected_window(self) -> int | None:
        rows = self.view.window_view.selectionModel().selectedRows()
        if not rows:
            return None
        number: int = self.view.windows.rows()[rows[0].row()].number
        return number

    def _selection(self, *_args: object) -> None:
        number = self._selected_window()
        row = next((w for w in self.view.windows.rows() if w.number == number), None)
        self.pause_button.setEnabled(row is not None and not row.paused)
        self.reopen_button.setEnabled(row is not None and row.paused)
        self.reassign_button.setEnabled(row is not None)
        service = self._selected_service()
        self.service_pause_button.setEnabled(service is not None and not service.paused_zh)
        self.service_reopen_button.setEnabled(service is not None and bool(service.paused_zh))

    def _selected_service(self) -> ServiceRow | None:
        rows = self.view.service_view.selectionModel().selectedRows()
        if not rows:
            return None
        row: ServiceRow = self.view.services.rows()[rows[0].row()]
        return row

    def _ask_service_pause(self) -> None:
        service = self._selected_service()
        e = self.english
        # The usual words (the kiosk also says them in English), or any short word typed.
        items = [f"{zh} — {en}" if e else zh for zh, en in PAUSE_REASONS.items()]
        text, ok = QInputDialog.getItem(
            self,
            t(e, "暂停取号", "Pause service"),
            t(e, "原因（取号机上显示，16 字以内）", "Reason (shown on the kiosk, 16 characters)"),
            items,
            0,
            True,
        )
        reason = text.split(" — ")[0].strip() if ok else ""
        if service is not None and reason:
            self.pause_service(service.prefix, reason)

    def _ask_service_reopen(self) -> None:
        service = self._selected_service()
        if service is not None:
            self.reopen_service(service.prefix)

    def pause_service(self, prefix: str, reason: str) -> None:
        actor = self.session.actor
        self._act(
            lambda: self.manager_actions.pause_service(prefix, reason, actor=actor),
            {Figure.SERVICES},
            t(self.english, f"{prefix} 业务已暂停取号", f"Service {prefix} paused"),
        )

    def reopen_service(self, prefix: str) -> None:
        actor = self.session.actor
        self._act(
            lambda: self.manager_actions.reopen_service(prefix, actor=actor),
            {Figure.SERVICES},
            t(self.english, f"{prefix} 业务已恢复取号", f"Service {prefix} reopened"),
        )

    def _ask_reason(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text.strip() if ok and text.strip() else None

    def _ask_pause(self) -> None:
        number = self._selected_window()
        e = self.english
        reason = self._ask_reason(t(e, "暂停窗口", "Pause window"), t(e, "原因", "Reason"))
        if number is not None and reason:
            self.pause_window(number, reason)

    def _ask_reopen(self) -> None:
        number = self._selected_window()
        e = self.english
        reason = self._ask_reason(t(e, "恢复窗口", "Reopen window"), t(e, "原因", "Reason"))
        if number is not None and reason:
            self.reopen_window(number, reason)

    def _ask_reassign(self) -> None:
        number = self._selected_window()
        if number is None:
            return
        queue = self.reader.queue
        e = self.english
        services = [
            (s.prefix, s.name_en if e and s.name_en else s.name) for s in self.board.services or ()
        ]

        # The window's current weights come from the database (the runner), then the dialog.
        def loaded(current: dict[str, int]) -> None:
            if not shiboken6.isValid(self):
                return
            dialog = self.reassign_dialog(number, services, current)
            if dialog.exec() != ReassignDialog.DialogCode.Accepted:
                return
            if getattr(dialog, "restore", False):
                self.restore_window(number)
            else:
                self.reassign_window(number, dialog.weights())

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.action_failed.emit(str(exc))

        self._runner.submit(lambda: dict(queue.window_status(number).services), loaded, failed)

    def reassign_dialog(
        self, window: int, services: list[tuple[str, str]], current: dict[str, int]
    ) -> ReassignDialog:
        """The dialog :meth:`_ask_reassign` shows (a test replaces this to answer it)."""
        return ReassignDialog(window, services, current, self, english=self.english)

    def _act(self, what: Callable[[], object], groups: set[Figure], done_text: str) -> None:
        def done(_result: object) -> None:
            if shiboken6.isValid(self):
                self.message.setText(done_text)
                self.refresh(groups)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.action_failed.emit(str(exc))

        self._runner.submit(what, done, failed)

    def pause_window(self, window: int, reason: str) -> None:
        actor = self.session.actor
        self._act(
            lambda: self.manager_actions.pause_window(window, reason, actor=actor),
            {Figure.WINDOWS, Figure.SERVICES},
            t(self.english, f"{window} 号窗口已暂停", f"Window {window} paused"),
        )

    def reopen_window(self, window: int, reason: str) -> None:
        actor = self.session.actor
        self._act(
            lambda: self.manager_actions.reopen_window(window, reason, actor=actor),
            {Figure.WINDOWS, Figure.SERVICES},
            t(self.english, f"{window} 号窗口已恢复", f"Window {window} reopened"),
        )

    def broadcast_notice(self, text: str) -> None:
        actor = self.session.actor
        line = text.strip()
        self._act(
            lambda: self.manager_actions.broadcast_notice(line, actor=actor),
            set(),
            t(self.english, "通知已发布", "Notice broadcast")
            if line
            else t(self.english, "通知已撤下", "Notice taken down"),
        )

    def reassign_window(self, window: int, weights: Mapping[str, int]) -> None:
        actor = self.session.actor
        wanted = dict(weights)
        self._act(
            lambda: self.manager_actions.reassign_window(window, wanted, actor=actor),
            {Figure.WINDOWS, Figure.SERVICES},
            t(
                self.english,
                f"{window} 号窗口今日业务已调整（明天恢复原配置）",
                f"Window {window} reassigned for today (its own services come back tomorrow)",
            ),
        )

    def restore_window(self, window: int) -> None:
        """Drop today's reassignment: the window serves its configured services again."""
        actor = self.session.actor
        self._act(
            lambda: self.manager_actions.restore_window(window, actor=actor),
            {Figure.WINDOWS, Figure.SERVICES},
            t(self.english, f"{window} 号窗口已恢复原配置", f"Window {window} back to its own"),
        )

    def _show_failure(self, text: str) -> None:
        self.message.setText(t(self.english, f"操作未完成：{text}", f"Not done: {text}"))
