"""预约签到 on the kiosk window, driven like a citizen: the real reader driver on the pty
simulator, real appointments in SQLite, the buttons tapped. On time, early, late, twice; the
ticket on the kiosk's ticket screen and printer, tagged 预约 with its slot; card removal and
idle clear the page."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from common.db.models import Priority
from common.devices.idcard.profiles import SAMPLE_PROFILES
from common.devices.idcard.reader import ReaderStatus
from common.queue.service import FixedClock
from common.selfservice.checkin import AppointmentState
from kiosk.checkin import CheckinMessage, CheckinScreen
from kiosk.flow import PrintState, Screen
from tests.kiosk.checkin.booking import MATTER_NAME, book, load_demo_catalog
from tests.kiosk.conftest import Kiosk, needs_pty
from tests.kiosk.selfservice.test_lookup_window import WAIT_MS, settings, tap, texts

RESIDENT = SAMPLE_PROFILES["resident"]


def booked_kiosk(make_kiosk, hall_db, clock: FixedClock, slot: str, **kiosk: object) -> Kiosk:  # type: ignore[no-untyped-def]
    load_demo_catalog(hall_db)
    book(hall_db, settings(), clock, RESIDENT.number, clock.at.date(), slot, name=RESIDENT.name)
    return make_kiosk(settings=settings(**kiosk), reader="sim")  # type: ignore[no-any-return]


def open_checkin(qtbot: QtBot, kiosk: Kiosk) -> None:
    tap(qtbot, kiosk.window.home.entries["checkin"])  # type: ignore[attr-defined]
    assert kiosk.flow.state.screen is Screen.CHECKIN


def screen_of(kiosk: Kiosk) -> Screen:
    return kiosk.flow.state.screen  # type: ignore[no-any-return]


def lift(qtbot: QtBot, kiosk: Kiosk) -> None:
    """Take the card off and wait until the kiosk knows (a card is reported once per placing)."""
    kiosk.simulator.remove_card()  # type: ignore[attr-defined]
    qtbot.waitUntil(
        lambda: kiosk.flow.state.reader_status in (ReaderStatus.CARD_REMOVED, ReaderStatus.NO_CARD),
        timeout=WAIT_MS,
    )


def place_and_wait(qtbot: QtBot, kiosk: Kiosk) -> None:
    page = kiosk.window.checkin  # type: ignore[attr-defined]
    kiosk.simulator.place_card("resident")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.flow.state.screen is CheckinScreen.APPOINTMENT, timeout=WAIT_MS)


@needs_pty
def test_on_time_the_ticket_is_tagged_printed_and_a_second_check_in_shows_it(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, clock
) -> None:
    kiosk = booked_kiosk(make_kiosk, hall_db, clock, "09:00-09:30")
    w = kiosk.window
    page = w.checkin  # type: ignore[attr-defined]
    open_checkin(qtbot, kiosk)
    assert page.flow.state.screen is CheckinScreen.FIND and page.find_page.animation.isVisible()
    place_and_wait(qtbot, kiosk)
    shown = texts(w)  # type: ignore[arg-type]
    assert MATTER_NAME in shown and "09:00–09:30" in shown and "李*明" in shown
    assert RESIDENT.name not in shown and RESIDENT.number not in shown
    tap(qtbot, page.appointment_page.check_in)
    assert kiosk.flow.state.screen is Screen.TICKET
    ticket = kiosk.flow.state.ticket
    assert ticket is not None and ticket.priority is Priority.APPOINTMENT
    assert w.ticket.tag.isVisible() and w.ticket.tag.text() == "预约 · 09:00–09:30"  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: kiosk.flow.state.print_state is PrintState.PRINTED, timeout=WAIT_MS)
    tap(qtbot, w.ticket.done)  # type: ignore[attr-defined]
    lift(qtbot, kiosk)
    # Again: refused, with the number issued the first time; no second ticket.
    open_checkin(qtbot, kiosk)
    place_and_wait(qtbot, kiosk)
    assert page.flow.state.status is AppointmentState.CHECKED_IN
    assert not page.appointment_page.check_in.isVisible()
    assert f"您已签到，您的号码是 {ticket.number}" in texts(w)  # type: ignore[arg-type]
    assert sum(s.issued_today for s in kiosk.queue.service_statuses()) == 1  # no second one
    tap(qtbot, page.appointment_page.back)
    tap(qtbot, page.find_page.back)
    assert screen_of(kiosk) is Screen.HOME


@needs_pty
def test_too_early_says_when_to_come_back(qtbot: QtBot, make_kiosk, hall_db, clock) -> None:  # type: ignore[no-untyped-def]
    kiosk = booked_kiosk(make_kiosk, hall_db, clock, "10:00-10:30")
    page = kiosk.window.checkin  # type: ignore[attr-defined]
    open_checkin(qtbot, kiosk)
    place_and_wait(qtbot, kiosk)
    assert page.flow.state.status is AppointmentState.EARLY
    assert not page.appointment_page.check_in.isVisible()
    assert "您的预约时段是 10:00–10:30，请 09:30 后再来签到" in texts(kiosk.window)  # type: ignore[arg-type]


@needs_pty
def test_too_late_sends_to_an_ordinary_number_in_english_too(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, clock
) -> None:
    kiosk = booked_kiosk(make_kiosk, hall_db, clock, "08:00-08:30", language="en")
    page = kiosk.window.checkin  # type: ignore[attr-defined]
    open_checkin(qtbot, kiosk)
    place_and_wait(qtbot, kiosk)
    assert page.flow.state.status is AppointmentState.LATE
    assert "Your appointment time has passed. Please take an ordinary number." in texts(
        kiosk.window  # type: ignore[arg-type]
    )
    assert not page.appointment_page.check_in.isVisible()


@needs_pty
def test_no_appointment_and_card_removal_and_idle_clear_the_page(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, clock
) -> None:
    load_demo_catalog(hall_db)
    kiosk = make_kiosk(settings=settings(), reader="sim")
    page = kiosk.window.checkin
    open_checkin(qtbot, kiosk)
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(
        lambda: page.flow.state.message is CheckinMessage.NO_APPOINTMENT, timeout=WAIT_MS
    )
    assert "今天没有查到该身份证的预约" in texts(kiosk.window)
    lift(qtbot, kiosk)
    book(hall_db, settings(), clock, RESIDENT.number, clock.at.date(), "09:00-09:30")
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.can_check_in, timeout=WAIT_MS)
    # Lifting the card takes the appointment off the screen at once.
    lift(qtbot, kiosk)
    assert page.flow.state.screen is CheckinScreen.FIND
    assert page.flow.state.appointment is None and MATTER_NAME not in texts(kiosk.window)
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.can_check_in, timeout=WAIT_MS)
    # Idle: home, everything forgotten.
    kiosk.clock.advance(dt.timedelta(seconds=60).total_seconds())
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.HOME, timeout=WAIT_MS)
    assert not page.flow.state.active and page.flow.state.appointment is None
    assert MATTER_NAME not in texts(kiosk.window)
    kiosk.simulator.remove_card()


@needs_pty
def test_an_expired_card_is_refused_on_the_check_in_page_itself(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, clock
) -> None:
    kiosk = booked_kiosk(make_kiosk, hall_db, clock, "09:00-09:30")
    page = kiosk.window.checkin  # type: ignore[attr-defined]
    open_checkin(qtbot, kiosk)
    kiosk.simulator.place_card("expired")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.flow.state.message is CheckinMessage.CARD_EXPIRED, timeout=WAIT_MS)
    assert screen_of(kiosk) is Screen.CHECKIN  # not the kiosk's own notice: the page says it
    assert "证件已过期" in texts(kiosk.window)  # type: ignore[arg-type]
    lift(qtbot, kiosk)
    # The check-in page keeps its own time-out; the kiosk holds no card meanwhile.
    place_and_wait(qtbot, kiosk)
    assert kiosk.flow._holder is None and kiosk.flow.state.holder_masked == ""
    kiosk.clock.advance(25)
    qtbot.wait(100)
    assert screen_of(kiosk) is Screen.CHECKIN and page.flow.can_check_in
    lift(qtbot, kiosk)


@needs_pty
def test_large_print_speaks_each_page_and_never_a_name(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, clock
) -> None:
    kiosk = booked_kiosk(make_kiosk, hall_db, clock, "10:00-10:30", elderly_default=True)
    spoken = kiosk.speaker.spoken  # type: ignore[attr-defined]
    open_checkin(qtbot, kiosk)
    assert "身份证" in spoken[-1] and "预约" in spoken[-1]
    place_and_wait(qtbot, kiosk)
    assert "10:00" in spoken[-1] and "09:30" in spoken[-1]  # when to come back, aloud too
    for said in spoken:
        assert RESIDENT.name not in said and RESIDENT.number not in said and "李" not in said
    lift(qtbot, kiosk)
