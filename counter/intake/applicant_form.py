"""The applicant's typed fields: filled from the ID card, checked as they are typed.

Name and number come from the card on the reader (shown masked and read-only then); phone,
applicant type, company and credit code, and an agent (代办人) are typed. Each field's error
(:class:`~common.intake.applicant.InvalidApplicant`'s words) is shown right under it.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from common.intake.applicant import ApplicantType
from common.people import mask_id_number, mask_name
from counter.intake.words import t

__all__ = ["ApplicantForm"]

_TYPE_EN = {
    1: "Natural person",
    2: "Enterprise",
    3: "Public institution",
    4: "Social organisation",
    5: "Unincorporated enterprise",
    6: "Government body",
    7: "Other organisation",
}


class ApplicantForm(QWidget):
    """Emits ``field_changed(name, text)``; :meth:`show_fields` draws the flow's fields and
    errors.
    """

    field_changed = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("applicantForm")
        self.english = False
        self.from_card = False
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.type_box = QComboBox()
        self.type_box.setObjectName("applicantType")
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setVerticalSpacing(2)
        names = (
            "name",
            "number",
            "phone",
            "type",
            "org_name",
            "credit_code",
            "agent_name",
            "agent_number",
        )
        for i, name in enumerate(names):
            row, col = (i // 2) * 2, (i % 2) * 2
            label = QLabel()
            self.labels[name] = label
            grid.addWidget(label, row, col)
            if name == "type":
                widget: QWidget = self.type_box
            else:
                edit = QLineEdit()
                edit.setObjectName(f"applicant_{name}")
                edit.textEdited.connect(lambda text, n=name: self.field_changed.emit(n, text))
                self.edits[name] = edit
                widget = edit
            grid.addWidget(widget, row, col + 1)
            error = QLabel()
            error.setObjectName("fieldError")
            error.setProperty("error", "true")
            error.setWordWrap(True)
            error.setStyleSheet("color: #b3261e;")
            self.errors[name] = error
            grid.addWidget(error, row + 1, col + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.type_box.currentIndexChanged.connect(
            lambda _i: self.field_changed.emit("type", str(self.type_box.currentData() or 1))
        )
        self.retranslate()

    def retranslate(self) -> None:
        e = self.english
        words = {
            "name": t(e, "姓名", "Name"),
            "number": t(e, "证件号码", "ID number"),
            "phone": t(e, "联系电话", "Phone"),
            "type": t(e, "申请人类型", "Applicant type"),
            "org_name": t(e, "单位名称", "Organisation"),
            "credit_code": t(e, "统一社会信用代码", "Credit code"),
            "agent_name": t(e, "代办人姓名", "Agent's name"),
            "agent_number": t(e, "代办人证件号码", "Agent's ID number"),
        }
        for name, label in self.labels.items():
            label.setText(words[name])
        current = self.type_box.currentData()
        self.type_box.blockSignals(True)
        self.type_box.clear()
        for kind in ApplicantType:
            self.type_box.addItem(_TYPE_EN[kind.value] if e else kind.label, int(kind))
        if current is not None:
            self.type_box.setCurrentIndex(max(0, self.type_box.findData(current)))
        self.type_box.blockSignals(False)
        self.edits["name"].setPlaceholderText(
            t(e, "读取身份证后自动填写", "filled in from the ID card")
        )
        self.edits["phone"].setPlaceholderText(t(e, "手机或固定电话", "mobile or fixed line"))

    def set_english(self, english: bool) -> None:
        self.english = english
        self.retranslate()

    def show_fields(
        self, fields: Mapping[str, str], errors: Mapping[str, tuple[str, str]], *, card: bool
    ) -> None:
        """Draw the flow's fields; the card's name and number masked and read-only."""
        self.from_card = card
        for name, edit in self.edits.items():
            value = fields.get(name, "")
            if card and name in ("name", "number"):
                value = mask_name(value) if name == "name" else mask_id_number(value)
                edit.setReadOnly(True)
            elif name in ("name", "number"):
                edit.setReadOnly(False)
            if edit.text() != value:
                edit.setText(value)
        kind = int(fields.get("type") or 1)
        if self.type_box.currentData() != kind:
            self.type_box.blockSignals(True)
            self.type_box.setCurrentIndex(max(0, self.type_box.findData(kind)))
            self.type_box.blockSignals(False)
        is_org = not ApplicantType(kind).is_person
        for name in ("org_name", "credit_code"):
            self.edits[name].setEnabled(is_org)
        for name, label in self.errors.items():
            error = errors.get(name)
            label.setText((error[1] if self.english else error[0]) if error else "")
            label.setVisible(error is not None)
