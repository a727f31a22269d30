"""评价 of a hand-over (出件) from the kiosk: the card's holder finds today's hand-overs of their
cases beside their finished tickets, rates one with the same five levels and reasons, and a
second rating of the same hand-over is refused whichever device was first — on the window with
the real reader driver on the simulator, and as the kiosk's own PostgreSQL role."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase, make_engine
from common.db.models import Case, Rating
from common.devices.idcard.profiles import SAMPLE_PROFILES
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseService
from common.intake.rating import AlreadyRated, RatingDraft, RatingLevel, RatingService
from common.queue.service import FixedClock
from common.selfservice.rating import KioskRatings, NothingToRate
from kiosk.flow import Screen
from kiosk.selfservice import SelfMessage, SelfScreen
from tests.conftest import MONDAY_9AM
from tests.kiosk.conftest import needs_pty
from tests.kiosk.selfservice.cases import STRANGER_ID, seed
from tests.kiosk.selfservice.test_lookup_window import WAIT_MS, settings, tap, texts

RESIDENT = SAMPLE_PROFILES["resident"]


def screen_of(page) -> SelfScreen:  # type: ignore[no-untyped-def]
    return page.flow.state.screen  # type: ignore[no-any-return]


def hand_over(db: HallDatabase, settings: Settings, clock: ManualClock, number: str) -> None:
    """出件 at the window against the holder's card (the counter's CaseService.deliver)."""
    CaseService(db, settings, clock, HallCalendar()).deliver(
        number, actor="w5", method="window", card_number=RESIDENT.number
    )


@needs_pty
def test_a_hand_over_is_rated_once_whichever_device_is_first(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, clock
) -> None:
    at = ManualClock(clock.at)
    seeded = seed(hall_db, settings(), at, RESIDENT.number, RESIDENT.name)  # mailed today
    hand_over(hall_db, settings(), at, seeded.ready)
    kiosk = make_kiosk(settings=settings(), reader="sim")
    page = kiosk.window.selfservice
    tap(qtbot, kiosk.window.home.entries["rating"])
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.RATE_PICK, timeout=WAIT_MS)
    offered = {s.case_number for s in page.flow.state.rateables}
    assert offered == {seeded.ready, seeded.mailed}  # never the stranger's, never a ticket
    shown = texts(kiosk.window)
    assert seeded.ready.removeprefix("350102-") in shown and "出件 · 二手房转移登记" in shown
    assert RESIDENT.name not in shown and seeded.stranger not in shown
    button = next(
        b
        for b in page.rate_pick_page.buttons
        if seeded.ready.removeprefix("350102-") in b.text() and b.isVisible()
    )
    tap(qtbot, button)
    assert page.flow.state.screen is SelfScreen.RATE
    tap(qtbot, page.rate_page.levels[2])  # 不满意: a reason is needed, as at the counter
    tap(qtbot, page.rate_page.reasons["slow"])
    tap(qtbot, page.rate_page.submit)
    assert screen_of(page) is SelfScreen.RATE_DONE
    with hall_db.read() as s:
        (row,) = s.scalars(select(Rating)).all()
        case_id = s.scalar(select(Case.id).where(Case.number == seeded.ready))
        assert (row.service_key, row.case_id, row.ticket_id, row.channel, row.level) == (
            f"handover:{seeded.ready}",
            case_id,
            None,
            "kiosk",
            2,
        )
        assert row.reasons == ["slow"]
    # The counter's rating view is second for that hand-over: refused (一次一评).
    counter = RatingService(hall_db, settings(), at)
    with pytest.raises(AlreadyRated):
        counter.rate(RatingDraft(level=RatingLevel.SATISFIED, case_number=seeded.ready))
    # The counter is first for the mailed one; the kiosk then has nothing left to offer.
    counter.rate(RatingDraft(level=RatingLevel.SATISFIED, case_number=seeded.mailed, window=2))
    tap(qtbot, page.rate_done_page.done)
    assert kiosk.flow.state.screen is Screen.HOME
    kiosk.simulator.remove_card()
    qtbot.waitUntil(lambda: not kiosk.flow._card_on_reader, timeout=WAIT_MS)
    tap(qtbot, kiosk.window.home.entries["rating"])
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.message is SelfMessage.NOTHING_TO_RATE, timeout=WAIT_MS)
    kiosk.simulator.remove_card()


def test_a_hand_over_of_another_day_is_not_offered(hall_db, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    at = ManualClock(clock.at)
    seeded = seed(hall_db, settings(), at, RESIDENT.number, RESIDENT.name)
    ratings = KioskRatings(hall_db, settings(), at)
    today = clock.at.date()
    assert [s.case_number for s in ratings.of_holder(RESIDENT.number, today)] == [seeded.mailed]
    assert ratings.of_holder(RESIDENT.number, today + dt.timedelta(days=1)) == []
    assert ratings.of_holder(STRANGER_ID, today) == []
    with pytest.raises(NothingToRate):
        ratings.by_ticket(seeded.mailed, today)  # a case number is not a ticket number


# --------------------------------------------------------------------------- as the kiosk role


def test_the_kiosk_role_rates_a_hand_over_through_the_function(
    pg_hall_db: HallDatabase, kiosk_url: str, settings: Settings
) -> None:
    at = ManualClock(MONDAY_9AM)
    seeded = seed(pg_hall_db, settings, at, RESIDENT.number, RESIDENT.name)
    hand_over(pg_hall_db, settings, at, seeded.ready)
    kiosk_db = HallDatabase(make_engine(kiosk_url))
    try:
        ratings = KioskRatings(kiosk_db, settings, at)
        found = ratings.of_holder(RESIDENT.number, MONDAY_9AM.date())
        assert [s.case_number for s in found] == [seeded.ready, seeded.mailed]  # newest first
        assert found == KioskRatings(pg_hall_db, settings, at).of_holder(
            RESIDENT.number, MONDAY_9AM.date()
        )
        ratings.rate(found[0], RatingLevel.VERY_SATISFIED)
        with pytest.raises(AlreadyRated):
            ratings.rate(found[0], RatingLevel.SATISFIED)
        assert [s.case_number for s in ratings.of_holder(RESIDENT.number, at.at.date())] == [
            seeded.mailed
        ]
    finally:
        kiosk_db.dispose()
    with pg_hall_db.read() as s:
        row = s.scalars(select(Rating)).one()
        assert row.service_key == f"handover:{seeded.ready}" and row.case_id is not None
