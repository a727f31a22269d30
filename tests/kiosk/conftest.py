"""Fixtures for the kiosk tests: a hand-moved monotonic clock, recorded ports, Qt kiosks wired
to the real queue, a fake or simulated card reader and a fake or Dummy printer."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from common.config import Settings
from common.devices.printer.status import PrinterState
from common.queue.service import ServiceStatus, TicketView
from kiosk.flow import IssueRequest, KioskState, Prompt


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


def status(prefix: str = "A", *, general: bool = False, open_: bool = True, id_card: str = "optional",
           waiting: int = 3, reason: tuple[str, str] = ("", "")) -> ServiceStatus:
    return ServiceStatus(
        prefix=prefix, name=f"业务{prefix}", name_en=f"Service {prefix}", general=general, waiting=waiting,
        estimated_wait_minutes=waiting * 2, open=open_, closed_reason_zh=reason[0], closed_reason_en=reason[1],
        id_card=id_card, issued_today=waiting, daily_cap=999,
    )


@pytest.fixture(autouse=True)
def _no_dangling_threads() -> Iterator[None]:
    """Fail a test that leaves a reader, simulator or print worker running (napari's check)."""
    before = {t.ident for t in threading.enumerate()}
    yield
    deadline = time.monotonic() + 3.0
    while True:
        alive = [
            t.name for t in threading.enumerate()
            if t.ident not in before and t.name.startswith(("idcard-", "fake-idcard", "print-"))
        ]
        if not alive:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"threads left running: {alive}")
        time.sleep(0.01)


needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="the reader simulator needs a pty")

SettingsFactory = Callable[..., Settings]
