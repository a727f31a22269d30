"""Cases in a real hall database (SQLite file and PostgreSQL): accept, move, watch, print.

Every change writes its transition, audit and outbox rows in the same transaction; a refused
action writes nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.catalog.loader import load_catalog_file
from common.catalog.model import Catalog, Matter
from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import AuditLog, Case, CaseTransition, OutboxRow
from common.db.unit import OutboxMessage
from common.intake.applicant import Applicant, ApplicantType, Person
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseDraft, CaseService, HolderMismatch, UnknownCase, WatchLevel
from common.intake.checklist import SharedData, build_checklist
from common.intake.decision import DecisionIncomplete
from common.intake.states import IllegalTransition
from common.intake.words import CaseAction, CaseState, ClockStopKind, Decision, MaterialMark
from common.people import check_character
from tests.conftest import MONDAY_9AM

ROOT = Path(__file__).resolve().parents[3]


def _id(first17: str) -> str:
    return first17 + check_character(first17)


APPLICANT_ID = _id("35010219800101123")  # invented
AGENT_ID = _id("35010219900202234")  # invented
STRANGER_ID = _id("35010219850303345")  # invented


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog_file(ROOT / "resources" / "catalog" / "demo.toml")


def _matter(catalog: Catalog, name: str) -> Matter:
    return next(m for m in catalog.matters.values() if m.name == name)


@pytest.fixture
def manual() -> ManualClock:
    return ManualClock(MONDAY_9AM)


@pytest.fixture
def cases(
    any_hall_db: HallDatabase, settings: Settings, manual: ManualClock
) -> Iterator[CaseService]:
    yield CaseService(any_hall_db, settings, manual, HallCalendar())


def _applicant(agent: bool = False) -> Applicant:
    person = Person.checked("林晓燕", APPLICANT_ID, phone="13800138000")
    return Applicant(
        ApplicantType.NATURAL_PERSON,
        person,
        agent=Person.checked("陈建国", AGENT_ID) if agent else None,
    )


def _draft(
    catalog: Catalog, *, tolerate: bool = False, missing: str = "", agent: bool = False
) -> CaseDraft:
    matter = _matter(catalog, "二手房转移登记")
    checklist = build_checklist([matter], shared=SharedData(id_card=True))
    for item in checklist.items:
        if item.mark is not None:
            continue
        if item.key == missing:
            mark = MaterialMark.MISSING
        elif tolerate and item.tolerable:
            mark = MaterialMark.TOLERATED
        elif item.not_applicable_when:
            mark = MaterialMark.NOT_APPLICABLE
        elif item.replaced_by is not None:
            mark = MaterialMark.SHARED
        else:
            mark = MaterialMark.RECEIVED
        checklist = checklist.mark(item.key, mark)
    return CaseDraft(checklist, _applicant(agent), window=3, catalog_version=catalog.version)


def _counts(db: HallDatabase) -> tuple[int, int, int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Case)) or 0,
            s.scalar(select(func.count()).select_from(CaseTransition)) or 0,
            s.scalar(select(func.count()).select_from(OutboxRow)) or 0,
            s.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.action.like("case.%"))
            )
            or 0,
        )


def test_accept_numbers_dates_and_records_everything_in_one_go(
    cases: CaseService, catalog: Catalog, any_hall_db: HallDatabase
) -> None:
    first = cases.accept(_draft(catalog), actor="w3")
    second = cases.accept(_draft(catalog), actor="w3")
    assert first.number == "350102-20261123-0001" and second.number == "350102-20261123-0002"
    assert first.state is CaseState.ACCEPTED and first.decision is Decision.ACCEPT
    assert first.promised_date == dt.date(2026, 11, 24)  # 1 working day, the day itself not counted
    assert (
        first.applicant == "林*燕"
        and first.applicant_number == "3501**********" + APPLICANT_ID[-4:]
    )
    assert _counts(any_hall_db) == (2, 2, 2, 2)
    with any_hall_db.read() as s:
        row = s.scalars(select(OutboxRow).order_by(OutboxRow.id)).first()
        assert row is not None
        assert (row.event_type, row.seq, row.aggregate) == ("case.accept", 1, f"case:{first.id}")
        assert row.payload["applicant"]["certificate_number"] == APPLICANT_ID
        assert row.payload["promised_date"] == "2026-11-24"
        assert {m["key"] for m in row.payload["materials"]} >= {
            "property_certificate",
            "sale_contract",
        }
    history = cases.history(first.number)
    assert [(h.action, h.from_state, h.to_state, h.state_code) for h in history] == [
        (CaseAction.ACCEPT, CaseState.DRAFT, CaseState.ACCEPTED, "已受理")
    ]


def test_unmarked_items_write_nothing(
    cases: CaseService, catalog: Catalog, any_hall_db: HallDatabase
) -> None:
    draft = _draft(catalog)
    key = draft.checklist.items[0].key
    bare = CaseDraft(draft.checklist.mark(key, None), draft.applicant)
    with pytest.raises(DecisionIncomplete):
        cases.accept(bare, actor="w3")
    assert _counts(any_hall_db) == (0, 0, 0, 0)


def test_correction_notice_lists_the_missing_key_item_and_resubmission_links(
    cases: CaseService, catalog: Catalog
) -> None:
    notice = cases.accept(_draft(catalog, missing="sale_contract"), actor="w3")
    assert notice.state is CaseState.CORRECTION_REQUIRED and notice.promised_date is None
    data = cases.correction_notice_data(notice.number)
    assert [m.name for m in data.missing] == ["买卖合同"]
    assert APPLICANT_ID not in data.applicant_id_number
    with pytest.raises(ValueError, match=r"no receipt|not accepted"):
        cases.receipt_data(notice.number)
    again = cases.resubmit(notice.number, _draft(catalog), actor="w3")
    assert again.resubmission_of == notice.number and again.state is CaseState.ACCEPTED
    assert cases.case(notice.number).state is CaseState.RESUBMITTED
    with pytest.raises(IllegalTransition):
        cases.resubmit(notice.number, _draft(catalog), actor="w3")


def test_review_clock_stop_and_delivery(
    cases: CaseService, catalog: Catalog, manual: ManualClock, any_hall_db: HallDatabase
) -> None:
    case = cases.accept(_draft(catalog, agent=True), actor="w3")
    cases.transition(case.number, CaseAction.START_REVIEW, actor="dept")
    manual.advance(days=1)  # Tuesday
    stopped = cases.stop_clock(
        case.number, ClockStopKind.INSPECTION, actor="dept", reason="现场勘查"
    )
    assert stopped.state is CaseState.SUSPENDED and stopped.clock_stopped_on == dt.date(
        2026, 11, 24
    )
    manual.advance(days=3)  # Friday: Wed, Thu, Fri stopped = 3 working days
    resumed = cases.restart_clock(case.number, actor="dept")
    assert resumed.state is CaseState.IN_REVIEW
    assert resumed.promised_date == HallCalendar().add_working_days(dt.date(2026, 11, 24), 3)
    with pytest.raises(IllegalTransition):
        cases.transition(case.number, CaseAction.MARK_READY, actor="dept")
    before = _counts(any_hall_db)
    with pytest.raises(ValueError, match="reason"):
        cases.transition(case.number, CaseAction.DENY, actor="dept")
    assert _counts(any_hall_db) == before
    cases.transition(case.number, CaseAction.APPROVE, actor="dept")
    cases.transition(case.number, CaseAction.MARK_READY, actor="dept")
    with pytest.raises(HolderMismatch):
        cases.deliver(case.number, actor="w1", method="window", card_number=STRANGER_ID)
    assert _counts(any_hall_db) == (1, before[1] + 2, before[2] + 2, before[3] + 2)
    done = cases.deliver(case.number, actor="w1", method="window", card_number=AGENT_ID)
    assert done.state is CaseState.DELIVERED
    with any_hall_db.read() as s:
        seqs = s.scalars(select(OutboxRow.seq).order_by(OutboxRow.seq)).all()
    assert seqs == list(range(1, 8))  # accept, review, stop, restart, approve, ready, deliver


def test_tolerated_items_supplement_and_watch_list(
    cases: CaseService, catalog: Catalog, manual: ManualClock, settings: Settings
) -> None:
    matter = _matter(catalog, "失业保险金申领")
    checklist = build_checklist([matter], shared=SharedData(id_card=True))
    tolerable = [i.key for i in checklist.items if i.tolerable]
    assert tolerable, "the demo catalog's 失业保险金申领 has a tolerable bank card"
    for item in checklist.items:
        if item.mark is None:
            checklist = checklist.mark(
                item.key, MaterialMark.TOLERATED if item.tolerable else MaterialMark.RECEIVED
            )
    case = cases.accept(CaseDraft(checklist, _applicant(), window=2), actor="w2")
    assert case.state is CaseState.ACCEPTED_WITH_TOLERANCE
    assert case.supplement_deadline == HallCalendar().add_working_days(dt.date(2026, 11, 23), 10)
    receipt = cases.receipt_data(case.number)
    assert receipt.supplement_deadline == case.supplement_deadline and receipt.tolerated
    assert cases.watch_list(dt.date(2026, 11, 23)) == [] or all(
        w.number != case.number or w.level is not WatchLevel.RED
        for w in cases.watch_list(dt.date(2026, 11, 23))
    )
    # Past the promised date and the supplement deadline: red first.
    late = dt.date(2026, 12, 21)
    flags = {w.number: w.level for w in cases.watch_list(late)}
    assert flags[case.number] is WatchLevel.RED
    done = cases.supplement(case.number, tolerable, actor="w2")
    assert done.state is CaseState.ACCEPTED and done.tolerated_outstanding == 0
    with pytest.raises(ValueError, match="not owed"):
        cases.supplement(case.number, tolerable, actor="w2")
    with pytest.raises(UnknownCase):
        cases.case("350102-20261123-9999")


def test_database_gone_mid_accept_writes_nothing(
    cases: CaseService, catalog: Catalog, any_hall_db: HallDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection dies after the case rows were sent, before the commit: nothing half-saved.

    On PostgreSQL the server really ends the session (pg_terminate_backend from the session
    itself); a SQLite file cannot vanish under an open transaction that way, so there the
    driver's own error is raised at the same point.
    """
    import sqlite3

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from common.db.engine import DatabaseUnavailable
    from common.intake.outbox import write_outbox as real_writer

    def dying_writer(session: Session, messages: Sequence[OutboxMessage]) -> None:
        real_writer(session, messages)
        if any_hall_db.is_postgresql:
            session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        else:
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr("common.intake.cases.write_outbox", dying_writer)
    with pytest.raises((DatabaseUnavailable, OperationalError)):
        cases.accept(_draft(catalog), actor="w3")
    monkeypatch.setattr("common.intake.cases.write_outbox", real_writer)
    assert _counts(any_hall_db) == (0, 0, 0, 0)
    # The next accept works and takes number 0001: the failed one left no gap.
    assert cases.accept(_draft(catalog), actor="w3").number.endswith("-0001")


def test_accept_beyond_the_calendar_years_is_refused_and_writes_nothing(
    any_hall_db: HallDatabase, settings: Settings, catalog: Catalog
) -> None:
    from common.intake.calendar import CalendarYearUnknown

    late = ManualClock(dt.datetime(2026, 12, 31, 9, 0, tzinfo=MONDAY_9AM.tzinfo))
    cases = CaseService(any_hall_db, settings, late, HallCalendar())
    with pytest.raises(CalendarYearUnknown, match="2027"):
        cases.accept(_draft(catalog), actor="w3")
    assert _counts(any_hall_db) == (0, 0, 0, 0)


def test_receipt_and_notice_pdfs_from_a_real_case(
    cases: CaseService, catalog: Catalog, tmp_path: Path
) -> None:
    import subprocess

    from common.documents.pdf import correction_notice_pdf, receipt_pdf

    case = cases.accept(_draft(catalog), actor="w3")
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(receipt_pdf(cases.receipt_data(case.number)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert case.number in text and "林*燕" in text and "2026年11月24日" in text
    for material in case.materials:
        assert material.name in text
    assert APPLICANT_ID not in text and "林晓燕" not in text
    notice = cases.accept(_draft(catalog, missing="sale_contract"), actor="w3")
    pdf.write_bytes(correction_notice_pdf(cases.correction_notice_data(notice.number)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert notice.number in text and "买卖合同" in text and "不动产权属证书" not in text
