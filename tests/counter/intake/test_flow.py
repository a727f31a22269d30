"""IntakeFlow without Qt: picking, combining, marks, the card's shared data, refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from common.catalog.model import Catalog
from common.catalog.search import CatalogIndex
from common.devices.idcard.card import CardType, Gender, IdentityCard
from common.intake.cases import CaseDraft
from common.intake.words import Decision, MaterialMark
from counter.intake.flow import IntakeFlow, IntakeState
from tests.conftest import make_settings
from tests.counter.intake.conftest import need


class Inline:
    def submit(self, fn: Callable[[], Any], on_done: Any = None, on_error: Any = None) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error:
                on_error(exc)
        else:
            if on_done:
                on_done(result)


class Recorder:
    def __init__(self) -> None:
        self.states: list[IntakeState] = []

    def show_intake(self, state: IntakeState) -> None:
        self.states.append(state)


class NoCases:
    """Records drafts; the tests here never reach the database."""

    def __init__(self) -> None:
        self.drafts: list[CaseDraft] = []

    def accept(self, draft: CaseDraft, *, actor: str, resubmission_of: str | None = None) -> Any:
        self.drafts.append(draft)
        raise RuntimeError("not in this test")

    def receipt_data(self, number: str, *, staff_name: str = "") -> Any: ...

    def correction_notice_data(self, number: str, *, staff_name: str = "") -> Any: ...


CARD = IdentityCard(
    CardType.RESIDENT,
    "李晓明",
    Gender.MALE,
    dt.date(1988, 5, 14),
    "350102198805141236",
    dt.date(2019, 6, 1),
    dt.date(2039, 6, 1),
)


def flow(catalog: Catalog, index: CatalogIndex, **intake: object) -> IntakeFlow:
    settings = make_settings(intake=intake) if intake else make_settings()
    f = IntakeFlow(NoCases(), Inline(), Recorder(), settings=settings, actor="w1", window=1)
    f.set_catalog(catalog, index)
    return f


def code(catalog: Catalog, name: str) -> str:
    return next(m.code for m in catalog.matters.values() if m.name == name)


def test_card_after_the_pick_premarks_only_unmarked_id_items(
    catalog: Catalog, index: CatalogIndex
) -> None:
    f = flow(catalog, index)
    f.pick("matter", code(catalog, "二手房转移登记"))
    assert all(i.mark is None for i in need(f.state.checklist).items)
    f.on_card(CARD)
    marks = {i.name: i.mark for i in need(f.state.checklist).items}
    assert marks["申请人身份证明"] is MaterialMark.SHARED
    assert f.state.fields["name"] == "李晓明" and f.state.card


def test_combining_matters_follows_the_hall(catalog: Catalog, index: CatalogIndex) -> None:
    f = flow(catalog, index)
    f.pick("matter", code(catalog, "二手房转移登记"))
    first = next(i.key for i in need(f.state.checklist).items if i.key_item)
    f.mark(first, MaterialMark.RECEIVED)
    f.pick("matter", code(catalog, "抵押权登记"), combine=True)
    assert [m.name for m in f.state.matters] == ["二手房转移登记", "抵押权登记"]
    keys = [i.key for i in need(f.state.checklist).items]
    assert len(keys) == len(set(keys))  # 不动产权属证书 asked once
    assert need(f.state.checklist).item(first).mark is MaterialMark.RECEIVED  # marks carried over
    g = flow(catalog, index, combine_matters=False)
    g.pick("matter", code(catalog, "二手房转移登记"))
    g.pick("matter", code(catalog, "抵押权登记"), combine=True)
    assert [m.name for m in g.state.matters] == ["二手房转移登记"]
    assert g.state.message is not None and need(g.state.message).error


def test_space_cycles_only_marks_the_item_allows(catalog: Catalog, index: CatalogIndex) -> None:
    f = flow(catalog, index)
    f.pick("matter", code(catalog, "二手房转移登记"))
    key_item = next(i for i in need(f.state.checklist).items if i.key_item)
    seen = []
    for _ in range(4):
        f.cycle(key_item.key)
        seen.append(need(f.state.checklist).item(key_item.key).mark)
    # A key item may not be tolerated, shared or not applicable: received → missing → none …
    assert seen == [MaterialMark.RECEIVED, MaterialMark.MISSING, None, MaterialMark.RECEIVED]
    f.mark(key_item.key, MaterialMark.TOLERATED)
    assert f.state.message is not None and "不能标记" in need(f.state.message).zh


def test_preview_names_what_decides(catalog: Catalog, index: CatalogIndex) -> None:
    f = flow(catalog, index)
    f.pick("matter", code(catalog, "食品经营许可"))
    assert f.state.outcome is None
    owed = next(i for i in need(f.state.checklist).items if i.tolerable)
    f.mark(owed.key, MaterialMark.MISSING)  # a tolerable item not there is owed
    f.mark_rest(MaterialMark.RECEIVED)
    assert need(f.state.outcome).decision is Decision.ACCEPT_WITH_TOLERANCE
    assert owed.name in need(f.state.outcome).because_zh


def test_search_puts_recent_matters_first(catalog: Catalog, index: CatalogIndex) -> None:
    f = flow(catalog, index)
    assert f.search("") == []
    f.pick("matter", code(catalog, "抵押权登记"))
    f.pick("bundle", "YJS-CS-0001")
    assert [h.name for h in f.search("")] == ["出生一件事", "抵押权登记"]


def test_a_new_ticket_clears_the_desk(catalog: Catalog, index: CatalogIndex) -> None:
    f = flow(catalog, index)
    f.on_card(CARD)
    f.pick("matter", code(catalog, "二手房转移登记"))
    f.set_ticket(42)
    assert f.state.checklist is None and not f.state.card and "name" not in f.state.fields
    assert f.card is None


@pytest.mark.parametrize(
    "phone, ok", [("13800138000", True), ("0591-87654321", True), ("12345", False)]
)
def test_phone_checked_as_typed(
    catalog: Catalog, index: CatalogIndex, phone: str, ok: bool
) -> None:
    f = flow(catalog, index)
    f.set_field("phone", phone)
    assert ("phone" not in f.state.errors) is ok
