"""办件查询's reader without a screen, on SQLite and PostgreSQL — and as the kiosk's own role."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import ProgrammingError

from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase, make_engine
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseService, WatchLevel
from common.intake.lookup import (
    CaseNotFound,
    ProgressLookup,
    case_number_from_code,
    normalise_case_number,
)
from common.intake.qrtag import case_payload
from common.intake.words import CaseState
from common.people import check_character
from tests.conftest import MONDAY_9AM
from tests.kiosk.selfservice.cases import HOLDER_PHONE, STRANGER_ID, Seeded, seed

HOLDER_ID = "35010219800101123" + check_character("35010219800101123")  # invented
TODAY = MONDAY_9AM.date()


@pytest.fixture
def seeded(any_hall_db: HallDatabase, settings: Settings) -> Seeded:
    return seed(any_hall_db, settings, ManualClock(MONDAY_9AM), HOLDER_ID, "林晓燕")


@pytest.fixture
def lookup(any_hall_db: HallDatabase, settings: Settings) -> ProgressLookup:
    return ProgressLookup(any_hall_db, settings, HallCalendar())


def test_the_holders_cases_and_nobody_elses(lookup: ProgressLookup, seeded: Seeded) -> None:
    found = lookup.of_holder(HOLDER_ID, TODAY)
    assert [p.number for p in found] == [
        seeded.mailed,
        seeded.ready,
        seeded.tolerated,
    ]  # newest first
    tolerated = found[2]
    assert tolerated.state is CaseState.ACCEPTED_WITH_TOLERANCE
    assert tolerated.matters == ("个体工商户设立登记",) and tolerated.owed == ("经营场所使用证明",)
    assert tolerated.owed and tolerated.owed_by is not None and tolerated.owed_by > TODAY
    assert tolerated.window == 3
    ready = found[1]
    assert ready.ready_to_collect and ready.window == 5 and ready.owed == ()
    mailed = found[0]
    assert mailed.mailed and (mailed.carrier, mailed.tracking_number) == ("EMS", "1190000000001")
    # Nothing in a progress record can name anyone (no name, number, phone or address field).
    text_of_all = repr(found)
    for secret in (HOLDER_ID, "林晓燕", HOLDER_PHONE, "鼓楼区", STRANGER_ID, seeded.stranger):
        assert secret not in text_of_all
    assert [p.number for p in lookup.of_holder(STRANGER_ID, TODAY)] == [seeded.stranger]


def test_watch_colour_follows_the_promised_date(lookup: ProgressLookup, seeded: Seeded) -> None:
    (tolerated,) = [p for p in lookup.of_holder(HOLDER_ID, TODAY) if p.number == seeded.tolerated]
    assert (
        tolerated.promised_date is not None and tolerated.watch is WatchLevel.REMINDER
    )  # due tomorrow
    later = tolerated.promised_date + dt.timedelta(days=1)
    (late,) = [p for p in lookup.of_holder(HOLDER_ID, later) if p.number == seeded.tolerated]
    assert late.watch is WatchLevel.RED
    # A finished case has no colour.
    assert all(p.watch is None for p in lookup.of_holder(HOLDER_ID, later) if not p.state.is_open)


def test_number_and_phone_answer_the_same_for_a_wrong_phone_and_a_missing_case(
    lookup: ProgressLookup, seeded: Seeded
) -> None:
    digits = seeded.ready.replace("-", "")
    assert lookup.by_number(seeded.ready, HOLDER_PHONE[-4:], TODAY).number == seeded.ready
    assert lookup.by_number(digits, HOLDER_PHONE[-4:], TODAY).number == seeded.ready
    assert (
        lookup.by_number(digits[6:], HOLDER_PHONE[-4:], TODAY).number == seeded.ready
    )  # hall code left out
    answers = []
    for number, phone in (
        (seeded.ready, "0000"),
        (seeded.ready[:-1] + "9", HOLDER_PHONE[-4:]),
        ("12", HOLDER_PHONE[-4:]),
        (seeded.ready, "12"),
    ):
        with pytest.raises(CaseNotFound) as caught:
            lookup.by_number(number, phone, TODAY)
        answers.append((caught.value.message_zh, caught.value.message_en, str(caught.value)))
    assert len(set(answers)) == 1
    assert seeded.ready not in answers[0][0]


def test_the_receipts_qr_code_finds_its_case(
    lookup: ProgressLookup, seeded: Seeded, any_hall_db: HallDatabase, settings: Settings
) -> None:
    payload = (
        CaseService(any_hall_db, settings, ManualClock(MONDAY_9AM))
        .receipt_data(seeded.tolerated)
        .progress_url
    )
    assert payload == case_payload(seeded.tolerated, settings.hall_secret())
    assert lookup.by_code(payload, TODAY).number == seeded.tolerated
    assert lookup.by_code(payload.upper() + "\r\n", TODAY).number == seeded.tolerated  # Caps Lock
    tag = payload.rsplit(":", 1)[1]
    wrong_tag = tag[:-1] + ("0" if tag[-1] != "0" else "1")
    answers = []
    for foreign in (
        "https://example.com/x",
        f"onewindow:case:{seeded.tolerated}",  # the old, untagged code: a guessed number
        f"onewindow:case:{seeded.tolerated}:{wrong_tag}",
        f"onewindow:case:{seeded.tolerated}:",
        f"onewindow:case:{seeded.ready}:{tag}",  # another case's tag
        case_payload(seeded.tolerated, "another hall's secret"),
        case_payload("350102-20991231-0001", settings.hall_secret()),  # no such case
        "onewindow:case:'; drop",
        "",
    ):
        with pytest.raises(CaseNotFound) as caught:
            lookup.by_code(foreign, TODAY)
        answers.append(str(caught.value))
    assert len(set(answers)) == 1  # a wrong tag is told exactly like an unknown case


def test_parsing() -> None:
    secret = "s"
    code = case_payload("350102-20261123-0001", secret)
    assert (
        code.startswith("onewindow:case:350102-20261123-0001:") and len(code.rsplit(":")[-1]) == 16
    )
    assert case_number_from_code(f" {code}\r\n", secret) == "350102-20261123-0001"
    assert case_number_from_code("onewindow:case:350102-20261123-0001", secret) is None
    assert case_number_from_code(code, "another secret") is None
    assert case_number_from_code("onewindow:ticket:1", secret) is None
    assert normalise_case_number("350102-20261123-0001", "350102") == "350102-20261123-0001"
    assert normalise_case_number("202611230001", "350102") == "350102-20261123-0001"
    assert normalise_case_number("2026112300011", "350102") is None


# --------------------------------------------------------------------------- as the kiosk role


def test_the_kiosk_role_reads_masked_progress_through_the_function_only(
    pg_hall_db: HallDatabase, kiosk_url: str, settings: Settings
) -> None:
    seeded = seed(pg_hall_db, settings, ManualClock(MONDAY_9AM), HOLDER_ID, "林晓燕")
    kiosk_db = HallDatabase(make_engine(kiosk_url))
    try:
        as_kiosk = ProgressLookup(kiosk_db, settings, HallCalendar())
        as_owner = ProgressLookup(pg_hall_db, settings, HallCalendar())
        mine = as_kiosk.of_holder(HOLDER_ID, TODAY)
        assert mine == as_owner.of_holder(HOLDER_ID, TODAY)
        assert [p.number for p in mine] == [seeded.mailed, seeded.ready, seeded.tolerated]
        assert as_kiosk.by_number(seeded.ready, HOLDER_PHONE[-4:], TODAY).number == seeded.ready
        with pytest.raises(CaseNotFound):
            as_kiosk.by_number(seeded.ready, "0000", TODAY)
        # The function's columns: nothing personal to select even if the kiosk asks for more.
        with kiosk_db.read() as s:
            columns = set(
                s.execute(
                    text("SELECT * FROM onewindow_kiosk_progress(NULL, :n, NULL, 1)"),
                    {"n": seeded.ready},
                ).keys()
            )
        assert not columns & {
            "applicant_name",
            "applicant_number",
            "phone",
            "agent_name",
            "delivery_detail",
        }
        for table in ("intake_case", "case_material"):
            with pytest.raises(ProgrammingError, match="permission denied"), kiosk_db.read() as s:
                s.execute(text(f"SELECT * FROM {table} LIMIT 1")).all()
    finally:
        kiosk_db.dispose()


def test_the_function_is_not_public(pg_hall_db: HallDatabase, kiosk_url: str) -> None:
    with pg_hall_db.read() as s:
        public = s.execute(
            text(
                "SELECT has_function_privilege('public', "
                "'onewindow_kiosk_progress(text, text, text, integer)', 'EXECUTE')"
            )
        ).scalar_one()
        display = s.execute(
            text(
                "SELECT has_function_privilege(:r, "
                "'onewindow_kiosk_progress(text, text, text, integer)', 'EXECUTE')"
            ),
            {"r": make_url(kiosk_url).username.replace("_kiosk", "_display")},
        ).scalar_one()  # type: ignore[union-attr]
    assert public is False and display is False
