"""Ticket printing for the kiosk: TicketView → TicketData → PrintJob → the print queue.

:class:`TicketPrinting` is plain Python (it runs on a worker via the TaskRunner, because
drawing a raster ticket takes tens of milliseconds). Print-queue events reach the window
through :class:`common.qt.print_events.QtPrintEvents`, the same bridge the counter uses for
receipts (STYLE.md habit 3).
"""

from __future__ import annotations

import logging
import threading

from common.config import Settings
from common.devices.printer.jobs import PrintJob, PrintJobBuilder
from common.devices.printer.queue import PrintQueue
from common.queue.printout import ticket_data
from common.queue.service import TicketView

__all__ = ["TicketPrinting"]

log = logging.getLogger(__name__)


class TicketPrinting:
    """Builds ticket jobs and hands them to the print queue; remembers which job is which number.

    Thread-safe: ``print_ticket`` runs on the task runner's worker while the GUI thread asks
    ``number_of`` when a print event arrives.
    """

    def __init__(self, settings: Settings, builder: PrintJobBuilder, queue: PrintQueue) -> None:
        self.settings = settings
        self.builder = builder
        self.queue = queue
        self._numbers: dict[str, str] = {}
        self._lock = threading.Lock()

    def build(self, ticket: TicketView) -> PrintJob:
        return self.builder.ticket(ticket_data(self.settings, ticket))

    def print_ticket(self, ticket: TicketView) -> str:
        """Encode and queue one job for ``ticket``; returns the job id."""
        job = self.build(ticket)
        with self._lock:
            self._numbers[job.job_id] = ticket.number
            # Bounded: a kiosk runs for weeks; only recent jobs can still report back.
            while len(self._numbers) > 200:
                self._numbers.pop(next(iter(self._numbers)))
        self.queue.submit(job)
        log.info("ticket %s queued for printing (job %s)", ticket.number, job.job_id[:8])
        return job.job_id

    def number_of(self, job_id: str | None) -> str | None:
        if job_id is None:
            return None
        with self._lock:
            return self._numbers.get(job_id)

    def retry(self) -> None:
        self.queue.retry_now()
