"""办不成事 / 有诉即办: a citizen's report that something could not get done, recorded at any
counter (window staff too) into the manager's follow-up loop (:mod:`common.manager.followup`).

Keyboard first: the fields are in the order a clerk asks (where it came from, the 12345 work
order when it came by the hotline, which matter — typed, with the catalog's pinyin search as a
drop-down —, what blocked it, the phone, the name if given); Tab moves on, Ctrl+Enter saves,
Esc cancels (and asks first when something was typed). Every problem is listed at once under
the fields, each bad field is marked and the first gets the focus; nothing typed is lost, not on
a refusal and not when the database cannot take the report right now.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from common.db.engine import DatabaseUnavailable
from common.manager.followup import (
    MATTER_MAX,
    NAME_MAX,
    ComplaintDraft,
    ComplaintSource,
    FollowupError,
    FollowupItem,
    complaint_problems,
)
from common.qt.worker import TaskRunner
from counter.intake.words import t

__all__ = ["COMPLAINT_SHORTCUT", "ComplaintDialog"]

log = logging.getLogger("counter.complaint")

# F1–F6 are the call panel's, F7–F10 the intake desk's.
COMPLAINT_SHORTCUT = "F11"

MatterSearch = Callable[[str], Sequence[tuple[str, str]]]  # text → (code, name) hits

_STYLE = """
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"] {
    border: 2px solid #b91c1c;
}
QLabel#complaintProblems { color: #b91c1c; }
QLabel#complaintNote { color: #4b5563; }
"""


class ComplaintDialog(QDialog):
    """Record one 办不成事 report; ``saved(FollowupItem)`` once it is in the database."""

    saved = Signal(object)

    def __init__(
        self,
        save: Callable[[ComplaintDraft], FollowupItem],
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        english: bool = False,
        search: MatterSearch | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("complaintDialog")
        self.setStyleSheet(_STYLE)
        self.setMinimumWidth(560)
        self._save = save
        self._runner = runner
        self._search = search
        self.english = english
        self._picked: tuple[str, str] | None = None  # (code, name) chosen from the catalog
        self._hits: dict[str, tuple[str, str]] = {}
        self.saving = False

        self.note = QLabel()
        self.note.setObjectName("complaintNote")
        self.note.setWordWrap(True)
        self.source = QComboBox()
        self.source.setObjectName("complaintSource")
        for src in ComplaintSource:
            self.source.addItem("", src.value)
        self.work_order = QLineEdit()
        self.work_order.setObjectName("complaintWorkOrder")
        self.work_order.setMaxLength(32)
        self.matter = QLineEdit()
        self.matter.setObjectName("complaintMatter")
        self.matter.setMaxLength(MATTER_MAX)
        self.matter_code = QLabel()
        self.matter_code.setObjectName("complaintMatterCode")
        self._matters = QStringListModel(self)
        self.completer = QCompleter(self._matters, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # The catalog search already ranked the hits (pinyin initials too): show them as given.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.matter.setCompleter(self.completer)
        self.blocked = QPlainTextEdit()
        self.blocked.setObjectName("complaintBlocked")
        self.blocked.setTabChangesFocus(True)
        self.blocked.setFixedHeight(96)
        self.phone = QLineEdit()
        self.phone.setObjectName("complaintPhone")
        self.phone.setMaxLength(20)
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.name = QLineEdit()
        self.name.setObjectName("complaintName")
        self.name.setMaxLength(NAME_MAX)
        self.problems = QLabel()
        self.problems.setObjectName("complaintProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._labels = {key: QLabel() for key in ("source", "work_order", "matter", "blocked")}
        self._labels.update({key: QLabel() for key in ("phone", "name")})
        self.form.addRow(self._labels["source"], self.source)
        self.form.addRow(self._labels["work_order"], self.work_order)
        self.form.addRow(self._labels["matter"], self.matter)
        self.form.addRow("", self.matter_code)
        self.form.addRow(self._labels["blocked"], self.blocked)
        self.form.addRow(self._labels["phone"], self.phone)
        self.form.addRow(self._labels["name"], self.name)
        for key, label in self._labels.items():
            label.setBuddy(self.field(key))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.setObjectName("complaintSave")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.submit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.source.currentIndexChanged.connect(self._source_changed)
        self.matter.textEdited.connect(self._matter_edited)
        self.completer.activated[str].connect(self._matter_picked)  # type: ignore[index]
        for widget in (self.work_order, self.matter, self.phone, self.name):
            widget.textEdited.connect(self._clear_mark)
        self.blocked.textChanged.connect(self._clear_mark)
        self.set_english(english)
        self._source_changed()
        self.source.setFocus()

    # ------------------------------------------------------------------ language

    def set_english(self, english: bool) -> None:
        self.english = e = english
        self.setWindowTitle(t(e, "登记办不成事 / 有诉即办", "Record: could not get it done"))
        self.note.setText(
            t(
                e,
                "群众反映事情没办成：登记后进入大厅管理的跟进流程（核实、整改、回访、办结）。",
                "A citizen could not get something done: it joins the manager's follow-up "
                "(verify, rectify, call back, close).",
            )
        )
        for i, src in enumerate(ComplaintSource):
            self.source.setItemText(i, src.label_en if e else src.label)
        words = {
            "source": t(e, "来源(&S)", "&Source"),
            "work_order": t(e, "12345工单号(&W)", "12345 &work order"),
            "matter": t(e, "所办事项(&M)", "&Matter"),
            "blocked": t(e, "办不成的原因(&B)", "What &blocked it"),
            "phone": t(e, "联系电话(&P)", "&Phone"),
            "name": t(e, "姓名(&N)", "&Name"),
        }
        for key, label in self._labels.items():
            label.setText(words[key])
        self.work_order.setPlaceholderText(t(e, "12345热线来件必填", "needed for 12345 reports"))
        self.matter.setPlaceholderText(
            t(e, "输入名称或拼音首字母，可从目录选择", "type a name or pinyin initials")
        )
        self.blocked.setPlaceholderText(
            t(e, "卡在哪里、缺什么、哪个部门", "where it got stuck, what was missing, which office")
        )
        self.phone.setPlaceholderText(t(e, "必填，用于回访", "needed to call back"))
        self.name.setPlaceholderText(t(e, "选填", "optional"))
        self.save_button.setText(t(e, "保存 (Ctrl+Enter)", "Save (Ctrl+Enter)"))
        self.cancel_button.setText(t(e, "取消", "Cancel"))
        self._show_code()

    # ------------------------------------------------------------------ fields

    def field(self, key: str) -> QWidget:
        """The widget of a field named as :class:`InvalidComplaint` names it."""
        return {
            "source": self.source,
            "work_order": self.work_order,
            "matter": self.matter,
            "blocked": self.blocked,
            "phone": self.phone,
            "name": self.name,
        }[key]

    def draft(self) -> ComplaintDraft:
        """What is typed now, as the domain checks it."""
        name = self.matter.text()
        code = ""
        if self._picked is not None and self._picked[1] == " ".join(name.split()):
            code = self._picked[0]
        source = ComplaintSource(self.source.currentData())
        return ComplaintDraft(
            source=source,
            matter_name=name,
            matter_code=code,
            blocked=self.blocked.toPlainText(),
            phone=self.phone.text(),
            name=self.name.text(),
            work_order=self.work_order.text() if source is ComplaintSource.HOTLINE else "",
        )

    def _source_changed(self, *_args: object) -> None:
        hotline = self.source.currentData() == ComplaintSource.HOTLINE.value
        # Kept, not cleared, when the source changes back and forth: nothing typed is lost.
        self.work_order.setEnabled(hotline)
        self._set_invalid(self.work_order, False)

    def _matter_edited(self, text: str) -> None:
        if self._search is None:
            return
        try:
            hits = list(self._search(text))[:12]
        except Exception:  # a search must never cost the clerk the text typed
            log.exception("matter search failed")
            hits = []
        self._hits = {f"{name}  ·  {code}": (code, name) for code, name in hits}
        self._matters.setStringList(list(self._hits))
        self._show_code()

    def _matter_picked(self, shown: str) -> None:
        picked = self._hits.get(shown)
        if picked is None:
            return
        self._picked = picked
        self.matter.setText(picked[1])
        self._show_code()

    def _show_code(self) -> None:
        d_name = " ".join(self.matter.text().split())
        if self._picked is not None and self._picked[1] == d_name and d_name:
            # Matter codes run to 40-odd characters: elided in the middle, whole in the tooltip.
            text = t(self.english, f"目录事项：{self._picked[0]}", f"catalog: {self._picked[0]}")
            width = max(self.matter.width(), 200)
            metrics = self.matter_code.fontMetrics()
            self.matter_code.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width))
            self.matter_code.setToolTip(text)
        elif d_name:
            self.matter_code.setText(
                t(self.english, "未从目录选择，按填写内容登记", "not from the catalog: as typed")
            )
        else:
            self.matter_code.setText("")
        if self._picked is None or self._picked[1] != d_name:
            self.matter_code.setToolTip("")

    # ------------------------------------------------------------------ checking and saving

    @staticmethod
    def _set_invalid(widget: QWidget, invalid: bool) -> None:
        if bool(widget.property("invalid")) != invalid:
            widget.setProperty("invalid", invalid)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def _clear_mark(self, *_args: object) -> None:
        sender = self.sender()
        if isinstance(sender, QWidget):
            self._set_invalid(sender, False)

    def show_problems(self, problems: Sequence[FollowupError]) -> None:
        """List every problem, mark each bad field and put the cursor in the first."""
        for key in ("source", "work_order", "matter", "blocked", "phone", "name"):
            self._set_invalid(self.field(key), False)
        self.problems.setText("\n".join(f"• {p.message(self.english)}" for p in problems))
        first: QWidget | None = None
        for p in problems:
            if p.field:
                widget = self.field(p.field)
                self._set_invalid(widget, True)
                first = first or widget
        if first is not None:
            first.setFocus()

    def submit(self) -> None:
        """Save (Ctrl+Enter / the Save button): checked here first, then on the runner."""
        if self.saving:
            return
        d = self.draft()
        problems = complaint_problems(d)
        if problems:
            self.show_problems(problems)
            return
        self.show_problems([])
        self.saving = True
        self.save_button.setEnabled(False)
        self.problems.setText(t(self.english, "正在保存…", "Saving…"))
        save = self._save

        def done(item: FollowupItem) -> None:
            if not shiboken6.isValid(self):
                return
            self.saving = False
            self.saved.emit(item)
            self.accept()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.saving = False
            self.save_button.setEnabled(True)
            if isinstance(exc, FollowupError):
                self.show_problems([exc])
                return
            if isinstance(exc, DatabaseUnavailable):
                text = t(
                    self.english,
                    "数据库暂时无法写入，填写的内容都还在，请稍后再按保存",
                    "The database cannot take it right now; everything typed is kept: "
                    "save again in a moment",
                )
            else:
                log.error("report not saved", exc_info=exc)
                text = t(
                    self.english,
                    "未能保存，填写的内容都还在，请再试一次",
                    "Not saved; everything typed is kept: try again",
                )
            self.problems.setText(f"• {text}")

        self._runner.submit(lambda: save(d), done, failed)

    def typed_anything(self) -> bool:
        return any(
            (
                self.work_order.text().strip(),
                self.matter.text().strip(),
                self.blocked.toPlainText().strip(),
                self.phone.text().strip(),
                self.name.text().strip(),
            )
        )

    def confirm_discard(self) -> bool:
        """Esc or Cancel with something typed: ask (default No). Tests replace this."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(t(self.english, "放弃登记？", "Discard?"))
        box.setText(
            t(
                self.english,
                "已填写的内容将不保存。确定放弃？",
                "What was typed is not saved. Discard it?",
            )
        )
        yes = box.addButton(t(self.english, "放弃", "Discard"), QMessageBox.ButtonRole.YesRole)
        no = box.addButton(
            t(self.english, "继续填写", "Keep editing"), QMessageBox.ButtonRole.NoRole
        )
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is yes

    def reject(self) -> None:
        if self.saving:
            return  # the report is on its way; closing now would hide the answer
        if self.typed_anything() and not self.confirm_discard():
            return
        super().reject()
