"""Privacy across the self-service pages: no full ID number, no full name of anyone, no phone,
no address, and nothing of another person's case — on screen (every visible text, accessible
name and tooltip in the window's widget tree, at every step) or in the logs."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from common.clock import ManualClock
from common.devices.idcard.profiles import SAMPLE_PROFILES
from common.devices.scanner import FakeScanner
from common.qt.scanner import QtScanner
from kiosk.selfservice import SelfScreen
from tests.kiosk.conftest import needs_pty
from tests.kiosk.selfservice.cases import (
    HOLDER_PHONE,
    STRANGER_ID,
    STRANGER_NAME,
    STRANGER_PHONE,
    seed,
)
from tests.kiosk.selfservice.test_lookup_window import WAIT_MS, receipt_code, settings

RESIDENT = SAMPLE_PROFILES["resident"]


def everything_shown(root: QWidget) -> str:
    """Texts, accessible names and tooltips of every widget a citizen could see."""
    parts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        text = getattr(widget, "text", None)
        if callable(text):
            value = text()
            if isinstance(value, str):
                parts.append(value)
        parts += [widget.accessibleName(), widget.toolTip(), widget.windowTitle()]
    return "\n".join(parts)


@needs_pty
@pytest.mark.parametrize(("language", "elderly"), [("zh_CN", False), ("en", True)])
def test_no_one_is_named_and_no_other_case_is_shown_on_any_page_or_in_the_logs(  # type: ignore[no-untyped-def]
    qtbot: QtBot,
    make_kiosk,
    hall_db,
    clock,
    caplog: pytest.LogCaptureFixture,
    language: str,
    elderly: bool,
) -> None:
    caplog.set_level(logging.DEBUG)
    seeded = seed(hall_db, settings(), ManualClock(clock.at), RESIDENT.number, RESIDENT.name)
    forbidden = [
        RESIDENT.number,
        RESIDENT.name,
        HOLDER_PHONE,
        HOLDER_PHONE[-4:],
        STRANGER_ID,
        STRANGER_NAME,
        STRANGER_PHONE,
        STRANGER_PHONE[-4:],
        seeded.stranger,
        "鼓楼区某路",
        RESIDENT.address,
    ]
    kiosk = make_kiosk(settings=settings(language=language, elderly_default=elderly), reader="sim")
    w = kiosk.window
    fake = FakeScanner()
    scanner = QtScanner(fake, w)
    w.attach_scanner(scanner)
    page = w.selfservice
    seen: list[str] = []

    def look() -> None:
        seen.append(everything_shown(w))

    look()
    kiosk.simulator.place_card("resident")  # read on home first: the banner shows the masked name
    qtbot.waitUntil(lambda: w.holder_banner.isVisible(), timeout=WAIT_MS)
    look()
    w.home.entries["lookup"].click()
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.CASES, timeout=WAIT_MS)
    look()
    kiosk.simulator.remove_card()
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.LOOKUP, timeout=WAIT_MS)
    look()
    fake.scan(receipt_code(seeded.tolerated))
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.CASES, timeout=WAIT_MS)
    look()
    page.flow.back()
    page.flow.open_keypad()
    for ch in seeded.ready:
        page.flow.key(ch)
    page.flow.choose_field("phone")
    for ch in HOLDER_PHONE[-4:]:
        page.flow.key(ch)
    look()  # the phone digits typed show as dots
    page.flow.submit()
    look()
    page.flow.back()
    page.flow.open_keypad()
    for ch in seeded.stranger:
        page.flow.key(ch)
    page.flow.choose_field("phone")
    for ch in "0000":
        page.flow.key(ch)
    page.flow.submit()  # someone else's number with a wrong phone: refused, nothing shown
    assert page.model.rowCount() == 0 and page.flow.state.cases == ()
    # The number the visitor typed stays in its field for correcting a typo: their own input,
    # nothing the hall revealed. Everything else about that case must be absent.
    seen.append(everything_shown(w).replace(page.flow.state.number_typed, "<typed>"))
    page.flow.done()
    look()
    # 评价 by card: the holder's finished ticket, then the stranger's ticket is never offered.
    from common.queue.service import Holder

    for holder in (Holder(RESIDENT.number, RESIDENT.name), Holder(STRANGER_ID, STRANGER_NAME)):
        kiosk.queue.issue("A", holder=holder, source="test")
        kiosk.queue.call_next(1)
        kiosk.queue.finish(1)
    w.open_self_service("rating")
    look()
    kiosk.simulator.place_card("resident")
    # Their ticket and today's hand-over of their mailed case (出件); nothing of the stranger's.
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.RATE_PICK, timeout=WAIT_MS)
    assert {s.case_number or s.number for s in page.flow.state.rateables} == {
        "A001",
        seeded.mailed,
    }
    look()
    page.flow.choose_service(
        next(s.ticket_id for s in page.flow.state.rateables if not s.case_number)
    )
    look()
    page.flow.choose_level(1)
    page.flow.toggle_reason("attitude")
    page.flow.submit_rating()
    look()
    kiosk.simulator.remove_card()
    page.flow.done()
    look()
    # 预约签到: the holder's appointment (masked), checked in; the stranger's is never shown.
    from tests.kiosk.checkin.booking import book, load_demo_catalog

    load_demo_catalog(hall_db)
    day = clock.at.date()
    book(hall_db, settings(), clock, RESIDENT.number, day, "09:00-09:30", name=RESIDENT.name)
    book(hall_db, settings(), clock, STRANGER_ID, day, "09:00-09:30", name=STRANGER_NAME)
    checkin = w.checkin
    qtbot.waitUntil(lambda: not kiosk.flow._card_on_reader, timeout=WAIT_MS)  # lifted, seen
    w.open_self_service("checkin")
    look()
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: checkin.flow.can_check_in, timeout=WAIT_MS)
    look()
    checkin.flow.tap_check_in()
    look()  # the 预约 ticket on the kiosk's ticket screen
    kiosk.simulator.remove_card()
    kiosk.flow.done()
    # 证照打印: the holder's certificates (masked holder), an expired one refused, one printed;
    # then 补打回执 of the holder's own case. Nothing of the stranger's certificate.
    from common.devices.a4 import FakeA4Printer
    from kiosk.certprint import CertScreen, ReprintStatus
    from tests.kiosk.certprint.seed import add_certificates

    certs = add_certificates(hall_db, seeded, clock.at.date())
    forbidden.append(certs.stranger)
    certificates = w.certificates
    certificates.a4 = FakeA4Printer()
    qtbot.waitUntil(lambda: not kiosk.flow._card_on_reader, timeout=WAIT_MS)
    w.open_self_service("certificates")
    look()
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: certificates.flow.state.screen is CertScreen.LIST, timeout=WAIT_MS)
    look()
    certificates.flow.choose(certs.expired)
    look()
    certificates.flow.choose(certs.valid)
    qtbot.waitUntil(lambda: certificates.flow.state.screen is CertScreen.DONE, timeout=WAIT_MS)
    look()
    certificates.flow.done()
    kiosk.simulator.remove_card()
    qtbot.waitUntil(lambda: not kiosk.flow._card_on_reader, timeout=WAIT_MS)
    w.open_self_service()
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is SelfScreen.CASES, timeout=WAIT_MS)
    reprints = certificates.reprints
    reprints.request(seeded.tolerated, page.flow.card_holder)
    qtbot.waitUntil(
        lambda: reprints.statuses.get(seeded.tolerated) is ReprintStatus.PRINTED, timeout=WAIT_MS
    )
    look()
    kiosk.simulator.remove_card()
    page.flow.done()
    look()
    scanner.detach()

    for i, screen in enumerate(seen):
        for word in forbidden:
            assert word not in screen, (i, word)
    assert any("李*明" in s for s in seen)  # the masked name is what was shown
    assert any(seeded.ready in s for s in seen) and any(seeded.tolerated in s for s in seen)
    logs = caplog.text
    for word in [*forbidden, seeded.tolerated, seeded.ready, seeded.mailed]:
        assert word not in logs, word
