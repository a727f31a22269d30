"""The 受理 page: picker, checklist, decision preview and the accept buttons over an IntakeFlow.

The page renders :class:`~counter.intake.flow.IntakeState` and forwards presses; all rules are
in the flow. Shortcuts: F3 the search box, F4 the checklist, Ctrl+Enter or F9 accept, Enter on
the checklist accepts too, F10 all remaining received.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from common.intake.decision import Outcome
from common.intake.words import Decision, MaterialMark
from counter.intake.checklist_model import ChecklistModel
from counter.intake.checklist_view import ChecklistTable
from counter.intake.flow import IntakeFlow, IntakeState
from counter.intake.picker import MatterPicker
from counter.intake.words import t

__all__ = ["IntakePanel", "IntakePrompts"]

_DECISION_LEVEL = {
    Decision.ACCEPT: "ok",
    Decision.ACCEPT_WITH_TOLERANCE: "warn",
    Decision.CORRECTION_REQUIRED: "error",
    Decision.REJECT: "error",
}
_LEVEL_STYLE = {
    "ok": "background:#d7f0dc;color:#1b5e20;",
    "warn": "background:#fff0c2;color:#7a4f00;",
    "error": "background:#f9d4d4;color:#8e1b1b;",
    "off": "background:#eeeeee;color:#444444;",
}


class IntakePrompts:
    """The questions the page asks (tests replace them; no modal dialog in a test)."""

    def reject_reason(self, parent: QWidget, choices: Sequence[str], english: bool) -> str | None:
        reason, ok = QInputDialog.getItem(
            parent,
            t(english, "不予受理", "Reject"),
            t(english, "不予受理的理由：", "Reason for rejecting:"),
            list(choices) or [""],
            0,
            True,
        )
        return reason.strip() if ok and reason.strip() else None


class IntakePanel(QWidget):
    """The intake page of one counter window."""

    case_saved = Signal(object)  # CaseView

    def __init__(
        self,
        flow_factory: object = None,
        parent: QWidget | None = None,
        *,
        prompts: IntakePrompts | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("intakePanel")
        self.english = False
        self.prompts = prompts or IntakePrompts()
        self.flow: IntakeFlow | None = None
        self._last_saved: object = None

        self.picker = MatterPicker(self._search)
        self.selection = QLabel()
        self.selection.setObjectName("intakeSelection")
        self.selection.setWordWrap(True)
        self.model = ChecklistModel(self)
        self.table = ChecklistTable(self.model)
        self.preview = QLabel()
        self.preview.setObjectName("decisionPreview")
        self.preview.setWordWrap(True)
        self.preview.setMinimumHeight(44)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.setObjectName("intakeMessage")
        self.message.setWordWrap(True)
        self.mark_buttons: dict[MaterialMark | None, QPushButton] = {}
        marks = QHBoxLayout()
        for mark in (*MaterialMark, None):
            button = QPushButton()
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _c=False, m=mark: self.table.mark_current(m))
            self.mark_buttons[mark] = button
            marks.addWidget(button)
        self.all_received = QPushButton()
        self.all_received.setObjectName("allReceivedButton")
        self.reject_button = QPushButton()
        self.reject_button.setObjectName("rejectButton")
        self.accept_button = QPushButton()
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.setMinimumHeight(44)
        self.accept_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_received)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button, 2)

        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addWidget(self.selection)
        rlay.addWidget(self.table, 1)
        rlay.addLayout(marks)
        rlay.addWidget(self.preview)
        rlay.addWidget(self.message)
        rlay.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.picker)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        self.picker.picked.connect(self._picked)
        self.table.mark_requested.connect(lambda key, mark: self.flow and self.flow.mark(key, mark))
        self.table.cycle_requested.connect(lambda key: self.flow and self.flow.cycle(key))
        self.table.confirm.connect(self.accept)
        self.accept_button.clicked.connect(self.accept)
        self.reject_button.clicked.connect(self.reject)
        self.all_received.clicked.connect(
            lambda: self.flow and self.flow.mark_rest(MaterialMark.RECEIVED)
        )
        for keys, slot in (
            ("F3", self.focus_search),
            ("F4", self.table.setFocus),
            ("F9", self.accept),
            ("Ctrl+Return", self.accept),
            ("F10", lambda: self.flow and self.flow.mark_rest(MaterialMark.RECEIVED)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.retranslate()
        self.show_intake(IntakeState())

    # ------------------------------------------------------------------ wiring

    def set_flow(self, flow: IntakeFlow) -> None:
        self.flow = flow
        self.picker.combine_allowed = flow.combine_allowed
        self.picker.retranslate()
        self.show_intake(flow.state)

    def _search(self, text: str, area: object) -> list:  # type: ignore[type-arg]
        return self.flow.search(text, area) if self.flow is not None else []

    def _picked(self, kind: str, code: str, combine: bool) -> None:
        if self.flow is not None:
            self.flow.pick(kind, code, combine=combine)
            self.table.setFocus()

    def focus_search(self) -> None:
        self.picker.box.setFocus()
        self.picker.box.selectAll()

    def accept(self) -> None:
        if self.flow is not None:
            self.flow.accept()

    def reject(self) -> None:
        flow = self.flow
        if flow is None or flow.state.checklist is None or flow.state.busy:
            return
        choices = [r for m in flow.state.matters for r in m.reject_reasons] or [
            t(self.english, "不属于本大厅受理范围", "not within this hall's remit")
        ]
        reason = self.prompts.reject_reason(self, choices, self.english)
        if reason:
            flow.accept(reject_reason=reason)

    # ------------------------------------------------------------------ text

    def retranslate(self) -> None:
        e = self.english
        self.picker.set_english(e)
        self.model.set_english(e)
        for mark, button in self.mark_buttons.items():
            if mark is None:
                button.setText(t(e, "0 清除", "0 clear"))
            else:
                digit = list(MaterialMark).index(mark) + 1
                short = {
                    MaterialMark.TOLERATED: "tolerated",
                    MaterialMark.SHARED: "shared",
                    MaterialMark.NOT_APPLICABLE: "n/a",
                }.get(mark, mark.label_en)
                button.setText(f"{digit} {short if e else mark.label}")
                button.setToolTip(mark.label_en if e else mark.label)
        self.all_received.setText(t(e, "其余全部已收取 F10", "Rest received F10"))
        self.reject_button.setText(t(e, "不予受理…", "Reject…"))
        self.accept_button.setText(t(e, "确认受理 F9", "Confirm F9"))
        if self.flow is not None:
            self.show_intake(self.flow.state)

    def set_english(self, english: bool) -> None:
        self.english = english
        self.retranslate()

    # ------------------------------------------------------------------ rendering

    def show_intake(self, state: IntakeState) -> None:
        e = self.english
        self.model.set_checklist(state.checklist)
        if state.bundle is not None:
            sel = t(e, "一件事：", "Bundle: ") + (
                state.bundle.name_en if e and state.bundle.name_en else state.bundle.name
            )
        elif state.matters:
            sel = t(e, "事项：", "Matters: ") + "、".join(m.name for m in state.matters)
        else:
            sel = t(e, "请先在左侧查找并选择事项", "Find and choose a matter on the left first")
        self.selection.setText(sel)
        level, text = self._preview(state.outcome, state)
        self.preview.setText(text)
        self.preview.setStyleSheet(
            _LEVEL_STYLE[level] + "padding:6px;font-weight:bold;border-radius:4px;"
        )
        self.preview.setProperty("level", level)
        if state.message is not None:
            self.message.setText(state.message.en if e else state.message.zh)
            self.message.setStyleSheet(
                "color:#b3261e;font-weight:bold;" if state.message.error else "color:#1b5e20;"
            )
            self.message.show()
        else:
            self.message.clear()
            self.message.hide()
        has = state.checklist is not None and not state.busy
        self.accept_button.setEnabled(state.can_accept)
        self.reject_button.setEnabled(has)
        self.all_received.setEnabled(has)
        for button in self.mark_buttons.values():
            button.setEnabled(has)
        if state.saved is not None and state.saved is not self._last_saved:
            self._last_saved = state.saved
            self.case_saved.emit(state.saved)

    def _preview(self, outcome: Outcome | None, state: IntakeState) -> tuple[str, str]:
        e = self.english
        if state.checklist is None:
            return "off", t(e, "受理结论：—", "Decision: —")
        if outcome is None:
            left = len(state.checklist.unmarked)
            return "off", t(
                e,
                f"受理结论：待定（还有 {left} 项未勾选）",
                f"Decision: pending ({left} item(s) not marked)",
            )
        label = outcome.decision.label_en if e else outcome.decision.label
        because = outcome.because_en if e else outcome.because_zh
        head = t(e, "受理结论：", "Decision: ") + label
        if outcome.decision is Decision.ACCEPT_WITH_TOLERANCE and self.flow is not None:
            days = _supplement_days(self.flow, state)
            head += t(e, f"（{days}个工作日内补齐）", f" (to follow within {days} working days)")
        return _DECISION_LEVEL[outcome.decision], f"{head} — {because}"


def _supplement_days(flow: IntakeFlow, state: IntakeState) -> int:
    own = [m.supplement_days for m in state.matters if m.supplement_days is not None]
    return min(own) if own else flow.settings.intake.supplement_days
