"""A fake A4 printer for tests: a paper tray that can run out in the middle of a job."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from common.devices.a4.base import count_pdf_pages
from common.devices.printer.status import (
    PaperOutError,
    PrinterOfflineError,
    PrinterState,
    PrinterStatus,
)

__all__ = ["FakeA4Printer", "FakeJob"]


@dataclass(frozen=True)
class FakeJob:
    """A job the fake finished: its name, bytes and page count."""

    name: str
    data: bytes
    pages: int


class FakeA4Printer:
    """Prints into :attr:`jobs`. ``sheets=None`` never runs out; a job with more pages than
    sheets left uses them up and raises :class:`PaperOutError` (the pages already out are
    :attr:`spoiled`, the job is not in :attr:`jobs`). ``offline=True`` refuses everything."""

    def __init__(self, *, sheets: int | None = None, offline: bool = False) -> None:
        self.name = "fake-a4"
        self.sheets = sheets
        self.offline = offline
        self.jobs: list[FakeJob] = []
        self.spoiled = 0  # pages of jobs that did not finish
        self._lock = threading.Lock()

    def load_paper(self, sheets: int | None = None) -> None:
        with self._lock:
            self.sheets = sheets

    def status(self) -> PrinterStatus:
        with self._lock:
            if self.offline:
                return PrinterStatus(PrinterState.OFFLINE, "fake: offline")
            if self.sheets == 0:
                return PrinterStatus(PrinterState.PAPER_OUT, "fake: tray empty")
            return PrinterStatus(PrinterState.READY)

    def print_pdf(self, data: bytes, job_name: str) -> None:
        pages = count_pdf_pages(data)
        with self._lock:
            if self.offline:
                raise PrinterOfflineError("fake: offline")
            if self.sheets is not None and pages > self.sheets:
                self.spoiled += self.sheets
                self.sheets = 0
                raise PaperOutError("fake: ran out of paper during the job")
            if self.sheets is not None:
                self.sheets -= pages
            self.jobs.append(FakeJob(job_name, data, pages))
