"""Real cases for the self-service tests: accepted through CaseService, moved through its states.

The holder (the simulator's sample card when ``holder_id`` is its number) has three cases; a
stranger has one that must never appear on the holder's screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common.catalog.loader import load_catalog_file
from common.catalog.model import Catalog
from common.clock import Clock
from common.config import Settings
from common.db.engine import HallDatabase
from common.intake.applicant import Applicant, ApplicantType, Person
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseDraft, CaseService
from common.intake.checklist import SharedData, build_checklist
from common.intake.words import CaseAction, MaterialMark
from common.people import check_character

ROOT = Path(__file__).resolve().parents[3]
STRANGER_ID = "35010219850303345" + check_character("35010219850303345")  # invented
STRANGER_NAME = "赵文静"
HOLDER_PHONE = "13800138000"
STRANGER_PHONE = "13900139111"


@dataclass(frozen=True)
class Seeded:
    """Case numbers the tests look for."""

    tolerated: str  # 容缺受理: one item still owed, with its deadline
    ready: str  # 审批通过 → 待出件: collect at the window
    mailed: str  # 已出件 by mail, with a tracking number
    stranger: str  # someone else's case


def catalog() -> Catalog:
    return load_catalog_file(ROOT / "resources" / "catalog" / "demo.toml")


def _draft(cat: Catalog, person: Person, *, tolerate: bool, window: int) -> CaseDraft:
    # 个体工商户设立登记 tolerates 经营场所使用证明 (容缺); 二手房转移登记 tolerates
    # nothing unshared.
    name = "个体工商户设立登记" if tolerate else "二手房转移登记"
    matter = next(m for m in cat.matters.values() if m.name == name)
    checklist = build_checklist([matter], shared=SharedData(id_card=True))
    for item in checklist.items:
        if item.mark is not None:
            continue
        if tolerate and item.tolerable:
            mark = MaterialMark.TOLERATED
        elif item.not_applicable_when:
            mark = MaterialMark.NOT_APPLICABLE
        elif item.replaced_by is not None:
            mark = MaterialMark.SHARED
        else:
            mark = MaterialMark.RECEIVED
        checklist = checklist.mark(item.key, mark)
    return CaseDraft(
        checklist,
        Applicant(ApplicantType.NATURAL_PERSON, person),
        window=window,
        catalog_version=cat.version,
    )


def seed(
    db: HallDatabase, settings: Settings, clock: Clock, holder_id: str, holder_name: str
) -> Seeded:
    cases = CaseService(db, settings, clock, HallCalendar())
    cat = catalog()
    holder = Person.checked(holder_name, holder_id, phone=HOLDER_PHONE)
    stranger = Person.checked(STRANGER_NAME, STRANGER_ID, phone=STRANGER_PHONE)
    tolerated = cases.accept(_draft(cat, holder, tolerate=True, window=3), actor="w3").number
    ready = cases.accept(_draft(cat, holder, tolerate=False, window=5), actor="w5").number
    for action in (CaseAction.START_REVIEW, CaseAction.APPROVE, CaseAction.MARK_READY):
        cases.transition(ready, action, actor="backoffice")
    mailed = cases.accept(_draft(cat, holder, tolerate=False, window=2), actor="w2").number
    for action in (CaseAction.START_REVIEW, CaseAction.APPROVE, CaseAction.MARK_READY):
        cases.transition(mailed, action, actor="backoffice")
    cases.deliver(
        mailed,
        actor="w2",
        method="mail",
        mail={"carrier": "EMS", "tracking_number": "1190000000001", "address": "鼓楼区某路1号"},
    )
    stranger_case = cases.accept(_draft(cat, stranger, tolerate=True, window=4), actor="w4").number
    return Seeded(tolerated, ready, mailed, stranger_case)
