"""证照打印 / 补打回执: reads and print record on SQLite and PostgreSQL, and as the kiosk role."""

from __future__ import annotations

import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import ProgrammingError

from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase, make_engine
from common.db.models import KioskPrint, OutboxRow, PrintKind
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseService
from common.people import check_character, mask_id_number, mask_name
from common.selfservice.prints import KioskPrints, NotYours
from tests.conftest import MONDAY_9AM
from tests.kiosk.certprint.seed import Certificates, seed_certificates
from tests.kiosk.selfservice.cases import STRANGER_ID

HOLDER_ID = "35010219800101123" + check_character("35010219800101123")  # invented
HOLDER_NAME = "林晓燕"
TODAY = MONDAY_9AM.date()


@pytest.fixture
def certs(any_hall_db: HallDatabase, settings: Settings) -> Certificates:
    return seed_certificates(
        any_hall_db, settings, ManualClock(MONDAY_9AM), HOLDER_ID, HOLDER_NAME, TODAY
    )


@pytest.fixture
def prints(any_hall_db: HallDatabase, settings: Settings) -> KioskPrints:
    return KioskPrints(any_hall_db, settings, ManualClock(MONDAY_9AM), station="kiosk-7")


def test_the_holders_certificates_and_nobody_elses(
    prints: KioskPrints, certs: Certificates
) -> None:
    found = prints.certificates(HOLDER_ID)
    assert [c.identifier for c in found] == [certs.valid, certs.expired]  # newest first
    valid, expired = found
    assert valid.holder_masked == mask_name(HOLDER_NAME) and not valid.organisation
    assert not valid.expired(TODAY) and valid.valid_until is None
    assert expired.expired(TODAY)
    assert [c.identifier for c in prints.certificates(STRANGER_ID)] == [certs.stranger]


def test_a_print_is_recorded_with_its_outbox_row(
    any_hall_db: HallDatabase, prints: KioskPrints, certs: Certificates
) -> None:
    print_id = prints.record(PrintKind.CERTIFICATE, certs.valid, HOLDER_ID, output="a4")
    with any_hall_db.read() as s:
        row = s.get(KioskPrint, print_id)
        assert row is not None
        assert (row.kind, row.reference, row.station, row.output) == (
            PrintKind.CERTIFICATE,
            certs.valid,
            "kiosk-7",
            "a4",
        )
        assert row.holder_hash == prints.holder_hash(HOLDER_ID) and HOLDER_ID not in row.holder_hash
        outbox = s.scalars(
            select(OutboxRow).where(OutboxRow.aggregate == f"print:{print_id}")
        ).one()
    assert (outbox.event_type, outbox.seq, outbox.case_id) == ("certificate.printed", 1, None)
    assert outbox.payload["reference"] == certs.valid and outbox.payload["source"]
    assert outbox.payload["print_id"] == print_id and outbox.payload["output"] == "a4"
    assert HOLDER_ID not in str(outbox.payload)


def test_receipt_of_the_holders_own_case_only(
    any_hall_db: HallDatabase, prints: KioskPrints, certs: Certificates, settings: Settings
) -> None:
    receipt = prints.receipt(HOLDER_ID, certs.cases.tolerated)
    counter = CaseService(any_hall_db, settings, ManualClock(MONDAY_9AM), HallCalendar())
    assert receipt == counter.receipt_data(certs.cases.tolerated)  # the counter's receipt facts
    assert receipt.applicant_id_number == mask_id_number(HOLDER_ID)
    with pytest.raises(NotYours):
        prints.receipt(HOLDER_ID, certs.cases.stranger)
    with pytest.raises(NotYours):
        prints.record(PrintKind.RECEIPT, certs.cases.stranger, HOLDER_ID, output="slip")
    with pytest.raises(NotYours):
        prints.record(PrintKind.CERTIFICATE, certs.stranger, HOLDER_ID, output="slip")
    print_id = prints.record(PrintKind.RECEIPT, certs.cases.tolerated, HOLDER_ID, output="slip")
    with any_hall_db.read() as s:
        events = s.scalars(select(OutboxRow.event_type).where(OutboxRow.aggregate.like("print:%")))
        assert list(events) == ["receipt.reprinted"]
        assert s.get(KioskPrint, print_id) is not None


# --------------------------------------------------------------------------- as the kiosk role


def test_the_kiosk_role_prints_through_the_functions_only(
    pg_hall_db: HallDatabase, kiosk_url: str, settings: Settings
) -> None:
    certs = seed_certificates(
        pg_hall_db, settings, ManualClock(MONDAY_9AM), HOLDER_ID, HOLDER_NAME, TODAY
    )
    kiosk_db = HallDatabase(make_engine(kiosk_url))
    try:
        clock = ManualClock(MONDAY_9AM)
        as_kiosk = KioskPrints(kiosk_db, settings, clock, station="kiosk-7")
        as_owner = KioskPrints(pg_hall_db, settings, clock, station="kiosk-7")
        assert as_kiosk.certificates(HOLDER_ID) == as_owner.certificates(HOLDER_ID)
        receipt = as_kiosk.receipt(HOLDER_ID, certs.cases.tolerated)
        assert receipt == CaseService(pg_hall_db, settings, clock, HallCalendar()).receipt_data(
            certs.cases.tolerated
        )
        with pytest.raises(NotYours):
            as_kiosk.receipt(HOLDER_ID, certs.cases.stranger)
        print_id = as_kiosk.record(PrintKind.CERTIFICATE, certs.valid, HOLDER_ID, output="a4")
        with pytest.raises(NotYours):
            as_kiosk.record(PrintKind.CERTIFICATE, certs.stranger, HOLDER_ID, output="a4")
        with pg_hall_db.read() as s:
            outbox = s.scalars(
                select(OutboxRow).where(OutboxRow.aggregate == f"print:{print_id}")
            ).one()
        # The function writes what the Python path writes (same keys, same values).
        assert outbox.event_type == "certificate.printed" and outbox.seq == 1
        assert set(outbox.payload) == {
            "print_id",
            "source",
            "kind",
            "reference",
            "holder_hash",
            "station",
            "output",
            "at",
        }
        assert outbox.payload["at"] == "2026-11-23T01:00:00.000000+00:00"  # as the Python path
        for table in ("hall_certificate", "kiosk_print", "intake_case"):
            with pytest.raises(ProgrammingError, match="permission denied"), kiosk_db.read() as s:
                s.execute(text(f"SELECT * FROM {table} LIMIT 1")).all()
        with pytest.raises(ProgrammingError, match="permission denied"), kiosk_db.write() as s:
            s.execute(
                text(
                    "INSERT INTO kiosk_print (kind, reference, holder_hash, station, output, at) "
                    "VALUES ('certificate', 'x', 'y', 'z', 'a4', now())"
                )
            )
    finally:
        kiosk_db.dispose()


@pytest.mark.parametrize("name", ["林晓燕", "欧阳娜娜", "王五", "李", "John Smith", "  Ann  Lee "])
def test_the_sql_masks_match_python(pg_hall_db: HallDatabase, name: str) -> None:
    with pg_hall_db.read() as s:
        masked = s.execute(text("SELECT onewindow_kiosk_mask_name(:n)"), {"n": name}).scalar_one()
        number = s.execute(
            text("SELECT onewindow_kiosk_mask_number(:n)"), {"n": HOLDER_ID.lower()}
        ).scalar_one()
    assert masked == mask_name(name)
    assert number == mask_id_number(HOLDER_ID)


def test_the_print_functions_are_the_kiosks_only(pg_hall_db: HallDatabase, kiosk_url: str) -> None:
    kiosk = make_url(kiosk_url).username
    assert kiosk is not None
    signatures = (
        "onewindow_kiosk_certificates(text)",
        "onewindow_kiosk_receipt(text, text)",
        "onewindow_kiosk_record_print(text, text, text, text, text, text, text, timestamp)",
        "onewindow_kiosk_mask_name(text)",
    )
    with pg_hall_db.read() as s:

        def may(role: str, function: str) -> bool:
            return bool(
                s.execute(
                    text("SELECT has_function_privilege(:r, :f, 'EXECUTE')"),
                    {"r": role, "f": function},
                ).scalar_one()
            )

        for function in signatures:
            assert not may("public", function), function
            assert not may(kiosk.replace("_kiosk", "_display"), function), function
        assert all(may(kiosk, f) for f in signatures[:3])
