"""``onewindow case show / list`` and ``db grants`` on a real SQLite file: masked, clear exits."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.bootstrap import open_hall
from common.catalog.store import current_catalog
from common.cli import main
from common.clock import DatabaseClock
from common.intake.applicant import Applicant, ApplicantType, Person
from common.intake.cases import CaseDraft, CaseService
from common.intake.checklist import SharedData, build_checklist
from common.intake.words import MaterialMark
from common.people import check_character
from tests.common.cli.test_cli import _config

APPLICANT_ID = "35010219800101123" + check_character("35010219800101123")  # invented


def test_seeded_hall_has_the_demo_catalog_and_cases_show_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(_config(tmp_path))
    assert main(["--config", cfg, "seed-demo"]) == 0
    hall = open_hall(cfg)
    try:
        catalog = current_catalog(hall.db)
        assert catalog is not None and len(catalog.bundles) == 2
        matter = next(m for m in catalog.matters.values() if m.name == "二手房转移登记")
        checklist = build_checklist([matter], shared=SharedData(id_card=True))
        for item in checklist.items:
            if item.mark is None:
                mark = (
                    MaterialMark.NOT_APPLICABLE
                    if item.not_applicable_when
                    else MaterialMark.RECEIVED
                )
                checklist = checklist.mark(item.key, mark)
        person = Person.checked("林晓燕", APPLICANT_ID, phone="13800138000")
        case = CaseService(hall.db, hall.settings, DatabaseClock()).accept(
            CaseDraft(checklist, Applicant(ApplicantType.NATURAL_PERSON, person), window=1),
            actor="w1",
        )
    finally:
        hall.close()
    capsys.readouterr()
    assert main(["--config", cfg, "case", "show", case.number]) == 0
    out = capsys.readouterr().out
    assert case.number in out and "二手房转移登记" in out and "林*燕" in out and "已受理" in out
    assert APPLICANT_ID not in out and "林晓燕" not in out
    assert main(["--config", cfg, "case", "show", "350102-20000101-0001"]) == 1
    assert "没有编号" in capsys.readouterr().err
    assert main(["--config", cfg, "case", "list", "--overdue"]) == 0
    assert "no flagged cases" in capsys.readouterr().out


def test_grants_on_sqlite_is_a_clear_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(_config(tmp_path))
    assert main(["--config", cfg, "db", "upgrade"]) == 0
    assert main(["--config", cfg, "db", "grants"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err
