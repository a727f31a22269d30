"""The intake rules without a database: checklist, decision, applicant, state machine, clock.

Property tests (hypothesis) hold the rules of DESIGN.md "Intake" for any marks: the decision is
a function of the marks; no acceptance with a key item missing; the correction notice lists
exactly the missing key items; in a bundle every shared material appears once; transitions
outside the table are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.catalog.model import (
    Area,
    Bundle,
    CaseType,
    Catalog,
    Material,
    MaterialForm,
    Matter,
    MatterType,
    SharedSource,
    SharedSourceKind,
)
from common.intake.applicant import (
    Applicant,
    ApplicantType,
    CertificateType,
    InvalidApplicant,
    Organisation,
    Person,
    validate_phone,
)
from common.intake.checklist import (
    Checklist,
    InvalidMark,
    SharedData,
    build_checklist,
    checklist_for_bundle,
)
from common.intake.decision import DecisionIncomplete, RejectWithoutReason, decide, preview
from common.intake.states import (
    TRANSITIONS,
    ClockStop,
    IllegalTransition,
    legal_actions,
    next_state,
    promised_date,
)
from common.intake.words import CaseAction, CaseState, ClockStopKind, Decision, MaterialMark
from common.people import check_character

ID_CARD = SharedSource(source=SharedSourceKind.ID_CARD)
MARRIAGE_CERT = SharedSource(
    source=SharedSourceKind.E_CERTIFICATE, certificate_type="11100000000013338W011"
)


def mat(key: str, name: str, form: MaterialForm = MaterialForm.ORIGINAL, **kw: Any) -> Material:
    return Material(key=key, name=name, form=form, **kw)


def matter(code: str, name: str, materials: tuple[Material, ...], promised: int = 1) -> Matter:
    return Matter(
        code=code,
        name=name,
        area=Area.REAL_ESTATE,
        type=MatterType.LICENSING,
        case_type=CaseType.PROMISED if promised else CaseType.ON_THE_SPOT,
        statutory_days=30,
        promised_days=promised,
        version="1",
        department="不动产登记中心",
        materials=materials,
    )


RESALE = matter(
    "RE-0001",
    "二手房转移登记",
    (
        mat("property_certificate", "不动产权属证书", key_item=True),
        mat("sale_contract", "买卖合同", key_item=True, copies=2),
        mat("id_card", "申请人身份证明", MaterialForm.COPY, replaced_by=ID_CARD),
        mat("tax_receipt", "完税凭证", MaterialForm.COPY, tolerable=True),
        mat("power_of_attorney", "授权委托书", not_applicable_when="本人办理时"),
    ),
)


def person(seed: str = "11010519491231002") -> str:
    return seed + check_character(seed)


# --------------------------------------------------------------------------- checklist


def test_id_card_read_premarks_the_shared_item() -> None:
    plain = build_checklist([RESALE])
    assert plain.item("id_card").mark is None
    read = build_checklist([RESALE], shared=SharedData(id_card=True))
    assert read.item("id_card").mark is MaterialMark.SHARED
    assert [i.mark for i in read.items].count(None) == 4


def test_marks_the_item_does_not_allow_are_refused() -> None:
    checklist = build_checklist([RESALE])
    with pytest.raises(InvalidMark, match="不可容缺"):
        checklist.mark("property_certificate", MaterialMark.TOLERATED)
    with pytest.raises(InvalidMark, match="共享"):
        checklist.mark("sale_contract", MaterialMark.SHARED)
    with pytest.raises(InvalidMark, match="免交"):
        checklist.mark("sale_contract", MaterialMark.NOT_APPLICABLE)
    assert (
        checklist.mark("power_of_attorney", MaterialMark.NOT_APPLICABLE)
        .item("power_of_attorney")
        .mark
    )


def test_shared_material_is_asked_once_with_the_strictest_form_and_most_copies() -> None:
    a = matter(
        "A-1", "甲", (mat("hukou_book", "户口簿", MaterialForm.COPY, copies=1, tolerable=True),)
    )
    b = matter("B-1", "乙", (mat("hukou_book", "户口簿", MaterialForm.ORIGINAL, copies=2),))
    checklist = build_checklist([a, b])
    (item,) = checklist.items
    assert (item.form, item.copies, item.tolerable, item.matters) == (
        MaterialForm.ORIGINAL,
        2,
        False,
        ("A-1", "B-1"),
    )
    assert item.requirement == "原件2份"


def test_the_same_matter_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        build_checklist([RESALE, RESALE])


_BUNDLE_MATTERS = (
    matter(
        "BIRTH-1",
        "出生医学证明首次签发",
        (
            mat("parent_id", "父母身份证", replaced_by=ID_CARD),
            mat("birth_record", "分娩记录", key_item=True),
        ),
    ),
    matter(
        "BIRTH-2",
        "户口登记",
        (
            mat("parent_id", "父母身份证", replaced_by=ID_CARD),
            mat("hukou_book", "户口簿", key_item=True),
            mat("marriage", "结婚证", MaterialForm.COPY, replaced_by=MARRIAGE_CERT),
        ),
    ),
    matter(
        "BIRTH-3",
        "医保参保",
        (
            mat("parent_id", "父母身份证", replaced_by=ID_CARD),
            mat("hukou_book", "户口簿", MaterialForm.COPY),
        ),
    ),
    matter(
        "BIRTH-4",
        "社保卡申领",
        (
            mat("photo", "近期照片", MaterialForm.ELECTRONIC, key_item=True),
            mat("hukou_book", "户口簿", MaterialForm.COPY),
        ),
    ),
)
BIRTH = Bundle(
    code="B-BIRTH",
    name="出生一件事",
    matters=tuple(m.code for m in _BUNDLE_MATTERS),
    promised_days=5,
    shared=("parent_id", "hukou_book"),
    materials=(mat("joint_form", "出生一件事联办申请表", key_item=True),),
)
CATALOG = Catalog(
    version="t1",
    name="test",
    matters={m.code: m for m in _BUNDLE_MATTERS},
    bundles={BIRTH.code: BIRTH},
)


def test_bundle_checklist_asks_shared_materials_once_and_premarks_e_certificates() -> None:
    shared = SharedData(id_card=True, certificate_types=frozenset({MARRIAGE_CERT.certificate_type}))
    checklist = checklist_for_bundle(CATALOG, "B-BIRTH", shared=shared)
    keys = [i.key for i in checklist.items]
    assert keys == ["joint_form", "parent_id", "birth_record", "hukou_book", "marriage", "photo"]
    assert checklist.item("hukou_book").form is MaterialForm.ORIGINAL
    assert checklist.item("hukou_book").key_item
    assert checklist.item("parent_id").mark is MaterialMark.SHARED
    assert checklist.item("marriage").mark is MaterialMark.SHARED
    assert checklist.title == "出生一件事"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_BUNDLE_MATTERS), min_size=1, max_size=4, unique_by=lambda m: m.code)
)
def test_any_combination_lists_every_material_once(matters: list[Matter]) -> None:
    checklist = build_checklist(matters)
    keys = [i.key for i in checklist.items]
    assert len(keys) == len(set(keys))
    assert set(keys) == {m.key for matter in matters for m in matter.materials}


# --------------------------------------------------------------------------- decision

MARKS = list(MaterialMark)


@st.composite
def marked(draw: st.DrawFn) -> tuple[Checklist, dict[str, MaterialMark]]:
    matters = draw(
        st.lists(
            st.sampled_from([RESALE, *_BUNDLE_MATTERS]),
            min_size=1,
            max_size=3,
            unique_by=lambda m: m.code,
        )
    )
    checklist = build_checklist(matters)
    marks: dict[str, MaterialMark] = {}
    for item in checklist.items:
        allowed = [m for m in MARKS if item.allows(m) is None]
        marks[item.key] = draw(st.sampled_from(allowed))
    return checklist.mark_all(marks), marks


@settings(max_examples=200, deadline=None)
@given(marked())
def test_the_decision_is_a_function_of_the_marks(
    case: tuple[Checklist, dict[str, MaterialMark]],
) -> None:
    checklist, marks = case
    outcome = decide(checklist)
    # Same marks, built again in another order → same decision.
    rebuilt = build_checklist(checklist.matters).mark_all(dict(reversed(list(marks.items()))))
    assert decide(rebuilt) == outcome
    key_missing = {i.key for i in checklist.items if i.key_item and i.mark is MaterialMark.MISSING}
    if key_missing:
        assert outcome.decision is Decision.CORRECTION_REQUIRED
        assert {i.key for i in outcome.missing} == key_missing  # exactly the missing key items
    else:
        assert outcome.decision in (Decision.ACCEPT, Decision.ACCEPT_WITH_TOLERANCE)
        assert not outcome.missing
    owed = {
        i.key
        for i in checklist.items
        if i.mark is MaterialMark.TOLERATED or (i.tolerable and i.mark is MaterialMark.MISSING)
    }
    assert {i.key for i in outcome.tolerated} == owed
    if not key_missing:
        assert (outcome.decision is Decision.ACCEPT_WITH_TOLERANCE) == bool(owed)
    assert preview(checklist) == outcome


def test_resale_decisions_and_their_reasons() -> None:
    base = build_checklist([RESALE], shared=SharedData(id_card=True)).mark_all(
        {
            "property_certificate": MaterialMark.RECEIVED,
            "sale_contract": MaterialMark.RECEIVED,
            "power_of_attorney": MaterialMark.NOT_APPLICABLE,
        }
    )
    with pytest.raises(DecisionIncomplete, match="完税凭证"):
        decide(base)
    assert preview(base) is None
    full = decide(base.mark("tax_receipt", MaterialMark.RECEIVED))
    assert full.decision is Decision.ACCEPT and full.because_zh == "要件齐全"
    tolerated = decide(base.mark("tax_receipt", MaterialMark.TOLERATED))
    assert (
        tolerated.decision is Decision.ACCEPT_WITH_TOLERANCE
        and tolerated.because_zh == "容缺材料：完税凭证"
    )
    missing = base.mark("tax_receipt", MaterialMark.TOLERATED).mark(
        "sale_contract", MaterialMark.MISSING
    )
    outcome = decide(missing)
    assert outcome.decision is Decision.CORRECTION_REQUIRED
    assert [i.name for i in outcome.missing] == ["买卖合同"]
    assert outcome.missing[0].requirement == "原件2份"
    # A missing key item decides at once, before the rest is ticked.
    early = preview(base.mark("sale_contract", MaterialMark.MISSING))
    assert early is not None and early.decision is Decision.CORRECTION_REQUIRED


def test_reject_needs_a_reason() -> None:
    checklist = build_checklist([RESALE])
    with pytest.raises(RejectWithoutReason):
        decide(checklist, reject_reason="  ")
    outcome = decide(checklist, reject_reason="不属于本中心受理范围")
    assert outcome.decision is Decision.REJECT and "不属于" in outcome.because_zh


# --------------------------------------------------------------------------- applicant


def test_person_is_validated_and_masked() -> None:
    number = person()
    p = Person.checked(" 张三丰 ", number, phone="+86 138 0013 8000")
    assert (p.name, p.phone) == ("张三丰", "13800138000")
    assert number not in repr(p) and "张三丰" not in repr(p)
    with pytest.raises(InvalidApplicant) as bad:
        Person.checked("张三丰", number[:17] + ("0" if number[17] != "0" else "1"))
    assert bad.value.field == "applicant.number" and "校验位" in bad.value.message_zh
    assert number not in str(bad.value)
    with pytest.raises(InvalidApplicant, match=r"applicant\.name"):
        Person.checked("", number)
    with pytest.raises(InvalidApplicant, match=r"agent\.phone"):
        Person.checked("李四", number, phone="12345", field="agent")
    assert Person.checked("John", "E12345678", CertificateType.PASSPORT).number == "E12345678"


def test_phone_shapes() -> None:
    assert validate_phone("010-62345678") == "010-62345678"
    assert validate_phone("0591 8765 4321") == "059187654321"
    for bad in ("1380013800", "23800138000", "abc", ""):
        with pytest.raises(InvalidApplicant):
            validate_phone(bad)


def test_organisation_needs_a_valid_credit_code() -> None:
    code = "91350100MA2Y7K3H2N"  # invented; both check characters valid
    org = Organisation.checked("福州示例科技有限公司", code, "王五")
    contact = Person.checked("赵六", person())
    applicant = Applicant(ApplicantType.ENTERPRISE, contact, organisation=org)
    assert applicant.display_name == "福州示例科技有限公司"
    with pytest.raises(InvalidApplicant) as bad:
        Organisation.checked("福州示例科技有限公司", code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert bad.value.field == "organisation.credit_code"
    with pytest.raises(InvalidApplicant, match="organisation"):
        Applicant(ApplicantType.ENTERPRISE, contact)
    with pytest.raises(InvalidApplicant, match="type"):
        Applicant(ApplicantType.NATURAL_PERSON, contact, organisation=org)
    agent = Person.checked("钱七", person("35010219800101123"))
    assert Applicant(ApplicantType.NATURAL_PERSON, contact, agent=agent).present_at_window is agent


# --------------------------------------------------------------------------- state machine


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(CaseState)), st.sampled_from(list(CaseAction)))
def test_only_transitions_in_the_table_are_allowed(state: CaseState, action: CaseAction) -> None:
    if (state, action) in TRANSITIONS:
        assert next_state(state, action, tolerated_outstanding=1) is TRANSITIONS[(state, action)]
        assert action in legal_actions(state)
    else:
        with pytest.raises(IllegalTransition) as refused:
            next_state(state, action)
        assert refused.value.state is state and state.label in refused.value.message_zh
        assert action not in legal_actions(state)


def test_final_states_allow_nothing_and_open_ones_may_be_withdrawn() -> None:
    for state in CaseState:
        if state.is_final:
            assert legal_actions(state) == frozenset()
        if state.is_open:
            assert next_state(state, CaseAction.WITHDRAW) is CaseState.WITHDRAWN


def test_the_last_supplement_completes_a_tolerated_acceptance() -> None:
    s = CaseState.ACCEPTED_WITH_TOLERANCE
    assert next_state(s, CaseAction.SUPPLEMENT, tolerated_outstanding=1) is s
    assert next_state(s, CaseAction.SUPPLEMENT, tolerated_outstanding=0) is CaseState.ACCEPTED
    assert (
        next_state(CaseState.IN_REVIEW, CaseAction.SUPPLEMENT, tolerated_outstanding=0)
        is CaseState.IN_REVIEW
    )
    with pytest.raises(IllegalTransition):
        next_state(CaseState.ACCEPTED, CaseAction.SUPPLEMENT)
    assert CaseAction.STOP_CLOCK.state_code(ClockStopKind.HEARING) == "特别程序（开始）"
    assert CaseAction.RESTART_CLOCK.state_code(ClockStopKind.CORRECTION) == "补正（结束）"


class WeekdayCalendar:
    """Monday to Friday, no holidays: enough to test the clock arithmetic on its own."""

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        d = start
        while days > 0:
            d += dt.timedelta(days=1)
            if d.weekday() < 5:
                days -= 1
        return d

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        return sum(
            1
            for n in range(1, (end - start).days + 1)
            if (start + dt.timedelta(days=n)).weekday() < 5
        )


@settings(max_examples=100, deadline=None)
@given(
    st.dates(dt.date(2026, 1, 5), dt.date(2026, 11, 27)).filter(lambda d: d.weekday() < 5),
    st.integers(0, 20),
    st.integers(0, 30),
    st.integers(0, 30),
)
def test_a_stopped_clock_moves_the_date_by_exactly_the_working_days_stopped(
    accepted: dt.date, promised: int, start_after: int, length: int
) -> None:
    calendar = WeekdayCalendar()
    stop_start = accepted + dt.timedelta(days=start_after)
    stop = ClockStop(
        ClockStopKind.EXPERT_REVIEW, stop_start, stop_start + dt.timedelta(days=length)
    )
    without = promised_date(accepted, promised, calendar)
    with_stop = promised_date(accepted, promised, calendar, [stop])
    stopped = stop.working_days(calendar)
    assert calendar.working_days_between(without, with_stop) == stopped
    # A stop still running does not move the date yet.
    assert (
        promised_date(
            accepted, promised, calendar, [ClockStop(ClockStopKind.CORRECTION, stop_start)]
        )
        == without
    )


def test_on_the_spot_is_the_same_day() -> None:
    assert promised_date(dt.date(2026, 11, 27), 0, WeekdayCalendar()) == dt.date(2026, 11, 27)
    assert promised_date(dt.date(2026, 11, 27), 1, WeekdayCalendar()) == dt.date(2026, 11, 30)
