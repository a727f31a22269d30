"""Builds the intake desk's services for ``counter.app`` (one entry point wires everything).

The catalog is the hall database's current one; a hall that never loaded one gets the file of
``[intake] catalog_file`` (or the demo catalog), read only — loading it into the database is
``onewindow catalog load``'s job. The search index is built on the catalog runner, never on the
GUI thread (about a second for 2,000 matters).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from common.catalog import DEMO_CATALOG
from common.catalog.loader import load_catalog_file
from common.catalog.model import Catalog
from common.catalog.search import CatalogIndex
from common.catalog.store import current_catalog
from common.clock import DatabaseClock
from common.config import Settings, data_dir
from common.db.engine import HallDatabase
from common.intake.cases import CaseService
from common.intake.rating import RatingService
from common.qt.worker import TaskRunner
from counter.intake.desk import IntakeServices
from counter.intake.printing import DocumentPrinter, QtA4Printer

if TYPE_CHECKING:
    from common.devices.printer import TicketPrinter
    from common.devices.printer.queue import PrintQueue

__all__ = ["IntakeWiring", "build_intake_services", "load_hall_catalog"]

log = logging.getLogger(__name__)


def load_hall_catalog(db: HallDatabase, settings: Settings) -> tuple[Catalog, CatalogIndex]:
    """The current catalog and its search index (slow: call it on a worker)."""
    catalog = current_catalog(db)
    if catalog is None:
        path = Path(settings.intake.catalog_file) if settings.intake.catalog_file else DEMO_CATALOG
        log.warning("no catalog in the hall database; using %s read-only", path.name)
        catalog = load_catalog_file(path)
    return catalog, CatalogIndex(catalog)


@dataclass
class IntakeWiring:
    """The services and what must be stopped at quit (the receipt print queue, the runners)."""

    services: IntakeServices
    runners: list[TaskRunner] = field(default_factory=list)
    print_queue: PrintQueue | None = None

    def shutdown(self) -> None:
        for runner in self.runners:
            runner.wait(5000)
        if self.print_queue is not None:
            self.print_queue.stop()


def build_intake_services(
    db: HallDatabase, settings: Settings, parent: QObject, *, thermal: TicketPrinter | None = None
) -> IntakeWiring:
    counter = settings.counter
    clock = DatabaseClock()
    cases = CaseService(db, settings, clock)
    ratings = RatingService(db, settings, clock, dimensions_asked=settings.intake.rating_dimensions)
    folder: Path | None = None
    if counter.receipt_folder != "-":
        folder = Path(counter.receipt_folder) if counter.receipt_folder else data_dir() / "receipts"
    a4 = None
    if counter.a4_printer:
        a4 = QtA4Printer("" if counter.a4_printer == "default" else counter.a4_printer)
    queue = builder = None
    if counter.receipt_slip and thermal is not None:
        from common.devices.printer.jobs import PrintJobBuilder
        from common.devices.printer.queue import PrintQueue

        queue = PrintQueue(thermal, spool_dir=data_dir() / "receipt-spool")
        queue.start()
        builder = PrintJobBuilder(settings.printer)
    print_runner = TaskRunner(parent)
    catalog_runner = TaskRunner(parent)
    tz = settings.hall.tz
    services = IntakeServices(
        settings=settings,
        cases=cases,
        ratings=ratings,
        clock=clock,
        load_catalog=lambda: load_hall_catalog(db, settings),
        documents=DocumentPrinter(pdf_dir=folder, a4=a4, thermal=queue, builder=builder),
        print_runner=print_runner,
        catalog_runner=catalog_runner,
        today=lambda: dt.datetime.now(tz).date(),
        rating_dimensions=settings.intake.rating_dimensions,
        rating_timeout_s=counter.rating_timeout_seconds,
        rating_enabled=counter.rating,
    )
    return IntakeWiring(services, [print_runner, catalog_runner], queue)
