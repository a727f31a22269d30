"""The kiosk part of ``onewindow demo --tour``: the real kiosk window, offscreen.

    python -m kiosk.demo_tour --config <demo hall.toml> --out <demo folder>

Runs after the intake tour (window 1 accepted a 二手房转移登记 case for the sample card
``resident``) and the central tour (the back office approved it, issued its e-certificate and
marked it ready; the change feed brought both back). Then, as a citizen at the kiosk:

1. 办件查询 — places the sample card: the approved case is on screen (可出件);
2. 证照打印 — the same card lists its e-certificate; it prints to ``<out>/certificates`` (the
   A4 printer of the demo is a PDF folder);
3. 预约签到 — an appointment for now was booked at the tour's start with
   ``onewindow appointment book`` (for an invented holder, new on every run, so the per-ID
   daily limit never refuses a second demo of the day); that card checks in, the 预约 ticket
   prints to the demo's ticket folder, and a window calls it at its slot;
4. 评价 — the citizen scans the QR code printed on that ticket (what a hand-held scanner at the
   kiosk would send) and rates the finished service.

The tour uses the fake reader (the demo's simulated readers belong to the running apps) and
saves a screenshot of each page into ``<out>/screenshots``. A step that cannot run (nothing to
show yet, the central server did not start) says so and the tour goes on; it exits 0 unless the
kiosk itself fails.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SAMPLE_CARD = "resident"
CHECKIN_NAME = "陈晓华"  # invented


def _say(text: str) -> None:
    print(f"[演示] {text}", flush=True)


def slot_now(now: dt.datetime) -> str:
    """A half-hour slot that holds ``now`` (the last one of a day ends at 23:59)."""
    start = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
    end = start + dt.timedelta(minutes=30)
    end_text = "23:59" if end.date() != start.date() else end.strftime("%H:%M")
    return f"{start:%H:%M}-{end_text}"


def invented_holder(taken: Callable[[str], bool]) -> str:
    """An invented ID number (born 1986-04-12) not yet used by ``taken`` today."""
    from common.people import check_character

    for seq in range(1, 1000, 2):  # odd: a man
        first17 = f"35010219860412{seq:03d}"
        number = first17 + check_character(first17)
        if not taken(number):
            return number
    raise RuntimeError("no invented holder left for today")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk.demo_tour")
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)

    from common.qt.pyside_compat import protect_singletons

    protect_singletons()
    from PySide6.QtWidgets import QApplication

    from common.bootstrap import open_hall
    from common.cli import main as onewindow
    from common.devices.a4 import PdfFolderPrinter
    from common.devices.idcard.fake import FakeCardReader
    from common.devices.idcard.profiles import SAMPLE_PROFILES
    from common.devices.printer import PrintJobBuilder, open_printer
    from common.devices.printer.queue import PrintQueue
    from common.intake.qrtag import ticket_payload
    from common.people import hash_id_number
    from common.qt.i18n import Translations
    from common.qt.idcard import QtCardReader
    from common.qt.print_events import QtPrintEvents
    from common.qt.worker import TaskRunner
    from kiosk.certprint import CertScreen
    from kiosk.checkin import CheckinScreen
    from kiosk.flow import Screen
    from kiosk.printing import TicketPrinting
    from kiosk.selfservice import SelfScreen
    from kiosk.window import KioskWindow

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    shots = args.out / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    hall = open_hall(args.config)
    settings = hall.settings
    queue = hall.queue

    # 预约签到's appointment, booked now with the admin CLI, for a holder new to today.
    from sqlalchemy import select

    from common.db.models import HallAppointment

    secret = settings.hall_secret()
    with hall.db.read() as s:
        now = queue.clock.now(hall.db, s).astimezone(settings.hall.tz)
        booked_today = set(
            s.scalars(select(HallAppointment.holder_hash).where(HallAppointment.day == now.date()))
        )
    number = invented_holder(lambda n: hash_id_number(n, secret) in booked_today)
    matter = _matter_code(hall.db)
    slot = slot_now(now)
    _say(f"预约 / booking: onewindow appointment book --matter {matter} --slot {slot}")
    if (
        onewindow(
            [
                "--config",
                args.config,
                "appointment",
                "book",
                "--matter",
                matter,
                "--day",
                now.date().isoformat(),
                "--slot",
                slot,
                "--id-number",
                number,
                "--name",
                CHECKIN_NAME,
            ]
        )
        != 0
    ):
        _say("预约未成功 / the booking failed")

    builder = PrintJobBuilder(settings.printer)
    printer = open_printer(settings.printer, builder.font)
    print_queue = PrintQueue(printer, spool_dir=args.out / "station-tour-spool")
    printing = TicketPrinting(settings, builder, print_queue)
    certificates = args.out / "certificates"
    window = KioskWindow(
        settings,
        queue,
        station="kiosk-tour",
        printing=printing,
        translations=Translations(app, ("kiosk",)),
        runner=TaskRunner(inline=True),  # a scripted tour waits for each step anyway
        print_runner=TaskRunner(inline=True),
        a4=PdfFolderPrinter(certificates),
    )
    events = QtPrintEvents(print_queue, window)
    events.print_event.connect(window.on_print_event)
    events.attach()
    print_queue.start()
    fake = FakeCardReader()
    reader = QtCardReader(fake, window)
    reader.card_read.connect(window.on_card)
    reader.reader_status.connect(window.on_reader_status)
    reader.attach()
    window.resize(720, 1280)
    window.show()
    window.start()

    def settle(until: Callable[[], bool] = lambda: False, seconds: float = 5.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents()
            if until():
                return True
            time.sleep(0.02)
        return until()

    def shot(name: str) -> None:
        settle(seconds=0.3)
        window.grab().save(str(shots / f"kiosk-{name}.png"))

    def lift() -> None:
        fake.remove_card()
        settle(lambda: not window.flow._card_on_reader, 3.0)

    try:
        resident = SAMPLE_PROFILES[SAMPLE_CARD]
        # 1. 办件查询: the case the back office approved, by the card.
        window.open_self_service("lookup")
        fake.place_card(SAMPLE_CARD)
        page = window.selfservice
        if settle(lambda: page.flow.state.screen is SelfScreen.CASES):
            for case in page.flow.state.cases:
                _say(f"办件查询 / case progress: {case.number} {case.state.label}")
        else:
            _say("办件查询：没有查到办件 / no case for the sample card yet")
        shot("lookup")
        page.flow.done()
        lift()
        # 2. 证照打印: its e-certificate, printed to the demo folder.
        window.open_self_service("certificates")
        fake.place_card(SAMPLE_CARD)
        cert = window.certificates.flow
        listed = settle(
            lambda: cert.state.screen is CertScreen.LIST and bool(cert.state.certificates)
        )
        shot("certificates")
        if listed:
            cert.choose(cert.state.certificates[0].identifier)
            if settle(lambda: cert.state.screen is CertScreen.DONE, 15.0):
                pdfs = sorted(certificates.glob("*.pdf"), key=lambda p: p.stat().st_mtime)
                _say(f"证照打印 / e-certificate printed: {pdfs[-1] if pdfs else certificates}")
            else:
                _say(f"证照打印未完成 / the certificate print did not finish ({cert.state.screen})")
            shot("certificate-printed")
        else:
            _say("证照打印：该卡暂无电子证照 / no e-certificate for the sample card yet")
        cert.done()
        lift()
        # 3. 预约签到: the invented holder's card, on time: a 预约 ticket, called at its slot.
        card = dataclasses.replace(resident, number=number, name=CHECKIN_NAME, birth="19860412")
        window.open_self_service("checkin")
        fake.place_card(card)
        checkin = window.checkin.flow
        settle(lambda: checkin.state.screen is CheckinScreen.APPOINTMENT)
        shot("checkin")
        ticket = None
        if checkin.can_check_in:
            checkin.tap_check_in()
            ticket = window.flow.state.ticket if window.flow.state.screen is Screen.TICKET else None
        if ticket is not None:
            print_queue.wait_idle(10.0)
            _say(f"预约签到 / checked in: {ticket.number} 预约 {slot}（号票已打印 / printed）")
            shot("checkin-ticket")
            window.flow.done()
            called = None
            for w in sorted(x.number for x in settings.windows if ticket.prefix in x.services):
                called = queue.call_next(w, actor="demo-tour")
                if called is not None:
                    _say(f"请{called.number}号到{w}号窗口办理（预约号按时段优先叫号）")
                    queue.finish(w, actor="demo-tour")
                    break
        else:
            _say(f"预约签到未成功 / check-in did not happen ({checkin.state.status})")
            checkin.close()
        lift()
        # 4. 评价: the ticket's own QR code, scanned on home, rates the service just finished
        # (the payload the ticket printed: hall day, number and the hall's keyed tag).
        rating = window.selfservice.flow
        if ticket is not None:
            window.on_scanned(ticket_payload(ticket.hall_day, ticket.number, secret))
        else:
            window.open_self_service("rating")
            fake.place_card(card)
        if settle(lambda: rating.state.screen in (SelfScreen.RATE, SelfScreen.RATE_PICK)):
            if rating.state.screen is SelfScreen.RATE_PICK:
                rating.choose_service(rating.state.rateables[0].ticket_id)
            rating.choose_level(5)
            shot("rating")
            rating.submit_rating()
            if settle(lambda: rating.state.screen is SelfScreen.RATE_DONE):
                how = "扫号票二维码 / ticket QR scanned" if ticket is not None else "身份证 / card"
                _say(f"评价 / rated: 非常满意（{how}）")
        else:
            _say("评价：没有可评价的服务 / nothing to rate")
        rating.done()
        lift()
        _say(f"取号机演示截图 / kiosk tour screenshots: {shots}")
    finally:
        reader.detach()
        window.shutdown()
        window.close()
        events.detach()
        print_queue.stop()
        printer.close()
        hall.close()
    return 0


def _matter_code(db: object) -> str:
    """二手房转移登记 (不动产) from the hall's catalog."""
    from sqlalchemy import select

    from common.db.models import MatterVersion

    with db.read() as s:  # type: ignore[attr-defined]
        code = s.scalar(select(MatterVersion.code).where(MatterVersion.name == "二手房转移登记"))
    if code is None:
        raise RuntimeError("the demo catalog has no 二手房转移登记")
    return str(code)


if __name__ == "__main__":
    sys.exit(main())
