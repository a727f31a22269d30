"""The kiosk's self-service side as a plain state machine (no Qt): 办件查询 for now.

Reached from home (``KioskFlow.enter_self_service``) and left back to home, forgetting the
visitor (``KioskFlow.leave_self_service``). Like :class:`~kiosk.flow.KioskFlow`, the widgets
render :class:`SelfServiceState` snapshots and forward taps; reads go out through
:class:`SelfServicePorts` and come back as :meth:`SelfServiceFlow.found` /
:meth:`SelfServiceFlow.lookup_failed`; time is an injected monotonic clock checked in
:meth:`SelfServiceFlow.tick`.

Rules worth knowing:

* Three ways to ask: the ID card on the reader (every case of the holder), the receipt's QR
  code on the scanner (that case), or case number + the phone's last four digits on the
  keypad (that case). A wrong phone is answered exactly like an unknown number, and five such
  answers in a row lock the keypad for a minute — for this kiosk, not for the visitor, so
  waiting for the idle reset does not buy new guesses.
* The full ID number lives only in the pending :class:`LookupRequest` (hidden from ``repr``)
  and never in the state; the state holds masked progress (:class:`CaseProgress`) only.
* Lifting the card clears the holder's cases at once; idle time returns to home and forgets
  everything. A late answer to an abandoned question is dropped, never shown.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from common.config import Settings
from common.db.engine import DatabaseUnavailable
from common.intake.lookup import CaseNotFound, CaseProgress
from common.intake.qrtag import TICKET_CODE_PREFIX
from common.queue.service import Holder
from common.selfservice.rating import NotHandedOverToday, NothingToRate, RateableService
from kiosk.countdown import CountdownFlow

__all__ = [
    "KEYPAD_LOCK_SECONDS",
    "KEYPAD_TRIES",
    "LookupKind",
    "LookupRequest",
    "RatingRequest",
    "SelfMessage",
    "SelfPrompt",
    "SelfScreen",
    "SelfServiceFlow",
    "SelfServicePorts",
    "SelfServiceState",
]

log = logging.getLogger(__name__)

KEYPAD_TRIES = 5
KEYPAD_LOCK_SECONDS = 60.0
_RESULT_MIN_SECONDS = 45  # reading several cases takes a while (适老化: no too-short limits)
_LOOKUP_TIMEOUT_SECONDS = 15.0
_NUMBER_MAX = 20  # 350102-20261123-0001 is 20 characters
_PHONE_DIGITS = 4


class SelfScreen(enum.StrEnum):
    """Which self-service page is shown."""

    LOOKUP = "lookup"  # place the card, scan the receipt, or type the number
    KEYPAD = "keypad"  # case number + last four digits of the phone
    SEARCHING = "searching"
    CASES = "cases"  # the answer
    RATE_FIND = "rate_find"  # 评价: place the card or type the ticket's number
    RATE_PICK = "rate_pick"  # several finished services today: which one
    RATE = "rate"  # the five levels (and the reasons of a bad rating)
    RATE_DONE = "rate_done"  # thank you


class SelfMessage(enum.StrEnum):
    """A line said to the citizen on the current page."""

    NONE = "none"
    NOT_FOUND = "not_found"  # number + phone (or a receipt code) matched nothing
    NO_CASES = "no_cases"  # the card's holder has no case in this hall
    LOCKED = "locked"  # too many wrong tries on the keypad
    CARD_EXPIRED = "card_expired"
    DATABASE = "database"
    ERROR = "error"
    NOTHING_TO_RATE = "nothing_to_rate"  # no finished, unrated service of today
    ALREADY_RATED = "already_rated"  # another device was first (一次一评)
    REASON_NEEDED = "reason_needed"  # a bad rating without a reason
    NOT_HANDED_OVER = "not_handed_over"  # a genuine receipt, but no hand-over of today to rate


class SelfPrompt(enum.StrEnum):
    """What the speaker is asked to say (the Qt side words it in the current language)."""

    LOOKUP = "lookup"
    KEYPAD = "keypad"
    CASES = "cases"
    MESSAGE = "message"
    RATE_FIND = "rate_find"
    RATE = "rate"
    THANKS = "thanks"


class LookupKind(enum.StrEnum):
    HOLDER = "holder"
    NUMBER = "number"
    CODE = "code"
    RATEABLE_HOLDER = "rateable_holder"  # 评价: the card's finished services of today
    RATEABLE_TICKET = "rateable_ticket"  # 评价: one ticket by its number
    RATEABLE_CODE = "rateable_code"  # 评价: a scanned ticket or receipt QR code


@dataclass(frozen=True)
class LookupRequest:
    """One question to the hall database. Personal inputs are kept out of ``repr`` (logs)."""

    request_id: int
    kind: LookupKind
    today: dt.date
    id_number: str = field(default="", repr=False)
    number: str = field(default="", repr=False)
    phone_last4: str = field(default="", repr=False)
    payload: str = field(default="", repr=False)


@dataclass(frozen=True)
class SelfServiceState:
    """Everything a self-service page needs; masked data only."""

    screen: SelfScreen = SelfScreen.LOOKUP
    active: bool = False
    holder_masked: str = ""  # the card's holder (张*三), while their cases are shown
    by_card: bool = False  # the cases shown came from the card on the reader
    cases: tuple[CaseProgress, ...] = ()
    entry: str = "number"  # keypad: "number" or "phone"
    number_typed: str = ""
    phone_typed: str = ""  # shown as dots
    message: SelfMessage = SelfMessage.NONE
    tries_left: int = KEYPAD_TRIES
    today: dt.date = dt.date.min
    seconds_left: int = 0
    rating: bool = False  # the 评价 pages (else 办件查询)
    rateables: tuple[RateableService, ...] = ()
    chosen: RateableService | None = None
    level: int = 0  # 5 非常满意 … 1 非常不满意; 0 none yet
    reasons: tuple[str, ...] = ()
    ticket_typed: str = ""


class SelfServicePorts(Protocol):
    """What the self-service flow asks of the outside world; the Qt page implements it."""

    def show_self_service(self, state: SelfServiceState) -> None:
        """Draw ``state``."""

    def lookup(self, request: LookupRequest) -> None:
        """Ask the hall database; answer with ``found`` or ``lookup_failed``."""

    def speak_self(self, prompt: SelfPrompt, state: SelfServiceState) -> None:
        """Say ``prompt`` (only called when voice is on)."""

    def leave_self_service(self) -> None:
        """Back to the kiosk's home, forgetting the visitor."""

    def submit_rating(self, request: RatingRequest) -> None:
        """Store the rating; answer with ``rated`` or ``rating_failed``."""


@dataclass(frozen=True)
class RatingRequest:
    """The citizen's rating of one service (channel kiosk)."""

    request_id: int
    service: RateableService
    level: int
    reasons: tuple[str, ...] = ()


_RATEABLE_KINDS = (LookupKind.RATEABLE_HOLDER, LookupKind.RATEABLE_TICKET, LookupKind.RATEABLE_CODE)


def _is_ticket_code(payload: str) -> bool:
    """Whether ``payload`` claims to be a ticket's code (the tag is checked with the database)."""
    return payload.strip()[: len(TICKET_CODE_PREFIX)].lower() == TICKET_CODE_PREFIX


class SelfServiceFlow(CountdownFlow[SelfServiceState]):
    """The self-service pages' behaviour, one method per input. Call it on one thread."""

    def __init__(
        self,
        settings: Settings,
        ports: SelfServicePorts,
        *,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], dt.date] = dt.date.today,
        voice_on: Callable[[], bool] = lambda: False,
    ) -> None:
        self.settings = settings
        self._ports = ports
        self._clock = clock
        self._today = today
        self._voice_on = voice_on
        self.state = SelfServiceState()
        self._deadline: float | None = None
        self._seq = 0
        self._request: LookupRequest | None = None
        self._request_at = 0.0
        self._failures = 0
        self._locked_until = 0.0
        self._holder: Holder | None = None  # the card's holder, for 补打回执 (never in the state)

    # ------------------------------------------------------------------ helpers

    def _show(self) -> None:
        self._ports.show_self_service(self.state)

    @property
    def _idle_seconds(self) -> float:
        return self.settings.kiosk.idle_seconds

    def _speak(self, prompt: SelfPrompt) -> None:
        if self._voice_on():
            self._ports.speak_self(prompt, self.state)

    def _locked(self) -> bool:
        if self._locked_until and self._clock() >= self._locked_until:
            self._locked_until = 0.0
            self._failures = 0
        return bool(self._locked_until)

    # ------------------------------------------------------------------ entering and leaving

    def open_lookup(self, holder: Holder | None = None, masked_name: str = "") -> None:
        """办件查询 tapped on home; a card already read there is used at once."""
        self._request = None
        self._idle()
        self.state = SelfServiceState(
            active=True, today=self._today(), tries_left=self._tries_left()
        )
        self._set()
        if holder is not None:
            self._ask_holder(holder, masked_name)
        else:
            self._speak(SelfPrompt.LOOKUP)

    def _tries_left(self) -> int:
        return 0 if self._locked() else KEYPAD_TRIES - self._failures

    def close(self) -> None:
        """Forget everything and hand back to home."""
        was_active = self.state.active
        self._request = None
        self._holder = None
        self._deadline = None
        self.state = SelfServiceState()
        self._ports.show_self_service(self.state)
        if was_active:
            self._ports.leave_self_service()

    def done(self) -> None:
        """完成 / 返回首页."""
        self.close()

    def back(self) -> None:
        """返回: from the answer or the keypad to the start page; from the start page home."""
        if not self.state.active:
            return
        if self.state.screen in (SelfScreen.LOOKUP, SelfScreen.RATE_FIND):
            self.close()
            return
        self._request = None
        self._idle()
        if self.state.rating:
            self._set(
                screen=SelfScreen.RATE_FIND,
                rateables=(),
                chosen=None,
                level=0,
                reasons=(),
                holder_masked="",
                by_card=False,
                message=SelfMessage.NONE,
                ticket_typed="",
            )
            return
        self._set(
            screen=SelfScreen.LOOKUP,
            cases=(),
            holder_masked="",
            by_card=False,
            message=SelfMessage.NONE,
            number_typed="",
            phone_typed="",
            entry="number",
        )

    def touch(self) -> None:
        seconds = float(self._idle_seconds)
        if self.state.screen is SelfScreen.CASES:
            seconds = max(seconds, _RESULT_MIN_SECONDS)
        self._keep_open(seconds)

    def tick(self) -> None:
        if not self.state.active:
            return
        now = self._clock()
        if self._request is not None and now - self._request_at > _LOOKUP_TIMEOUT_SECONDS:
            log.error("self-service lookup %d got no answer", self._request.request_id)
            self._answer_message(SelfMessage.ERROR)
        if self._idle_over(now):
            log.info("self-service idle on %s; back to home", self.state.screen.value)
            self.close()
            return
        if self.state.message is SelfMessage.LOCKED and not self._locked():
            self._set(message=SelfMessage.NONE, tries_left=KEYPAD_TRIES)
        self._redraw_countdown()

    # ------------------------------------------------------------------ the card

    def card_read(
        self, holder: Holder, masked_name: str, *, valid_to: dt.date | None = None
    ) -> None:
        """A card placed while self-service is open: show that holder's cases (whatever was
        shown).
        """
        if not self.state.active:
            return
        if valid_to is not None and self._today() > valid_to:
            log.info("expired ID card refused for a lookup")
            self._request = None
            self._idle()
            self._set(
                screen=self._start_screen(),
                cases=(),
                holder_masked="",
                by_card=False,
                message=SelfMessage.CARD_EXPIRED,
                rateables=(),
                chosen=None,
            )
            self._speak(SelfPrompt.MESSAGE)
            return
        if self.state.rating:
            self._ask_rateable_holder(holder, masked_name)
        else:
            self._ask_holder(holder, masked_name)

    def _start_screen(self) -> SelfScreen:
        return SelfScreen.RATE_FIND if self.state.rating else SelfScreen.LOOKUP

    def card_removed(self) -> None:
        """The card left the reader: its holder's cases leave the screen with it."""
        if not self.state.active:
            return
        asking_holder = self._request is not None and self._request.kind in (
            LookupKind.HOLDER,
            LookupKind.RATEABLE_HOLDER,
        )
        if self.state.by_card or asking_holder:
            if self.state.screen is SelfScreen.RATE_DONE:
                return  # the rating is stored; the thanks stay until their time-out
            log.info("ID card removed; the holder's data is cleared")
            self._request = None
            self._holder = None
            self._idle()
            self._set(
                screen=self._start_screen(),
                cases=(),
                holder_masked="",
                by_card=False,
                message=SelfMessage.NONE,
                rateables=(),
                chosen=None,
                level=0,
                reasons=(),
            )

    @property
    def card_holder(self) -> Holder | None:
        """The holder whose card listed the cases on screen (补打回执 may print their own
        receipts); None when the cases came another way or have left the screen."""
        s = self.state
        return self._holder if s.active and s.by_card and s.screen is SelfScreen.CASES else None

    def _ask_holder(self, holder: Holder, masked_name: str) -> None:
        self._holder = holder
        # Searching first: an answer may come back inside _send (a synchronous runner).
        self._set(
            screen=SelfScreen.SEARCHING,
            holder_masked=masked_name,
            by_card=True,
            cases=(),
            message=SelfMessage.NONE,
            number_typed="",
            phone_typed="",
        )
        self._send(LookupKind.HOLDER, id_number=holder.id_number)

    # ------------------------------------------------------------------ the scanner

    def scanned(self, payload: str) -> None:
        """A code from the scanner while self-service is open (the window opens it from home).

        On the 评价 pages any code is a question of what to rate; a ticket's code anywhere
        is one too (a ticket has no case to look up), so it turns 办件查询 into 评价."""
        if not self.state.active:
            return
        if self.state.rating or _is_ticket_code(payload):
            self._scanned_for_rating(payload)
            return
        self._set(
            screen=SelfScreen.SEARCHING,
            holder_masked="",
            by_card=False,
            cases=(),
            message=SelfMessage.NONE,
        )
        self._send(LookupKind.CODE, payload=payload)

    # ------------------------------------------------------------------ the keypad

    def open_keypad(self) -> None:
        if not self.state.active:
            return
        self._request = None
        self._idle()
        locked = self._locked()
        self._set(
            screen=SelfScreen.KEYPAD,
            entry="number",
            number_typed="",
            phone_typed="",
            cases=(),
            holder_masked="",
            by_card=False,
            message=SelfMessage.LOCKED if locked else SelfMessage.NONE,
            tries_left=self._tries_left(),
        )
        self._speak(SelfPrompt.KEYPAD)

    def choose_field(self, name: str) -> None:
        if self.state.screen is SelfScreen.KEYPAD and name in ("number", "phone"):
            self.touch()
            self._set(entry=name)

    def key(self, char: str) -> None:
        """A keypad key: a digit, or "-" in the case number."""
        if self.state.screen is not SelfScreen.KEYPAD or len(char) != 1:
            return
        self.touch()
        if self.state.entry == "number":
            if (char.isdigit() or char == "-") and len(self.state.number_typed) < _NUMBER_MAX:
                self._set(number_typed=self.state.number_typed + char, message=self._keep_lock())
        elif char.isdigit() and len(self.state.phone_typed) < _PHONE_DIGITS:
            self._set(phone_typed=self.state.phone_typed + char, message=self._keep_lock())

    def _keep_lock(self) -> SelfMessage:
        return SelfMessage.LOCKED if self._locked() else SelfMessage.NONE

    def backspace(self) -> None:
        if self.state.screen is not SelfScreen.KEYPAD:
            return
        self.touch()
        if self.state.entry == "number":
            self._set(number_typed=self.state.number_typed[:-1])
        else:
            self._set(phone_typed=self.state.phone_typed[:-1])

    @property
    def can_submit(self) -> bool:
        s = self.state
        return (
            s.screen is SelfScreen.KEYPAD
            and len(s.phone_typed) == _PHONE_DIGITS
            and sum(ch.isdigit() for ch in s.number_typed) >= 12
            and not self._locked()
        )

    def submit(self) -> None:
        """查询 on the keypad."""
        if self.state.screen is not SelfScreen.KEYPAD:
            return
        if self._locked():
            self._set(message=SelfMessage.LOCKED, tries_left=0)
            return
        if not self.can_submit:
            return
        number, phone = self.state.number_typed, self.state.phone_typed
        self._set(screen=SelfScreen.SEARCHING, message=SelfMessage.NONE)
        self._send(LookupKind.NUMBER, number=number, phone_last4=phone)

    # ------------------------------------------------------------------ answers

    def _send(self, kind: LookupKind, **inputs: str) -> None:
        self._seq += 1
        self._request = LookupRequest(self._seq, kind, self._today(), **inputs)
        self._request_at = self._clock()
        self._deadline = None  # the answer decides the next time-out
        self._ports.lookup(self._request)

    def found(self, request_id: int, cases: tuple[CaseProgress, ...] | list[CaseProgress]) -> None:
        request = self._request
        if request is None or request.request_id != request_id:
            log.info("dropping the answer to abandoned lookup %d", request_id)
            return
        self._request = None
        if request.kind in _RATEABLE_KINDS:
            self._rateables_found(tuple(cases))  # type: ignore[arg-type]
            return
        log.info("self-service lookup by %s: %d case(s)", request.kind.value, len(cases))
        if request.kind is LookupKind.NUMBER:
            self._failures = 0
        if not cases:
            self._idle()
            self._set(
                screen=SelfScreen.LOOKUP,
                cases=(),
                message=SelfMessage.NO_CASES,
                by_card=False,
                holder_masked="",
            )
            self._speak(SelfPrompt.MESSAGE)
            return
        self._idle(max(self.settings.kiosk.idle_seconds, _RESULT_MIN_SECONDS))
        self._set(
            screen=SelfScreen.CASES,
            cases=tuple(cases),
            message=SelfMessage.NONE,
            number_typed="",
            phone_typed="",
            today=request.today,
        )
        self._speak(SelfPrompt.CASES)

    def lookup_failed(self, request_id: int, error: BaseException) -> None:
        request = self._request
        if request is None or request.request_id != request_id:
            return
        if isinstance(error, NotHandedOverToday):
            self._answer_message(SelfMessage.NOT_HANDED_OVER)
            return
        if isinstance(error, NothingToRate):
            self._answer_message(SelfMessage.NOTHING_TO_RATE)
            return
        if isinstance(error, CaseNotFound):
            log.info("self-service lookup by %s: nothing matched", request.kind.value)
            if request.kind is LookupKind.NUMBER:
                self._failures += 1
                if self._failures >= KEYPAD_TRIES:
                    log.warning(
                        "keypad lookups locked for %.0f s after %d misses",
                        KEYPAD_LOCK_SECONDS,
                        self._failures,
                    )
                    self._locked_until = self._clock() + KEYPAD_LOCK_SECONDS
            self._answer_message(SelfMessage.LOCKED if self._locked() else SelfMessage.NOT_FOUND)
            return
        if isinstance(error, DatabaseUnavailable):
            log.warning("self-service lookup: %s", error.detail)
            self._answer_message(SelfMessage.DATABASE)
            return
        log.error("self-service lookup failed", exc_info=error)
        self._answer_message(SelfMessage.ERROR)

    def _answer_message(self, message: SelfMessage) -> None:
        request = self._request
        self._request = None
        self._idle()
        keypad = request is not None and request.kind is LookupKind.NUMBER
        if keypad:
            # The number stays for correcting a typo; the phone digits are typed again.
            self._set(
                screen=SelfScreen.KEYPAD,
                message=message,
                phone_typed="",
                entry="phone",
                tries_left=self._tries_left(),
            )
        else:
            self._set(
                screen=self._start_screen(),
                message=message,
                cases=(),
                by_card=False,
                holder_masked="",
                rateables=(),
                chosen=None,
                ticket_typed="",
            )
        self._speak(SelfPrompt.MESSAGE)

    # ------------------------------------------------------------------ 评价

    def open_rating(self, holder: Holder | None = None, masked_name: str = "") -> None:
        """评价 tapped on home; a card already read there is used at once."""
        self._request = None
        self._idle()
        self.state = SelfServiceState(
            active=True, rating=True, screen=SelfScreen.RATE_FIND, today=self._today()
        )
        self._set()
        if holder is not None:
            self._ask_rateable_holder(holder, masked_name)
        else:
            self._speak(SelfPrompt.RATE_FIND)

    def _ask_rateable_holder(self, holder: Holder, masked_name: str) -> None:
        self._set(
            screen=SelfScreen.SEARCHING,
            holder_masked=masked_name,
            by_card=True,
            rateables=(),
            chosen=None,
            message=SelfMessage.NONE,
            ticket_typed="",
            level=0,
            reasons=(),
        )
        self._send(LookupKind.RATEABLE_HOLDER, id_number=holder.id_number)

    def ticket_key(self, char: str) -> None:
        """A key of the ticket-number pad: a service letter or a digit."""
        if self.state.screen is not SelfScreen.RATE_FIND or len(char) != 1 or not char.isalnum():
            return
        self.touch()
        if len(self.state.ticket_typed) < 5:
            self._set(ticket_typed=self.state.ticket_typed + char.upper(), message=SelfMessage.NONE)

    def ticket_backspace(self) -> None:
        if self.state.screen is SelfScreen.RATE_FIND:
            self.touch()
            self._set(ticket_typed=self.state.ticket_typed[:-1])

    @property
    def can_submit_ticket(self) -> bool:
        typed = self.state.ticket_typed
        return (
            self.state.screen is SelfScreen.RATE_FIND
            and len(typed) >= 2
            and typed[0].isalpha()
            and typed[1:].isdigit()
        )

    def submit_ticket(self) -> None:
        if not self.can_submit_ticket:
            return
        number = self.state.ticket_typed
        self._set(
            screen=SelfScreen.SEARCHING, message=SelfMessage.NONE, by_card=False, holder_masked=""
        )
        self._send(LookupKind.RATEABLE_TICKET, number=number)

    def _scanned_for_rating(self, payload: str) -> None:
        if self.state.rating and self.state.screen is SelfScreen.SEARCHING:
            return  # a rating being stored (or a question asked) is not thrown away by a scan
        if not self.state.rating:
            self.state = SelfServiceState(active=True, rating=True, today=self._today())
        self._set(
            screen=SelfScreen.SEARCHING,
            holder_masked="",
            by_card=False,
            rateables=(),
            chosen=None,
            level=0,
            reasons=(),
            message=SelfMessage.NONE,
            ticket_typed="",
        )
        self._send(LookupKind.RATEABLE_CODE, payload=payload)

    def _rateables_found(self, services: tuple[RateableService, ...]) -> None:
        log.info("self-service rating: %d service(s) to rate", len(services))
        if not services:
            self._answer_message(SelfMessage.NOTHING_TO_RATE)
            return
        self._idle()
        if len(services) == 1:
            self._set(
                screen=SelfScreen.RATE,
                rateables=services,
                chosen=services[0],
                level=0,
                reasons=(),
                ticket_typed="",
            )
            self._speak(SelfPrompt.RATE)
        else:
            self._set(screen=SelfScreen.RATE_PICK, rateables=services, chosen=None, ticket_typed="")
            self._speak(SelfPrompt.RATE)

    def choose_service(self, ticket_id: int) -> None:
        if self.state.screen is not SelfScreen.RATE_PICK:
            return
        chosen = next((s for s in self.state.rateables if s.ticket_id == ticket_id), None)
        if chosen is not None:
            self.touch()
            self._set(
                screen=SelfScreen.RATE, chosen=chosen, level=0, reasons=(), message=SelfMessage.NONE
            )

    def choose_level(self, level: int) -> None:
        if self.state.screen is not SelfScreen.RATE or level not in range(1, 6):
            return
        self.touch()
        self._set(
            level=level, reasons=self.state.reasons if level <= 2 else (), message=SelfMessage.NONE
        )

    def toggle_reason(self, key: str) -> None:
        if self.state.screen is not SelfScreen.RATE or not 1 <= self.state.level <= 2:
            return
        self.touch()
        reasons = self.state.reasons
        reasons = tuple(r for r in reasons if r != key) if key in reasons else (*reasons, key)
        self._set(reasons=reasons, message=SelfMessage.NONE)

    def submit_rating(self) -> None:
        s = self.state
        if s.screen is not SelfScreen.RATE or s.chosen is None or not s.level:
            return
        if s.level <= 2 and not s.reasons:
            self._set(message=SelfMessage.REASON_NEEDED)
            self._speak(SelfPrompt.MESSAGE)
            return
        self._seq += 1
        request = RatingRequest(self._seq, s.chosen, s.level, s.reasons)
        self._request = LookupRequest(self._seq, LookupKind.RATEABLE_TICKET, self._today())
        self._request_at = self._clock()
        self._deadline = None
        self._set(screen=SelfScreen.SEARCHING, message=SelfMessage.NONE)
        self._ports.submit_rating(request)

    def rated(self, request_id: int) -> None:
        if self._request is None or self._request.request_id != request_id:
            return
        self._request = None
        log.info("self-service rating stored")
        self._idle(min(self.settings.kiosk.idle_seconds, 20))
        self._set(screen=SelfScreen.RATE_DONE, message=SelfMessage.NONE)
        self._speak(SelfPrompt.THANKS)

    def rating_failed(self, request_id: int, error: BaseException) -> None:
        from common.intake.rating import AlreadyRated, InvalidRating

        if self._request is None or self._request.request_id != request_id:
            return
        if isinstance(error, AlreadyRated):
            log.info("self-service rating refused: rated already")
            self._answer_message(SelfMessage.ALREADY_RATED)
        elif isinstance(error, InvalidRating):
            self._request = None
            self._idle()
            self._set(screen=SelfScreen.RATE, message=SelfMessage.REASON_NEEDED)
        elif isinstance(error, DatabaseUnavailable):
            self._answer_message(SelfMessage.DATABASE)
        else:
            log.error("self-service rating failed", exc_info=error)
            self._answer_message(SelfMessage.ERROR)
