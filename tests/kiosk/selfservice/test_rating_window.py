"""评价 on the kiosk window: by the card on the simulator (the holder's finished ticket of today)
or by the ticket's number on the pad; five levels, reasons for a bad one; a second rating of the
same service refused, whichever device was first."""

from __future__ import annotations

from sqlalchemy import select

from common.db.models import Rating
from common.devices.idcard.profiles import SAMPLE_PROFILES
from common.intake.rating import RatingDraft, RatingLevel, RatingService
from common.queue.service import Holder
from kiosk.flow import Screen
from kiosk.selfservice import SelfMessage, SelfScreen
from tests.kiosk.conftest import Kiosk, needs_pty
from tests.kiosk.selfservice.test_lookup_window import WAIT_MS, settings, tap, texts

RESIDENT = SAMPLE_PROFILES["resident"]


def served(kiosk: Kiosk, holder: Holder | None = None) -> str:
    number = kiosk.queue.issue("A", holder=holder, source="test").number
    assert kiosk.queue.call_next(1) is not None
    kiosk.queue.finish(1)
    return number


def open_rating(qtbot, kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, kiosk.window.home.entries["rating"])  # type: ignore[attr-defined]
    assert kiosk.flow.state.screen is Screen.SELF_SERVICE


@needs_pty
def test_card_finds_the_holders_service_and_a_bad_rating_needs_a_reason(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(), reader="sim")
    served(kiosk, Holder(RESIDENT.number, RESIDENT.name))
    served(kiosk)  # somebody else's, without a card
    page = kiosk.window.selfservice
    open_rating(qtbot, kiosk)
    assert page.flow.state.screen is SelfScreen.RATE_FIND
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.RATE, timeout=WAIT_MS)
    assert "A001" in texts(kiosk.window) and RESIDENT.name not in texts(kiosk.window)
    tap(qtbot, page.rate_page.levels[1])
    assert page.rate_page.reasons["waiting"].isVisible()
    tap(qtbot, page.rate_page.submit)
    assert page.flow.state.message is SelfMessage.REASON_NEEDED
    tap(qtbot, page.rate_page.reasons["waiting"])
    tap(qtbot, page.rate_page.submit)
    assert page.flow.state.screen is SelfScreen.RATE_DONE
    with kiosk.queue.db.read() as s:
        rows = s.scalars(select(Rating)).all()
        assert [(r.channel, r.level, r.reasons, r.window) for r in rows] == [
            ("kiosk", 1, ["waiting"], 1)
        ]
    tap(qtbot, page.rate_done_page.done)
    assert kiosk.flow.state.screen is Screen.HOME


def test_ticket_number_on_the_pad_and_a_second_rating_refused(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    first, second = served(kiosk), served(kiosk)
    page = kiosk.window.selfservice
    open_rating(qtbot, kiosk)
    for key in first:
        tap(qtbot, page.rate_find_page.keys[key])
    tap(qtbot, page.rate_find_page.search)
    assert page.flow.state.screen is SelfScreen.RATE
    tap(qtbot, page.rate_page.levels[5])
    assert not page.rate_page.reasons["waiting"].isVisible()
    tap(qtbot, page.rate_page.submit)
    assert page.flow.state.screen is SelfScreen.RATE_DONE
    tap(qtbot, page.rate_done_page.done)
    # The same ticket again: nothing left to rate.
    open_rating(qtbot, kiosk)
    for key in first:
        tap(qtbot, page.rate_find_page.keys[key])
    tap(qtbot, page.rate_find_page.search)
    assert page.flow.state.message is SelfMessage.NOTHING_TO_RATE
    # The counter rates the second ticket while the citizen is choosing at the kiosk: refused.
    while page.flow.state.ticket_typed:
        tap(qtbot, page.rate_find_page.backspace)
    for key in second:
        tap(qtbot, page.rate_find_page.keys[key])
    tap(qtbot, page.rate_find_page.search)
    assert page.flow.state.screen is SelfScreen.RATE
    ticket_id = page.flow.state.chosen.ticket_id  # type: ignore[union-attr]
    RatingService(kiosk.queue.db, kiosk.window.settings, kiosk.queue.clock).rate(
        RatingDraft(level=RatingLevel.SATISFIED, ticket_id=ticket_id, channel="counter", window=1)
    )
    tap(qtbot, page.rate_page.levels[4])
    tap(qtbot, page.rate_page.submit)
    assert page.flow.state.message is SelfMessage.ALREADY_RATED
    assert page.flow.state.screen is SelfScreen.RATE_FIND
    with kiosk.queue.db.read() as s:
        assert sorted(r.channel for r in s.scalars(select(Rating))) == ["counter", "kiosk"]
