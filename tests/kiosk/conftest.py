"""Fixtures for the kiosk tests: a hand-moved monotonic clock, recorded ports, Qt kiosks wired
to the real queue, a fake or simulated card reader and a fake or Dummy printer."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import make_url

from common.config import Settings
from common.db.grants import APP_ROLES, apply_grants, drop_roles
from common.devices.idcard.reader import ReaderStatus
from common.devices.printer.status import PrinterState
from common.qt.pyside_compat import protect_singletons
from common.queue.service import ServiceStatus, TicketView
from kiosk.flow import IssueRequest, KioskState, Prompt

# PySide6 6.12 on Python 3.11 leaks references to None/True/False; see common/qt/pyside_compat.
protect_singletons()


class ManualClock:
    """A monotonic clock the test moves (the flow never sleeps, so neither do the tests)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class RecordingPorts:
    """KioskPorts that record every request; answers are given by the test."""

    states: list[KioskState] = field(default_factory=list)
    refreshes: int = 0
    issued: list[IssueRequest] = field(default_factory=list)
    printed: list[TicketView] = field(default_factory=list)
    retries: int = 0
    reports: list[tuple[PrinterState, str, bool]] = field(default_factory=list)
    reader_reports: list[tuple[ReaderStatus, str, bool]] = field(default_factory=list)
    spoken: list[Prompt] = field(default_factory=list)
    modes: list[tuple[str, bool]] = field(default_factory=list)
    exited: bool = False

    def show_state(self, state: KioskState) -> None:
        self.states.append(state)

    def refresh_services(self) -> None:
        self.refreshes += 1

    def issue(self, request: IssueRequest) -> None:
        self.issued.append(request)

    def print_ticket(self, ticket: TicketView) -> None:
        self.printed.append(ticket)

    def retry_print(self) -> None:
        self.retries += 1

    def report_printer(self, state: PrinterState, message: str, needs_attention: bool) -> None:
        self.reports.append((state, message, needs_attention))

    def report_reader(self, state: ReaderStatus, message: str, needs_attention: bool) -> None:
        self.reader_reports.append((state, message, needs_attention))

    def speak(self, prompt: Prompt, state: KioskState) -> None:
        self.spoken.append(prompt)

    def apply_mode(self, language: str, elderly: bool) -> None:
        self.modes.append((language, elderly))

    def exit_app(self) -> None:
        self.exited = True


@pytest.fixture
def manual_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def ports() -> RecordingPorts:
    return RecordingPorts()


def status(
    prefix: str = "A",
    *,
    general: bool = False,
    open_: bool = True,
    id_card: str = "optional",
    waiting: int = 3,
    reason: tuple[str, str] = ("", ""),
) -> ServiceStatus:
    return ServiceStatus(
        prefix=prefix,
        name=f"业务{prefix}",
        name_en=f"Service {prefix}",
        general=general,
        waiting=waiting,
        estimated_wait_minutes=waiting * 2,
        open=open_,
        closed_reason_zh=reason[0],
        closed_reason_en=reason[1],
        id_card=id_card,
        issued_today=waiting,
        daily_cap=999,
    )


needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="the reader simulator needs a pty")

SettingsFactory = Callable[..., Settings]


# --------------------------------------------------------------------------- Qt kiosks

from pathlib import Path  # noqa: E402

from common.db.engine import HallDatabase  # noqa: E402
from common.queue.service import FixedClock, QueueService  # noqa: E402


@dataclass
class Kiosk:
    """A kiosk window wired like ``main()`` does, with test devices; see ``make_kiosk``."""

    window: object
    queue: QueueService
    printer: object
    print_queue: object
    reader: object
    clock: ManualClock
    speaker: object
    fake_reader: object = None
    simulator: object = None

    @property
    def flow(self):  # type: ignore[no-untyped-def]
        return self.window.flow  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def _compiled_translations() -> None:
    """Compile the kiosk catalogue once per session (the app compiles on first use too)."""
    from common.qt.i18n import TRANSLATIONS, compile_ts

    ts = TRANSLATIONS / "kiosk_zh_CN.ts"
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        assert compile_ts(ts, qm)


@pytest.fixture
def make_kiosk(
    qtbot: object,
    hall_db: HallDatabase,
    clock: FixedClock,
    manual_clock: ManualClock,
    tmp_path: Path,
    _compiled_translations: None,
) -> Iterator[Callable[..., Kiosk]]:
    """Build kiosks:
    ``make_kiosk(settings=..., printer="fake"|"dummy", reader="fake"|"sim"|"port:PATH")``.

    Database calls run inline (deterministic); the print queue and the reader run their real
    worker threads and reach the window through their Qt adapters, so tests wait with
    ``qtbot.waitUntil``. Everything is stopped at teardown (the dangling-thread check runs after).
    """
    from PySide6.QtWidgets import QApplication

    from common.devices.idcard.fake import FakeCardReader
    from common.devices.idcard.reader import SerialCardReader
    from common.devices.printer.connections import DummyPrinter
    from common.devices.printer.fake import FakePrinter
    from common.devices.printer.jobs import PrintJobBuilder
    from common.devices.printer.queue import PrintQueue
    from common.qt.i18n import Translations
    from common.qt.idcard import QtCardReader
    from common.qt.print_events import QtPrintEvents
    from common.qt.voice import FakeSpeaker
    from common.qt.worker import TaskRunner
    from kiosk.printing import TicketPrinting
    from kiosk.window import KioskWindow
    from tests.conftest import make_settings

    built: list[tuple[Kiosk, Callable[[], None]]] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app, ("kiosk",))

    def make(
        *,
        settings: Settings | None = None,
        printer: str = "fake",
        reader: str = "fake",
        styles: bool = False,
        size: tuple[int, int] = (1080, 1920),
    ) -> Kiosk:
        settings = settings or make_settings()
        queue = QueueService(hall_db, settings, clock)
        queue.sync_from_settings()
        device = FakePrinter() if printer == "fake" else DummyPrinter()
        print_queue = PrintQueue(
            device, spool_dir=tmp_path / f"spool{len(built)}", retry_interval=0.05
        )
        printing = TicketPrinting(settings, PrintJobBuilder(settings.printer), print_queue)
        speaker = FakeSpeaker()
        window = KioskWindow(
            settings,
            queue,
            station="kiosk-test",
            printing=printing,
            speaker=speaker,
            translations=translations,
            runner=TaskRunner(inline=True),
            print_runner=TaskRunner(inline=True),
            clock=manual_clock,
            today=lambda: clock.at.date(),
            apply_styles=styles,
            tick_ms=20,
        )
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        events = QtPrintEvents(print_queue, window)
        events.print_event.connect(window.on_print_event)
        events.attach()
        print_queue.start()
        fake = sim = None
        if reader == "sim":
            from common.devices.idcard.simulator import ReaderSimulator

            sim = ReaderSimulator(link_path=tmp_path / f"reader{len(built)}", pace=False)
            port = sim.start()
            card_reader: object = SerialCardReader(
                port, poll_interval=0.02, timeout=1.0, today=lambda: clock.at.date()
            )
        elif reader.startswith("port:"):
            # The real driver on a given port (a wrong path, a tty with no reader behind it).
            card_reader = SerialCardReader(
                reader.removeprefix("port:"),
                poll_interval=0.02,
                timeout=0.3,
                reconnect_interval=0.05,
                today=lambda: clock.at.date(),
            )
        else:
            fake = FakeCardReader(today=lambda: clock.at.date())
            card_reader = fake
        qt_reader = QtCardReader(card_reader, window)  # type: ignore[arg-type]
        qt_reader.card_read.connect(window.on_card)
        qt_reader.reader_status.connect(window.on_reader_status)
        qt_reader.start()
        window.resize(*size)
        window.show()
        window.start()
        kiosk = Kiosk(
            window, queue, device, print_queue, qt_reader, manual_clock, speaker, fake, sim
        )

        def close() -> None:
            qt_reader.stop()
            if sim is not None:
                sim.stop()
            events.detach()
            print_queue.stop()
            window.close()

        built.append((kiosk, close))
        return kiosk

    yield make
    for _, close in built:
        close()
    translations.set_language("en")


@pytest.fixture
def kiosk_url(pg_hall_db: HallDatabase, pg_schema_url: str) -> Iterator[str]:
    """A URL into the test's schema as a fresh kiosk role (least privilege, see
    common/db/grants.py), so a test can prove the kiosk works through its functions only.
    The roles get a random prefix because roles are cluster-wide, not per schema."""
    prefix = f"ow_{uuid.uuid4().hex[:8]}"
    passwords = {app: f"pw-{app}-{prefix}" for app in APP_ROLES}
    names = apply_grants(pg_hall_db.engine, prefix=prefix, passwords=passwords)
    yield (
        make_url(pg_schema_url)
        .set(username=names["kiosk"], password=passwords["kiosk"])
        .render_as_string(hide_password=False)
    )
    drop_roles(pg_hall_db.engine, prefix=prefix)
