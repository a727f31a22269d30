"""Regenerate docs/screenshots/kiosk/: every screen, normal and large print, Chinese and English,
portrait and landscape at 1080p (1080×1920, 1920×1080) and at 720p (720×1280, 1280×720, the
demo's size), and report clipped text, overlapping or squeezed widgets and small targets.

    QT_QPA_PLATFORM=offscreen python -m kiosk.screenshots [--out docs/screenshots/kiosk]
                                                          [--scale 0.5]

The kiosk runs against a throw-away demo hall (SQLite in a temporary folder, a fixed Monday
09:00 clock) with a fake printer and speaker, driven through its real flow, so the pictures
show what a citizen sees. PNGs are scaled and palette-reduced to keep the repository small.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from common.config import Settings, settings_from_dict
from common.db.engine import HallDatabase, make_engine
from common.db.migrate import upgrade
from common.devices.idcard.profiles import SAMPLE_PROFILES
from common.devices.printer.status import PrinterState
from common.qt.i18n import Translations
from common.qt.worker import TaskRunner
from common.queue.service import FixedClock, Holder, QueueService

__all__ = ["SIZES", "Problem", "demo_settings", "find_problems", "main", "settle"]

HALL_TZ = dt.timezone(dt.timedelta(hours=8))
MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=HALL_TZ)
MIN_TARGET_PX = 60  # 适老化: touch targets ≥ 60 × 60 dp
MIN_ELDERLY_TEXT_PX = 18  # 适老化: body text ≥ 18 dp in large print
# (file-name part, window size): the design sizes and the 720p panel the demo runs on.
SIZES = (
    ("portrait", (1080, 1920)),
    ("landscape", (1920, 1080)),
    ("portrait-720", (720, 1280)),
    ("landscape-720", (1280, 720)),
)


def demo_settings(**kiosk: object) -> Settings:
    """The demo hall, with one card-required service and one that closes early (to show both)."""
    base = Settings()
    services = [s.model_dump() for s in base.services]
    for s in services:
        if s["prefix"] == "D":
            s["id_card"] = "required"
            s["per_id_daily_limit"] = 1
        if s["prefix"] == "G":
            s["hours"] = [["13:30", "17:00"]]
    return settings_from_dict(
        {
            "services": services,
            "hall": {"secret": "screenshots-only"},
            "kiosk": {"full_screen": False, **kiosk},
            "printer": {"connection": "dummy"},
        }
    )


@dataclass(frozen=True)
class Problem:
    """Something a citizen would struggle with: clipped text or a too-small touch target."""

    widget: str
    text: str
    kind: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.widget} {self.text!r}"


def _text(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    return text()[:40] if callable(text) else ""


def find_problems(root: QWidget, *, elderly: bool = False) -> list[Problem]:
    """Visible labels whose text does not fit or wraps a character or two per line, widgets on
    top of each other or cut off, buttons smaller than 60 px or with clipped text, and (large
    print) text under 18 px."""
    problems: list[Problem] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QLabel) and widget.text().strip():
            rect = widget.contentsRect()
            fm = widget.fontMetrics()
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 2:
                    problems.append(
                        Problem(
                            name,
                            widget.text()[:40],
                            f"clipped ({needed} > {widget.height()} px high)",
                        )
                    )
                # A wrapped label squeezed narrow breaks Chinese one character per line.
                shortest_line = min(fm.horizontalAdvance(widget.text()), 4 * fm.height())
                if rect.width() < shortest_line:
                    problems.append(
                        Problem(name, widget.text()[:40], f"squeezed to {rect.width()} px wide")
                    )
            else:
                widest = max(fm.horizontalAdvance(line) for line in widget.text().split("\n"))
                if widest > rect.width() + 1:
                    problems.append(
                        Problem(
                            name, widget.text()[:40], f"clipped ({widest} > {rect.width()} px wide)"
                        )
                    )
        if elderly and isinstance(widget, (QLabel, QAbstractButton)) and _text(widget).strip():
            size = widget.fontInfo().pixelSize()
            if size < MIN_ELDERLY_TEXT_PX:
                problems.append(Problem(name, _text(widget), f"{size} px text in large print"))
        parent = widget.parentWidget()
        # Inside a scroll area, being partly out of view is the point.
        scrolled = parent is not None and parent.objectName() == "qt_scrollarea_viewport"
        if (
            parent is not None
            and widget is not root
            and not scrolled
            and not parent.rect().contains(widget.geometry())
        ):
            problems.append(Problem(name, _text(widget), "cut off by its parent"))
        if parent is not None and widget is not root:
            for sibling in parent.children():
                if (
                    isinstance(sibling, QWidget)
                    and sibling is not widget
                    and not sibling.isWindow()
                    and sibling.isVisibleTo(root)
                    and id(sibling) < id(widget)
                    and sibling.geometry().intersects(widget.geometry())
                ):
                    problems.append(
                        Problem(
                            name,
                            _text(widget),
                            f"overlaps {sibling.objectName() or type(sibling).__name__}",
                        )
                    )
        if isinstance(widget, QAbstractButton):
            # A tile's wrapped text needs the height for its actual width, not for the narrowest.
            needed = widget.heightForWidth(widget.width()) if widget.hasHeightForWidth() else -1
            needed = needed if needed > 0 else widget.minimumSizeHint().height()
            if widget.height() < needed - 2:
                problems.append(
                    Problem(name, widget.text(), f"squeezed to {widget.height()} px high")
                )
            if min(widget.width(), widget.height()) < MIN_TARGET_PX:
                problems.append(
                    Problem(name, widget.text(), f"small target {widget.width()}×{widget.height()}")
                )
            if widget.text():
                fm = widget.fontMetrics()
                widest = max(fm.horizontalAdvance(line) for line in widget.text().split("\n"))
                room = widget.width() - 8
                if isinstance(widget, QPushButton):
                    # Inside the style's padding and border, where the text is drawn.
                    option = QStyleOptionButton()
                    widget.initStyleOption(option)
                    room = (
                        widget.style()
                        .subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget)
                        .width()
                    )
                if widest > room:
                    problems.append(
                        Problem(name, widget.text(), f"clipped button ({widest} > {room} px)")
                    )
    return problems


def settle(app: QApplication) -> None:
    """Let layouts finish: a style or text change requests a layout, which may resize a scroll
    area's contents, which requests another; a few rounds reach what a citizen would see."""
    for _ in range(5):
        app.processEvents()


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


_TRANSLATIONS: list[Translations] = []


def _translations(app: QApplication) -> Translations:
    # One set of translators per process, as in the app: a second Translations would leave
    # the first one's translators installed and English screens half Chinese.
    if not _TRANSLATIONS:
        _TRANSLATIONS.append(Translations(app, ("kiosk",)))
    return _TRANSLATIONS[0]


def _migrated(folder: Path) -> Path:
    """A migrated empty hall database, made once and copied per scene (migrations take ~1 s)."""
    template = folder.parent / "template.db"
    if not template.exists():
        engine = make_engine(f"sqlite:///{template.as_posix()}")
        upgrade(engine)
        engine.dispose()
    target = folder / "hall.db"
    shutil.copyfile(template, target)
    return target


@contextmanager
def demo_kiosk(
    folder: Path, *, size: tuple[int, int], language: str, elderly: bool
) -> Iterator[tuple[object, QueueService, FixedClock]]:
    """A kiosk window on a seeded demo hall with a few tickets already waiting."""
    from common.devices.printer.fake import FakePrinter
    from common.devices.printer.jobs import PrintJobBuilder
    from common.devices.printer.queue import PrintQueue
    from kiosk.printing import TicketPrinting
    from kiosk.window import KioskWindow

    settings = demo_settings(language=language, elderly_default=elderly)
    db = HallDatabase(make_engine(f"sqlite:///{_migrated(folder).as_posix()}"))
    clock = FixedClock(MONDAY_9AM)
    queue = QueueService(db, settings, clock)
    queue.sync_from_settings()
    for prefix, count in (("A", 12), ("B", 2), ("C", 5), ("E", 7), ("F", 1), ("H", 4), ("J", 6)):
        for _ in range(count):
            queue.issue(prefix, source="demo")
    for key in ("moved", "hmt", "expired"):  # D needs a card
        profile = SAMPLE_PROFILES[key]
        queue.issue("D", holder=Holder(profile.number, profile.name), source="demo")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = _translations(app)
    # The print queue is never started: jobs stay queued, the scenes say what printed.
    printing = TicketPrinting(
        settings, PrintJobBuilder(settings.printer), PrintQueue(FakePrinter())
    )
    window = KioskWindow(
        settings,
        queue,
        station="kiosk-demo",
        translations=translations,
        printing=printing,
        runner=TaskRunner(inline=True),
        print_runner=TaskRunner(inline=True),
        clock=_Clock(),
        today=lambda: MONDAY_9AM.date(),
        tick_ms=60_000,
    )
    window.resize(*size)
    window.show()
    window.start()
    try:
        yield window, queue, clock
    finally:
        window.close()
        # Delete now, not at exit: ninety-odd windows would otherwise pile up in memory.
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        db.dispose()


def _seed_cases(db: HallDatabase, settings: Settings, holder: Holder, phone: str) -> list[str]:
    """Three cases of ``holder`` for the 办件查询 scenes: one owing a tolerated item, one ready to
    collect, one mailed; and one of somebody else (never shown)."""
    from common.catalog.loader import load_catalog_file
    from common.intake.applicant import Applicant, ApplicantType, Person
    from common.intake.cases import CaseDraft, CaseService
    from common.intake.checklist import SharedData, build_checklist
    from common.intake.words import CaseAction, MaterialMark
    from common.people import check_character

    catalog = load_catalog_file(
        Path(__file__).resolve().parents[1] / "resources" / "catalog" / "demo.toml"
    )
    cases = CaseService(db, settings, FixedClock(MONDAY_9AM - dt.timedelta(days=3)))

    def accept(person: Person, matter_name: str, window: int) -> str:
        matter = next(m for m in catalog.matters.values() if m.name == matter_name)
        checklist = build_checklist([matter], shared=SharedData(id_card=True))
        for item in checklist.items:
            if item.mark is None:
                mark = (
                    MaterialMark.TOLERATED
                    if item.tolerable
                    else MaterialMark.NOT_APPLICABLE
                    if item.not_applicable_when
                    else MaterialMark.SHARED
                    if item.replaced_by
                    else MaterialMark.RECEIVED
                )
                checklist = checklist.mark(item.key, mark)
        draft = CaseDraft(checklist, Applicant(ApplicantType.NATURAL_PERSON, person), window=window)
        return cases.accept(draft, actor=f"w{window}").number

    me = Person.checked(holder.name, holder.id_number, phone=phone)
    other = "35010219850303345" + check_character("35010219850303345")  # invented
    numbers = [
        accept(me, "个体工商户设立登记", 3),
        accept(me, "二手房转移登记", 5),
        accept(me, "公司设立登记", 2),
    ]
    for action in (CaseAction.START_REVIEW, CaseAction.APPROVE, CaseAction.MARK_READY):
        cases.transition(numbers[1], action, actor="backoffice")
        cases.transition(numbers[2], action, actor="backoffice")
    cases.deliver(
        numbers[2],
        actor="w2",
        method="mail",
        mail={"carrier": "EMS", "tracking_number": "1190000000001", "address": "（不显示）"},
    )
    accept(Person.checked("赵文静", other, phone="13900139111"), "食品经营许可", 4)
    return numbers


def _scenes() -> dict[str, Callable[[object, QueueService], None]]:
    from kiosk.window import KioskWindow

    elderly = SAMPLE_PROFILES["elderly"]
    young = SAMPLE_PROFILES["resident"]
    elder = Holder(elderly.number, elderly.name, dt.date(1948, 3, 2))
    person = Holder(young.number, young.name, dt.date(1988, 5, 14))

    def home(w: object, q: QueueService) -> None:
        pass

    def home_card(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.flow.card_read(elder, "王*英")

    def card(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.flow.tap_service("D")

    def issuing(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        from common.db.engine import DatabaseUnavailable
        from kiosk.flow import IssueRequest

        real = w.issue

        def failing(request: IssueRequest) -> None:
            w.flow.issue_failed(request.request_id, DatabaseUnavailable("demo"))

        w.issue = failing  # type: ignore[method-assign]
        w.flow.tap_service(None)
        w.issue = real  # type: ignore[method-assign]

    def ticket(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.flow.card_read(elder, "王*英")
        w.flow.tap_service(None)
        assert w.flow.state.ticket is not None
        w.flow.ticket_printed(w.flow.state.ticket.number)

    def ticket_no_paper(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.flow.tap_service("C")
        w.flow.printer_state(PrinterState.PAPER_OUT, "paper roll end sensor")

    def notice_limit(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        q.issue("D", holder=person, source="demo")
        w.flow.card_read(person, "李*明")
        w.flow.tap_service("D")

    def notice_closed(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.flow.tap_service("G")

    def green(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.flow.tap_green()
        w.green.reasons["disabled"].setChecked(True)

    def admin_pin(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.flow.admin_request()
        w.flow.admin_pin("0000")

    def admin(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.flow.tap_service(None)
        w.flow.done()
        w.flow.admin_request()
        w.flow.admin_pin(w.settings.kiosk.admin_pin)

    def db_down(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        from common.db.engine import DatabaseUnavailable

        w.flow.services_failed(DatabaseUnavailable("demo"))

    def lookup(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.selfservice.scanner_available = True
        w.open_self_service()

    def lookup_keypad(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        _seed_cases(q.db, w.settings, person, "13800138000")
        w.open_self_service()
        flow = w.selfservice.flow
        flow.open_keypad()
        for ch in "20261120-0002":
            flow.key(ch)
        flow.choose_field("phone")
        for ch in "1234":
            flow.key(ch)
        flow.submit()  # a wrong phone: told like a case that does not exist

    def lookup_cases(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        _seed_cases(q.db, w.settings, person, "13800138000")
        w.open_self_service()
        w.on_card(_card(young))  # type: ignore[arg-type]

    def _served(q: QueueService, holder: Holder | None) -> None:
        q.issue("B", holder=holder, source="demo")
        for _ in range(20):  # serve the queue down to that ticket at window 1
            called = q.call_next(1)
            q.finish(1)
            if called is None or (holder is not None and called.holder_masked):
                break

    def rating_find(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.selfservice.scanner_available = True
        w.open_self_service("rating")
        for ch in "B00":
            w.selfservice.flow.ticket_key(ch)

    def rating_pick(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        _served(q, person)
        _served(q, person)
        w.open_self_service("rating")
        w.on_card(_card(young))  # type: ignore[arg-type]

    def rating(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        _served(q, person)
        w.open_self_service("rating")
        w.on_card(_card(young))  # type: ignore[arg-type]
        w.selfservice.flow.choose_level(2)
        w.selfservice.flow.toggle_reason("waiting")

    def rating_done(w: object, q: QueueService) -> None:
        rating(w, q)
        assert isinstance(w, KioskWindow)
        w.selfservice.flow.submit_rating()

    def home_no_reader(w: object, q: QueueService) -> None:
        # A kiosk started without a reader (--reader ""): 70+ citizens are sent to staff.
        assert isinstance(w, KioskWindow)
        w.flow.no_reader()

    def home_reader_out(w: object, q: QueueService) -> None:
        # The reader unplugged or on a wrong port: the hint asks the citizen to go to staff.
        assert isinstance(w, KioskWindow)
        from common.devices.idcard.reader import ReaderStatus

        w.flow.reader_status(
            ReaderStatus.READER_GONE, "未连接身份证阅读器 / ID card reader not connected"
        )

    return {
        "home": home,
        "home-card": home_card,
        "card": card,
        "issuing": issuing,
        "ticket": ticket,
        "ticket-no-paper": ticket_no_paper,
        "notice-limit": notice_limit,
        "notice-closed": notice_closed,
        "green": green,
        "admin-pin": admin_pin,
        "admin": admin,
        "db-down": db_down,
        "home-reader-out": home_reader_out,
        "home-no-reader": home_no_reader,
        "lookup": lookup,
        "lookup-keypad": lookup_keypad,
        "lookup-cases": lookup_cases,
        "rating-find": rating_find,
        "rating-pick": rating_pick,
        "rating": rating,
        "rating-done": rating_done,
        **_certificate_scenes(person),
        **_checkin_scenes(person),
    }


def _certificate_scenes(person: Holder) -> dict[str, Callable[[object, QueueService], None]]:
    """证照打印 (A4 or slip) and 补打回执: the resident's cases, with two certificates issued
    (one valid, one expired), and a fake A4 printer."""
    from common.db.models import Case, HallCertificate
    from common.devices.a4 import FakeA4Printer
    from common.documents.certificate_id import make_certificate_id
    from common.people import mask_name
    from kiosk.certprint import ReprintStatus
    from kiosk.window import KioskWindow

    young = SAMPLE_PROFILES["resident"]

    def seeded(w: KioskWindow, q: QueueService, *, a4: object | None = "fake") -> None:
        numbers = _seed_cases(q.db, w.settings, person, "13800138000")
        with q.db.write() as s:
            for n, (number, title, issued, until) in enumerate(
                (
                    (numbers[1], "不动产权证书", dt.date(2026, 11, 20), None),
                    (numbers[2], "食品经营许可证", dt.date(2021, 11, 20), dt.date(2026, 11, 19)),
                ),
                1,
            ):
                case = s.query(Case).filter(Case.number == number).one()
                s.add(
                    HallCertificate(
                        identifier=make_certificate_id(
                            "11100000000013338W011", "11350102MB0000000A", f"2026112000{n}"
                        ),
                        case_number=number,
                        title=title,
                        issuer_name="示范区自然资源和规划局" if n == 1 else "示范区市场监督管理局",
                        holder_hash=case.applicant_hash,
                        holder_masked=mask_name(case.applicant_name),
                        issued_on=issued,
                        valid_until=until,
                        position=n,
                        received_at=MONDAY_9AM,
                    )
                )
        w.certificates.a4 = FakeA4Printer() if a4 == "fake" else None

    def certificates_find(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.open_self_service("certificates")

    def certificates_list(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        seeded(w, q)
        w.open_self_service("certificates")
        w.on_card(_card(young))  # type: ignore[arg-type]

    def certificates_expired(w: object, q: QueueService) -> None:
        certificates_list(w, q)
        assert isinstance(w, KioskWindow)
        flow = w.certificates.flow
        flow.choose(flow.state.certificates[1].identifier)  # refused with a word

    def certificates_paper_out(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        seeded(w, q)
        w.certificates.a4 = FakeA4Printer(sheets=0)
        w.open_self_service("certificates")
        w.on_card(_card(young))  # type: ignore[arg-type]
        flow = w.certificates.flow
        flow.choose(flow.state.certificates[0].identifier)

    def certificates_printing(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        seeded(w, q)
        w.open_self_service("certificates")
        w.on_card(_card(young))  # type: ignore[arg-type]
        page = w.certificates
        page.print_certificate = lambda request: None  # type: ignore[method-assign]
        page.flow.choose(page.flow.state.certificates[0].identifier)

    def certificates_done(w: object, q: QueueService) -> None:
        certificates_list(w, q)
        assert isinstance(w, KioskWindow)
        flow = w.certificates.flow
        flow.choose(flow.state.certificates[0].identifier)

    def certificates_slip_list(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        seeded(w, q, a4=None)  # only the thermal printer: the slip
        w.open_self_service("certificates")
        w.on_card(_card(young))  # type: ignore[arg-type]

    def lookup_reprint(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        numbers = _seed_cases(q.db, w.settings, person, "13800138000")
        w.open_self_service()
        w.on_card(_card(young))  # type: ignore[arg-type]
        w.certificates.reprints.statuses[numbers[0]] = ReprintStatus.PRINTED
        w.certificates.reprints.statuses[numbers[1]] = ReprintStatus.PAPER_OUT
        w.selfservice.cases_page.show_reprints(w.certificates.reprints.statuses)

    return {
        "certificates-find": certificates_find,
        "certificates-list": certificates_list,
        "certificates-expired": certificates_expired,
        "certificates-paper-out": certificates_paper_out,
        "certificates-printing": certificates_printing,
        "certificates-done": certificates_done,
        "certificates-slip-list": certificates_slip_list,
        "lookup-reprint": lookup_reprint,
    }


def _checkin_scenes(person: Holder) -> dict[str, Callable[[object, QueueService], None]]:
    """预约签到 (the resident's appointment today, on time / early / late / checked in, and the
    预约 ticket) and 评价 of a hand-over (出件) done today."""
    from kiosk.window import KioskWindow

    young = SAMPLE_PROFILES["resident"]

    def booked(w: KioskWindow, q: QueueService, slot: str) -> None:
        from common.catalog.loader import DEMO_CATALOG, load_catalog_file
        from common.catalog.store import load_catalog
        from common.selfservice.checkin import book_appointment

        catalog = load_catalog_file(DEMO_CATALOG)
        load_catalog(q.db, catalog, actor="screenshots", source=DEMO_CATALOG.name)
        code = next(m.code for m in catalog.matters.values() if m.name == "二手房转移登记")
        book_appointment(
            q.db,
            w.settings,
            q.clock,
            matter_code=code,
            day=MONDAY_9AM.date(),
            slot=slot,
            id_number=person.id_number,
            name=person.name,
        )
        w.open_self_service("checkin")

    def checkin_find(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.open_self_service("checkin")

    def checkin_open(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        booked(w, q, "09:00-09:30")
        w.on_card(_card(young))  # type: ignore[arg-type]

    def checkin_early(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        booked(w, q, "10:00-10:30")
        w.on_card(_card(young))  # type: ignore[arg-type]

    def checkin_late(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        booked(w, q, "08:00-08:30")
        w.on_card(_card(young))  # type: ignore[arg-type]

    def checkin_ticket(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        checkin_open(w, q)
        w.checkin.flow.tap_check_in()
        assert w.flow.state.ticket is not None
        w.flow.ticket_printed(w.flow.state.ticket.number)

    def checkin_again(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        checkin_ticket(w, q)
        w.flow.done()
        w.open_self_service("checkin")
        w.on_card(_card(young))  # type: ignore[arg-type]

    def checkin_none(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        w.open_self_service("checkin")
        w.on_card(_card(young))  # type: ignore[arg-type]

    def rating_handover(w: object, q: QueueService) -> None:
        assert isinstance(w, KioskWindow)
        from common.intake.cases import CaseService

        numbers = _seed_cases(q.db, w.settings, person, "13800138000")
        CaseService(q.db, w.settings, q.clock).deliver(
            numbers[1], actor="w5", method="window", card_number=person.id_number
        )
        q.issue("B", holder=person, source="demo")
        for _ in range(20):
            called = q.call_next(1)
            q.finish(1)
            if called is None or called.holder_masked:
                break
        w.open_self_service("rating")
        w.on_card(_card(young))  # type: ignore[arg-type]

    def rating_receipt_none(w: object, q: QueueService) -> None:
        """评价 by a receipt's QR code whose case was not handed over today."""
        assert isinstance(w, KioskWindow)
        from common.intake.cases import CaseService

        numbers = _seed_cases(q.db, w.settings, person, "13800138000")
        w.selfservice.scanner_available = True
        w.open_self_service("rating")
        w.selfservice.flow.scanned(CaseService(q.db, w.settings, q.clock).case_payload(numbers[0]))

    return {
        "checkin-find": checkin_find,
        "checkin-open": checkin_open,
        "checkin-early": checkin_early,
        "checkin-late": checkin_late,
        "checkin-again": checkin_again,
        "checkin-none": checkin_none,
        "checkin-ticket": checkin_ticket,
        "rating-handover": rating_handover,
        "rating-receipt-none": rating_receipt_none,
    }


def _card(profile: object) -> object:
    """The IdentityCard the reader would report for a sample profile."""
    from common.devices.idcard.card import parse_card
    from common.devices.idcard.profiles import encode_text_block

    return parse_card(encode_text_block(profile), b"")  # type: ignore[arg-type]


def _save(widget: QWidget, path: Path, scale: float) -> None:
    from PIL import Image

    image = widget.grab().toImage()
    if scale != 1.0:
        image = image.scaled(
            int(image.width() * scale),
            int(image.height() * scale),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    tmp = path.with_suffix(".tmp.png")
    image.save(str(tmp))
    # Flat UI colours survive a 128-colour palette; files shrink about four-fold.
    with Image.open(tmp) as img:
        img.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(
            path, optimize=True
        )
    tmp.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/kiosk"))
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--only", help="comma-separated scene names")
    parser.add_argument("--orientation", choices=[name for name, _ in SIZES], help="only this size")
    parser.add_argument("--mode", choices=("normal", "elderly"), help="only this print size")
    parser.add_argument("--language", choices=("zh_CN", "en"), help="only this language")
    args = parser.parse_args(argv)
    from common.qt.pyside_compat import protect_singletons

    protect_singletons()  # PySide6 6.12 on Python 3.11 leaks references to None/True/False
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    args.out.mkdir(parents=True, exist_ok=True)
    scenes = _scenes()
    wanted = args.only.split(",") if args.only else list(scenes)
    problems = 0
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("ONEWINDOW_DATA_DIR", str(Path(tmp) / "data"))
        n = 0
        for orientation, size in SIZES:
            if args.orientation not in (None, orientation):
                continue
            for language in ("zh_CN", "en"):
                if args.language not in (None, language):
                    continue
                for mode in ("normal", "elderly"):
                    if args.mode not in (None, mode):
                        continue
                    for name in wanted:
                        n += 1
                        folder = Path(tmp) / f"hall{n}"
                        folder.mkdir()
                        # The window applies the theme itself, scaled to its size (kiosk.theme).
                        with demo_kiosk(
                            folder, size=size, language=language, elderly=mode == "elderly"
                        ) as (w, q, _):
                            scenes[name](w, q)
                            assert isinstance(w, QWidget)
                            settle(app)
                            found = find_problems(w, elderly=mode == "elderly")
                            if (w.width(), w.height()) != size:
                                found.append(
                                    Problem("window", name, f"grew to {w.width()}×{w.height()}")
                                )
                            for p in found:
                                print(f"{name} {orientation} {language} {mode}: {p}")
                            problems += len(found)
                            lang = "zh" if language == "zh_CN" else "en"
                            # Self-service pages have a folder of their own.
                            out = (
                                args.out / "selfservice"
                                if name.startswith(("lookup", "rating", "certificates", "checkin"))
                                else args.out
                            )
                            out.mkdir(parents=True, exist_ok=True)
                            _save(w, out / f"{name}-{orientation}-{lang}-{mode}.png", args.scale)
    print(f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
