"""跟进: the manager's follow-up page — bad ratings and 办不成事 reports, step by step, on time.

Only renders and asks; the rules (steps in order, the call back a real-name item owes, the
deadline) are :class:`common.manager.followup.FollowupService`'s, run on the desk's worker.
The list shows open items by deadline with overdue ones in red; a filter switches to overdue,
closed or all. The selected item's details and history are on the right with one button per
step; each asks for the words it needs (what was found, what was done, what the citizen said,
the closing note) and is refused with the service's own message when out of order. The full
phone number is shown only on request, for the call back, and that look-up is audited.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.intake.rating import BAD_REASONS
from common.manager.followup import (
    CallbackOutcome,
    ComplaintSource,
    FollowupAction,
    FollowupError,
    FollowupFilter,
    FollowupItem,
    FollowupKind,
    FollowupService,
    FollowupStep,
    StepRecord,
)
from common.qt.table_model import RowTableModel
from common.qt.worker import TaskRunner
from counter.manager.table_view import row_table
from counter.manager.words import t

__all__ = ["FollowupModel", "FollowupPage", "StepDialog"]

_RED = QColor("#b91c1c")
_STYLE = """
#followupPage QPushButton[alert="true"] { color: #b91c1c; font-weight: bold; }
QLabel#followupMessage[alert="true"] { color: #b91c1c; }
"""
_DONE = QColor("#15803d")
_REASONS = {key: (zh, en) for key, zh, en in BAD_REASONS}

Answer = tuple[str, CallbackOutcome | None]


def kind_text(item: FollowupItem, english: bool) -> str:
    return item.kind.label_en if english else item.kind.label


def kind_short(item: FollowupItem, english: bool) -> str:
    """The list's kind column: 差评 / 办不成事 ("not done" keeps the English column narrow)."""
    if item.kind is FollowupKind.RATING:
        return t(english, "差评", "bad rating")
    return t(english, "办不成事", "not done")


def source_text(item: FollowupItem, english: bool) -> str:
    e = english
    window = t(e, f"{item.window}号窗口", f"window {item.window}") if item.window else ""
    if item.kind is FollowupKind.RATING:
        head = t(e, "评价", "rating")
    else:
        src = ComplaintSource(item.channel)
        head = src.label_en if e else src.label
        if src is ComplaintSource.HOTLINE and item.work_order:
            return f"{head} · {item.work_order}"
    return f"{head} · {window}" if window else head


def matter_text(item: FollowupItem, english: bool) -> str:
    """What it is about: the matter and what blocked it, or the rating's level and reasons."""
    e = english
    if item.kind is FollowupKind.COMPLAINT:
        return f"{item.matter_name} — {item.blocked}"
    level = (
        t(e, "非常不满意", "very dissatisfied")
        if item.rating_level == 1
        else t(e, "不满意", "dissatisfied")
    )
    words = [t(e, *_REASONS.get(r, (r, r))) for r in item.rating_reasons]
    if item.rating_comment:
        words.append(f"“{item.rating_comment}”")
    head = f"{item.matter_name} · {level}" if item.matter_name else level
    return f"{head}：{'、'.join(words)}" if not e else f"{head}: {'; '.join(words)}"


def contact_text(item: FollowupItem, english: bool) -> str:
    if not item.real_name:
        return t(english, "匿名", "anonymous")
    parts = [p for p in (item.name_masked, item.phone_masked) if p]
    return " ".join(parts) if parts else t(english, "实名（无电话）", "known, no phone")


def due_text(item: FollowupItem, today: dt.date, english: bool) -> str:
    e = english
    if item.due_date is None:
        return t(e, "期限未知（日历缺年份）", "unknown (calendar year missing)")
    due = item.due_date.isoformat()
    if item.overdue(today):
        late = (today - item.due_date).days
        return t(e, f"{due}（超期 {late} 天）", f"{due} ({late} d overdue)")
    if item.closed_late:
        return t(e, f"{due}（逾期办结）", f"{due} (closed late)")
    return due


def step_text(item: FollowupItem, english: bool) -> str:
    e = english
    words = item.step.label_en if e else item.step.label
    if item.open and item.real_name and item.callbacks == 0:
        words += t(e, "（须回访）", " (call back due)")
    elif item.callbacks:
        outcome = CallbackOutcome(item.callback_outcome) if item.callback_outcome else None
        if outcome is not None and item.step is FollowupStep.CALLED_BACK:
            words += f"：{outcome.label}" if not e else f": {outcome.label_en}"
    return words


class FollowupModel(RowTableModel[FollowupItem]):
    """The loop: kind, what about, from where, opened, deadline (overdue in red), step, who."""

    class Columns(enum.IntEnum):
        KIND = 0
        MATTER = 1
        SOURCE = 2
        OPENED = 3
        DUE = 4
        STEP = 5
        CONTACT = 6

    def __init__(self, tz: dt.tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.english = False
        self.tz = tz
        self.today = dt.date.today()

    def set_english(self, english: bool) -> None:
        self.english = english
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Columns) - 1)
        self._rows_changed()

    def show_rows(self, rows: Sequence[FollowupItem], today: dt.date) -> None:
        changed_day = today != self.today
        self.today = today
        self._update_rows(rows, key=lambda r: r.id)
        if changed_day:
            self._rows_changed()

    def header(self, column: enum.IntEnum) -> str | None:
        e = self.english
        return {
            self.Columns.KIND: t(e, "类型", "Kind"),
            self.Columns.MATTER: t(e, "事项 / 内容", "About"),
            self.Columns.SOURCE: t(e, "来源", "From"),
            self.Columns.OPENED: t(e, "登记", "Opened"),
            self.Columns.DUE: t(e, "期限", "Due"),
            self.Columns.STEP: t(e, "进度", "Step"),
            self.Columns.CONTACT: t(e, "群众", "Citizen"),
        }[self.Columns(column)]

    def cell(self, row: FollowupItem, column: enum.IntEnum, role: int) -> Any:
        c, e = self.Columns(column), self.english
        if role == Qt.ItemDataRole.DisplayRole:
            if c is self.Columns.KIND:
                return kind_short(row, e)
            if c is self.Columns.MATTER:
                return matter_text(row, e)
            if c is self.Columns.SOURCE:
                return source_text(row, e)
            if c is self.Columns.OPENED:
                return row.opened_at.astimezone(self.tz).strftime("%m-%d %H:%M")
            if c is self.Columns.DUE:
                return due_text(row, self.today, e)
            if c is self.Columns.STEP:
                return step_text(row, e)
            return contact_text(row, e)
        if role == Qt.ItemDataRole.ToolTipRole and c is self.Columns.MATTER:
            return matter_text(row, e)
        if role == Qt.ItemDataRole.ForegroundRole:
            if c in (self.Columns.DUE, self.Columns.KIND) and row.overdue(self.today):
                return QBrush(_RED)
            if c is self.Columns.STEP and not row.open:
                return QBrush(_DONE)
        return None


class StepDialog(QDialog):
    """The words one step needs: a text, and for a call back the citizen's answer."""

    def __init__(
        self,
        action: FollowupAction,
        item: FollowupItem,
        parent: QWidget | None = None,
        *,
        english: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("followupStepDialog")
        self.setMinimumWidth(460)
        e = english
        self.action = action
        self.setWindowTitle(
            t(
                e,
                f"{action.label} — {kind_text(item, e)}",
                f"{action.label_en} — {kind_text(item, e)}",
            )
        )
        prompts = {
            FollowupAction.VERIFY: ("核实情况（调取记录、询问窗口人员等）", "What verifying found"),
            FollowupAction.RECTIFY: ("整改措施（做了什么）", "What was done to put it right"),
            FollowupAction.CALL_BACK: ("回访情况", "What the citizen said"),
            FollowupAction.CLOSE: ("办结意见", "Closing note"),
        }
        self.prompt = QLabel(t(e, *prompts[action]))
        self.outcome: QComboBox | None = None
        layout = QVBoxLayout(self)
        if action is FollowupAction.CALL_BACK:
            self.outcome = QComboBox()
            self.outcome.setObjectName("followupOutcome")
            for o in CallbackOutcome:
                self.outcome.addItem(o.label_en if e else o.label, o.value)
            row = QHBoxLayout()
            row.addWidget(QLabel(t(e, "回访结果", "Outcome")))
            row.addWidget(self.outcome, 1)
            layout.addLayout(row)
        self.text = QPlainTextEdit()
        self.text.setObjectName("followupStepText")
        self.text.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(t(e, f"{action.label} (Ctrl+Enter)", f"{action.label_en} (Ctrl+Enter)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t(e, "取消", "Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self._ctrl_enter)
        layout.addWidget(self.prompt)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        self._check()
        self.text.setFocus()

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.text.toPlainText().strip()))

    def _ctrl_enter(self) -> None:
        if self.ok.isEnabled():
            self.accept()

    def answer(self) -> Answer:
        outcome = CallbackOutcome(self.outcome.currentData()) if self.outcome is not None else None
        return self.text.toPlainText().strip(), outcome


class FollowupPage(QWidget):
    """The follow-up list, the selected item's history and the step buttons.

    ``changed`` after a step was taken (the desk re-reads the dashboard's bad ratings);
    ``loaded`` after each read of the list.
    """

    changed = Signal()
    loaded = Signal()

    FILTERS = (
        FollowupFilter.OPEN,
        FollowupFilter.OVERDUE,
        FollowupFilter.CLOSED,
        FollowupFilter.ALL,
    )

    def __init__(
        self,
        service: FollowupService,
        actor: str,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        english: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("followupPage")
        self.setStyleSheet(_STYLE)
        self.service, self.actor, self._runner = service, actor, runner
        self.english = english
        self.which = FollowupFilter.OPEN
        self.summary: dict[str, int] = {}
        self.history: list[StepRecord] = []
        # The question each step asks; a test answers it without a modal dialog.
        self.ask: Callable[[FollowupAction, FollowupItem], Answer | None] = self._ask_dialog

        self.filter_buttons: dict[FollowupFilter, QPushButton] = {}
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        filters = QHBoxLayout()
        for f in self.FILTERS:
            button = QPushButton()
            button.setCheckable(True)
            button.setObjectName(f"followupFilter_{f.value}")
            self.filter_group.addButton(button)
            self.filter_buttons[f] = button
            button.clicked.connect(lambda _c=False, f=f: self.show_filter(f))
            filters.addWidget(button)
        self.filter_buttons[FollowupFilter.OPEN].setChecked(True)
        filters.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("followupMessage")
        filters.addWidget(self.message)

        self.model = FollowupModel(service.settings.hall.tz, self)
        self.table = row_table(self.model, FollowupModel.Columns.MATTER)
        self.table.setObjectName("followupTable")
        self.table.setWordWrap(False)

        self.detail_title = QLabel()
        self.detail_title.setObjectName("managerSectionTitle")
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("followupDetail")
        self.detail.setReadOnly(True)
        self.action_buttons: dict[FollowupAction, QPushButton] = {}
        # The list takes the page's width (the matter and its words need it); the selected
        # item's details and history sit under it, the step buttons in a column beside them.
        steps = QVBoxLayout()
        for action in FollowupAction:
            button = QPushButton()
            button.setObjectName(f"followup_{action.value}")
            button.clicked.connect(lambda _c=False, a=action: self.act(a))
            self.action_buttons[action] = button
            steps.addWidget(button)
        self.contact_button = QPushButton()
        self.contact_button.setObjectName("followupContact")
        self.contact_button.clicked.connect(self.show_contact)
        steps.addSpacing(8)
        steps.addWidget(self.contact_button)
        steps.addStretch(1)
        details = QVBoxLayout()
        details.addWidget(self.detail_title)
        details.addWidget(self.detail, 1)
        below = QHBoxLayout()
        below.addLayout(details, 1)
        below.addLayout(steps)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 3)
        layout.addLayout(below, 2)

        self.table.selectionModel().selectionChanged.connect(self._selection)
        self.model.dataChanged.connect(self._selection)
        self.set_english(english)
        self._selection()

    # ------------------------------------------------------------------ language

    def set_english(self, english: bool) -> None:
        self.english = e = english
        self.model.set_english(e)
        self._filter_captions()
        for action, button in self.action_buttons.items():
            button.setText(f"{action.label_en if e else action.label}…")
        self.contact_button.setText(t(e, "显示联系电话（记录查看）", "Show phone (logged)"))
        self.detail_title.setText(t(e, "详情与办理记录", "Details and history"))
        self._show_detail()

    def _filter_captions(self) -> None:
        e, n = self.english, self.summary
        words = {
            FollowupFilter.OPEN: t(e, "未办结", "Open"),
            FollowupFilter.OVERDUE: t(e, "超期", "Overdue"),
            FollowupFilter.CLOSED: t(e, "已办结", "Closed"),
            FollowupFilter.ALL: t(e, "全部", "All"),
        }
        for f, button in self.filter_buttons.items():
            count = n.get(f.value)
            button.setText(f"{words[f]} ({count})" if count is not None else words[f])
            button.setProperty("alert", f is FollowupFilter.OVERDUE and bool(count))
            button.style().unpolish(button)
            button.style().polish(button)

    # ------------------------------------------------------------------ reading

    def show_filter(self, which: FollowupFilter) -> None:
        self.which = which
        self.filter_buttons[which].setChecked(True)
        self.reload()

    def reload(self) -> None:
        """Read the list and the counts (on the worker)."""
        service, which = self.service, self.which

        def read() -> tuple[dt.date, list[FollowupItem], dict[str, int]]:
            today, items = service.items(which)
            return today, items, service.summary()

        def done(result: tuple[dt.date, list[FollowupItem], dict[str, int]]) -> None:
            if not shiboken6.isValid(self):
                return
            today, items, self.summary = result
            self.model.show_rows(items, today)
            self.table.horizontalHeader().resizeSections()
            self._filter_captions()
            self._selection()
            self.loaded.emit()

        self._runner.submit(read, done, self._failed)

    def selected(self) -> FollowupItem | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item: FollowupItem = self.model.rows()[rows[0].row()]
        return item

    def select(self, followup_id: int) -> None:
        for i, item in enumerate(self.model.rows()):
            if item.id == followup_id:
                self.table.selectRow(i)
                return

    def _selection(self, *_args: object) -> None:
        item = self.selected()
        allowed = item.actions() if item is not None else ()
        for action, button in self.action_buttons.items():
            button.setEnabled(action in allowed)
        self.contact_button.setEnabled(item is not None and item.real_name)
        if item is None:
            self.history = []
            self._show_detail()
            return
        service, wanted = self.service, item.id

        def done(history: list[StepRecord]) -> None:
            if not shiboken6.isValid(self):
                return
            current = self.selected()
            if current is not None and current.id == wanted:
                self.history = history
                self._show_detail()

        self._runner.submit(lambda: service.history(wanted), done, self._failed)

    def _show_detail(self) -> None:
        item, e = self.selected(), self.english
        if item is None:
            self.detail.setPlainText(t(e, "选择左侧一条记录", "Choose an item on the left"))
            return
        tz = self.model.tz
        lines = [
            f"{kind_text(item, e)} · {source_text(item, e)}",
            t(e, "内容：", "About: ") + matter_text(item, e),
            t(e, "群众：", "Citizen: ") + contact_text(item, e),
            t(e, "登记：", "Opened: ")
            + item.opened_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            + (f"  ({item.staff})" if item.staff else ""),
            t(
                e,
                f"期限：{item.working_days} 个工作日，",
                f"Due: {item.working_days} working days, ",
            )
            + due_text(item, self.model.today, e),
            t(e, "进度：", "Step: ") + step_text(item, e),
        ]
        if item.rating_callback:
            lines.append(t(e, "群众同意回访", "The citizen agreed to a call back"))
        if self.history:
            lines.append("")
            lines.append(t(e, "办理记录", "History"))
        for h in self.history:
            when = h.at.astimezone(tz).strftime("%m-%d %H:%M")
            label = h.step.label_en if e else h.step.label
            outcome = ""
            if h.outcome:
                o = CallbackOutcome(h.outcome)
                outcome = f"【{o.label_en if e else o.label}】"
            lines.append(f"{when} {label} {outcome}{h.text} — {h.actor}")
        self.detail.setPlainText("\n".join(lines))

    # ------------------------------------------------------------------ acting

    def _ask_dialog(self, action: FollowupAction, item: FollowupItem) -> Answer | None:
        dialog = StepDialog(action, item, self, english=self.english)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def act(self, action: FollowupAction) -> None:
        """Take a step on the selected item, asking for its words first."""
        item = self.selected()
        if item is None or action not in item.actions():
            return
        answer = self.ask(action, item)
        if answer is None:
            return
        text, outcome = answer
        service, actor, e = self.service, self.actor, self.english

        def done(updated: FollowupItem) -> None:
            if not shiboken6.isValid(self):
                return
            label = action.label_en if e else action.label
            self.say(t(e, f"已{label}", f"{label}: done"))
            self.reload()
            self.changed.emit()

        self._runner.submit(
            lambda: service.act(item.id, action, text, actor=actor, outcome=outcome),
            done,
            self._failed,
        )

    def show_contact(self) -> None:
        """The full phone for the call back (the look-up is audited)."""
        item = self.selected()
        if item is None or not item.real_name:
            return
        service, actor, e = self.service, self.actor, self.english

        def done(contact: tuple[str, str]) -> None:
            if not shiboken6.isValid(self):
                return
            name, phone = contact
            self.say(
                t(
                    e,
                    f"联系：{name or '（未留姓名）'} {phone or '（无电话）'}",
                    f"Contact: {name or '(no name)'} {phone or '(no phone)'}",
                )
            )

        self._runner.submit(lambda: service.contact(item.id, actor=actor), done, self._failed)

    def say(self, text: str, *, alert: bool = False) -> None:
        """A line beside the filters: what was just done, or why it was not (in red)."""
        self.message.setText(text)
        if bool(self.message.property("alert")) != alert:
            self.message.setProperty("alert", alert)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if isinstance(exc, FollowupError):
            self.say(exc.message(self.english), alert=True)
        else:
            self.say(
                t(
                    self.english,
                    f"操作未完成：{type(exc).__name__}",
                    f"Not done: {type(exc).__name__}",
                ),
                alert=True,
            )
