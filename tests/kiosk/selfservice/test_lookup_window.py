"""办件查询 on the kiosk window, driven like a citizen: the real reader driver on the pty simulator,
real cases on SQLite, a scanner fake fed the QR payloads of real receipts, the keypad tapped."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from common.clock import ManualClock
from common.db.models import DeviceStatus
from common.devices.idcard.profiles import SAMPLE_PROFILES
from common.devices.scanner import FakeScanner, KeyboardWedgeScanner
from common.intake.cases import CaseService
from common.intake.qrtag import case_payload
from common.qt.scanner import QtScanner
from kiosk.flow import Screen
from kiosk.selfservice import KEYPAD_TRIES, SelfMessage, SelfScreen
from tests.conftest import make_settings
from tests.kiosk.conftest import Kiosk, needs_pty
from tests.kiosk.selfservice.cases import (
    HOLDER_PHONE,
    STRANGER_ID,
    STRANGER_NAME,
    STRANGER_PHONE,
    Seeded,
    seed,
)

WAIT_MS = 5000
RESIDENT = SAMPLE_PROFILES["resident"]

SERVICES = [
    {"prefix": "A", "name": "综合受理", "name_en": "General intake", "general": True},
    {"prefix": "B", "name": "不动产", "name_en": "Real estate", "id_card": "required"},
]
WINDOWS = [{"number": 1, "services": {"A": 1, "B": 1}}]


def settings(**kiosk: object):  # type: ignore[no-untyped-def]
    return make_settings(services=SERVICES, windows=WINDOWS, kiosk={"idle_seconds": 30, **kiosk})


def receipt_code(number: str) -> str:
    """The QR payload a real receipt of ``number`` carries in these tests' hall."""
    return case_payload(number, settings().hall_secret())


def texts(widget: QWidget) -> str:
    """Every text a citizen could see: visible labels and buttons."""
    parts = [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]
    parts += [w.text() for w in widget.findChildren(QPushButton) if w.isVisibleTo(widget)]
    return "\n".join(parts)


def tap(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_keys(qtbot: QtBot, kiosk: Kiosk, keys: str) -> None:
    pad = kiosk.window.selfservice.keypad_page  # type: ignore[attr-defined]
    for key in keys:
        tap(qtbot, pad.keys[key])


def private_words(seeded: Seeded) -> list[str]:
    """What must never be on screen or in the logs while the resident looks up their cases."""
    return [
        RESIDENT.number,
        RESIDENT.name,
        HOLDER_PHONE,
        STRANGER_ID,
        STRANGER_NAME,
        STRANGER_PHONE,
        seeded.stranger,
        "鼓楼区某路",
    ]


@pytest.fixture
def seeded(make_kiosk, hall_db, clock) -> Seeded:  # type: ignore[no-untyped-def]
    return seed(hall_db, settings(), ManualClock(clock.at), RESIDENT.number, RESIDENT.name)


def open_lookup(qtbot: QtBot, kiosk: Kiosk) -> None:
    w = kiosk.window
    tap(qtbot, w.home.entries["lookup"])  # type: ignore[attr-defined]
    assert kiosk.flow.state.screen is Screen.SELF_SERVICE
    assert w.selfservice.flow.state.screen is SelfScreen.LOOKUP  # type: ignore[attr-defined]


@needs_pty
def test_card_shows_every_case_of_the_holder_and_nothing_else_then_lifting_it_clears(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, seeded: Seeded, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    kiosk = make_kiosk(settings=settings(), reader="sim")
    w = kiosk.window
    open_lookup(qtbot, kiosk)
    kiosk.simulator.place_card("resident")
    page = w.selfservice
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.CASES, timeout=WAIT_MS)
    shown = texts(w)
    for number in (seeded.tolerated, seeded.ready, seeded.mailed):
        assert number in shown
    assert "李*明" in shown and ("共 3 件" in shown or "3 case(s)" in shown)
    assert "个体工商户设立登记" in shown and "二手房转移登记" in shown
    assert "还需补交：经营场所使用证明" in shown or "Still to bring: 经营场所使用证明" in shown
    assert "5 号窗口" in shown or "window 5" in shown  # where to collect the ready result
    assert "EMS 1190000000001" in shown  # the mailed one's tracking number
    assert page.model.rowCount() == 3
    for word in private_words(seeded):
        assert word not in shown, word
    # The 电子监察 colour has its word beside it (colour is never the only cue).
    card = page.cases_page.cards[2]
    assert card.promised.property("watch") in ("yellow", "red")
    assert "到期" in card.promised.text() or "due" in card.promised.text()

    kiosk.simulator.remove_card()
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.LOOKUP, timeout=WAIT_MS)
    assert page.flow.state.cases == () and page.model.rowCount() == 0
    after = texts(w)
    for number in (seeded.tolerated, seeded.ready, seeded.mailed):
        assert number not in after
    assert "李*明" not in after
    log_text = caplog.text
    for word in [*private_words(seeded), seeded.tolerated, seeded.ready]:
        assert word not in log_text, word


@needs_pty
def test_a_card_already_read_on_home_is_used_and_idle_goes_home(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, seeded: Seeded
) -> None:
    kiosk = make_kiosk(settings=settings(), reader="sim")
    w = kiosk.window
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: w.holder_banner.isVisible(), timeout=WAIT_MS)
    tap(qtbot, w.home.entries["lookup"])  # the card on the reader is used at once
    page = w.selfservice
    assert page.flow.state.screen is SelfScreen.CASES and len(page.flow.state.cases) == 3
    kiosk.clock.advance(46)  # results stay at least 45 s (reading takes time)
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.HOME, timeout=WAIT_MS)
    assert not page.flow.state.active and page.model.rowCount() == 0
    assert not w.holder_banner.isVisible() and kiosk.flow.state.holder_masked == ""
    assert seeded.ready not in texts(w)


def test_number_and_phone_on_the_keypad_and_a_wrong_phone_told_like_a_missing_case(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, seeded: Seeded
) -> None:
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    page = w.selfservice
    open_lookup(qtbot, kiosk)
    tap(qtbot, page.lookup_page.keypad)
    assert page.flow.state.screen is SelfScreen.KEYPAD
    assert not page.keypad_page.search.isEnabled()

    def ask(number: str, phone: str) -> str:
        tap(qtbot, page.keypad_page.number_button)
        while page.flow.state.number_typed:
            tap(qtbot, page.keypad_page.backspace)
        type_keys(qtbot, kiosk, number)
        tap(qtbot, page.keypad_page.phone_button)
        while page.flow.state.phone_typed:
            tap(qtbot, page.keypad_page.backspace)
        type_keys(qtbot, kiosk, phone)
        assert "●●●●" in page.keypad_page.phone_button.text() and phone not in texts(w)
        tap(qtbot, page.keypad_page.search)
        return page.keypad_page.message.text()

    short = seeded.ready.split("-", 1)[1]  # the hall code may be left out
    wrong_phone = ask(short, "0000")
    assert (
        page.flow.state.screen is SelfScreen.KEYPAD
        and page.flow.state.message is SelfMessage.NOT_FOUND
    )
    missing_case = ask(short[:-1] + "9", HOLDER_PHONE[-4:])
    # The same words for both (only the tries-left count moves on).
    assert (
        wrong_phone.split("。")[0] == missing_case.split("。")[0]
        or wrong_phone.split(".")[0] == missing_case.split(".")[0]
    )
    assert seeded.ready not in wrong_phone
    ask(short, HOLDER_PHONE[-4:])
    assert page.flow.state.screen is SelfScreen.CASES
    shown = texts(w)
    assert seeded.ready in shown and seeded.tolerated not in shown and seeded.mailed not in shown
    assert STRANGER_NAME not in shown and RESIDENT.name not in shown


def test_the_keypad_locks_after_repeated_misses_and_idle_does_not_unlock_it(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, seeded: Seeded
) -> None:
    kiosk = make_kiosk(settings=settings())
    page = kiosk.window.selfservice
    flow = page.flow
    open_lookup(qtbot, kiosk)
    for _ in range(KEYPAD_TRIES):
        flow.open_keypad()
        for ch in seeded.ready + "0000":
            if len(flow.state.number_typed) >= len(seeded.ready):
                flow.choose_field("phone")
            flow.key(ch)
        flow.submit()
    assert flow.state.message is SelfMessage.LOCKED
    kiosk.clock.advance(31)  # idle: back home; a new visitor still finds the keypad locked
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.HOME, timeout=WAIT_MS)
    open_lookup(qtbot, kiosk)
    flow.open_keypad()
    assert flow.state.message is SelfMessage.LOCKED and not page.keypad_page.keys["1"].isEnabled()
    kiosk.clock.advance(61)  # the minute is over (the visitor timed out meanwhile)
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.HOME, timeout=WAIT_MS)
    open_lookup(qtbot, kiosk)
    flow.open_keypad()
    assert flow.state.message is SelfMessage.NONE and page.keypad_page.keys["1"].isEnabled()
    assert flow.state.tries_left == KEYPAD_TRIES


def test_the_receipts_qr_code_from_the_scanner_shows_that_case_even_from_home(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, seeded: Seeded, hall_db, clock
) -> None:
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    fake = FakeScanner()
    scanner = QtScanner(fake, w)
    w.attach_scanner(scanner)
    payload = (
        CaseService(hall_db, settings(), ManualClock(clock.at))
        .receipt_data(seeded.tolerated)
        .progress_url
    )
    assert payload == receipt_code(seeded.tolerated)
    fake.scan(payload)  # scanned on home: 办件查询 opens and answers
    page = w.selfservice
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.CASES, timeout=WAIT_MS)
    shown = texts(w)
    assert seeded.tolerated in shown and seeded.ready not in shown and "个体工商户设立登记" in shown
    assert RESIDENT.name not in shown and "李*明" not in shown  # a receipt names nobody on screen
    tap(qtbot, page.cases_page.back)
    fake.scan(receipt_code("350102-20991231-0001"))
    qtbot.waitUntil(lambda: page.flow.state.message is SelfMessage.NOT_FOUND, timeout=WAIT_MS)
    assert page.lookup_page.message.isVisible()
    tap(qtbot, page.lookup_page.back)
    assert kiosk.flow.state.screen is Screen.HOME
    # An unplugged scanner is the hall manager's to know about, once.
    fake.unplug()
    qtbot.waitUntil(lambda: _device(kiosk, "scanner") is not None, timeout=WAIT_MS)
    assert _device(kiosk, "scanner").needs_attention  # type: ignore[union-attr]
    scanner.detach()


def test_a_keyboard_wedge_scanner_types_the_code_into_the_kiosk(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, seeded: Seeded
) -> None:
    kiosk = make_kiosk(settings=settings(scanner="wedge"))
    w = kiosk.window
    scanner = QtScanner(KeyboardWedgeScanner(), w)
    w.attach_scanner(scanner)
    app = QApplication.instance()
    assert app is not None
    for ch in receipt_code(seeded.ready):
        app.sendEvent(w, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, ch))
    app.sendEvent(
        w, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
    )
    page = w.selfservice
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.CASES, timeout=WAIT_MS)
    assert seeded.ready in texts(w)
    scanner.detach()


def _device(kiosk: Kiosk, device: str) -> DeviceStatus | None:
    from sqlalchemy import select

    with kiosk.queue.db.read() as s:
        return s.scalars(select(DeviceStatus).where(DeviceStatus.device == device)).first()


def test_repeated_lookups_reuse_the_case_cards(qtbot: QtBot, make_kiosk, seeded: Seeded) -> None:  # type: ignore[no-untyped-def]
    # Each answer used to build a fresh set of cards and delete the old ones later: 1,000
    # lookups grew the kiosk from 314 to 909 MB in bench/kiosk_bench.py.
    from kiosk.screens.progress import CaseCard

    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    fake = FakeScanner()
    scanner = QtScanner(fake, w)
    w.attach_scanner(scanner)
    page = w.selfservice
    for i in range(20):
        fake.scan(receipt_code((seeded.tolerated, seeded.ready)[i % 2]))
        qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.CASES, timeout=WAIT_MS)
        assert len(page.cases_page.shown_cards) == 1
        page.flow.done()
    assert len(page.cases_page.findChildren(CaseCard)) <= 3
    scanner.detach()


def test_large_print_speaks_each_page_and_never_a_number(
    qtbot: QtBot, make_kiosk, seeded: Seeded
) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(elderly_default=True))
    w = kiosk.window
    spoken = kiosk.speaker.spoken  # type: ignore[attr-defined]
    open_lookup(qtbot, kiosk)
    assert "身份证" in spoken[-1] and "二维码" in spoken[-1]
    page = w.selfservice
    tap(qtbot, page.lookup_page.keypad)
    assert "手机号后四位" in spoken[-1]
    page.flow.key("1")
    page.flow.choose_field("phone")
    fake = FakeScanner()
    scanner = QtScanner(fake, w)
    w.attach_scanner(scanner)
    page.flow.back()
    fake.scan(receipt_code(seeded.ready))
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.CASES, timeout=WAIT_MS)
    assert spoken[-1] == "待出件"  # one case: its status in plain words
    assert all(seeded.ready not in s and HOLDER_PHONE[-4:] not in s for s in spoken)
    scanner.detach()
