"""证照打印 and 补打回执 on the kiosk window, driven like a citizen: the real reader driver on the
pty simulator, real cases and certificates on SQLite, a fake A4 printer whose tray runs out,
the fake thermal printer behind the real print queue."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.db.models import DeviceStatus, KioskPrint, OutboxRow, PrintKind
from common.devices.a4 import A4Printer, FakeA4Printer, PdfFolderPrinter
from common.devices.idcard.profiles import SAMPLE_PROFILES
from kiosk.certprint import CertMessage, CertScreen, ReprintStatus
from kiosk.flow import Screen
from kiosk.screens.certificates import CertificateCard, CertificatesPage
from kiosk.selfservice import SelfScreen
from kiosk.window import KioskWindow
from tests.kiosk.certprint.seed import Certificates, seed_certificates
from tests.kiosk.conftest import Kiosk, needs_pty
from tests.kiosk.selfservice.cases import STRANGER_ID, STRANGER_NAME
from tests.kiosk.selfservice.test_lookup_window import settings, tap, texts

WAIT_MS = 5000
RESIDENT = SAMPLE_PROFILES["resident"]


@pytest.fixture
def certs(make_kiosk, hall_db, clock) -> Certificates:  # type: ignore[no-untyped-def]
    return seed_certificates(
        hall_db, settings(), ManualClock(clock.at), RESIDENT.number, RESIDENT.name, clock.at.date()
    )


def private_words(certs: Certificates) -> list[str]:
    return [RESIDENT.number, RESIDENT.name, STRANGER_ID, STRANGER_NAME, certs.stranger]


def prints(db: HallDatabase) -> list[tuple[PrintKind, str, str]]:
    with db.read() as s:
        return [(p.kind, p.reference, p.output) for p in s.scalars(select(KioskPrint))]


def outbox_prints(db: HallDatabase) -> list[str]:
    with db.read() as s:
        return list(
            s.scalars(
                select(OutboxRow.event_type)
                .where(OutboxRow.aggregate.like("print:%"))
                .order_by(OutboxRow.id)
            )
        )


def window(kiosk: Kiosk) -> KioskWindow:
    assert isinstance(kiosk.window, KioskWindow)
    return kiosk.window


def open_certificates(qtbot: QtBot, kiosk: Kiosk, a4: A4Printer | None) -> CertificatesPage:
    w = window(kiosk)
    w.certificates.a4 = a4
    tap(qtbot, w.home.entries["certificates"])
    assert kiosk.flow.state.screen is Screen.SELF_SERVICE
    page = w.certificates
    assert page.flow.state.screen is CertScreen.FIND and w.stack.currentWidget() is page
    return page


def card_for(page: CertificatesPage, identifier: str) -> CertificateCard:
    return next(c for c in page.list_page.shown_cards if c.identifier == identifier)


@needs_pty
def test_a_certificate_is_printed_once_and_recorded_then_lifting_the_card_clears(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, certs: Certificates, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    kiosk = make_kiosk(settings=settings(), reader="sim")
    a4 = FakeA4Printer()
    page = open_certificates(qtbot, kiosk, a4)
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.LIST, timeout=WAIT_MS)
    shown = texts(kiosk.window)
    assert "不动产权证书" in shown and "食品经营许可证" in shown
    assert "李*明" in shown and "个体工商户营业执照" not in shown  # the stranger's
    for word in private_words(certs):
        assert word not in shown, word
    tap(qtbot, card_for(page, certs.valid).print_button)
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.DONE, timeout=WAIT_MS)
    assert [j.pages for j in a4.jobs] == [1]
    assert prints(hall_db) == [(PrintKind.CERTIFICATE, certs.valid, "a4")]
    assert outbox_prints(hall_db) == ["certificate.printed"]
    # 再打一份 is a new, deliberate print; 完成 only leaves.
    tap(qtbot, page.done_page.done)
    assert kiosk.flow.state.screen is Screen.HOME and not page.flow.state.active
    assert len(a4.jobs) == 1 and len(prints(hall_db)) == 1
    # Back in (home forgot the card: it is placed again), and lifting it clears the list.
    open_certificates(qtbot, kiosk, a4)
    kiosk.simulator.remove_card()
    qtbot.wait(100)
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.LIST, timeout=WAIT_MS)
    kiosk.simulator.remove_card()
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.FIND, timeout=WAIT_MS)
    assert page.flow.state.certificates == () and "不动产权证书" not in texts(kiosk.window)
    for word in [*private_words(certs), certs.valid]:
        assert word not in caplog.text, word


@needs_pty
def test_an_expired_certificate_is_shown_but_refused(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, certs: Certificates
) -> None:
    kiosk = make_kiosk(settings=settings(), reader="sim")
    a4 = FakeA4Printer()
    page = open_certificates(qtbot, kiosk, a4)
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.LIST, timeout=WAIT_MS)
    card = card_for(page, certs.expired)
    assert "过期" in card.validity.text() or "expired" in card.validity.text()
    tap(qtbot, card.print_button)
    assert page.flow.state.message is CertMessage.EXPIRED
    assert card.message.isVisible() and (
        "有效期" in card.message.text() or "expired" in card.message.text()
    )
    assert a4.jobs == [] and prints(hall_db) == [] and outbox_prints(hall_db) == []


@needs_pty
def test_paper_out_during_a_print_prints_nothing_twice_and_tells_the_citizen(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, certs: Certificates
) -> None:
    kiosk = make_kiosk(settings=settings(), reader="sim")
    a4 = FakeA4Printer(sheets=0)  # the tray runs dry with this job
    page = open_certificates(qtbot, kiosk, a4)
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.LIST, timeout=WAIT_MS)
    tap(qtbot, card_for(page, certs.valid).print_button)
    qtbot.waitUntil(lambda: page.flow.state.message is CertMessage.PAPER_OUT, timeout=WAIT_MS)
    assert page.flow.state.screen is CertScreen.LIST
    told = card_for(page, certs.valid).message.text()
    assert "纸" in told or "paper" in told
    assert a4.jobs == [] and prints(hall_db) == [] and outbox_prints(hall_db) == []
    # The hall manager's alert strip hears of it.
    with hall_db.read() as s:
        alert = s.scalars(select(DeviceStatus).where(DeviceStatus.device == "a4printer")).one()
    assert alert.state == "paper_out" and alert.needs_attention
    # Nothing retries by itself: loading paper prints nothing until the citizen taps again.
    a4.load_paper(50)
    kiosk.clock.advance(1)
    qtbot.wait(50)
    assert a4.jobs == []
    tap(qtbot, card_for(page, certs.valid).print_button)
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.DONE, timeout=WAIT_MS)
    assert len(a4.jobs) == 1 and prints(hall_db) == [(PrintKind.CERTIFICATE, certs.valid, "a4")]
    with hall_db.read() as s:
        alert = s.scalars(select(DeviceStatus).where(DeviceStatus.device == "a4printer")).one()
    assert alert.state == "ready" and not alert.needs_attention


@needs_pty
def test_idle_goes_home_and_forgets(qtbot: QtBot, make_kiosk, certs: Certificates) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(), reader="sim")
    page = open_certificates(qtbot, kiosk, FakeA4Printer())
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.LIST, timeout=WAIT_MS)
    kiosk.clock.advance(46)  # the list stays at least 45 s
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.HOME, timeout=WAIT_MS)
    assert not page.flow.state.active and page.flow.state.certificates == ()
    assert page.flow._holder is None  # the card's data is gone from memory too
    assert "不动产权证书" not in texts(kiosk.window)


@needs_pty
def test_a_kiosk_with_only_its_thermal_printer_prints_the_slip(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, certs: Certificates
) -> None:
    kiosk = make_kiosk(settings=settings(), reader="sim")
    page = open_certificates(qtbot, kiosk, None)
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.LIST, timeout=WAIT_MS)
    assert page.flow.state.output == "slip"
    tap(qtbot, card_for(page, certs.valid).print_button)
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.DONE, timeout=WAIT_MS)
    slips = [j for j in kiosk.printer.printed if j.title.startswith("certificate")]
    assert len(slips) == 1
    assert prints(hall_db) == [(PrintKind.CERTIFICATE, certs.valid, "slip")]


@needs_pty
def test_the_pdf_folder_printer_files_the_certificate(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, certs: Certificates, tmp_path: Path
) -> None:
    kiosk = make_kiosk(settings=settings(), reader="sim")
    folder = tmp_path / "prints"
    page = open_certificates(qtbot, kiosk, PdfFolderPrinter(folder))
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.LIST, timeout=WAIT_MS)
    tap(qtbot, card_for(page, certs.valid).print_button)
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.DONE, timeout=WAIT_MS)
    files = list(folder.glob("*.pdf"))
    assert len(files) == 1 and files[0].read_bytes().startswith(b"%PDF")


@needs_pty
def test_receipt_reprint_from_the_lookup_is_recorded_once(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, certs: Certificates
) -> None:
    kiosk = make_kiosk(settings=settings(), reader="sim")
    w = window(kiosk)
    tap(qtbot, w.home.entries["lookup"])
    kiosk.simulator.place_card("resident")
    lookup = w.selfservice
    qtbot.waitUntil(lambda: lookup.flow.state.screen is SelfScreen.CASES, timeout=WAIT_MS)
    card = next(c for c in lookup.cases_page.shown_cards if c.number_value == certs.cases.tolerated)
    assert card.reprint.isVisible()
    tap(qtbot, card.reprint)
    reprints = w.certificates.reprints
    qtbot.waitUntil(
        lambda: reprints.statuses.get(certs.cases.tolerated) is ReprintStatus.PRINTED,
        timeout=WAIT_MS,
    )
    assert not card.reprint.isVisible()  # printed: not offered again on this list
    assert "回执" in card.reprint_status.text() or "Receipt" in card.reprint_status.text()
    receipts = [j for j in kiosk.printer.printed if j.title.startswith("receipt")]
    assert [j.title for j in receipts] == [f"receipt {certs.cases.tolerated}"]
    assert prints(hall_db) == [(PrintKind.RECEIPT, certs.cases.tolerated, "slip")]
    assert outbox_prints(hall_db) == ["receipt.reprinted"]
    # Lifting the card clears the list and the statuses.
    kiosk.simulator.remove_card()
    qtbot.waitUntil(lambda: lookup.flow.state.screen is SelfScreen.LOOKUP, timeout=WAIT_MS)
    assert reprints.statuses == {}


def test_no_reprint_without_the_card(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, certs: Certificates
) -> None:
    """A case found by number + phone (no card) offers no 补打回执: the card proves identity."""
    kiosk = make_kiosk(settings=settings())
    w = window(kiosk)
    flow = w.selfservice.flow
    tap(qtbot, w.home.entries["lookup"])
    flow.open_keypad()
    for ch in certs.cases.ready.split("-", 1)[1].replace("-", ""):
        flow.key(ch)
    flow.choose_field("phone")
    for ch in "8000":
        flow.key(ch)
    flow.submit()
    assert flow.state.screen is SelfScreen.CASES and not flow.state.by_card
    card = w.selfservice.cases_page.shown_cards[0]
    assert not card.reprint.isVisible() and flow.card_holder is None
    with hall_db.read() as s:
        assert s.scalar(select(func.count()).select_from(KioskPrint)) == 0


@needs_pty
def test_a_slip_waiting_for_paper_prints_once_and_is_recorded_when_it_prints(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db, certs: Certificates
) -> None:
    """Thermal only: the roll is empty when the slip reaches the printer. The citizen is told;
    a second tap queues nothing; staff load paper and the one slip prints and is recorded."""
    kiosk = make_kiosk(settings=settings(), reader="sim")
    page = open_certificates(qtbot, kiosk, None)
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: page.flow.state.screen is CertScreen.LIST, timeout=WAIT_MS)
    printer, queue = kiosk.printer, kiosk.print_queue
    printer.run_out_of_paper()
    tap(qtbot, card_for(page, certs.valid).print_button)
    qtbot.waitUntil(lambda: page.flow.state.message is CertMessage.PAPER_OUT, timeout=WAIT_MS)
    assert page.flow.state.screen is CertScreen.LIST
    told = card_for(page, certs.valid).message.text()
    assert "纸" in told or "paper" in told
    tap(qtbot, card_for(page, certs.valid).print_button)  # again: refused, nothing queued
    assert page.flow.state.message is CertMessage.PAPER_OUT
    waiting = [j for j in queue.pending_jobs() if j.title.startswith("certificate")]
    assert len(waiting) == 1 and prints(hall_db) == []
    printer.come_back()
    queue.retry_now()
    qtbot.waitUntil(lambda: len(prints(hall_db)) == 1, timeout=WAIT_MS)
    printed = [j for j in printer.printed if j.title.startswith("certificate")]
    assert len(printed) == 1
    assert prints(hall_db) == [(PrintKind.CERTIFICATE, certs.valid, "slip")]
    assert outbox_prints(hall_db) == ["certificate.printed"]


def test_an_a4_printer_in_trouble_reaches_the_manager_when_the_page_opens(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_kiosk, hall_db
) -> None:
    kiosk = make_kiosk(settings=settings())
    open_certificates(qtbot, kiosk, FakeA4Printer(offline=True))

    def alert() -> DeviceStatus | None:
        with hall_db.read() as s:
            row: DeviceStatus | None = s.scalars(
                select(DeviceStatus).where(DeviceStatus.device == "a4printer")
            ).first()
            if row is not None:
                s.expunge(row)
            return row

    qtbot.waitUntil(lambda: alert() is not None, timeout=WAIT_MS)
    row = alert()
    assert row is not None and row.state == "offline" and row.needs_attention
