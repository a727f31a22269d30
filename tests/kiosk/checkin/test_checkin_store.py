"""预约签到 without a screen, on SQLite and PostgreSQL — and as the kiosk's own role: on time,
early, late, twice; one check-in per appointment even when two kiosks race; the 预约 ticket
called at its slot."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import ProgrammingError

from common.config import Settings
from common.db.engine import HallDatabase, make_engine
from common.db.models import HallAppointment, Priority, Ticket
from common.people import check_character
from common.queue.service import FixedClock, QueueService
from common.selfservice.checkin import (
    AppointmentState,
    CheckinRefused,
    KioskCheckins,
    NoAppointment,
)
from tests.conftest import MONDAY_9AM
from tests.kiosk.checkin.booking import MATTER_NAME, book, load_demo_catalog

HOLDER_ID = "35010219800101123" + check_character("35010219800101123")  # invented
OTHER_ID = "35010219850303345" + check_character("35010219850303345")  # invented
TODAY = MONDAY_9AM.date()


@pytest.fixture
def queue(any_hall_db: HallDatabase, settings: Settings, clock: FixedClock) -> QueueService:
    q = QueueService(any_hall_db, settings, clock)
    q.sync_from_settings()
    load_demo_catalog(any_hall_db)
    return q


def tickets(db: HallDatabase) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Ticket)) or 0)


def test_on_time_gives_a_tagged_ticket_once(queue: QueueService, clock: FixedClock) -> None:
    db, settings = queue.db, queue.settings
    booked = book(db, settings, clock, HOLDER_ID, TODAY, "09:15-09:45", name="林晓燕")
    book(db, settings, clock, OTHER_ID, TODAY, "09:15-09:45")  # someone else's, same slot
    checkins = KioskCheckins(queue)
    today = checkins.of_holder(HOLDER_ID)
    (mine,) = today.appointments
    assert (mine.id, mine.matter_name, mine.prefix, mine.slot_text) == (
        booked,
        MATTER_NAME,
        "D",
        "09:15–09:45",
    )
    assert today.state(mine) is AppointmentState.OPEN
    assert "林" not in repr(today) and HOLDER_ID not in repr(today)
    ticket = checkins.check_in(HOLDER_ID, "林晓燕", booked, source="kiosk-test")
    assert ticket.priority is Priority.APPOINTMENT and ticket.prefix == "D"
    assert ticket.appointment_slot == "09:15-09:45" and ticket.holder_masked == "林*燕"
    with db.read() as s:
        row = s.scalars(select(HallAppointment).where(HallAppointment.id == booked)).one()
        assert row.ticket_id == ticket.id and row.checked_in_at is not None
        stored = s.scalars(select(Ticket).where(Ticket.id == ticket.id)).one()
        assert stored.appointment_at is not None
        assert stored.appointment_at == dt.datetime(2026, 11, 23, 9, 15, tzinfo=settings.hall.tz)
    # A second check-in is refused with the number issued the first time; no second ticket.
    before = tickets(db)
    with pytest.raises(CheckinRefused) as refused:
        checkins.check_in(HOLDER_ID, "林晓燕", booked)
    assert refused.value.state is AppointmentState.CHECKED_IN
    assert refused.value.appointment.ticket_number == ticket.number
    assert tickets(db) == before
    # Another holder cannot check in this appointment, even knowing its id.
    with pytest.raises(NoAppointment):
        checkins.check_in(OTHER_ID, "赵文静", booked)


def test_too_early_and_too_late_follow_the_halls_rule(
    queue: QueueService, clock: FixedClock
) -> None:
    db, settings = queue.db, queue.settings
    early = book(db, settings, clock, HOLDER_ID, TODAY, "10:00-10:30")
    late = book(db, settings, clock, HOLDER_ID, TODAY, "08:00-08:30")
    book(db, settings, clock, HOLDER_ID, TODAY + dt.timedelta(days=1), "09:00-09:30")  # tomorrow
    checkins = KioskCheckins(queue)
    today = checkins.of_holder(HOLDER_ID)
    states = {a.id: today.state(a) for a in today.appointments}
    assert states == {early: AppointmentState.EARLY, late: AppointmentState.LATE}
    opens = next(a for a in today.appointments if a.id == early).opens
    assert opens.strftime("%H:%M") == "09:30"  # [queue] checkin_early_minutes = 30
    for appointment_id, state in ((early, AppointmentState.EARLY), (late, AppointmentState.LATE)):
        with pytest.raises(CheckinRefused) as refused:
            checkins.check_in(HOLDER_ID, "林晓燕", appointment_id)
        assert refused.value.state is state
    assert tickets(db) == 0
    # At 09:30 the early one opens; the hall's grace after the slot keeps a late one open.
    clock.at = MONDAY_9AM + dt.timedelta(minutes=30)
    assert checkins.check_in(HOLDER_ID, "林晓燕", early).number == "D001"
    graceful = settings.model_copy(
        update={"queue": settings.queue.model_copy(update={"appointment_late_minutes": 60})}
    )
    lenient = KioskCheckins(QueueService(db, graceful, clock))
    assert lenient.check_in(HOLDER_ID, "林晓燕", late).number == "D002"
    with pytest.raises(NoAppointment):
        checkins.of_holder(OTHER_ID)
    # A slot the kiosk cannot read (ends before it starts) hides nothing else of the holder's.
    with db.write() as s:
        s.execute(
            update(HallAppointment).where(HallAppointment.id == early).values(slot="10:30-10:00")
        )
    assert [a.id for a in checkins.of_holder(HOLDER_ID).appointments] == [late]


def test_two_kiosks_racing_give_one_ticket_and_the_loser_the_winners_number(
    queue: QueueService, clock: FixedClock
) -> None:
    db, settings = queue.db, queue.settings
    booked = book(db, settings, clock, HOLDER_ID, TODAY, "09:00-09:30")
    slow, fast = KioskCheckins(queue), KioskCheckins(queue)
    stale = slow.of_holder(HOLDER_ID)  # the slow kiosk read before the fast one checked in
    first = fast.check_in(HOLDER_ID, "林晓燕", booked)
    reads = iter([stale])
    real = slow.of_holder
    slow.of_holder = lambda id_number: next(reads, None) or real(id_number)  # type: ignore[method-assign]
    with pytest.raises(CheckinRefused) as refused:
        slow.check_in(HOLDER_ID, "林晓燕", booked)
    assert refused.value.state is AppointmentState.CHECKED_IN
    assert refused.value.appointment.ticket_number == first.number
    # The loser's number was rolled back with its transaction: numbers stay gap-free.
    assert tickets(db) == 1
    assert queue.issue("D", source="test").number == "D002"


def test_the_appointment_ticket_is_called_at_its_slot(
    queue: QueueService, clock: FixedClock
) -> None:
    db, settings = queue.db, queue.settings
    booked = book(db, settings, clock, HOLDER_ID, TODAY, "09:30-10:00")
    waiting = [queue.issue("D", source="test").number for _ in range(3)]  # came earlier
    ticket = KioskCheckins(queue).check_in(HOLDER_ID, "林晓燕", booked)  # checked in at 09:00
    window = next(w.number for w in settings.windows if "D" in w.services)
    # Before the slot (less than appointment_early_minutes ahead) it waits like anyone else.
    called = queue.call_next(window)
    assert called is not None and called.number == waiting[0]
    # From 10 minutes before the slot it goes first, ahead of those who came earlier.
    clock.at = MONDAY_9AM + dt.timedelta(minutes=20)
    called = queue.call_next(window)
    assert called is not None and called.number == ticket.number
    assert called.priority is Priority.APPOINTMENT


# --------------------------------------------------------------------------- as the kiosk role


def test_the_kiosk_role_checks_in_through_the_functions_only(
    pg_hall_db: HallDatabase, kiosk_url: str, settings: Settings, clock: FixedClock
) -> None:
    owner = QueueService(pg_hall_db, settings, clock)
    owner.sync_from_settings()
    load_demo_catalog(pg_hall_db)
    booked = book(pg_hall_db, settings, clock, HOLDER_ID, TODAY, "09:00-09:30")
    kiosk_db = HallDatabase(make_engine(kiosk_url))
    try:
        checkins = KioskCheckins(QueueService(kiosk_db, settings, clock))
        (mine,) = checkins.of_holder(HOLDER_ID).appointments
        assert mine.matter_name == MATTER_NAME
        ticket = checkins.check_in(HOLDER_ID, "林晓燕", booked)
        with pytest.raises(CheckinRefused) as refused:
            checkins.check_in(HOLDER_ID, "林晓燕", booked)
        assert refused.value.appointment.ticket_number == ticket.number
        with pg_hall_db.read() as s:
            row = s.scalars(select(HallAppointment).where(HallAppointment.id == booked)).one()
            assert row.ticket_id == ticket.id
        for sql in (
            "SELECT * FROM hall_appointment LIMIT 1",
            "UPDATE hall_appointment SET checked_in_at = NULL",
        ):
            with pytest.raises(ProgrammingError, match="permission denied"), kiosk_db.read() as s:
                s.execute(text(sql)).all() if sql.startswith("SELECT") else s.execute(text(sql))
    finally:
        kiosk_db.dispose()


def test_an_appointment_that_arrived_through_the_feed_is_checked_in(
    queue: QueueService, clock: FixedClock
) -> None:
    from common.contract import ChangeItem, ChangeType
    from common.intake.calendar import HallCalendar
    from common.intake.cases import CaseService
    from common.sync.client import FakeCentralClient
    from common.sync.feed import FeedFollower
    from tests.kiosk.checkin.booking import matter_code

    db, settings = queue.db, queue.settings
    cases = CaseService(db, settings, clock, HallCalendar())
    booked = ChangeItem(
        position=1,
        type=ChangeType.APPOINTMENT_BOOKED,
        hall=settings.hall.code,
        at=MONDAY_9AM,
        payload={
            "appointment_id": 41,
            "matter_code": matter_code(),
            "day": TODAY.isoformat(),
            "slot": "09:00-09:30",
            "name_masked": "林*燕",
            "phone_masked": "138****8000",
            "id_number": HOLDER_ID,
        },
    )
    fake = FakeCentralClient(hall=settings.hall.code, feed=[booked])
    assert FeedFollower(db, fake, cases, clock).follow().applied == 1
    checkins = KioskCheckins(queue)
    (mine,) = checkins.of_holder(HOLDER_ID).appointments
    ticket = checkins.check_in(HOLDER_ID, "林晓燕", mine.id)
    assert ticket.priority is Priority.APPOINTMENT and ticket.appointment_slot == "09:00-09:30"
    with db.read() as s:
        row = s.scalars(select(HallAppointment).where(HallAppointment.central_id == 41)).one()
        assert row.ticket_id == ticket.id
