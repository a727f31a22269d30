"""On-time rate and overdue list from cases moved by the real case engine (not the generator):
a stopped clock moves the promised date on, so a case decided after the date first promised
is on time; a suspended case is not overdue; an undecided one past its date is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from common.catalog.loader import load_catalog_file
from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase
from common.intake.applicant import Applicant, ApplicantType, Person
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseDraft, CaseService
from common.intake.checklist import SharedData, build_checklist
from common.intake.words import CaseAction, ClockStopKind, MaterialMark
from common.people import check_character
from common.reports.model import Period, ReportBy
from common.reports.sections import on_time_section, overdue_list
from tests.conftest import MONDAY_9AM

ROOT = Path(__file__).resolve().parents[3]
APPLICANT_ID = "35010219800101123" + check_character("35010219800101123")  # invented


def _draft(window: int) -> CaseDraft:
    catalog = load_catalog_file(ROOT / "resources" / "catalog" / "demo.toml")
    matter = next(m for m in catalog.matters.values() if m.name == "二手房转移登记")
    checklist = build_checklist([matter], shared=SharedData(id_card=True))
    for item in checklist.items:
        if item.mark is None:
            mark = (
                MaterialMark.NOT_APPLICABLE
                if item.not_applicable_when
                else MaterialMark.SHARED
                if item.replaced_by is not None
                else MaterialMark.RECEIVED
            )
            checklist = checklist.mark(item.key, mark)
    person = Person.checked("林晓燕", APPLICANT_ID, phone="13800138000")
    return CaseDraft(
        checklist,
        Applicant(ApplicantType.NATURAL_PERSON, person),
        window=window,
        catalog_version=catalog.version,
    )


def test_stopped_clock_counts_on_time_and_suspended_is_not_overdue(
    any_hall_db: HallDatabase, settings: Settings
) -> None:
    clock = ManualClock(MONDAY_9AM)
    calendar = HallCalendar()
    cases = CaseService(any_hall_db, settings, clock, calendar)
    stopped = cases.accept(_draft(1), actor="w1")  # clock stopped for three days
    late = cases.accept(_draft(2), actor="w2")  # decided the day after its date
    at_once = cases.accept(_draft(3), actor="w3")  # 即办
    waiting = cases.accept(_draft(4), actor="w4")  # never decided
    suspended = cases.accept(_draft(5), actor="w5")  # clock stopped, never restarted
    promised = late.promised_date
    assert promised is not None and stopped.promised_date == promised
    cases.transition(at_once.number, CaseAction.APPROVE, actor="dept")
    for case in (stopped, late, waiting, suspended):
        cases.transition(case.number, CaseAction.START_REVIEW, actor="dept")
    clock.advance(days=1)  # Tuesday
    cases.stop_clock(stopped.number, ClockStopKind.INSPECTION, actor="dept", reason="现场勘查")
    cases.stop_clock(suspended.number, ClockStopKind.HEARING, actor="dept", reason="听证")
    clock.advance(days=3)  # Friday: three working days stopped
    moved = cases.restart_clock(stopped.number, actor="dept").promised_date
    assert moved == calendar.add_working_days(promised, 3)
    # The working day after the first promised date: later than promised, before the moved date.
    decided_on = calendar.add_working_days(promised, 1)
    clock.at = dt.datetime.combine(decided_on, dt.time(10), tzinfo=MONDAY_9AM.tzinfo)
    cases.transition(stopped.number, CaseAction.APPROVE, actor="dept")
    cases.transition(late.number, CaseAction.DENY, actor="dept", reason="不符合条件")

    tz = settings.hall.tz
    period = Period(MONDAY_9AM.date(), decided_on)
    section = on_time_section(any_hall_db, tz, period, ReportBy.WINDOW)
    assert {r.key: (r.decided, r.on_time) for r in section.rows} == {
        "1": (1, 1),  # decided after the first date, within the moved one: on time
        "2": (1, 0),
        "3": (1, 1),
    }
    assert section.total.on_time_rate == 2 / 3
    # A period that ends before the decisions has none of them.
    before = on_time_section(any_hall_db, tz, Period(period.first, promised), ReportBy.WINDOW)
    assert before.total.decided == 1  # only the 即办 case

    as_of, overdue = overdue_list(any_hall_db, period, today=decided_on + dt.timedelta(days=5))
    assert as_of == decided_on
    assert [(o.number, o.window, o.days_overdue) for o in overdue] == [
        (waiting.number, 4, (decided_on - promised).days)
    ]
    assert overdue[0].applicant == "林*燕" and overdue[0].matter == "二手房转移登记"
