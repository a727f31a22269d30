"""A counter stand-in for the case concurrency and crash tests: accepts 二手房转移登记 cases and
prints each case number after its transaction committed (so "printed" means "a receipt could
have been printed")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common.catalog.loader import load_catalog_file
from common.clock import DatabaseClock
from common.config import settings_from_dict
from common.db.engine import HallDatabase, make_engine
from common.intake.applicant import Applicant, ApplicantType, Person
from common.intake.cases import CaseDraft, CaseService
from common.intake.checklist import SharedData, build_checklist
from common.intake.words import MaterialMark
from common.people import check_character

ROOT = Path(__file__).resolve().parents[3]
SETTINGS: dict[str, object] = {"hall": {"secret": "test-secret-not-for-production"}}
APPLICANT = "35010219800101123" + check_character("35010219800101123")  # invented


def draft() -> CaseDraft:
    catalog = load_catalog_file(ROOT / "resources" / "catalog" / "demo.toml")
    matter = next(m for m in catalog.matters.values() if m.name == "二手房转移登记")
    checklist = build_checklist([matter], shared=SharedData(id_card=True))
    for item in checklist.items:
        if item.mark is None:
            mark = (
                MaterialMark.NOT_APPLICABLE if item.not_applicable_when else MaterialMark.RECEIVED
            )
            checklist = checklist.mark(item.key, mark)
    person = Person.checked("林晓燕", APPLICANT, phone="13800138000")
    return CaseDraft(checklist, Applicant(ApplicantType.NATURAL_PERSON, person), window=1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    cases = CaseService(
        HallDatabase(make_engine(args.url)), settings_from_dict(SETTINGS), DatabaseClock()
    )
    d = draft()
    for _ in range(args.count):
        case = cases.accept(d, actor="w1")
        sys.stdout.write(f"{case.number}\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
