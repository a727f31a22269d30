"""The kiosk's screen flow as a plain state machine (no Qt):
home → service → ID card → ticket → home.

The widgets only render :class:`KioskState` snapshots and forward taps; everything that decides
*what happens next* lives here and is tested without a screen (STYLE.md habit 2). Side effects
(issue a number, print, speak, alert the hall manager, leave the app) are requested from a
:class:`KioskPorts` object; their results come back as method calls (:meth:`KioskFlow.issued`,
:meth:`KioskFlow.issue_failed`, :meth:`KioskFlow.ticket_printed` …). Time is read from an
injected monotonic clock and deadlines are checked in :meth:`KioskFlow.tick`, so tests move
time by hand instead of sleeping.

Rules worth knowing:

* An ID card placed on the home screen is remembered for the next tap (optional-card services
  use it for the automatic 70+ green channel) while it stays on the reader; lifting it forgets
  it, so the next visitor never takes a number in the last one's name. A required-card service
  without one goes to the card screen. Only the masked name is ever kept for display.
* An expired card is refused with a word to the citizen (证件已过期，请到服务台办理), never used
  for a ticket or the green channel.
* The reader reports a card once per placement: a card still lying on the reader after its
  holder was forgotten (完成, idle, 不是我) is not read again, so the card screen asks for it to
  be lifted and placed again instead of waiting in silence.
* Idle time-out returns to home and forgets the holder, a confirmed green channel, the
  ticket on screen, and the visitor's language and large-print choice.
* A briefly unreachable database raises a banner; an issue is retried a few times while the
  citizen waits, service tiles are refreshed more often until the database answers again.
* Printer trouble never hides a number: the ticket stays on screen longer with guidance, the
  hall manager is told once per change, and the print queue prints the job when it can.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import enum
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from common.config import KioskSettings, ServiceSettings, Settings
from common.db.engine import DatabaseUnavailable
from common.db.models import Priority
from common.devices.idcard.reader import ReaderStatus
from common.devices.printer.status import PrinterState
from common.people import age_at
from common.queue.errors import (
    DailyCapReached,
    IdCardRequired,
    PerIdLimitReached,
    QueueError,
    ServiceClosed,
)
from common.queue.lookup import find_service
from common.queue.policy import ClosedReason
from common.queue.service import Holder, ServiceStatus, TicketView

__all__ = [
    "GREEN_REASONS",
    "IssueRequest",
    "KioskFlow",
    "KioskPorts",
    "KioskState",
    "Notice",
    "NoticeKind",
    "PrintState",
    "Prompt",
    "Screen",
]

log = logging.getLogger(__name__)

# Staff-confirmed green channel reasons (DOMAIN.md "Tickets and calls"); "elderly" is automatic.
GREEN_REASONS = ("disabled", "military", "pregnant", "other")

_ISSUE_ATTEMPTS = 3  # tries while the citizen waits before giving up with a notice
_ISSUE_RETRY_SECONDS = 2.0
_ISSUE_TIMEOUT_SECONDS = 20.0  # a stuck worker must not strand the citizen on a spinner
_REFRESH_SECONDS = 5.0
_REFRESH_DOWN_SECONDS = 2.0
_NOTICE_MIN_SECONDS = 20  # long enough to read twice (适老化: no too-short time limits)
_PIN_LOCK_SECONDS = 60.0
_TROUBLE_STATES = frozenset(
    {PrinterState.PAPER_OUT, PrinterState.OFFLINE, PrinterState.UNREACHABLE}
)


class Screen(enum.StrEnum):
    """Which screen the kiosk shows."""

    HOME = "home"
    CARD = "card"  # waiting for the ID card
    ISSUING = "issuing"  # the number is being taken (database round trip)
    TICKET = "ticket"  # the number, people ahead and estimated wait, large
    NOTICE = "notice"  # why no number could be issued (closed, full, per-ID limit …)
    GREEN = "green"  # staff confirm a green channel with the PIN
    ADMIN_PIN = "admin_pin"
    ADMIN = "admin"
    SELF_SERVICE = "self_service"  # 办件查询 … : kiosk.selfservice.SelfServiceFlow runs the pages
    CHECKIN = "checkin"  # 预约签到: kiosk.checkin.CheckinFlow runs the pages


class NoticeKind(enum.StrEnum):
    CLOSED = "closed"
    FULL = "full"
    PER_ID_LIMIT = "per_id_limit"
    CARD_REQUIRED = "card_required"
    CARD_EXPIRED = "card_expired"
    READER_GONE = "reader_gone"
    DATABASE = "database"
    ERROR = "error"


class PrintState(enum.StrEnum):
    """The print job of the ticket on screen."""

    NONE = "none"
    PRINTING = "printing"
    PRINTED = "printed"
    TROUBLE = "trouble"  # printer offline / out of paper: the job waits in the queue


class Prompt(enum.StrEnum):
    """What the speaker is asked to say; the Qt side turns it into words in the current language."""

    WELCOME = "welcome"
    PLACE_CARD = "place_card"
    TICKET = "ticket"
    PRINTER_TROUBLE = "printer_trouble"
    NOTICE = "notice"


@dataclass(frozen=True)
class Notice:
    """A refusal or problem shown to the citizen, in both languages."""

    kind: NoticeKind
    message_zh: str
    message_en: str
    limit: int = 0  # the per-ID daily limit, for the explanation


@dataclass(frozen=True)
class IssueRequest:
    """One attempt to take a number; ``request_id`` ties the answer to the attempt."""

    request_id: int
    prefix: str | None  # None: the general queue (一键取号)
    holder: Holder | None
    priority: Priority
    green_reason: str
    attempt: int = 1


@dataclass(frozen=True)
class KioskState:
    """Everything a screen needs to draw itself. No full ID number or full name, ever."""

    screen: Screen = Screen.HOME
    language: str = "zh_CN"
    elderly: bool = False
    services: tuple[ServiceStatus, ...] = ()
    db_down: bool = False
    reader_status: ReaderStatus = ReaderStatus.STOPPED
    reader_configured: bool = True  # False: this kiosk runs without a reader (--reader "", no port)
    printer_state: PrinterState = PrinterState.UNKNOWN
    printer_message: str = ""
    holder_masked: str = ""  # the card read on home or on the card screen (张*三)
    holder_green: bool = False  # that holder qualifies for the automatic green channel
    green_reason: str = ""  # a staff-confirmed green channel waiting for the next tap
    selected: ServiceStatus | None = None  # the service chosen (card screen, issuing)
    general: bool = False  # the one-tap button was used
    card_required: bool = False
    card_problem: ReaderStatus | None = (
        None  # read failed / reader gone / expired, on the card screen
    )
    card_left_on_reader: bool = (
        False  # card screen: a card already read lies there; lift and replace it
    )
    retrying: bool = False  # issuing: the database did not answer; trying again
    ticket: TicketView | None = None
    print_state: PrintState = PrintState.NONE
    notice: Notice | None = None
    pin_error: bool = False
    pin_locked: bool = False
    recent: tuple[TicketView, ...] = ()  # last tickets of this kiosk, for the admin's reprint
    pending_jobs: int = 0
    seconds_left: int = 0  # on screens with a time-out, for a visible countdown

    @property
    def printer_trouble(self) -> bool:
        return self.printer_state in _TROUBLE_STATES

    @property
    def reader_out(self) -> bool:
        """The configured reader is unplugged, on a wrong port or not answering: ask staff."""
        return self.reader_status is ReaderStatus.READER_GONE

    def service(self, prefix: str | None) -> ServiceStatus | None:
        return find_service(self.services, prefix)


class KioskPorts(Protocol):
    """What the flow asks of the outside world; the Qt window implements it, tests fake it."""

    def show_state(self, state: KioskState) -> None:
        """Draw ``state`` (called after every change)."""

    def refresh_services(self) -> None:
        """Load service statuses; answer with ``services_loaded`` or ``services_failed``."""

    def issue(self, request: IssueRequest) -> None:
        """Take a number; answer with ``issued`` or ``issue_failed``."""

    def print_ticket(self, ticket: TicketView) -> None:
        """Queue the ticket's print job (a new job each call)."""

    def retry_print(self) -> None:
        """Ask the print queue to try the waiting job now."""

    def report_printer(self, state: PrinterState, message: str, needs_attention: bool) -> None:
        """Tell the hall manager (through the hall database)."""

    def report_reader(self, state: ReaderStatus, message: str, needs_attention: bool) -> None:
        """Tell the hall manager the ID card reader is gone (or back), like the printer."""

    def speak(self, prompt: Prompt, state: KioskState) -> None:
        """Say ``prompt`` in ``state.language``."""

    def apply_mode(self, language: str, elderly: bool) -> None:
        """Switch translations and theme."""

    def exit_app(self) -> None:
        """Leave the kiosk (admin only)."""


class KioskFlow:
    """The kiosk's behaviour, one method per input. Not thread-safe: call it on one thread."""

    def __init__(
        self,
        settings: Settings,
        ports: KioskPorts,
        *,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.settings = settings
        self.kiosk: KioskSettings = settings.kiosk
        self._ports = ports
        self._clock = clock
        self._today = today
        self.state = KioskState(language=self.kiosk.language, elderly=self.kiosk.elderly_default)
        self._holder: Holder | None = None  # full data stays here, never in the state
        # A card the reader has reported and not yet seen leave: it will not be reported again.
        self._card_on_reader = False
        self._deadline: float | None = None
        self._next_refresh = 0.0
        self._refreshing = False
        self._request_seq = 0
        self._request: IssueRequest | None = None
        self._request_sent_at = 0.0
        self._retry_at: float | None = None
        self._pin_failures = 0
        self._pin_locked_until = 0.0
        self._pin_purpose: Screen | None = None
        self._recent: collections.deque[TicketView] = collections.deque(maxlen=10)
        self._printed_numbers: collections.deque[str] = collections.deque(maxlen=50)

    # ------------------------------------------------------------------ helpers

    def _now(self) -> float:
        return self._clock()

    def _set(self, **changes: object) -> None:
        self.state = dataclasses.replace(self.state, **changes)  # type: ignore[arg-type]
        self._update_countdown()
        self._ports.show_state(self.state)

    def _update_countdown(self) -> None:
        left = 0 if self._deadline is None else max(0, round(self._deadline - self._now()))
        if left != self.state.seconds_left:
            self.state = dataclasses.replace(self.state, seconds_left=left)

    def _voice_on(self) -> bool:
        mode = self.kiosk.voice
        return mode == "always" or (mode == "elderly" and self.state.elderly)

    def _speak(self, prompt: Prompt) -> None:
        if self._voice_on():
            self._ports.speak(prompt, self.state)

    def _idle_deadline(self, seconds: float | None = None) -> float:
        return self._now() + (self.kiosk.idle_seconds if seconds is None else seconds)

    def _home_is_clean(self) -> bool:
        s = self.state
        return (
            self._holder is None
            and not s.green_reason
            and s.language == self.kiosk.language
            and s.elderly == self.kiosk.elderly_default
        )

    def _go_home(self, *, keep_visitor: bool = True) -> None:
        """Back to home; with ``keep_visitor=False`` everything about the visitor is forgotten."""
        self._request = None
        self._retry_at = None
        changes: dict[str, object] = {
            "screen": Screen.HOME,
            "selected": None,
            "general": False,
            "card_required": False,
            "card_problem": None,
            "card_left_on_reader": False,
            "retrying": False,
            "ticket": None,
            "print_state": PrintState.NONE,
            "notice": None,
            "pin_error": False,
        }
        if not keep_visitor:
            self._holder = None
            changes |= {"holder_masked": "", "holder_green": False, "green_reason": ""}
            if (
                self.state.language != self.kiosk.language
                or self.state.elderly != self.kiosk.elderly_default
            ):
                changes |= {"language": self.kiosk.language, "elderly": self.kiosk.elderly_default}
                self._ports.apply_mode(self.kiosk.language, self.kiosk.elderly_default)
        self._deadline = None
        self._set(**changes)
        if not self._home_is_clean():
            self._deadline = self._idle_deadline()
            self._update_countdown()

    def _notice(self, notice: Notice) -> None:
        self._request = None
        self._retry_at = None
        self._deadline = self._idle_deadline(max(self.kiosk.idle_seconds, _NOTICE_MIN_SECONDS))
        self._set(screen=Screen.NOTICE, notice=notice, retrying=False)
        self._speak(Prompt.NOTICE)

    # ------------------------------------------------------------------ start and time

    def start(self) -> None:
        """Show home and load the service tiles."""
        self._ports.apply_mode(self.state.language, self.state.elderly)
        self._set()
        self._refresh()

    def touch(self) -> None:
        """Any tap: the visitor is still there, so push the time-out back."""
        if self._deadline is None:
            return
        if self.state.screen is Screen.TICKET:
            seconds = self._ticket_seconds()
        elif self.state.screen is Screen.NOTICE:
            seconds = max(self.kiosk.idle_seconds, _NOTICE_MIN_SECONDS)
        else:
            seconds = self.kiosk.idle_seconds
        self._deadline = max(self._deadline, self._now() + seconds)
        self._update_countdown()

    def tick(self) -> None:
        """Check deadlines and due refreshes; the window calls this a few times a second."""
        now = self._now()
        if self._retry_at is not None and now >= self._retry_at and self._request is not None:
            self._retry_at = None
            self._send(dataclasses.replace(self._request, attempt=self._request.attempt + 1))
        elif (
            self.state.screen is Screen.ISSUING
            and self._request is not None
            and self._retry_at is None
            and now - self._request_sent_at > _ISSUE_TIMEOUT_SECONDS
        ):
            log.error(
                "issue request %d got no answer in %.0f s",
                self._request.request_id,
                _ISSUE_TIMEOUT_SECONDS,
            )
            self._notice(
                Notice(
                    NoticeKind.ERROR,
                    "系统繁忙，请稍后再试",
                    "The system is busy; please try again shortly",
                )
            )
        if self._deadline is not None and now >= self._deadline:
            self._deadline = None
            log.info("kiosk idle on %s; back to home", self.state.screen.value)
            self._go_home(keep_visitor=False)
        if self._pin_locked_until and now >= self._pin_locked_until:
            self._pin_locked_until = 0.0
            self._pin_failures = 0
            self._set(pin_locked=False)
        if not self._refreshing and now >= self._next_refresh:
            self._refresh()
        left = self.state.seconds_left
        self._update_countdown()
        if left != self.state.seconds_left:
            self._ports.show_state(self.state)

    # ------------------------------------------------------------------ service tiles

    def _refresh(self) -> None:
        self._refreshing = True
        self._next_refresh = self._now() + _REFRESH_SECONDS
        self._ports.refresh_services()

    def services_loaded(self, statuses: Sequence[ServiceStatus]) -> None:
        self._refreshing = False
        self._next_refresh = self._now() + _REFRESH_SECONDS
        if self.state.db_down:
            log.info("hall database reachable again")
        self._set(services=tuple(statuses), db_down=False)

    def services_failed(self, error: BaseException) -> None:
        self._refreshing = False
        if isinstance(error, DatabaseUnavailable):
            if not self.state.db_down:
                log.warning("hall database unavailable: %s", error.detail)
            self._next_refresh = self._now() + _REFRESH_DOWN_SECONDS
            self._set(db_down=True)
        else:
            log.error("loading service statuses failed", exc_info=error)
            self._next_refresh = self._now() + _REFRESH_SECONDS

    # ------------------------------------------------------------------ taps on home

    def tap_service(self, prefix: str | None) -> None:
        """A service tile, or ``None`` for the one-tap general button (一键取号)."""
        if self.state.screen is not Screen.HOME:
            return
        status = self.state.service(prefix)
        if status is not None and not status.open:
            kind = (
                NoticeKind.FULL if status.closed_reason is ClosedReason.FULL else NoticeKind.CLOSED
            )
            self._notice(Notice(kind, status.closed_reason_zh, status.closed_reason_en))
            return
        card_mode = status.id_card if status is not None else self._configured_card_mode(prefix)
        self._set(selected=status, general=prefix is None, card_required=card_mode == "required")
        if card_mode == "required" and self._holder is None:
            self._await_card()
            return
        holder = self._holder if card_mode != "none" else None
        self._start_issue(prefix, holder)

    def _service_settings(self, prefix: str | None) -> ServiceSettings | None:
        """The hall file's entry for ``prefix`` (``None``: the general queue, 一键取号)."""
        return find_service(self.settings.services, prefix)

    def _configured_card_mode(self, prefix: str | None) -> str:
        # Before the first status load (database down at start) fall back on the settings.
        conf = self._service_settings(prefix)
        return conf.id_card if conf is not None else "optional"

    def _await_card(self) -> None:
        self._deadline = self._idle_deadline()
        out = (
            self.state.reader_status is ReaderStatus.READER_GONE or not self.state.reader_configured
        )
        problem = ReaderStatus.READER_GONE if out else None
        # The card of a visitor we have forgotten may still lie there; the reader will not read
        # it again until it is lifted, so say so rather than wait for ever.
        self._set(
            screen=Screen.CARD, card_problem=problem, card_left_on_reader=self._card_on_reader
        )
        self._speak(Prompt.PLACE_CARD)

    def no_reader(self) -> None:
        """This kiosk has no reader (none configured): send card holders to staff, raise no
        alert.
        """
        self._set(reader_configured=False)

    def set_language(self, language: str) -> None:
        if language not in ("zh_CN", "en") or language == self.state.language:
            return
        self._ports.apply_mode(language, self.state.elderly)
        self._after_visitor_choice(language=language)

    def toggle_elderly(self) -> None:
        elderly = not self.state.elderly
        self._ports.apply_mode(self.state.language, elderly)
        self._after_visitor_choice(elderly=elderly)
        if elderly:
            self._speak(Prompt.WELCOME)

    def _after_visitor_choice(self, **changes: object) -> None:
        self._set(**changes)
        # A changed language or print size is the visitor's; it must time out like a card does.
        if self.state.screen is Screen.HOME:
            self._deadline = None if self._home_is_clean() else self._idle_deadline()
            self._update_countdown()
            self._ports.show_state(self.state)
        else:
            self.touch()

    def tap_green(self) -> None:
        """绿色通道 for disabled, military, pregnant visitors: staff confirm with the PIN."""
        if self.state.screen is not Screen.HOME:
            return
        self._pin_purpose = Screen.GREEN
        self._deadline = self._idle_deadline()
        self._set(screen=Screen.GREEN, pin_error=False)

    def confirm_green(self, reason: str, pin: str) -> bool:
        if self.state.screen is not Screen.GREEN or reason not in GREEN_REASONS:
            return False
        if not self._check_pin(pin):
            return False
        log.info("green channel confirmed by staff (%s)", reason)
        self._set(green_reason=reason)
        self._go_home()
        return True

    def clear_green(self) -> None:
        self._set(green_reason="")
        self._go_home()

    def enter_self_service(
        self, screen: Screen = Screen.SELF_SERVICE
    ) -> tuple[Holder | None, str] | None:
        """An entry beside the one-tap button (办件查询 …) was tapped on home.

        Returns the card held on home (holder, masked name) for the self-service flow, which
        then runs the pages and its own time-out; None when not on home. This flow keeps no
        deadline meanwhile and takes no card (the window routes cards to the other flow).
        """
        if self.state.screen is not Screen.HOME:
            return None
        held = (self._holder, self.state.holder_masked)
        self._deadline = None
        self._set(screen=screen, notice=None)
        return held

    def leave_self_service(self) -> None:
        """Back from self-service: home, with everything about the visitor forgotten."""
        if self.state.screen in (Screen.SELF_SERVICE, Screen.CHECKIN):
            self._go_home(keep_visitor=False)

    def checked_in(self, ticket: TicketView) -> None:
        """预约签到 issued ``ticket``: the ticket screen and the print, as for any number (also
        when the answer comes after the visitor left: a number that exists is never hidden)."""
        if self.state.screen in (Screen.CHECKIN, Screen.HOME):
            self._show_ticket(ticket)
        else:
            log.warning(
                "check-in ticket %s arrived on %s; printed only",
                ticket.number,
                self.state.screen.value,
            )
            self._ports.print_ticket(ticket)

    def forget_card(self) -> None:
        """The visitor removes their card data from the screen (or a different person comes)."""
        self._holder = None
        self._set(holder_masked="", holder_green=False)
        self._go_home()

    # ------------------------------------------------------------------ ID card

    def card_read(
        self, holder: Holder, masked_name: str, *, valid_to: dt.date | None = None
    ) -> None:
        """A card was read (any screen). Only ``masked_name`` reaches the state.

        ``valid_to`` is the card's last valid day (``None``: long-term, 长期); a card past it is
        refused with a word to the citizen and never used for a ticket.
        """
        self._card_on_reader = True
        green = False
        if holder.birth_date is not None:
            # Only a hint on screen; the queue decides the real priority on the hall day.
            green = (
                age_at(holder.birth_date, self._today()) >= self.settings.queue.green_channel_age
            )
        screen = self.state.screen
        if screen in (
            Screen.ISSUING,
            Screen.ADMIN,
            Screen.ADMIN_PIN,
            Screen.GREEN,
            Screen.SELF_SERVICE,
            Screen.CHECKIN,
        ):
            # Not now (self-service pages take the card themselves). The reader will not report
            # this placement again: the card screen asks for it to be lifted and placed again if
            # it is needed.
            return
        if screen is Screen.TICKET and self.state.print_state is PrintState.TROUBLE:
            # The printer failed: this citizen's number is only on the screen until they have
            # photographed it or tapped Done. A card (re-)read must not take it away (issue 15:
            # a re-read sent the kiosk home, and the next tap issued an unwanted ticket).
            return
        if valid_to is not None and self._today() > valid_to:
            self._card_expired()
            return
        self._holder = holder
        self._set(
            holder_masked=masked_name,
            holder_green=green,
            card_problem=None,
            card_left_on_reader=False,
        )
        if screen is Screen.CARD:
            prefix = (
                None
                if self.state.general
                else (self.state.selected.prefix if self.state.selected else None)
            )
            self._start_issue(prefix, holder)
        elif screen in (Screen.TICKET, Screen.NOTICE):
            # The next visitor has put their card down: start afresh for them.
            self._go_home()
        else:
            self._deadline = self._idle_deadline()
            self._update_countdown()
            self._ports.show_state(self.state)

    def _card_expired(self) -> None:
        """The card on the reader is past its validity: say so, and hold no card at all."""
        log.info("expired ID card refused on %s", self.state.screen.value)
        # Whoever held a card before, this visitor is someone else: forget them too.
        self._holder = None
        self._set(holder_masked="", holder_green=False, card_left_on_reader=False)
        if self.state.screen is Screen.CARD:
            # They may have a valid card (or a temporary one) with them: stay and say why.
            self._deadline = self._idle_deadline()
            self._set(card_problem=ReaderStatus.CARD_EXPIRED)
            self._speak(Prompt.NOTICE)
            return
        self._notice(
            Notice(
                NoticeKind.CARD_EXPIRED,
                "证件已过期，请到服务台办理",
                "This ID card has expired. Please go to the service desk.",
            )
        )

    def reader_status(self, status: ReaderStatus, message: str = "") -> None:
        if status in (
            ReaderStatus.CARD_REMOVED,
            ReaderStatus.NO_CARD,
            ReaderStatus.READ_FAILED,
            ReaderStatus.READER_GONE,
            ReaderStatus.STOPPED,
        ):
            # READ_FAILED: the reader tries the card again on its next poll, as a new placement.
            self._card_on_reader = False
        # NO_CARD too: the driver reports any card that left as removed, but a driver that
        # says only "read failed" then "no card" must not leave the holder behind either.
        gone = status in (ReaderStatus.CARD_REMOVED, ReaderStatus.NO_CARD)
        if gone and self._holder is not None and self.state.screen is not Screen.ISSUING:
            # The card left with its holder; the next visitor must not inherit it.
            log.info("ID card removed; forgetting its holder")
            self._holder = None
            self._set(holder_masked="", holder_green=False)
            if self.state.screen is Screen.HOME and self._home_is_clean():
                self._deadline = None
        if (
            status is ReaderStatus.CARD_EXPIRED
            and self._holder is not None
            and self.state.screen is not Screen.ISSUING
        ):
            # Belt and braces: the card arrived without its validity date.
            self._card_expired()
        problem: ReaderStatus | None = self.state.card_problem
        left = self.state.card_left_on_reader
        if self.state.screen is Screen.CARD:
            if status in (ReaderStatus.READ_FAILED, ReaderStatus.READER_GONE):
                problem = status
            elif status in (ReaderStatus.READING, ReaderStatus.READY, ReaderStatus.NO_CARD):
                problem = None
            if not self._card_on_reader:
                left = False
        self._report_reader(status, message)
        self._set(reader_status=status, card_problem=problem, card_left_on_reader=left)

    def _report_reader(self, status: ReaderStatus, message: str) -> None:
        # The hall manager hears of an outage once, and once more when the reader answers
        # again (any status but STOPPED, which is this kiosk shutting its reader down).
        before = self.state.reader_status
        if status is ReaderStatus.READER_GONE and before is not ReaderStatus.READER_GONE:
            log.warning("ID card reader gone: %s", message)
            self._ports.report_reader(status, message, True)
        elif before is ReaderStatus.READER_GONE and status not in (
            ReaderStatus.READER_GONE,
            ReaderStatus.STOPPED,
        ):
            log.info("ID card reader back: %s", status.value)
            self._ports.report_reader(status, "", False)

    def cancel(self) -> None:
        """The visitor's 返回 / 取消: back home, their card still remembered until time-out."""
        if self.state.screen in (Screen.ISSUING,):
            return  # the number may already exist; wait for the answer
        if self.state.screen in (Screen.ADMIN, Screen.ADMIN_PIN):
            self._pin_purpose = None
        self._go_home(keep_visitor=self.state.screen is not Screen.TICKET)

    def done(self) -> None:
        """完成 on the ticket screen: the visitor is done; forget everything about them."""
        self._go_home(keep_visitor=False)

    # ------------------------------------------------------------------ issuing

    def _start_issue(self, prefix: str | None, holder: Holder | None) -> None:
        priority = Priority.GREEN if self.state.green_reason else Priority.NORMAL
        self._request_seq += 1
        self._deadline = None
        request = IssueRequest(
            request_id=self._request_seq,
            prefix=prefix,
            holder=holder,
            priority=priority,
            green_reason=self.state.green_reason,
        )
        self._set(screen=Screen.ISSUING, retrying=False, card_problem=None)
        self._send(request)

    def _send(self, request: IssueRequest) -> None:
        self._request = request
        self._request_sent_at = self._now()
        self._ports.issue(request)

    def issued(self, request_id: int, ticket: TicketView) -> None:
        current = self._request is not None and self._request.request_id == request_id
        if not current:
            # A late answer to an abandoned attempt is still a real number: show and print it
            # rather than leave a ticket nobody knows about.
            log.warning("late answer for issue request %d: %s", request_id, ticket.number)
        self._show_ticket(ticket)

    def _show_ticket(self, ticket: TicketView) -> None:
        self._request = None
        self._retry_at = None
        self._recent.appendleft(ticket)
        # The green channel and the card were for this ticket; the next one starts clean.
        self._holder = None
        self._deadline = self._now() + self._ticket_seconds()
        printing = PrintState.TROUBLE if self.state.printer_trouble else PrintState.PRINTING
        self._set(
            screen=Screen.TICKET,
            ticket=ticket,
            print_state=printing,
            notice=None,
            retrying=False,
            db_down=False,
            green_reason="",
            holder_masked="",
            holder_green=False,
            recent=tuple(self._recent),
        )
        self._ports.print_ticket(ticket)
        self._speak(Prompt.TICKET)
        if printing is PrintState.TROUBLE:
            self._speak(Prompt.PRINTER_TROUBLE)

    def issue_failed(self, request_id: int, error: BaseException) -> None:
        request = self._request
        if request is None or request.request_id != request_id:
            log.info("ignoring failure of abandoned issue request %d: %s", request_id, error)
            return
        if isinstance(error, DatabaseUnavailable):
            log.warning("issue attempt %d: %s", request.attempt, error.detail)
            if request.attempt < _ISSUE_ATTEMPTS:
                self._retry_at = self._now() + _ISSUE_RETRY_SECONDS
                self._set(retrying=True, db_down=True)
                return
            self._set(db_down=True)
            self._next_refresh = self._now() + _REFRESH_DOWN_SECONDS
            self._notice(
                Notice(
                    NoticeKind.DATABASE,
                    "系统暂时无法连接大厅数据库，请稍后再试。",
                    "The system cannot reach the hall database. Please try again in a moment.",
                )
            )
            return
        if isinstance(error, PerIdLimitReached):
            limit = self._per_id_limit(request.prefix)
            self._notice(Notice(NoticeKind.PER_ID_LIMIT, error.message_zh, error.message_en, limit))
        elif isinstance(error, ServiceClosed):
            self._notice(Notice(NoticeKind.CLOSED, error.message_zh, error.message_en))
        elif isinstance(error, DailyCapReached):
            self._notice(Notice(NoticeKind.FULL, error.message_zh, error.message_en))
        elif isinstance(error, IdCardRequired):
            # Configuration changed under us (the tile said optional): ask for the card now.
            self._request = None
            self._set(card_required=True)
            self._await_card()
        elif isinstance(error, QueueError):
            self._notice(Notice(NoticeKind.ERROR, error.message_zh, error.message_en))
        else:
            log.error("issuing a ticket failed", exc_info=error)
            self._notice(
                Notice(
                    NoticeKind.ERROR,
                    "取号失败，请到服务台咨询",
                    "Could not issue a number; please ask at the service desk",
                )
            )
        # A refusal still refreshes the tiles: the reason (closed, full) is usually news.
        self._next_refresh = 0.0

    def _per_id_limit(self, prefix: str | None) -> int:
        conf = self._service_settings(prefix)
        return conf.per_id_daily_limit if conf is not None else 0

    def _ticket_seconds(self) -> float:
        seconds = float(self.kiosk.ticket_show_seconds)
        if self.state.print_state is PrintState.TROUBLE:
            # No paper: the visitor needs time to photograph the number.
            seconds = max(seconds * 2, float(self.kiosk.idle_seconds), 30.0)
        return seconds

    # ------------------------------------------------------------------ printing

    def ticket_printed(self, number: str) -> None:
        self._printed_numbers.append(number)
        ticket = self.state.ticket
        if self.state.screen is Screen.TICKET and ticket is not None and ticket.number == number:
            self._set(print_state=PrintState.PRINTED)

    def printer_state(
        self, state: PrinterState, message: str = "", pending: int | None = None
    ) -> None:
        """The print queue's view of the printer changed (or a send failed with ``state``)."""
        before = self.state.printer_state
        trouble = state in _TROUBLE_STATES
        changes: dict[str, object] = {"printer_state": state, "printer_message": message}
        if pending is not None:
            changes["pending_jobs"] = pending
        if state is not before:
            if trouble:
                log.warning("printer trouble: %s %s", state.value, message)
                self._ports.report_printer(state, message, True)
            elif before in _TROUBLE_STATES:
                log.info("printer back: %s", state.value)
                self._ports.report_printer(state, message, False)
        ticket = self.state.ticket
        if self.state.screen is Screen.TICKET and ticket is not None:
            if (
                trouble
                and ticket.number not in self._printed_numbers
                and self.state.print_state is not PrintState.TROUBLE
            ):
                changes["print_state"] = PrintState.TROUBLE
                self._set(**changes)
                self._deadline = max(self._deadline or 0.0, self._now() + self._ticket_seconds())
                self._update_countdown()
                self._ports.show_state(self.state)
                self._speak(Prompt.PRINTER_TROUBLE)
                return
            if not trouble and self.state.print_state is PrintState.TROUBLE:
                changes["print_state"] = PrintState.PRINTING
        self._set(**changes)

    def pending_changed(self, pending: int) -> None:
        if pending != self.state.pending_jobs:
            self._set(pending_jobs=pending)

    def tap_reprint(self) -> None:
        """重新打印 on the ticket screen: the job is still queued, so just try it now."""
        self.touch()
        self._ports.retry_print()

    # ------------------------------------------------------------------ admin

    def admin_request(self) -> None:
        """The hidden admin gesture: ask for the PIN."""
        if self.state.screen in (Screen.ISSUING, Screen.ADMIN, Screen.ADMIN_PIN):
            return
        self._pin_purpose = Screen.ADMIN
        self._deadline = self._idle_deadline()
        self._set(screen=Screen.ADMIN_PIN, pin_error=False)

    def admin_pin(self, pin: str) -> bool:
        if self.state.screen is not Screen.ADMIN_PIN or not self._check_pin(pin):
            return False
        log.info("admin signed in on the kiosk")
        self._deadline = self._idle_deadline()
        self._set(screen=Screen.ADMIN, pin_error=False)
        return True

    def _check_pin(self, pin: str) -> bool:
        if self._pin_locked_until:
            self._set(pin_error=True, pin_locked=True)
            return False
        if pin == self.kiosk.admin_pin:
            self._pin_failures = 0
            return True
        self._pin_failures += 1
        log.warning("wrong kiosk PIN (%d in a row)", self._pin_failures)
        locked = self._pin_failures >= self.kiosk.pin_attempts
        if locked:
            self._pin_locked_until = self._now() + _PIN_LOCK_SECONDS
        self.touch()
        self._set(pin_error=True, pin_locked=locked)
        return False

    def admin_exit(self) -> None:
        if self.state.screen is Screen.ADMIN:
            log.info("admin closed the kiosk")
            self._ports.exit_app()

    def admin_reprint(self, number: str) -> None:
        if self.state.screen is not Screen.ADMIN:
            return
        for ticket in self._recent:
            if ticket.number == number:
                log.info("admin reprint of %s", number)
                self._ports.print_ticket(ticket)
                self.touch()
                return

    def admin_retry_printer(self) -> None:
        if self.state.screen is Screen.ADMIN:
            self._ports.retry_print()
            self.touch()

    def admin_update(self, **changes: object) -> None:
        """Change kiosk settings for this run (idle_seconds, ticket_show_seconds, language …)."""
        if self.state.screen is not Screen.ADMIN:
            return
        self.kiosk = self.kiosk.model_validate({**self.kiosk.model_dump(), **changes})
        log.info("kiosk settings changed by admin: %s", sorted(changes))
        self.touch()
        self._ports.show_state(self.state)
