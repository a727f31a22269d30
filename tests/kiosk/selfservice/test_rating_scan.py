"""评价 by scanning: the ticket's QR code rates that ticket's service, the receipt's QR code that
case's hand-over of today — on the kiosk window with a scanner fake fed the payloads the ticket
and the receipt really carry, and as the kiosk's own PostgreSQL role."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase, make_engine
from common.db.models import Rating
from common.devices.idcard.profiles import SAMPLE_PROFILES
from common.devices.scanner import FakeScanner
from common.intake.cases import CaseService
from common.intake.qrtag import case_payload, ticket_payload
from common.intake.rating import AlreadyRated, RatingLevel
from common.qt.scanner import QtScanner
from common.queue.printout import ticket_data
from common.queue.service import QueueService
from common.selfservice.rating import KioskRatings, NotHandedOverToday, NothingToRate
from kiosk.flow import Screen
from kiosk.selfservice import SelfMessage, SelfScreen
from tests.conftest import MONDAY_9AM
from tests.kiosk.checkin.test_handover_rating import hand_over
from tests.kiosk.conftest import Kiosk
from tests.kiosk.selfservice.cases import seed
from tests.kiosk.selfservice.test_lookup_window import WAIT_MS, settings, tap, texts

RESIDENT = SAMPLE_PROFILES["resident"]
HANDED_OVER_TODAY = "这件办件今天没有出件，暂无可评价的服务。"


def served(queue: QueueService, conf: Settings) -> tuple[str, str]:
    """A ticket issued, called and finished at window 1: its number and its printed QR payload."""
    view = queue.issue("A", source="kiosk")
    assert queue.call_next(1) is not None
    queue.finish(1)
    return view.number, ticket_data(conf, view).progress_url


def with_scanner(kiosk: Kiosk) -> FakeScanner:
    fake = FakeScanner()
    kiosk.window.attach_scanner(QtScanner(fake, kiosk.window))  # type: ignore[attr-defined,arg-type]
    return fake


def screen_of(kiosk: Kiosk) -> SelfScreen:
    """The page shown now (a call, so that mypy does not narrow it across taps)."""
    return kiosk.window.selfservice.flow.state.screen  # type: ignore[attr-defined,no-any-return]


def wait_screen(qtbot: QtBot, kiosk: Kiosk, screen: SelfScreen) -> None:
    page = kiosk.window.selfservice  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.flow.state.screen is screen, timeout=WAIT_MS)


def wait_message(qtbot: QtBot, kiosk: Kiosk, message: SelfMessage) -> None:
    page = kiosk.window.selfservice  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.flow.state.message is message, timeout=WAIT_MS)


def test_the_tickets_code_rates_its_service_once_and_forged_or_old_codes_are_refused(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk
) -> None:
    kiosk = make_kiosk(settings=settings())
    fake = with_scanner(kiosk)
    page = kiosk.window.selfservice
    number, payload = served(kiosk.queue, settings())
    assert payload == ticket_payload(MONDAY_9AM.date(), number, settings().hall_secret())
    # Scanned on home: the ticket has no case to look up, so 评价 opens with that service.
    fake.scan(payload)
    wait_screen(qtbot, kiosk, SelfScreen.RATE)
    assert page.flow.state.rating and page.flow.state.chosen.number == number
    assert f"{number} · 综合受理" in texts(kiosk.window)
    tap(qtbot, page.rate_page.levels[5])
    tap(qtbot, page.rate_page.submit)
    assert screen_of(kiosk) is SelfScreen.RATE_DONE
    with kiosk.queue.db.read() as s:
        rows = s.scalars(select(Rating)).all()
        assert [(r.channel, r.level, r.window, r.service_key) for r in rows] == [
            ("kiosk", 5, 1, f"ticket:{rows[0].ticket_id}")
        ]
    # The same ticket again, from the thanks page: nothing left to rate.
    fake.scan(payload)
    wait_message(qtbot, kiosk, SelfMessage.NOTHING_TO_RATE)
    assert screen_of(kiosk) is SelfScreen.RATE_FIND
    assert page.rate_find_page.message.isVisible()
    # Another served ticket whose code is forged (wrong tag), or yesterday's code of a number
    # served today: refused exactly like an unknown ticket, and nothing is stored.
    other, genuine = served(kiosk.queue, settings())
    yesterday = ticket_payload(MONDAY_9AM.date() - dt.timedelta(days=1), other, "x")
    for bad in (
        genuine[:-1] + ("0" if genuine[-1] != "0" else "1"),
        ticket_payload(MONDAY_9AM.date(), other, "another-hall-secret"),
        ticket_payload(MONDAY_9AM.date() - dt.timedelta(days=1), other, settings().hall_secret()),
        yesterday,
        "onewindow:ticket:A002",
    ):
        fake.scan(bad)
        qtbot.waitUntil(
            lambda: (
                page.flow.state.screen is SelfScreen.RATE_FIND
                and page.flow.state.message is SelfMessage.NOTHING_TO_RATE
            ),
            timeout=WAIT_MS,
        )
    # The genuine code of the other ticket still works.
    fake.scan(genuine)
    wait_screen(qtbot, kiosk, SelfScreen.RATE)
    assert page.flow.state.chosen.number == other
    tap(qtbot, page.rate_page.back)
    tap(qtbot, page.rate_find_page.back)
    assert kiosk.flow.state.screen is Screen.HOME
    with kiosk.queue.db.read() as s:
        assert len(s.scalars(select(Rating)).all()) == 1


def test_the_receipts_code_rates_a_hand_over_of_today_and_says_when_there_is_none(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, clock
) -> None:
    at = ManualClock(clock.at)
    seeded = seed(hall_db, settings(), at, RESIDENT.number, RESIDENT.name)
    hand_over(hall_db, settings(), at, seeded.ready)
    cases = CaseService(hall_db, settings(), at)
    ready_code = cases.receipt_data(seeded.ready).progress_url  # what the receipt carries
    assert ready_code == case_payload(seeded.ready, settings().hall_secret())
    kiosk = make_kiosk(settings=settings())
    fake = with_scanner(kiosk)
    page = kiosk.window.selfservice
    tap(qtbot, kiosk.window.home.entries["rating"])
    assert screen_of(kiosk) is SelfScreen.RATE_FIND
    assert "scan" in page.rate_find_page.card_hint.text() or "扫描" in (
        page.rate_find_page.card_hint.text()
    )
    fake.scan(ready_code)
    wait_screen(qtbot, kiosk, SelfScreen.RATE)
    chosen = page.flow.state.chosen
    assert chosen is not None and chosen.case_number == seeded.ready
    shown = texts(kiosk.window)
    assert "出件 · 二手房转移登记" in shown and RESIDENT.name not in shown
    tap(qtbot, page.rate_page.levels[4])
    tap(qtbot, page.rate_page.submit)
    assert screen_of(kiosk) is SelfScreen.RATE_DONE
    with hall_db.read() as s:
        (row,) = s.scalars(select(Rating)).all()
        assert (row.service_key, row.channel, row.level) == (
            f"handover:{seeded.ready}",
            "kiosk",
            4,
        )
    # The same receipt again: rated already, so no hand-over of today is left to rate.
    fake.scan(ready_code)
    wait_message(qtbot, kiosk, SelfMessage.NOT_HANDED_OVER)
    assert HANDED_OVER_TODAY in texts(kiosk.window)
    # A case not handed over (accepted with a paper still owed): says so, from home too.
    tap(qtbot, page.rate_find_page.back)
    assert kiosk.flow.state.screen is Screen.HOME
    tap(qtbot, kiosk.window.home.entries["rating"])
    fake.scan(cases.receipt_data(seeded.tolerated).progress_url)
    wait_message(qtbot, kiosk, SelfMessage.NOT_HANDED_OVER)
    assert screen_of(kiosk) is SelfScreen.RATE_FIND
    # A forged receipt code is not told apart from nothing at all.
    fake.scan(case_payload(seeded.ready, "another-hall-secret"))
    wait_message(qtbot, kiosk, SelfMessage.NOTHING_TO_RATE)
    with hall_db.read() as s:
        assert len(s.scalars(select(Rating)).all()) == 1


def test_by_code_without_a_screen(hall_db: HallDatabase, clock) -> None:  # type: ignore[no-untyped-def]
    at = ManualClock(clock.at)
    conf = settings()
    seeded = seed(hall_db, conf, at, RESIDENT.number, RESIDENT.name)
    ratings = KioskRatings(hall_db, conf, at)
    today = clock.at.date()
    secret = conf.hall_secret()
    with pytest.raises(NotHandedOverToday):
        ratings.by_code(case_payload(seeded.ready, secret), today)
    hand_over(hall_db, conf, at, seeded.ready)
    assert ratings.by_code(case_payload(seeded.ready, secret), today).case_number == seeded.ready
    with pytest.raises(NotHandedOverToday):  # the hand-over was today, not tomorrow
        ratings.by_code(case_payload(seeded.ready, secret), today + dt.timedelta(days=1))
    for junk in ("", "A001", "onewindow:case:" + seeded.ready, "https://example.cn/x"):
        with pytest.raises(NothingToRate) as refused:
            ratings.by_code(junk, today)
        assert not isinstance(refused.value, NotHandedOverToday)


# --------------------------------------------------------------------------- as the kiosk role


def test_the_kiosk_role_rates_by_ticket_and_receipt_codes(
    pg_hall_db: HallDatabase, kiosk_url: str, settings: Settings
) -> None:
    at = ManualClock(MONDAY_9AM)
    today = MONDAY_9AM.date()
    secret = settings.hall_secret()
    seeded = seed(pg_hall_db, settings, at, RESIDENT.number, RESIDENT.name)
    hand_over(pg_hall_db, settings, at, seeded.ready)
    queue = QueueService(pg_hall_db, settings, at)
    queue.sync_from_settings()
    number, ticket_code = served(queue, settings)
    kiosk_db = HallDatabase(make_engine(kiosk_url))
    try:
        ratings = KioskRatings(kiosk_db, settings, at)
        ticket = ratings.by_code(ticket_code, today)
        assert (ticket.number, ticket.window) == (number, 1)
        handover = ratings.by_code(case_payload(seeded.ready, secret), today)
        assert handover == KioskRatings(pg_hall_db, settings, at).by_code(
            case_payload(seeded.ready, secret), today
        )
        assert handover.case_number == seeded.ready and handover.service_name.startswith("出件")
        ratings.rate(ticket, RatingLevel.VERY_SATISFIED)
        ratings.rate(handover, RatingLevel.SATISFIED)
        with pytest.raises(AlreadyRated):
            ratings.rate(handover, RatingLevel.SATISFIED)
        with pytest.raises(NothingToRate):
            ratings.by_code(ticket_code, today)
        with pytest.raises(NothingToRate):
            ratings.by_code(ticket_code, today + dt.timedelta(days=1))
        for number_ in (seeded.ready, seeded.tolerated):  # rated already; never handed over
            with pytest.raises(NotHandedOverToday):
                ratings.by_code(case_payload(number_, secret), today)
    finally:
        kiosk_db.dispose()
    with pg_hall_db.read() as s:
        keys = sorted(r.service_key for r in s.scalars(select(Rating)))
        assert keys[0] == f"handover:{seeded.ready}" and keys[1].startswith("ticket:")
