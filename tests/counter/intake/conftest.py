"""Fixtures for the intake desk: a real hall database, the demo catalog, the desk with inline
database work, a PDF folder and a fake 80 mm printer behind the real print queue, and the real
ID card reader driver on the simulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from common.catalog import DEMO_CATALOG
from common.catalog.loader import load_catalog_file
from common.catalog.model import Catalog
from common.catalog.search import CatalogIndex
from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase
from common.devices.idcard.card import IdentityCard
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseService
from common.intake.rating import RatingService
from common.queue.service import QueueService
from counter.intake.case_detail import DetailPrompts
from counter.intake.intake_panel import IntakePrompts
from tests.conftest import MONDAY_9AM

if TYPE_CHECKING:
    from common.devices.idcard.simulator import ReaderSimulator
    from common.devices.printer.fake import FakePrinter
    from common.devices.printer.queue import PrintQueue
    from counter.intake.desk import IntakeDesk
    from counter.intake.flow import IntakeFlow

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog_file(DEMO_CATALOG)


@pytest.fixture(scope="session")
def index(catalog: Catalog) -> CatalogIndex:
    return CatalogIndex(catalog)


@pytest.fixture
def manual() -> ManualClock:
    return ManualClock(MONDAY_9AM)


@pytest.fixture
def cases(hall_db: HallDatabase, settings: Settings, manual: ManualClock) -> CaseService:
    return CaseService(hall_db, settings, manual, HallCalendar())


class Prompts(IntakePrompts, DetailPrompts):
    """Answers the desk's questions without dialogs."""

    def __init__(self) -> None:
        self.reject: str | None = "不属于本大厅受理范围"
        self.withdraw: str | None = "申请人主动撤回"
        self.supplement: list[str] | None = None  # None: all owed
        self.mail: dict[str, str] | None = {
            "carrier": "EMS",
            "tracking_number": "1234567890",
            "address": "示范路1号",
        }

    def reject_reason(self, parent: QWidget, choices: Sequence[str], english: bool) -> str | None:
        return self.reject

    def withdraw_reason(self, parent: QWidget, english: bool) -> str | None:
        return self.withdraw

    def supplement_keys(
        self, parent: QWidget, owed: Sequence[tuple[str, str]], english: bool
    ) -> list[str] | None:
        return self.supplement if self.supplement is not None else [k for k, _ in owed]

    def mail_details(self, parent: QWidget, english: bool) -> dict[str, str] | None:
        return self.mail


@dataclass
class Desk:
    """An intake desk wired like the counter does, with test devices."""

    widget: IntakeDesk
    cases: CaseService
    ratings: RatingService
    pdf_dir: Path
    printer: FakePrinter
    print_queue: PrintQueue
    prompts: Prompts
    manual: ManualClock

    @property
    def flow(self) -> IntakeFlow:
        return self.widget.flow


@pytest.fixture
def make_desk(
    qtbot: QtBot,
    hall_db: HallDatabase,
    settings: Settings,
    manual: ManualClock,
    cases: CaseService,
    catalog: Catalog,
    index: CatalogIndex,
    tmp_path: Path,
) -> Iterator[MakeDesk]:
    from common.devices.printer.fake import FakePrinter
    from common.devices.printer.jobs import PrintJobBuilder
    from common.devices.printer.queue import PrintQueue
    from common.qt.worker import TaskRunner
    from counter.intake.desk import IntakeDesk, IntakeServices
    from counter.intake.printing import DocumentPrinter

    queues: list[PrintQueue] = []

    def make(
        *,
        settings_: Settings | None = None,
        thermal: bool = True,
        dimensions: bool = False,
        size: tuple[int, int] = (1000, 640),
    ) -> Desk:
        s = settings_ or settings
        printer = FakePrinter()
        queue = PrintQueue(printer, spool_dir=tmp_path / "spool", retry_interval=0.05)
        queues.append(queue)
        queue.start()
        pdf_dir = tmp_path / "receipts"
        documents = DocumentPrinter(
            pdf_dir=pdf_dir,
            thermal=queue if thermal else None,
            builder=PrintJobBuilder(s.printer) if thermal else None,
        )
        services = IntakeServices(
            settings=s,
            cases=cases if settings_ is None else CaseService(hall_db, s, manual, HallCalendar()),
            ratings=RatingService(hall_db, s, manual, dimensions_asked=dimensions),
            clock=manual,
            load_catalog=lambda: (catalog, index),
            documents=documents,
            today=lambda: MONDAY_9AM.date(),
            rating_dimensions=dimensions,
            rating_timeout_s=30,
        )
        prompts = Prompts()
        widget = IntakeDesk(
            services,
            TaskRunner(inline=True),
            actor="w1",
            window=1,
            staff_name="李晓梅",
            prompts=prompts,
            detail_prompts=prompts,
        )
        qtbot.addWidget(widget)
        widget.resize(*size)
        widget.show()
        widget.start()
        return Desk(
            widget, services.cases, services.ratings, pdf_dir, printer, queue, prompts, manual
        )

    yield make
    for q in queues:
        q.stop()


class TakesCards(Protocol):
    """Whatever the reader fixture wires to: a desk or a page with ``on_card``."""

    def on_card(self, card: IdentityCard) -> None: ...


T = TypeVar("T")


def need(value: T | None) -> T:
    """The value a test expects to be there (fails the test, not the type check, when absent)."""
    assert value is not None
    return value


MakeDesk = Callable[..., Desk]
WireReader = Callable[[TakesCards], "ReaderSimulator"]


@pytest.fixture
def reader(
    qtbot: QtBot, tmp_path: Path, manual: ManualClock
) -> Iterator[WireReader]:
    """The real reader driver on the simulator, through the Qt bridge: ``reader(desk)`` wires it
    to the desk's ``on_card`` and returns the simulator (``place_card("resident")``)."""
    from common.devices.idcard.reader import SerialCardReader
    from common.devices.idcard.simulator import ReaderSimulator
    from common.qt.idcard import QtCardReader

    started: list[tuple[ReaderSimulator, QtCardReader]] = []

    def wire(target: TakesCards) -> ReaderSimulator:
        sim = ReaderSimulator(link_path=tmp_path / f"reader{len(started)}", pace=False)
        port = sim.start()
        driver = SerialCardReader(
            port, poll_interval=0.02, timeout=1.0, today=lambda: manual.at.date()
        )
        qt_reader = QtCardReader(driver)
        qt_reader.card_read.connect(target.on_card)
        qt_reader.start()
        started.append((sim, qt_reader))
        return sim

    yield wire
    for sim, qt_reader in started:
        qt_reader.stop()
        sim.stop()


@pytest.fixture
def queue(hall: QueueService) -> QueueService:
    return hall
