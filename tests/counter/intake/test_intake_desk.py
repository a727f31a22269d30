"""The intake desk end to end: pick, tick, applicant from the card, accept, receipt — on a real
hall database, the real reader driver on the simulator, and the real print queue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from common.catalog.model import Catalog
from common.db.engine import DatabaseUnavailable
from common.db.models import Case, CaseMaterial, OutboxRow
from common.intake.words import CaseState, Decision, MaterialMark
from tests.counter.intake.conftest import Desk, MakeDesk, WireReader, need

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the reader simulator needs a pty")

RESIDENT_NUMBER = "350102198805141236"  # the simulator's "resident" sample (invented)


def code_of(catalog: Catalog, name: str) -> str:
    return next(m.code for m in catalog.matters.values() if m.name == name)


def pdf_text(path: str | Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def read_card(qtbot: QtBot, desk: Desk, reader: object, key: str = "resident") -> None:
    sim = reader(desk.widget)  # type: ignore[operator]
    sim.place_card(key)
    qtbot.waitUntil(lambda: desk.flow.card is not None, timeout=5000)


def mark_all(desk: Desk, marks: dict[str, MaterialMark] | None = None) -> None:
    marks = marks or {}
    for item in need(desk.flow.state.checklist).items:
        if item.key in marks:
            desk.flow.mark(item.key, marks[item.key])
        elif item.mark is None:
            desk.flow.mark(item.key, MaterialMark.RECEIVED)


def count(desk: Desk, model: type) -> int:
    with desk.cases.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_full_acceptance_with_card_and_receipt(
    qtbot: QtBot, make_desk: MakeDesk, reader: WireReader, catalog: Catalog
) -> None:
    desk = make_desk()
    read_card(qtbot, desk, reader)
    panel = desk.widget.panel
    # Typing pinyin initials finds the matter; Enter picks it.
    qtbot.keyClicks(panel.picker.box, "eshfzy")
    assert panel.picker.model.rows()[0].name == "二手房转移登记"
    qtbot.keyClick(panel.picker.box, Qt.Key.Key_Return)
    checklist = need(desk.flow.state.checklist)
    assert checklist is not None and [m.name for m in checklist.matters] == ["二手房转移登记"]
    # The ID card replaces 申请人身份证明: pre-marked because the card was read.
    shared = [i.name for i in checklist.items if i.mark is MaterialMark.SHARED]
    assert shared == ["申请人身份证明"]
    assert panel.preview.property("level") == "off"
    mark_all(desk)
    assert need(desk.flow.state.outcome).decision is Decision.ACCEPT
    assert "要件齐全" in panel.preview.text()
    desk.widget.applicant.edits["phone"].setText("")
    qtbot.keyClicks(desk.widget.applicant.edits["phone"], "13800138000")
    assert panel.accept_button.isEnabled()
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    saved = need(desk.flow.state.saved)
    assert saved is not None and saved.state is CaseState.ACCEPTED
    with desk.cases.db.read() as s:
        case = s.scalars(select(Case)).one()
        assert (
            case.applicant_number == RESIDENT_NUMBER
            and case.window == 1
            and case.phone == "13800138000"
        )
    issued = need(desk.flow.state.issued)
    assert issued is not None and issued.ok and issued.pdf_path
    text = pdf_text(issued.pdf_path)
    assert saved.number in text
    assert "李*明" in text and RESIDENT_NUMBER not in text and "3501" in text
    for item in checklist.items:
        assert item.name in text
    assert saved.promised_date is not None
    assert f"{saved.promised_date:%Y}" in text and f"{saved.promised_date.month}" in text
    # The 80 mm slip went through the print queue.
    assert desk.printer.wait_printed(1, timeout=5.0)


def test_tolerated_item_puts_the_deadline_on_the_receipt(
    qtbot: QtBot, make_desk: MakeDesk, reader: WireReader, catalog: Catalog
) -> None:
    desk = make_desk()
    read_card(qtbot, desk, reader)
    desk.flow.pick("matter", code_of(catalog, "食品经营许可"))
    tolerable = [i for i in need(desk.flow.state.checklist).items if i.tolerable]
    assert len(tolerable) == 1
    mark_all(desk, {tolerable[0].key: MaterialMark.TOLERATED})
    outcome = need(desk.flow.state.outcome)
    assert outcome.decision is Decision.ACCEPT_WITH_TOLERANCE
    assert tolerable[0].name in desk.widget.panel.preview.text()
    assert "个工作日内补齐" in desk.widget.panel.preview.text()
    desk.flow.accept()
    saved = need(desk.flow.state.saved)
    assert (
        saved.state is CaseState.ACCEPTED_WITH_TOLERANCE and saved.supplement_deadline is not None
    )
    text = pdf_text(need(desk.flow.state.issued).pdf_path)
    deadline = saved.supplement_deadline
    assert tolerable[0].name in text
    assert f"{deadline:%Y}" in text and (f"{deadline:%m}" in text or str(deadline.month) in text)


def test_correction_notice_lists_exactly_the_missing_items(
    qtbot: QtBot, make_desk: MakeDesk, reader: WireReader, catalog: Catalog
) -> None:
    desk = make_desk()
    read_card(qtbot, desk, reader)
    desk.flow.pick("matter", code_of(catalog, "二手房转移登记"))
    keys = [i for i in need(desk.flow.state.checklist).items if i.key_item]
    missing = keys[:2]
    mark_all(desk, {i.key: MaterialMark.MISSING for i in missing})
    outcome = need(desk.flow.state.outcome)
    assert outcome.decision is Decision.CORRECTION_REQUIRED
    assert desk.widget.panel.preview.property("level") == "error"
    checklist = need(desk.flow.state.checklist)
    desk.flow.accept()
    saved = need(desk.flow.state.saved)
    assert saved.state is CaseState.CORRECTION_REQUIRED
    assert desk.flow.state.checklist is None and not desk.widget.panel.accept_button.isEnabled()
    issued = need(desk.flow.state.issued)
    assert issued.kind == "notice"
    text = pdf_text(issued.pdf_path)
    assert saved.number in text and "李*明" in text
    listed = [i.name for i in checklist.items if i.name in text]
    # Every missing key item, and of the received ones none (the notice lists only what is owed).
    for item in missing:
        assert item.name in text
    received = [i for i in checklist.items if i.mark is MaterialMark.RECEIVED]
    for item in received:
        assert item.name not in text, listed


def test_reject_with_a_reason(
    qtbot: QtBot, make_desk: MakeDesk, reader: WireReader, catalog: Catalog
) -> None:
    desk = make_desk()
    read_card(qtbot, desk, reader)
    desk.flow.pick("matter", code_of(catalog, "二手房转移登记"))
    desk.prompts.reject = None
    desk.widget.panel.reject()
    unsaved = desk.flow.state.saved
    assert unsaved is None and count(desk, Case) == 0  # no reason, nothing saved
    desk.prompts.reject = "房屋已被查封，不属于受理范围"
    desk.widget.panel.reject()
    saved = need(desk.flow.state.saved)
    assert (
        saved.state is CaseState.REJECTED and saved.reject_reason == "房屋已被查封，不属于受理范围"
    )
    assert desk.flow.state.issued is None  # nothing to print for a rejection


def test_birth_bundle_asks_shared_materials_once(
    qtbot: QtBot, make_desk: MakeDesk, reader: WireReader, catalog: Catalog
) -> None:
    desk = make_desk()
    read_card(qtbot, desk, reader)
    desk.widget.panel.picker.box.setText("出生一件事")  # an IME commits the whole word at once
    first = desk.widget.panel.picker.model.rows()[0]
    assert first.kind == "bundle"
    assert "一件事" in desk.widget.panel.picker.model.data(
        desk.widget.panel.picker.model.index(0, 0)
    )
    qtbot.keyClick(desk.widget.panel.picker.box, Qt.Key.Key_Return)
    state = desk.flow.state
    assert state.bundle is not None and len(state.matters) == 4
    names = [i.name for i in need(state.checklist).items]
    keys = [i.key for i in need(state.checklist).items]
    assert len(keys) == len(set(keys))
    for key in state.bundle.shared:
        assert keys.count(key) == 1
    assert names[0] == "出生一件事联办申请表"
    mark_all(desk)
    desk.flow.accept()
    saved = need(desk.flow.state.saved)
    assert saved.title == "出生一件事"
    with desk.cases.db.read() as s:
        rows = s.scalar(select(func.count()).select_from(CaseMaterial))
    assert rows == len(keys)


def test_keyboard_only_acceptance(qtbot: QtBot, make_desk: MakeDesk, reader: WireReader) -> None:
    desk = make_desk()
    read_card(qtbot, desk, reader)
    panel = desk.widget.panel
    panel.picker.box.setFocus()
    qtbot.keyClicks(panel.picker.box, "eshfzy")
    qtbot.keyClick(panel.picker.box, Qt.Key.Key_Return)
    table = panel.table
    assert table.hasFocus()  # picking moves the focus to the checklist
    table.setCurrentIndex(table.model().index(0, 0))
    # 1 marks 已收取 and moves down; a shared row is already marked, 1 re-marks it received.
    for _ in need(desk.flow.state.checklist).items:
        key = need(table.current_key())
        item = need(desk.flow.state.checklist).item(key)
        if item.mark is None:
            qtbot.keyClick(table, Qt.Key.Key_1)
        else:
            qtbot.keyClick(table, Qt.Key.Key_Down)
    assert not need(desk.flow.state.checklist).unmarked
    # Space cycles the marks the item allows (a key item cannot be tolerated: received → shared?).
    table.setCurrentIndex(table.model().index(0, 0))
    first = need(desk.flow.state.checklist).items[0]
    qtbot.keyClick(table, Qt.Key.Key_Space)
    after = need(desk.flow.state.checklist).item(first.key).mark
    assert after is not MaterialMark.RECEIVED and (after is None or first.allows(after) is None)
    qtbot.keyClick(table, Qt.Key.Key_1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    saved = need(desk.flow.state.saved)
    assert saved is not None and saved.decision is Decision.ACCEPT
    # A second Enter (a key bounce, an impatient clerk) must not save the case twice.
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.keyClick(panel, Qt.Key.Key_F9)
    assert count(desk, Case) == 1


def test_printer_out_of_paper_keeps_the_case_and_prints_later(
    qtbot: QtBot, make_desk: MakeDesk, reader: WireReader, catalog: Catalog
) -> None:
    desk = make_desk()
    desk.printer.run_out_of_paper()
    read_card(qtbot, desk, reader)
    desk.flow.pick("matter", code_of(catalog, "二手房转移登记"))
    mark_all(desk)
    desk.flow.accept()
    saved = need(desk.flow.state.saved)
    assert (
        saved is not None and count(desk, Case) == 1
    )  # the case is saved whatever the printer does
    job = need(desk.flow.state.issued).thermal_job
    assert job and desk.print_queue.pending_jobs()  # the receipt waits in the queue
    assert not desk.printer.wait_printed(1, timeout=0.3)
    desk.printer.come_back()
    assert desk.printer.wait_printed(1, timeout=5.0)
    assert desk.print_queue.is_printed(job)


def test_database_gone_at_confirm_keeps_the_marks(
    qtbot: QtBot,
    make_desk: MakeDesk,
    reader: WireReader,
    catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = make_desk()
    read_card(qtbot, desk, reader)
    desk.flow.pick("matter", code_of(catalog, "二手房转移登记"))
    mark_all(desk)
    marks = need(desk.flow.state.checklist).marks
    db = desk.cases.db

    def gone(*_a: object, **_k: object) -> object:
        raise DatabaseUnavailable("server closed the connection unexpectedly")

    monkeypatch.setattr(db, "write", gone)
    desk.flow.accept()
    state = desk.flow.state
    assert state.saved is None and not state.busy
    assert need(state.message).error and "未保存" in need(state.message).zh
    assert "未保存" in desk.widget.panel.message.text()
    assert need(state.checklist).marks == marks  # the marks are still on screen
    assert desk.widget.panel.model.rowCount() == len(marks)
    monkeypatch.undo()
    assert count(desk, Case) == 0 and count(desk, OutboxRow) == 0  # nothing half-saved
    desk.flow.accept()  # the same marks, once the database is back
    assert desk.flow.state.saved is not None and count(desk, Case) == 1


def test_applicant_fields_are_checked_as_typed(qtbot: QtBot, make_desk: MakeDesk) -> None:
    desk = make_desk()
    form = desk.widget.applicant
    qtbot.keyClicks(form.edits["phone"], "12345")
    assert form.errors["phone"].isVisibleTo(form) and "手机" in form.errors["phone"].text()
    form.edits["phone"].clear()
    qtbot.keyClicks(form.edits["phone"], "13800138000")
    assert not form.errors["phone"].isVisibleTo(form)
    form.type_box.setCurrentIndex(form.type_box.findData(2))
    qtbot.keyClicks(form.edits["credit_code"], "91350100M000100Y4")
    assert form.errors["credit_code"].text()
    qtbot.keyClicks(form.edits["agent_number"], "110101")
    assert form.errors["agent_number"].text()


class FlakyA4:
    """An A4 printer that fails until it is fixed (a jam, a driver gone)."""

    def __init__(self) -> None:
        self.broken = True
        self.printed: list[str] = []

    def print_html(self, title: str, body: str) -> None:
        if self.broken:
            raise RuntimeError("paper jam")
        self.printed.append(title)


def test_a4_printer_failure_keeps_the_case_and_reprints_from_the_case(
    qtbot: QtBot, make_desk: MakeDesk, reader: WireReader, catalog: Catalog
) -> None:
    from counter.intake.case_detail import DetailAction
    from counter.intake.printing import DocumentPrinter

    desk = make_desk(thermal=False)
    a4 = FlakyA4()
    documents = desk.flow.documents
    assert isinstance(documents, DocumentPrinter)
    documents.a4 = a4
    read_card(qtbot, desk, reader)
    desk.flow.pick("matter", code_of(catalog, "二手房转移登记"))
    mark_all(desk)
    desk.flow.accept()
    saved = need(desk.flow.state.saved)
    assert saved is not None and count(desk, Case) == 1
    issued = need(desk.flow.state.issued)
    assert issued.failed == ("A4",) and issued.pdf_path  # the PDF copy is there anyway
    assert need(desk.flow.state.message).error and "已保存" in need(desk.flow.state.message).zh
    assert desk.flow.failed_documents == [("receipt", saved.number)]
    a4.broken = False
    detail = desk.widget.open_case(saved.number)
    qtbot.addWidget(detail)
    detail.press(DetailAction.REPRINT)
    assert a4.printed == ["受理回执"] and desk.flow.failed_documents == []


def test_a4_receipt_through_qt_print_support(
    tmp_path: Path, make_desk: MakeDesk, catalog: Catalog
) -> None:
    """QtA4Printer draws the receipt with QPrinter (here into Qt's own PDF output)."""
    from counter.intake.printing import DocumentPrinter, QtA4Printer

    desk = make_desk(thermal=False)
    out = tmp_path / "a4.pdf"
    documents = desk.flow.documents
    assert isinstance(documents, DocumentPrinter)
    documents.a4 = QtA4Printer(pdf_file=str(out))
    desk.flow.set_field("name", "李晓明")
    desk.flow.set_field("number", RESIDENT_NUMBER)
    desk.flow.pick("matter", code_of(catalog, "食品经营许可"))
    tolerable = next(i for i in need(desk.flow.state.checklist).items if i.tolerable)
    mark_all(desk, {tolerable.key: MaterialMark.TOLERATED})
    desk.flow.accept()
    saved = need(desk.flow.state.saved)
    assert need(desk.flow.state.issued).a4
    text = pdf_text(out)
    assert saved.number in text and "李*明" in text and tolerable.name in text
    assert f"{saved.supplement_deadline:%Y年%m月%d日}" in text


def test_tab_keys_named_in_the_titles_switch_tabs(
    qtbot: QtBot, make_desk: MakeDesk
) -> None:
    """The titles say 办件 F7 and 受理 F8; F2 stays the call panel's recall."""
    desk = make_desk()
    widget = desk.widget
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=3000)
    assert "F8" in widget.tabText(0) and "F7" in widget.tabText(2)
    qtbot.keyClick(widget, Qt.Key.Key_F7)
    assert widget.currentWidget() is widget.case_desk
    qtbot.keyClick(widget, Qt.Key.Key_F8)
    assert widget.currentWidget() is widget.panel
