"""``FakePrinter``: a :class:`~.connections.TicketPrinter` for tests of the kiosk and counter.

It records every job it accepted, can be told to go offline, run out of paper or fail the next
sends, and lets a test wait until N jobs have printed. Thread-safe, because the print queue
calls it from its worker thread while the test thread flips its state.
"""

from __future__ import annotations

import threading

from common.devices.printer.connections import TicketPrinter
from common.devices.printer.jobs import PrintJob
from common.devices.printer.status import (
    PaperOutError,
    PrinterOfflineError,
    PrinterState,
    PrinterStatus,
)

__all__ = ["FakePrinter"]


class FakePrinter(TicketPrinter):
    """An in-memory printer whose state the test controls.

    ``printed`` holds accepted jobs in order; ``attempts`` counts every ``send`` call, so a test
    can tell "retried" from "printed twice".
    """

    def __init__(self, name: str = "fake", state: PrinterState = PrinterState.READY) -> None:
        self.name = name
        self._state = state
        self._fail_next = 0
        self._cond = threading.Condition()
        self.printed: list[PrintJob] = []
        self.attempts = 0
        self.status_calls = 0

    # -- test controls -------------------------------------------------------------------------
    def set_state(self, state: PrinterState) -> None:
        with self._cond:
            self._state = state
            self._cond.notify_all()

    def go_offline(self) -> None:
        self.set_state(PrinterState.OFFLINE)

    def run_out_of_paper(self) -> None:
        self.set_state(PrinterState.PAPER_OUT)

    def paper_near_end(self) -> None:
        self.set_state(PrinterState.PAPER_NEAR_END)

    def come_back(self) -> None:
        """Back online with a fresh roll."""
        self.set_state(PrinterState.READY)

    def fail_next_sends(self, count: int = 1) -> None:
        """The next ``count`` sends fail as if the cable dropped mid-job.

        The status still says ready.
        """
        with self._cond:
            self._fail_next = count

    def wait_printed(self, count: int, timeout: float = 5.0) -> bool:
        """Block until at least ``count`` jobs have printed; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.printed) >= count, timeout)

    @property
    def printed_ids(self) -> list[str]:
        with self._cond:
            return [j.job_id for j in self.printed]

    # -- TicketPrinter -------------------------------------------------------------------------
    def status(self) -> PrinterStatus:
        with self._cond:
            self.status_calls += 1
            return PrinterStatus(self._state, "fake")

    def send(self, job: PrintJob) -> None:
        with self._cond:
            self.attempts += 1
            if self._fail_next:
                self._fail_next -= 1
                raise PrinterOfflineError(f"{self.name}: connection lost (simulated)")
            if self._state is PrinterState.PAPER_OUT:
                raise PaperOutError(f"{self.name}: out of paper")
            if not self._state.can_print and self._state is not PrinterState.UNKNOWN:
                raise PrinterOfflineError(f"{self.name}: {self._state.value}")
            self.printed.append(job)
            self._cond.notify_all()
