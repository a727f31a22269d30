"""The case desk and a case's page: lists, legal actions only, supplement, hand-over against the
ID card (the real reader driver on the simulator), mail, withdraw, audited reveal; and the
models under qtmodeltester."""

from __future__ import annotations

import sys

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from common.catalog.model import Catalog
from common.db.models import AuditLog
from common.intake.applicant import Applicant, ApplicantType, Person
from common.intake.cases import CaseDraft, CaseService, CaseView
from common.intake.checklist import SharedData, build_checklist
from common.intake.words import CaseAction, CaseState, MaterialMark
from common.people import check_character
from counter.intake.case_detail import CaseDetail, DetailAction
from counter.intake.queries import DeskList, list_cases
from tests.conftest import MONDAY_9AM
from tests.counter.intake.conftest import Desk, MakeDesk, WireReader, need

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the reader simulator needs a pty")

RESIDENT = "350102198805141236"  # the simulator's "resident" card (invented)
AGENT = "35010219900202234" + check_character("35010219900202234")  # invented


def state_of(detail: CaseDetail) -> CaseState | None:
    """The page's state read afresh (an earlier assert must not narrow what an action changes)."""
    return detail.state


def accept(
    cases: CaseService,
    catalog: Catalog,
    name: str,
    *,
    tolerate: bool = False,
    missing: bool = False,
    agent: bool = False,
) -> CaseView:
    matter = next(m for m in catalog.matters.values() if m.name == name)
    checklist = build_checklist([matter], shared=SharedData(id_card=True))
    key_missing = next((i.key for i in checklist.items if i.key_item), "") if missing else ""
    for item in checklist.items:
        if item.mark is not None:
            continue
        if item.key == key_missing:
            mark = MaterialMark.MISSING
        elif tolerate and item.tolerable:
            mark = MaterialMark.TOLERATED
        else:
            mark = MaterialMark.RECEIVED
        checklist = checklist.mark(item.key, mark)
    applicant = Applicant(
        ApplicantType.NATURAL_PERSON,
        Person.checked("李晓明", RESIDENT),
        agent=Person.checked("陈建国", AGENT) if agent else None,
    )
    return cases.accept(CaseDraft(checklist, applicant, window=1), actor="w1")


def ready(cases: CaseService, view: CaseView) -> None:
    cases.transition(view.number, CaseAction.APPROVE, actor="backoffice")
    cases.transition(view.number, CaseAction.MARK_READY, actor="backoffice")


def enabled(detail: CaseDetail) -> set[DetailAction]:
    return {a for a, b in detail.buttons.items() if b.isEnabled()}


def test_lists_for_the_window_and_the_hall(make_desk: MakeDesk, catalog: Catalog) -> None:
    desk: Desk = make_desk()
    a = accept(desk.cases, catalog, "二手房转移登记")
    b = accept(desk.cases, catalog, "食品经营许可", tolerate=True)
    c = accept(desk.cases, catalog, "二手房转移登记", missing=True)
    today = MONDAY_9AM.date()
    assert {r.number for r in list_cases(desk.cases, DeskList.TODAY, today=today, window=1)} == {
        a.number,
        b.number,
        c.number,
    }
    assert list_cases(desk.cases, DeskList.TODAY, today=today, window=2) == []
    assert [r.number for r in list_cases(desk.cases, DeskList.TOLERATED, today=today)] == [b.number]
    assert [r.number for r in list_cases(desk.cases, DeskList.CORRECTION, today=today)] == [
        c.number
    ]
    assert [
        r.number for r in list_cases(desk.cases, DeskList.TODAY, today=today, text=b.number)
    ] == [b.number]
    ready(desk.cases, a)
    assert [r.number for r in list_cases(desk.cases, DeskList.READY, today=today)] == [a.number]
    widget = desk.widget.case_desk
    widget.show_list(DeskList.TODAY)
    assert widget.model.rowCount() == 3
    widget.filter.setText(c.number)
    widget.refresh()
    assert [r.number for r in widget.model.rows()] == [c.number]


def test_supplement_completes_a_tolerated_case(
    qtbot: QtBot, make_desk: MakeDesk, catalog: Catalog
) -> None:
    desk: Desk = make_desk()
    b = accept(desk.cases, catalog, "食品经营许可", tolerate=True)
    detail = desk.widget.open_case(b.number)
    qtbot.addWidget(detail)
    assert DetailAction.SUPPLEMENT in enabled(detail)
    assert DetailAction.HAND_OVER not in enabled(detail)
    detail.press(DetailAction.SUPPLEMENT)
    assert detail.state is CaseState.ACCEPTED
    assert DetailAction.SUPPLEMENT not in enabled(detail)
    assert any("补齐" in detail.history.item(i).text() for i in range(detail.history.count()))


def test_illegal_actions_are_disabled(qtbot: QtBot, make_desk: MakeDesk, catalog: Catalog) -> None:
    desk: Desk = make_desk()
    accepted = accept(desk.cases, catalog, "二手房转移登记")
    detail = desk.widget.open_case(accepted.number)
    qtbot.addWidget(detail)
    # Accepted: withdraw and reprint; no supplement (nothing owed), no hand-over, no resubmit.
    assert enabled(detail) == {DetailAction.WITHDRAW, DetailAction.REPRINT, DetailAction.REVEAL}
    detail.press(DetailAction.HAND_OVER)  # a press on a disabled action does nothing
    assert detail.state is CaseState.ACCEPTED
    detail.press(DetailAction.WITHDRAW)
    assert state_of(detail) is CaseState.WITHDRAWN
    assert enabled(detail) == {DetailAction.REPRINT, DetailAction.REVEAL}
    correction = accept(desk.cases, catalog, "二手房转移登记", missing=True)
    page = desk.widget.open_case(correction.number)
    qtbot.addWidget(page)
    assert DetailAction.RESUBMIT in enabled(page) and DetailAction.MAIL not in enabled(page)


def test_withdraw_needs_a_reason(qtbot: QtBot, make_desk: MakeDesk, catalog: Catalog) -> None:
    desk: Desk = make_desk()
    view = accept(desk.cases, catalog, "二手房转移登记")
    detail = desk.widget.open_case(view.number)
    qtbot.addWidget(detail)
    desk.prompts.withdraw = None
    detail.press(DetailAction.WITHDRAW)
    assert detail.state is CaseState.ACCEPTED


def test_hand_over_refuses_the_wrong_persons_card(
    qtbot: QtBot, make_desk: MakeDesk, reader: WireReader, catalog: Catalog
) -> None:
    desk: Desk = make_desk()
    view = accept(desk.cases, catalog, "二手房转移登记")
    ready(desk.cases, view)
    detail = desk.widget.open_case(view.number)
    qtbot.addWidget(detail)
    assert DetailAction.HAND_OVER not in enabled(detail)  # no card read since the page opened
    sim = reader(desk.widget)
    sim.place_card("elderly")  # somebody else's card
    qtbot.waitUntil(lambda: detail.card is not None, timeout=5000)
    detail.press(DetailAction.HAND_OVER)
    assert detail.state is CaseState.READY_FOR_DELIVERY
    assert "不是申请人或代办人本人" in detail.message.text()
    sim.remove_card()
    qtbot.wait(100)
    sim.place_card("resident")
    qtbot.waitUntil(
        lambda: detail.card is not None and detail.card.number == RESIDENT, timeout=5000
    )
    with qtbot.waitSignal(detail.handed_over, timeout=2000):
        detail.press(DetailAction.HAND_OVER)
    assert state_of(detail) is CaseState.DELIVERED
    # The hand-over is rated next, on the citizen's view.
    rating = desk.widget.rating
    assert rating is not None and rating.case_number == view.number
    rating.result = "test"
    rating.close()


def test_delivery_by_mail(qtbot: QtBot, make_desk: MakeDesk, catalog: Catalog) -> None:
    desk: Desk = make_desk()
    view = accept(desk.cases, catalog, "二手房转移登记")
    ready(desk.cases, view)
    detail = desk.widget.open_case(view.number)
    qtbot.addWidget(detail)
    desk.prompts.mail = {"carrier": "EMS", "tracking_number": "", "address": "示范路1号"}
    detail.press(DetailAction.MAIL)
    assert detail.state is CaseState.READY_FOR_DELIVERY
    assert (
        "邮寄须填写" in detail.message.text()
    )  # the engine's words: the tracking number is missing
    desk.prompts.mail = {"carrier": "EMS", "tracking_number": "1234567890", "address": "示范路1号"}
    detail.press(DetailAction.MAIL)
    assert state_of(detail) is CaseState.DELIVERED


def test_reveal_is_audited(qtbot: QtBot, make_desk: MakeDesk, catalog: Catalog) -> None:
    desk: Desk = make_desk()
    view = accept(desk.cases, catalog, "二手房转移登记")
    detail = desk.widget.open_case(view.number)
    qtbot.addWidget(detail)
    assert RESIDENT not in detail.applicant.text() and "李*明" in detail.applicant.text()
    detail.press(DetailAction.REVEAL)
    assert RESIDENT in detail.applicant.text()
    with desk.cases.db.read() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "case.reveal_applicant")).all()
    assert [(r.actor, r.target) for r in rows] == [("w1", view.number)]


def test_resubmission_after_correction(
    qtbot: QtBot, make_desk: MakeDesk, reader: WireReader, catalog: Catalog
) -> None:
    desk: Desk = make_desk()
    sim = reader(desk.widget)
    sim.place_card("resident")
    qtbot.waitUntil(lambda: desk.flow.card is not None, timeout=5000)
    first = accept(desk.cases, catalog, "二手房转移登记", missing=True)
    detail = desk.widget.open_case(first.number)
    qtbot.addWidget(detail)
    detail.press(DetailAction.RESUBMIT)
    assert desk.flow.resubmission_of == first.number
    for item in need(desk.flow.state.checklist).items:
        if item.mark is None:
            desk.flow.mark(item.key, MaterialMark.RECEIVED)
    desk.flow.accept()
    second = need(desk.flow.state.saved)
    assert second is not None and second.resubmission_of == first.number
    assert desk.cases.case(first.number).state is CaseState.RESUBMITTED


def test_models_pass_qtmodeltester(
    qtmodeltester: ModelTester, make_desk: MakeDesk, catalog: Catalog
) -> None:
    desk: Desk = make_desk()
    accept(desk.cases, catalog, "二手房转移登记")
    desk.flow.pick("bundle", "YJS-CS-0001")
    panel = desk.widget.panel
    qtmodeltester.check(panel.model)
    desk.flow.mark(need(desk.flow.state.checklist).items[0].key, MaterialMark.RECEIVED)
    qtmodeltester.check(panel.model)
    panel.picker.box.setText("eshf")
    qtmodeltester.check(panel.picker.model)
    desk.widget.case_desk.refresh()
    qtmodeltester.check(desk.widget.case_desk.model)


def test_flagged_list_agrees_with_the_engines_watch_list(
    make_desk: MakeDesk, catalog: Catalog
) -> None:
    """The desk orders and cuts 电子监察 in SQL; it must say what CaseService.watch_list says."""
    import datetime as dt

    desk: Desk = make_desk()
    views = [
        accept(desk.cases, catalog, "二手房转移登记"),
        accept(desk.cases, catalog, "食品经营许可", tolerate=True),
        accept(desk.cases, catalog, "户口迁移"),
        accept(desk.cases, catalog, "居住证办理"),
    ]
    desk.cases.transition(views[0].number, CaseAction.START_REVIEW, actor="backoffice")
    dates = sorted(
        {v.promised_date for v in views if v.promised_date}
        | {v.supplement_deadline for v in views if v.supplement_deadline}
    )
    checked = 0
    for day in dates:
        for delta in (-2, -1, 0, 1, 2, 10):
            today = day + dt.timedelta(days=delta)
            for window in (1, None):
                engine = [
                    (i.number, i.level.value) for i in desk.cases.watch_list(today, window=window)
                ]
                mine = [
                    (r.number, r.flag)
                    for r in list_cases(desk.cases, DeskList.FLAGGED, today=today, window=window)
                ]
                assert mine == engine, today
                checked += bool(engine)
    assert checked  # some days did flag something
