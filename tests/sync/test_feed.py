"""The change-feed follower against the fake central client: decisions applied through the case
state table with the cursor in one transaction, skipped changes recorded, a week of changes in
order, two followers on one PostgreSQL hall database applying each change once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from common.catalog.model import Catalog
from common.clock import ManualClock
from common.contract import ChangeItem, ChangeType
from common.db.engine import HallDatabase
from common.db.models import AppliedChange, HallAppointment, OutboxRow
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseService
from common.intake.words import CaseAction, CaseState
from common.sync.client import FakeCentralClient
from common.sync.feed import FeedFollower
from tests.conftest import make_settings
from tests.sync.conftest import HALL, draft

AT = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
BOOKED_ID = "110101199003078515"  # invented; valid check digit


def status(position: int, number: str, action: CaseAction) -> ChangeItem:
    return ChangeItem(
        position=position,
        type=ChangeType.CASE_STATUS,
        hall=HALL,
        case_number=number,
        at=AT,
        payload={"action": action.value, "handler": "李审批", "opinion": ""},
    )


def _applied(db: HallDatabase) -> list[tuple[int, str, str]]:
    with db.read() as s:
        return [
            (r[0], r[1], r[2])
            for r in s.execute(
                select(
                    AppliedChange.position, AppliedChange.outcome, AppliedChange.case_number
                ).order_by(AppliedChange.position)
            )
        ]


def test_decisions_apply_unknown_and_illegal_ones_are_skipped_with_a_record(
    any_hall_db: HallDatabase, manual: ManualClock, catalog: Catalog
) -> None:
    cases = CaseService(any_hall_db, make_settings(), manual, HallCalendar())
    a = cases.accept(draft(catalog), actor="w1").number
    b = cases.accept(draft(catalog), actor="w1").number
    cases.transition(b, CaseAction.WITHDRAW, actor="w1", reason="申请人撤回")
    fake = FakeCentralClient(
        hall=HALL,
        feed=[
            status(3, a, CaseAction.START_REVIEW),
            status(5, "350102-19990101-0001", CaseAction.APPROVE),  # not this hall's case
            status(8, b, CaseAction.START_REVIEW),  # withdrawn here meanwhile
            status(9, a, CaseAction.APPROVE),
            ChangeItem(
                position=12,
                type=ChangeType.APPOINTMENT_BOOKED,
                hall=HALL,
                at=AT,
                payload={
                    "appointment_id": 7,
                    "matter_code": "M1",
                    "day": "2026-11-25",
                    "slot": "09:00-09:30",
                    "name_masked": "林*燕",
                    "phone_masked": "138****8000",
                    "id_number": BOOKED_ID,
                },
            ),
            ChangeItem(
                position=13,
                type="queue.notice",
                hall=HALL,
                at=AT,
                payload={"text": "来自更新的服务器"},
            ),
        ],
    )
    follower = FeedFollower(any_hall_db, fake, cases, manual, page_size=2)
    report = follower.follow()
    assert (report.pages, report.applied, report.skipped, report.cursor) == (3, 3, 3, 13)
    assert [(p, o) for p, o, _ in _applied(any_hall_db)] == [
        (3, "applied"),
        (5, "skipped"),
        (8, "skipped"),
        (9, "applied"),
        (12, "applied"),
        (13, "skipped"),
    ]
    assert cases.case(a).state is CaseState.APPROVED
    assert cases.case(b).state is CaseState.WITHDRAWN
    with any_hall_db.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(OutboxRow)) == 3
        )  # two accepts, one withdrawal
        appt = s.scalars(select(HallAppointment)).one()
        assert (appt.central_id, appt.day, appt.slot) == (7, dt.date(2026, 11, 25), "09:00-09:30")
        # Only the hall's keyed hash is kept, the same one a card read at the kiosk gives.
        assert appt.holder_hash == cases.holder_hash(BOOKED_ID)
        assert BOOKED_ID not in str([appt.holder_hash, appt.detail, appt.name_masked])
        skipped = s.scalars(select(AppliedChange.detail).where(AppliedChange.position == 8)).one()
        assert "withdrawn" in skipped
    # Again: nothing new, nothing applied twice.
    assert follower.follow().applied == 0
    assert fake.change_calls[-1][0] == 13
    assert len(_applied(any_hall_db)) == 6


def test_a_week_of_changes_catches_up_in_order(
    hall_db: HallDatabase, manual: ManualClock, catalog: Catalog
) -> None:
    cases = CaseService(hall_db, make_settings(), manual, HallCalendar())
    numbers = [cases.accept(draft(catalog), actor="w1").number for _ in range(60)]
    feed = []
    position = 100
    for action in (CaseAction.START_REVIEW, CaseAction.APPROVE, CaseAction.MARK_READY):
        for n in numbers:
            position += 7  # other halls' changes leave gaps
            feed.append(status(position, n, action))
    fake = FakeCentralClient(hall=HALL, feed=feed)
    report = FeedFollower(hall_db, fake, cases, manual, page_size=25).follow()
    assert report.applied == 180 and report.skipped == 0 and report.cursor == position
    assert all(cases.case(n).state is CaseState.READY_FOR_DELIVERY for n in numbers)
    assert [p for p, _, _ in _applied(hall_db)] == [c.position for c in feed]


@pytest.mark.postgres
def test_two_followers_on_one_postgresql_hall_database_apply_each_change_once(
    pg_hall_db: HallDatabase, manual: ManualClock, catalog: Catalog
) -> None:
    cases = CaseService(pg_hall_db, make_settings(), manual, HallCalendar())
    numbers = [cases.accept(draft(catalog), actor="w1").number for _ in range(40)]
    feed = [
        status(i + 1, n, a)
        for i, (a, n) in enumerate(
            (a, n)
            for a in (CaseAction.START_REVIEW, CaseAction.APPROVE, CaseAction.MARK_READY)
            for n in numbers
        )
    ]
    errors: list[BaseException] = []

    def run() -> None:
        try:
            follower = FeedFollower(
                pg_hall_db, FakeCentralClient(hall=HALL, feed=feed), cases, manual, page_size=10
            )
            while follower.follow_once().pages and follower.cursor() < len(feed):
                pass
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert [p for p, _, _ in _applied(pg_hall_db)] == list(range(1, len(feed) + 1))
    assert {o for _, o, _ in _applied(pg_hall_db)} == {"applied"}
    assert all(cases.case(n).state is CaseState.READY_FOR_DELIVERY for n in numbers)


@pytest.mark.postgres
def test_a_change_the_database_refuses_is_skipped_and_the_rest_of_the_page_applies(
    pg_hall_db: HallDatabase, manual: ManualClock, catalog: Catalog
) -> None:
    cases = CaseService(pg_hall_db, make_settings(), manual, HallCalendar())
    number = cases.accept(draft(catalog), actor="w1").number
    too_long = ChangeItem(
        position=2,
        type=ChangeType.CERTIFICATE_ISSUED,
        hall=HALL,
        case_number=number,
        at=AT,
        payload={
            "identifier": "X" * 300,
            "title": "t",
            "issuer_name": "i",
            "issued_on": "2026-11-23",
            "valid_until": None,
        },
    )
    fake = FakeCentralClient(
        hall=HALL,
        feed=[
            status(1, number, CaseAction.START_REVIEW),
            too_long,
            status(3, number, CaseAction.APPROVE),
        ],
    )
    report = FeedFollower(pg_hall_db, fake, cases, manual).follow()
    assert (report.applied, report.skipped, report.cursor) == (2, 1, 3)
    assert [o for _, o, _ in _applied(pg_hall_db)] == ["applied", "skipped", "applied"]
    assert cases.case(number).state is CaseState.APPROVED
    assert [h.seq for h in cases.history(number)] == [1, 2, 3]
