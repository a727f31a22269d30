"""证照打印 at the kiosk as a plain state machine (no Qt): the holder prints an e-certificate.

Driving it from a script (the demo tour, a test)::

    window.open_self_service("certificates")        # home's 证照打印 entry (or tap it)
    simulator.place_card("resident")                 # the card: the holder's list appears
    flow = window.certificates.flow                  # CertPrintFlow; state.certificates
    flow.choose(flow.state.certificates[0].identifier)   # print it (A4, or the 80 mm slip)
    # wait for flow.state.screen is CertScreen.DONE; the PDF is in [kiosk] a4_printer's folder

Reached from home (``KioskWindow.open_self_service("certificates")``) and left back to home,
forgetting the visitor. Like :class:`~kiosk.selfservice.SelfServiceFlow`, widgets render
:class:`CertState` snapshots and forward taps; reads and prints go out through
:class:`CertPorts` and come back as :meth:`CertPrintFlow.found` / :meth:`find_failed` /
:meth:`printed` / :meth:`print_failed`; time is an injected monotonic clock checked in
:meth:`CertPrintFlow.tick`.

Rules worth knowing:

* Only the card proves who the holder is, so this page starts with the card (no keypad, no
  receipt code). The full ID number and name live only in the flow's private holder (hidden
  from ``repr``, never in the state) for as long as the card is on the reader.
* Every certificate of the holder is listed; an expired one (valid until before today) is
  shown with a plain word and refused when chosen.
* One print at a time. A print is recorded by the Qt side only after the printer took the
  whole job; a printer that runs out of paper or goes offline mid-job records nothing and
  prints nothing again by itself: the citizen is told to ask staff or try again.
* Lifting the card clears the list at once (a print already sent still finishes and is
  recorded); idle time returns to home. A late answer to an abandoned question is dropped.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from common.db.engine import DatabaseUnavailable
from common.devices.printer.status import PaperOutError, PrinterError
from common.queue.service import Holder
from common.selfservice.prints import HeldCertificate
from kiosk.countdown import CountdownFlow

__all__ = [
    "CertMessage",
    "CertPorts",
    "CertPrintFlow",
    "CertPrompt",
    "CertScreen",
    "CertState",
    "FindRequest",
    "PrintRequest",
    "ReceiptReprints",
    "ReprintPorts",
    "ReprintRequest",
    "ReprintStatus",
]

log = logging.getLogger(__name__)

_LIST_MIN_SECONDS = 45  # reading a list takes a while (适老化: no too-short limits)
_DONE_SECONDS = 20
_ANSWER_TIMEOUT_SECONDS = 15.0
_PRINT_TIMEOUT_SECONDS = 120.0  # an A4 job of one page; a printer slower than this is stuck


class CertScreen(enum.StrEnum):
    """Which 证照打印 page is shown."""

    FIND = "find"  # place the ID card
    SEARCHING = "searching"
    LIST = "list"  # the holder's certificates
    PRINTING = "printing"
    DONE = "done"  # take your printout


class CertMessage(enum.StrEnum):
    """A line said to the citizen on the current page."""

    NONE = "none"
    NO_CERTIFICATES = "no_certificates"
    EXPIRED = "expired"  # the chosen certificate is no longer valid
    PAPER_OUT = "paper_out"  # the printer ran out of paper: ask staff, or try again
    PRINTER_OFFLINE = "printer_offline"
    NO_PRINTER = "no_printer"  # this kiosk has no printer for certificates
    CARD_EXPIRED = "card_expired"
    DATABASE = "database"
    ERROR = "error"


class CertPrompt(enum.StrEnum):
    """What the speaker is asked to say (the Qt side words it in the current language)."""

    FIND = "find"
    LIST = "list"
    PRINTING = "printing"
    DONE = "done"
    MESSAGE = "message"


@dataclass(frozen=True)
class FindRequest:
    """The holder's certificates, please. The ID number is kept out of ``repr`` (logs)."""

    request_id: int
    id_number: str = field(repr=False)


@dataclass(frozen=True)
class PrintRequest:
    """Print ``certificate`` for the holder on ``output`` ("a4" or "slip")."""

    request_id: int
    certificate: HeldCertificate
    output: str
    today: dt.date
    holder: Holder = field(repr=False)
    masked_name: str = field(default="", repr=False)


@dataclass(frozen=True)
class CertState:
    """Everything a 证照打印 page needs; masked data only."""

    screen: CertScreen = CertScreen.FIND
    active: bool = False
    holder_masked: str = ""
    certificates: tuple[HeldCertificate, ...] = ()
    chosen: str = ""  # identifier being printed / just printed / refused
    message: CertMessage = CertMessage.NONE
    output: str = ""  # "a4", "slip" or "" (no printer): what a print would come out of
    today: dt.date = dt.date.min
    seconds_left: int = 0


class CertPorts(Protocol):
    """What the flow asks of the outside world; the Qt page implements it."""

    def show_certificates(self, state: CertState) -> None:
        """Draw ``state``."""

    def find_certificates(self, request: FindRequest) -> None:
        """Read the holder's certificates; answer with ``found`` or ``find_failed``."""

    def print_certificate(self, request: PrintRequest) -> None:
        """Print and, once printed, record it; answer ``printed`` or ``print_failed``."""

    def speak_cert(self, prompt: CertPrompt, state: CertState) -> None:
        """Say ``prompt`` (only called when voice is on)."""

    def leave_certificates(self) -> None:
        """Back to the kiosk's home, forgetting the visitor."""


class CertPrintFlow(CountdownFlow[CertState]):
    """证照打印's behaviour, one method per input. Call it on one thread."""

    def __init__(
        self,
        ports: CertPorts,
        *,
        idle_seconds: int = 60,
        output: Callable[[], str] = lambda: "a4",
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], dt.date] = dt.date.today,
        voice_on: Callable[[], bool] = lambda: False,
    ) -> None:
        self._ports = ports
        self._idle_default = idle_seconds
        self._output = output
        self._clock = clock
        self._today = today
        self._voice_on = voice_on
        self.state = CertState()
        self._deadline: float | None = None
        self._seq = 0
        self._find: FindRequest | None = None
        self._print: PrintRequest | None = None
        self._asked_at = 0.0
        self._holder: Holder | None = None

    def __repr__(self) -> str:  # the holder stays out of logs
        return f"<CertPrintFlow {self.state.screen.value} active={self.state.active}>"

    # ------------------------------------------------------------------ helpers

    def _show(self) -> None:
        self._ports.show_certificates(self.state)

    @property
    def _idle_seconds(self) -> float:
        return self._idle_default

    def _speak(self, prompt: CertPrompt) -> None:
        if self._voice_on():
            self._ports.speak_cert(prompt, self.state)

    def _forget_holder(self) -> None:
        self._holder = None
        self._find = None

    # ------------------------------------------------------------------ entering and leaving

    def open(self, holder: Holder | None = None, masked_name: str = "") -> None:
        """证照打印 tapped on home; a card already read there is used at once."""
        self._forget_holder()
        self._print = None
        self._idle()
        self.state = CertState(active=True, today=self._today(), output=self._output())
        self._set()
        if holder is not None:
            self._ask(holder, masked_name)
        else:
            self._speak(CertPrompt.FIND)

    def close(self) -> None:
        """Forget everything and hand back to home."""
        was_active = self.state.active
        self._forget_holder()
        self._print = None
        self._deadline = None
        self.state = CertState()
        self._ports.show_certificates(self.state)
        if was_active:
            self._ports.leave_certificates()

    def done(self) -> None:
        """完成 / 返回首页."""
        if self.state.screen is not CertScreen.PRINTING:
            self.close()

    def back(self) -> None:
        """返回: from the list (or done) to the start page; from the start page home."""
        if not self.state.active or self.state.screen is CertScreen.PRINTING:
            return
        if self.state.screen is CertScreen.FIND:
            self.close()
            return
        if self.state.screen is CertScreen.DONE and self._holder is not None:
            self._idle(max(self._idle_seconds, _LIST_MIN_SECONDS))
            self._set(screen=CertScreen.LIST, message=CertMessage.NONE, chosen="")
            return
        self._forget_holder()
        self._idle()
        self._set(
            screen=CertScreen.FIND,
            certificates=(),
            holder_masked="",
            chosen="",
            message=CertMessage.NONE,
        )

    def touch(self) -> None:
        seconds = float(self._idle_seconds)
        if self.state.screen is CertScreen.LIST:
            seconds = max(seconds, _LIST_MIN_SECONDS)
        self._keep_open(seconds)

    def tick(self) -> None:
        if not self.state.active:
            return
        now = self._clock()
        if self._find is not None and now - self._asked_at > _ANSWER_TIMEOUT_SECONDS:
            log.error("certificate lookup %d got no answer", self._find.request_id)
            self._find = None
            self._message(CertMessage.ERROR, screen=CertScreen.FIND)
        if self._print is not None and now - self._asked_at > _PRINT_TIMEOUT_SECONDS:
            # Not "try again": the job may still come out. Staff can see what happened.
            log.error("certificate print %d got no answer", self._print.request_id)
            self._print = None
            self._message(CertMessage.PRINTER_OFFLINE, screen=self._after_print_screen())
        if self._idle_over(now):
            log.info("certificate print idle on %s; back to home", self.state.screen.value)
            self.close()
            return
        self._redraw_countdown()

    # ------------------------------------------------------------------ the card

    def card_read(
        self, holder: Holder, masked_name: str, *, valid_to: dt.date | None = None
    ) -> None:
        """A card placed while the page is open: that holder's certificates (whatever was shown)."""
        if not self.state.active or self.state.screen is CertScreen.PRINTING:
            return
        if valid_to is not None and self._today() > valid_to:
            log.info("expired ID card refused for certificate printing")
            self._forget_holder()
            self._message(
                CertMessage.CARD_EXPIRED, screen=CertScreen.FIND, certificates=(), holder_masked=""
            )
            return
        self._ask(holder, masked_name)

    def card_removed(self) -> None:
        """The card left the reader: the holder's list leaves the screen with it."""
        if not self.state.active or (self._holder is None and self._find is None):
            return
        log.info("ID card removed; the holder's certificates are cleared")
        self._forget_holder()
        if self.state.screen is CertScreen.PRINTING:
            return  # the job is with the printer; its answer shows the start page
        self._idle()
        self._set(
            screen=CertScreen.FIND,
            certificates=(),
            holder_masked="",
            chosen="",
            message=CertMessage.NONE,
        )

    def _ask(self, holder: Holder, masked_name: str) -> None:
        self._holder = holder
        self._seq += 1
        self._find = FindRequest(self._seq, holder.id_number)
        self._asked_at = self._clock()
        self._deadline = None  # the answer decides the next time-out
        self._set(
            screen=CertScreen.SEARCHING,
            holder_masked=masked_name,
            certificates=(),
            chosen="",
            message=CertMessage.NONE,
            today=self._today(),
        )
        self._ports.find_certificates(self._find)

    # ------------------------------------------------------------------ answers

    def found(self, request_id: int, certificates: list[HeldCertificate]) -> None:
        if self._find is None or self._find.request_id != request_id:
            log.info("dropping the answer to abandoned certificate lookup %d", request_id)
            return
        self._find = None
        log.info("certificate lookup: %d certificate(s)", len(certificates))
        if not certificates:
            self._message(CertMessage.NO_CERTIFICATES, screen=CertScreen.FIND, holder_masked="")
            self._holder = None
            return
        self._idle(max(self._idle_seconds, _LIST_MIN_SECONDS))
        self._set(screen=CertScreen.LIST, certificates=tuple(certificates))
        self._speak(CertPrompt.LIST)

    def find_failed(self, request_id: int, error: BaseException) -> None:
        if self._find is None or self._find.request_id != request_id:
            return
        self._find = None
        self._holder = None
        if isinstance(error, DatabaseUnavailable):
            log.warning("certificate lookup: %s", error.detail)
            self._message(CertMessage.DATABASE, screen=CertScreen.FIND, holder_masked="")
        else:
            log.error("certificate lookup failed", exc_info=error)
            self._message(CertMessage.ERROR, screen=CertScreen.FIND, holder_masked="")

    def _message(self, message: CertMessage, *, screen: CertScreen, **changes: object) -> None:
        self._idle(
            max(self._idle_seconds, _LIST_MIN_SECONDS) if screen is CertScreen.LIST else None
        )
        self._set(screen=screen, message=message, **changes)
        self._speak(CertPrompt.MESSAGE)

    # ------------------------------------------------------------------ printing

    def choose(self, identifier: str) -> None:
        """A certificate's 打印 button: print it, unless it has expired."""
        s = self.state
        if s.screen is not CertScreen.LIST or self._print is not None or self._holder is None:
            return
        cert = next((c for c in s.certificates if c.identifier == identifier), None)
        if cert is None:
            return
        self.touch()
        today = self._today()
        if cert.expired(today):
            log.info("expired certificate refused for printing")
            self._message(CertMessage.EXPIRED, screen=CertScreen.LIST, chosen=identifier)
            return
        output = self._output()
        if not output:
            self._message(CertMessage.NO_PRINTER, screen=CertScreen.LIST, chosen=identifier)
            return
        self._seq += 1
        self._print = PrintRequest(
            self._seq, cert, output, today, self._holder, self.state.holder_masked
        )
        self._asked_at = self._clock()
        self._deadline = None
        self._set(
            screen=CertScreen.PRINTING, chosen=identifier, message=CertMessage.NONE, output=output
        )
        self._speak(CertPrompt.PRINTING)
        self._ports.print_certificate(self._print)

    def _after_print_screen(self) -> CertScreen:
        return CertScreen.LIST if self._holder is not None else CertScreen.FIND

    def printed(self, request_id: int) -> None:
        """The printer took the whole job (and the Qt side recorded it)."""
        if self._print is None or self._print.request_id != request_id:
            return
        self._print = None
        log.info("certificate printed")
        if not self.state.active:
            return
        if self._holder is None:  # the card was lifted while printing
            self._idle(_DONE_SECONDS)
            self._set(screen=CertScreen.DONE, certificates=(), holder_masked="")
        else:
            self._idle(max(self._idle_seconds, _DONE_SECONDS))
            self._set(screen=CertScreen.DONE, message=CertMessage.NONE)
        self._speak(CertPrompt.DONE)

    def print_failed(self, request_id: int, error: BaseException) -> None:
        """Nothing (or not all) came out; nothing was recorded and nothing is retried."""
        if self._print is None or self._print.request_id != request_id:
            return
        self._print = None
        if isinstance(error, PaperOutError):
            message = CertMessage.PAPER_OUT
        elif isinstance(error, PrinterError):
            message = CertMessage.PRINTER_OFFLINE
        elif isinstance(error, DatabaseUnavailable):
            message = CertMessage.DATABASE
        else:
            log.error("certificate print failed", exc_info=error)
            message = CertMessage.ERROR
        log.warning("certificate print failed: %s", message.value)
        if not self.state.active:
            return
        screen = self._after_print_screen()
        self._message(
            message,
            screen=screen,
            **({} if screen is CertScreen.LIST else {"certificates": (), "holder_masked": ""}),
        )


# ---------------------------------------------------------------------------- 补打回执


class ReprintStatus(enum.StrEnum):
    """Where one case's receipt reprint stands (shown on that case's card)."""

    PRINTING = "printing"
    PRINTED = "printed"
    PAPER_OUT = "paper_out"
    PRINTER_OFFLINE = "printer_offline"
    NO_PRINTER = "no_printer"
    ERROR = "error"


@dataclass(frozen=True)
class ReprintRequest:
    """Reprint the acceptance receipt of case ``number`` for the card's holder."""

    request_id: int
    number: str
    holder: Holder = field(repr=False)


class ReprintPorts(Protocol):
    def reprint_receipt(self, request: ReprintRequest) -> None:
        """Read the receipt, print it on the thermal printer, record it once printed; answer
        ``reprinted`` or ``reprint_failed``."""

    def show_reprints(self, statuses: dict[str, ReprintStatus]) -> None:
        """Draw the statuses (case number → status)."""


class ReceiptReprints:
    """补打回执 from 办件查询's answer: only for cases listed because the holder's card is on the
    reader (the holder proved who they are); one reprint at a time; a case whose receipt came
    out is not offered again while the list is shown (a second tap prints nothing twice)."""

    def __init__(self, ports: ReprintPorts, *, available: Callable[[], bool]) -> None:
        self._ports = ports
        self._available = available
        self._seq = 0
        self._pending: ReprintRequest | None = None
        self.statuses: dict[str, ReprintStatus] = {}

    @property
    def busy(self) -> bool:
        return self._pending is not None

    def request(self, number: str, holder: Holder | None) -> None:
        if holder is None or self._pending is not None:
            return
        if self.statuses.get(number) is ReprintStatus.PRINTED:
            return
        if not self._available():
            self.statuses[number] = ReprintStatus.NO_PRINTER
            self._ports.show_reprints(dict(self.statuses))
            return
        self._seq += 1
        self._pending = ReprintRequest(self._seq, number, holder)
        self.statuses[number] = ReprintStatus.PRINTING
        self._ports.show_reprints(dict(self.statuses))
        self._ports.reprint_receipt(self._pending)

    def reprinted(self, request_id: int) -> None:
        if self._pending is None or self._pending.request_id != request_id:
            return
        number, self._pending = self._pending.number, None
        log.info("receipt reprinted")
        if number in self.statuses:  # not cleared meanwhile
            self.statuses[number] = ReprintStatus.PRINTED
        self._ports.show_reprints(dict(self.statuses))

    def reprint_failed(self, request_id: int, error: BaseException) -> None:
        if self._pending is None or self._pending.request_id != request_id:
            return
        number, self._pending = self._pending.number, None
        if isinstance(error, PaperOutError):
            status = ReprintStatus.PAPER_OUT
        elif isinstance(error, PrinterError):
            status = ReprintStatus.PRINTER_OFFLINE
        else:
            log.error("receipt reprint failed", exc_info=error)
            status = ReprintStatus.ERROR
        log.warning("receipt reprint failed: %s", status.value)
        if number in self.statuses:
            self.statuses[number] = status
        self._ports.show_reprints(dict(self.statuses))

    def clear(self) -> None:
        """The list left the screen (card lifted, idle, done): forget the statuses. A reprint
        already with the printer still finishes and is recorded."""
        if self.statuses:
            self.statuses = {}
            self._ports.show_reprints({})
