"""One case's page: materials and marks, the applicant (masked; an audited reveal), the history,
and the actions the state machine allows now.

Buttons are enabled from :func:`common.intake.states.legal_actions` of the case's state (plus
what the action needs: 补齐 needs items still owed, 出件 at the window needs an ID card read
after the page opened). Every write runs on the runner; a refusal (wrong holder, illegal move,
database gone) is shown on the page and changes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from common.clock import Clock
from common.db.engine import DatabaseUnavailable
from common.devices.idcard.card import IdentityCard
from common.documents.data import MaterialLine
from common.intake.cases import CaseService, CaseView, HolderMismatch, TransitionView
from common.intake.states import legal_actions
from common.intake.words import CaseAction, CaseState, Decision
from common.qt.table_model import RowTableModel
from counter.intake.flow import Runner
from counter.intake.queries import owed_items, reveal_applicant
from counter.intake.words import t

__all__ = ["CaseDetail", "DetailAction", "DetailPrompts"]


class DetailAction(enum.StrEnum):
    """The buttons of the case page."""

    SUPPLEMENT = "supplement"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    HAND_OVER = "hand_over"
    MAIL = "mail"
    REPRINT = "reprint"
    REVEAL = "reveal"


class DetailPrompts:
    """Questions the page asks (tests answer them without dialogs)."""

    def withdraw_reason(self, parent: QWidget, english: bool) -> str | None:
        text, ok = QInputDialog.getText(
            parent,
            t(english, "撤回", "Withdraw"),
            t(english, "撤回理由：", "Reason for withdrawing:"),
        )
        return text.strip() if ok and text.strip() else None

    def supplement_keys(
        self, parent: QWidget, owed: Sequence[tuple[str, str]], english: bool
    ) -> list[str] | None:
        names = [name for _, name in owed]
        all_items = t(english, "全部补齐", "all of them")
        name, ok = QInputDialog.getItem(
            parent,
            t(english, "补齐容缺材料", "Supplement"),
            t(english, "补交的材料：", "Item handed in:"),
            [all_items, *names],
            0,
            False,
        )
        if not ok:
            return None
        return [k for k, _ in owed] if name == all_items else [k for k, n in owed if n == name]

    def mail_details(self, parent: QWidget, english: bool) -> dict[str, str] | None:
        dialog = QDialog(parent)
        dialog.setWindowTitle(t(english, "邮寄送达", "Delivery by mail"))
        form = QFormLayout(dialog)
        edits = {k: QLineEdit() for k in ("carrier", "tracking_number", "address")}
        form.addRow(t(english, "快递公司", "Carrier"), edits["carrier"])
        form.addRow(t(english, "运单号", "Tracking number"), edits["tracking_number"])
        form.addRow(t(english, "收件地址", "Address"), edits["address"])
        ok = QPushButton(t(english, "确定", "OK"))
        ok.clicked.connect(dialog.accept)
        form.addRow(ok)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return {k: e.text() for k, e in edits.items()}


class MaterialsModel(RowTableModel[MaterialLine]):
    """A case's materials as stored: name, form, copies, mark."""

    class Columns(enum.IntEnum):
        NAME = 0
        FORM = 1
        COPIES = 2
        MARK = 3

    english = False

    def set_lines(self, lines: Sequence[MaterialLine]) -> None:
        self._replace_rows(list(lines))

    def header(self, column: enum.IntEnum) -> str | None:
        e = self.english
        return [
            t(e, "材料", "Material"),
            t(e, "形式", "Form"),
            t(e, "份数", "Copies"),
            t(e, "收取情况", "Mark"),
        ][int(column)]

    def cell(self, row: MaterialLine, column: enum.IntEnum, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.Columns.NAME:
            return row.name
        if column == self.Columns.FORM:
            forms = {"原件": "original", "复印件": "copy", "电子": "electronic"}
            return forms.get(row.form, row.form) if self.english else row.form
        if column == self.Columns.COPIES:
            return str(row.copies)
        return row.mark.label_en if self.english else row.mark.label


@dataclass(frozen=True)
class _Loaded:
    view: CaseView
    history: list[TransitionView]
    owed: list[tuple[str, str]]


class CaseDetail(QDialog):
    """The case page; ``resubmit_requested(view)`` hands a correction case back to the desk,
    ``handed_over(view)`` after a delivery at the window (the rating view follows)."""

    resubmit_requested = Signal(object)
    handed_over = Signal(object)
    reprint_requested = Signal(str, str)  # kind, number
    changed = Signal()

    def __init__(
        self,
        cases: CaseService,
        runner: Runner,
        number: str,
        *,
        actor: str,
        clock: Clock,
        parent: QWidget | None = None,
        english: bool = False,
        prompts: DetailPrompts | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseDetail")
        self.cases, self.runner, self.number, self.actor, self.clock = (
            cases,
            runner,
            number,
            actor,
            clock,
        )
        self.english = english
        self.prompts = prompts or DetailPrompts()
        self.view: CaseView | None = None
        self.owed: list[tuple[str, str]] = []
        self.card: IdentityCard | None = None
        self.busy = False
        self.revealed = ""
        self.header = QLabel()
        self.header.setObjectName("caseHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.applicant = QLabel()
        self.applicant.setObjectName("caseApplicant")
        self.materials = MaterialsModel(self)
        self.materials.english = english
        table = QTableView()
        table.setObjectName("caseMaterials")
        table.setModel(self.materials)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.history = QListWidget()
        self.history.setObjectName("caseHistory")
        self.message = QLabel()
        self.message.setObjectName("caseMessage")
        self.message.setWordWrap(True)
        self.buttons: dict[DetailAction, QPushButton] = {}
        row = QHBoxLayout()
        for action in DetailAction:
            button = QPushButton()
            button.setObjectName(f"case_{action.value}")
            button.setMinimumHeight(40)
            button.clicked.connect(lambda _c=False, a=action: self.press(a))
            self.buttons[action] = button
            if action is not DetailAction.REVEAL:
                row.addWidget(button)
        top = QHBoxLayout()
        top.addWidget(self.applicant, 1)
        top.addWidget(self.buttons[DetailAction.REVEAL])
        body = QHBoxLayout()
        body.addWidget(table, 3)
        body.addWidget(self.history, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.retranslate()
        self.load()

    # ------------------------------------------------------------------ text and state

    def retranslate(self) -> None:
        e = self.english
        words = {
            DetailAction.SUPPLEMENT: t(e, "补齐材料", "Supplement"),
            DetailAction.RESUBMIT: t(e, "补正后重新提交", "Resubmit"),
            DetailAction.WITHDRAW: t(e, "撤回…", "Withdraw…"),
            DetailAction.HAND_OVER: t(e, "窗口出件（核验身份证）", "Hand over (check ID card)"),
            DetailAction.MAIL: t(e, "邮寄送达…", "Mail…"),
            DetailAction.REPRINT: t(e, "重新打印", "Reprint"),
            DetailAction.REVEAL: t(e, "显示完整信息（留痕）", "Reveal full data (audited)"),
        }
        for action, button in self.buttons.items():
            button.setText(words[action])
        self.setWindowTitle(t(e, "办件详情 ", "Case ") + self.number)
        self._render()

    def legal(self) -> set[DetailAction]:
        """The buttons enabled now (the state machine's legal actions, and what each needs)."""
        view = self.view
        if view is None or self.busy:
            return set()
        allowed = legal_actions(view.state)
        out: set[DetailAction] = {DetailAction.REVEAL}
        if CaseAction.SUPPLEMENT in allowed and self.owed:
            out.add(DetailAction.SUPPLEMENT)
        if CaseAction.RESUBMIT in allowed:
            out.add(DetailAction.RESUBMIT)
        if CaseAction.WITHDRAW in allowed:
            out.add(DetailAction.WITHDRAW)
        if CaseAction.DELIVER in allowed:
            out.add(DetailAction.MAIL)
            if self.card is not None:
                out.add(DetailAction.HAND_OVER)
        if view.decision in (
            Decision.ACCEPT,
            Decision.ACCEPT_WITH_TOLERANCE,
            Decision.CORRECTION_REQUIRED,
        ):
            out.add(DetailAction.REPRINT)
        return out

    def _render(self) -> None:
        e = self.english
        view = self.view
        legal = self.legal()
        for action, button in self.buttons.items():
            button.setEnabled(action in legal)
        if view is None:
            self.header.setText(t(e, "正在读取…", "Loading…"))
            return
        lines = [
            f"{view.number}　{view.title}",
            t(e, "状态：", "State: ")
            + (view.state.label_en if e else view.state.label)
            + (
                "　"
                + t(e, "受理：", "Accepted: ")
                + view.accepted_at.astimezone(self.cases.settings.hall.tz).strftime(
                    "%Y-%m-%d %H:%M"
                )
            ),
        ]
        if view.promised_date:
            lines.append(t(e, "承诺办结日期：", "Promised by: ") + view.promised_date.isoformat())
        if view.supplement_deadline and view.tolerated_outstanding:
            lines.append(
                t(
                    e,
                    f"容缺 {view.tolerated_outstanding} 项，补齐期限：",
                    f"{view.tolerated_outstanding} tolerated item(s) due by: ",
                )
                + view.supplement_deadline.isoformat()
            )
        if view.reject_reason:
            lines.append(t(e, "不予受理理由：", "Reason: ") + view.reject_reason)
        self.header.setText("\n".join(lines))
        who = self.revealed or f"{view.applicant}（{view.applicant_number}）"
        self.applicant.setText(t(e, "申请人：", "Applicant: ") + who)
        if (
            DetailAction.HAND_OVER not in legal
            and CaseAction.DELIVER in legal_actions(view.state)
            and not self.message.text()
        ):  # a refusal's words stay until the next action
            self.message.setText(
                t(
                    e,
                    "出件前请领取人将身份证放在读卡器上",
                    "Before handing over, the collector places their ID card on the reader",
                )
            )

    def set_english(self, english: bool) -> None:
        self.english = english
        self.materials.english = english
        self.retranslate()

    # ------------------------------------------------------------------ loading

    def load(self) -> None:
        cases, number = self.cases, self.number

        def work() -> _Loaded:
            return _Loaded(cases.case(number), cases.history(number), owed_items(cases, number))

        self.runner.submit(work, self._loaded, self._failed)

    def _loaded(self, loaded: _Loaded) -> None:
        self.busy = False
        self.view, self.owed = loaded.view, loaded.owed
        self.materials.set_lines(loaded.view.materials)
        self.history.clear()
        for tr in loaded.history:
            when = tr.at.astimezone(self.cases.settings.hall.tz).strftime("%m-%d %H:%M")
            reason = f"（{tr.reason}）" if tr.reason else ""
            if self.english:
                line = (
                    f"{when}  {tr.action.value.replace('_', ' ')}  → {tr.to_state.label_en}  "
                    f"{tr.actor}{reason}"
                )
            else:
                line = f"{when}  {tr.action.label}  → {tr.to_state.label}  {tr.actor}{reason}"
            self.history.addItem(line)
        self._render()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        e = self.english
        if isinstance(exc, DatabaseUnavailable):
            text = t(e, "数据库无法连接，未作任何更改", "Database unreachable: nothing was changed")
        elif isinstance(exc, HolderMismatch):
            text = exc.message_en if e else exc.message_zh
        elif hasattr(exc, "message_zh"):
            text = exc.message_en if e else exc.message_zh  # type: ignore[attr-defined]
        else:
            text = str(exc)
        self.message.setText(text)
        self.message.setStyleSheet("color:#b3261e;font-weight:bold;")
        self._render()

    # ------------------------------------------------------------------ actions

    def on_card(self, card: IdentityCard) -> None:
        """A card read while the page is open: the collector's, for 出件 at the window."""
        self.card = card
        self._render()

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        self.message.setStyleSheet("")
        self.busy = True
        self._render()

        def finished(result: Any) -> None:
            self.message.setStyleSheet("color:#1b5e20;")
            self.changed.emit()
            if done is not None:
                done(result)
            self.load()

        self.runner.submit(fn, finished, self._failed)

    def press(self, action: DetailAction) -> None:
        if action not in self.legal():
            return
        view, cases, actor, e = self.view, self.cases, self.actor, self.english
        assert view is not None
        number = view.number
        if action is DetailAction.REVEAL:
            clock = self.clock

            def shown(person: Any) -> None:
                self.revealed = f"{person.name}（{person.number}）"
                self._render()

            self.runner.submit(
                lambda: reveal_applicant(cases, number, actor=actor, clock=clock),
                shown,
                self._failed,
            )
        elif action is DetailAction.SUPPLEMENT:
            keys = self.prompts.supplement_keys(self, self.owed, e)
            if keys:
                self.message.setText(t(e, "已记录补齐", "supplement recorded"))
                self._run(lambda: cases.supplement(number, keys, actor=actor))
        elif action is DetailAction.WITHDRAW:
            reason = self.prompts.withdraw_reason(self, e)
            if reason:
                self.message.setText(t(e, "已撤回", "withdrawn"))
                self._run(
                    lambda: cases.transition(
                        number, CaseAction.WITHDRAW, actor=actor, reason=reason
                    )
                )
        elif action is DetailAction.HAND_OVER:
            card = self.card
            assert card is not None
            self.message.setText(t(e, "已出件", "handed over"))
            self._run(
                lambda: cases.deliver(
                    number, actor=actor, method="window", card_number=card.number
                ),
                lambda v: self.handed_over.emit(v),
            )
        elif action is DetailAction.MAIL:
            mail = self.prompts.mail_details(self, e)
            if mail:
                self.message.setText(t(e, "已登记邮寄", "mailing recorded"))
                self._run(lambda: cases.deliver(number, actor=actor, method="mail", mail=mail))
        elif action is DetailAction.RESUBMIT:
            self.resubmit_requested.emit(view)
        elif action is DetailAction.REPRINT:
            kind = "notice" if view.decision is Decision.CORRECTION_REQUIRED else "receipt"
            self.reprint_requested.emit(kind, number)
            self.message.setText(t(e, "已发送打印", "sent to the printer"))

    @property
    def state(self) -> CaseState | None:
        return self.view.state if self.view is not None else None
