"""预约签到 on the kiosk as a plain state machine (no Qt), in the style of
:mod:`kiosk.selfservice`.

Reached from home (``KioskFlow.enter_self_service(Screen.CHECKIN)``) and left back to home,
forgetting the visitor. The widgets render :class:`CheckinState` snapshots and forward taps;
reads and the check-in go out through :class:`CheckinPorts` and come back as
:meth:`CheckinFlow.found` / :meth:`CheckinFlow.checked_in` / :meth:`CheckinFlow.failed`; time
is an injected monotonic clock checked in :meth:`CheckinFlow.tick`.

Rules worth knowing:

* The ID card finds the holder's appointments of today (their keyed hash; the full number
  stays in the pending request and the flow's private holder, never in the state).
* One appointment is shown: the one open for check-in now, else the next one still to come,
  else one checked in already, else one that is over (a citizen with two bookings on one day
  is rare, and each check-in is its own visit to the kiosk).
* Too early says when to come back (您的预约时段是 10:00–10:30，请 09:30 后再来签到), too late
  sends them to an ordinary number, a second check-in shows the number issued the first time.
  The rule is the hall's (``[queue] checkin_early_minutes``, ``appointment_late_minutes``) and
  is checked again by the database in the check-in's own transaction.
* The ticket leaves through the kiosk's own ticket screen and printer (``ticket_issued``).
* Lifting the card clears the appointment at once (a check-in already sent still gives its
  ticket); idle time returns to home and forgets everything.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from common.config import Settings
from common.db.engine import DatabaseUnavailable
from common.queue.errors import QueueError
from common.queue.service import Holder, TicketView
from common.selfservice.checkin import (
    AppointmentState,
    CheckinRefused,
    HolderAppointments,
    NoAppointment,
    TodayAppointment,
)
from kiosk.countdown import CountdownFlow

__all__ = [
    "CheckinFlow",
    "CheckinMessage",
    "CheckinPorts",
    "CheckinPrompt",
    "CheckinRequest",
    "CheckinScreen",
    "CheckinState",
    "pick_appointment",
]

log = logging.getLogger(__name__)

_ANSWER_TIMEOUT_SECONDS = 20.0
_MESSAGE_MIN_SECONDS = 20  # long enough to read twice (适老化)


class CheckinScreen(enum.StrEnum):
    FIND = "find"  # place the ID card
    SEARCHING = "searching"  # finding the appointment, or checking in
    APPOINTMENT = "appointment"  # the appointment: check in, or why not


class CheckinMessage(enum.StrEnum):
    NONE = "none"
    NO_APPOINTMENT = "no_appointment"
    CARD_EXPIRED = "card_expired"
    REFUSED = "refused"  # the queue refused the ticket (service closed, full …): see ``refusal``
    DATABASE = "database"
    ERROR = "error"


class CheckinPrompt(enum.StrEnum):
    FIND = "find"
    APPOINTMENT = "appointment"
    MESSAGE = "message"


@dataclass(frozen=True)
class CheckinRequest:
    """One question to the hall database; the card's data is kept out of ``repr`` (logs)."""

    request_id: int
    checking_in: bool  # False: find the appointments; True: check ``appointment_id`` in
    id_number: str = field(default="", repr=False)
    name: str = field(default="", repr=False)
    appointment_id: int = 0


@dataclass(frozen=True)
class CheckinState:
    """Everything a check-in page needs; masked data only."""

    screen: CheckinScreen = CheckinScreen.FIND
    active: bool = False
    holder_masked: str = ""
    appointment: TodayAppointment | None = None
    status: AppointmentState | None = None  # of ``appointment``, when it was read
    checking_in: bool = False  # SEARCHING: the check-in itself (else the look-up)
    message: CheckinMessage = CheckinMessage.NONE
    refusal: tuple[str, str] = ("", "")  # the queue's own words (zh, en) for REFUSED
    seconds_left: int = 0


class CheckinPorts(Protocol):
    """What the check-in flow asks of the outside world; the Qt page implements it."""

    def show_checkin(self, state: CheckinState) -> None:
        """Draw ``state``."""

    def find_appointments(self, request: CheckinRequest) -> None:
        """Read the holder's appointments; answer ``found`` or ``failed``."""

    def check_in(self, request: CheckinRequest) -> None:
        """Check the appointment in; answer ``checked_in`` or ``failed``."""

    def speak_checkin(self, prompt: CheckinPrompt, state: CheckinState) -> None:
        """Say ``prompt`` (only called when voice is on)."""

    def ticket_issued(self, ticket: TicketView) -> None:
        """Show and print the 预约 ticket through the kiosk's own ticket path."""

    def leave_checkin(self) -> None:
        """Back to the kiosk's home, forgetting the visitor."""


_ORDER = (
    AppointmentState.OPEN,
    AppointmentState.EARLY,
    AppointmentState.CHECKED_IN,
    AppointmentState.LATE,
)


def pick_appointment(today: HolderAppointments) -> tuple[TodayAppointment, AppointmentState]:
    """The appointment to show: open now, else still to come, else checked in, else over."""
    ranked = sorted(
        today.appointments,
        key=lambda a: (_ORDER.index(today.state(a)), a.starts),
    )
    first = ranked[0]
    return first, today.state(first)


class CheckinFlow(CountdownFlow[CheckinState]):
    """The check-in pages' behaviour, one method per input. Call it on one thread."""

    def __init__(
        self,
        settings: Settings,
        ports: CheckinPorts,
        *,
        clock: Callable[[], float] = time.monotonic,
        voice_on: Callable[[], bool] = lambda: False,
    ) -> None:
        self.settings = settings
        self._ports = ports
        self._clock = clock
        self._voice_on = voice_on
        self.state = CheckinState()
        self._holder: Holder | None = None  # the card on the reader; never in the state
        self._deadline: float | None = None
        self._seq = 0
        self._request: CheckinRequest | None = None
        self._request_at = 0.0

    # ------------------------------------------------------------------ helpers

    def _show(self) -> None:
        self._ports.show_checkin(self.state)

    @property
    def _idle_seconds(self) -> float:
        return self.settings.kiosk.idle_seconds

    def _speak(self, prompt: CheckinPrompt) -> None:
        if self._voice_on():
            self._ports.speak_checkin(prompt, self.state)

    def _forget(self, message: CheckinMessage = CheckinMessage.NONE) -> None:
        """Back to "place your card", holding nothing of the visitor."""
        self._holder = None
        self._request = None
        self._idle(_MESSAGE_MIN_SECONDS if message is not CheckinMessage.NONE else None)
        self._set(
            screen=CheckinScreen.FIND,
            holder_masked="",
            appointment=None,
            status=None,
            checking_in=False,
            message=message,
            refusal=("", ""),
        )

    # ------------------------------------------------------------------ entering and leaving

    def open(self, holder: Holder | None = None, masked_name: str = "") -> None:
        """预约签到 tapped on home; a card already read there is used at once."""
        self._holder = None
        self._request = None
        self._idle()
        self.state = CheckinState(active=True)
        self._set()
        if holder is not None:
            self._find(holder, masked_name)
        else:
            self._speak(CheckinPrompt.FIND)

    def close(self) -> None:
        """Forget everything and hand back to home."""
        was_active = self.state.active
        self._holder = None
        self._request = None
        self._deadline = None
        self.state = CheckinState()
        self._ports.show_checkin(self.state)
        if was_active:
            self._ports.leave_checkin()

    def back(self) -> None:
        """返回: from the appointment to "place your card" (the card is forgotten); from
        there, home."""
        if not self.state.active:
            return
        if self.state.screen is CheckinScreen.FIND:
            self.close()
        elif not self.state.checking_in:
            self._forget()
            self._speak(CheckinPrompt.FIND)

    def touch(self) -> None:
        self._keep_open(self._idle_seconds)

    def tick(self) -> None:
        if not self.state.active:
            return
        now = self._clock()
        if self._request is not None and now - self._request_at > _ANSWER_TIMEOUT_SECONDS:
            log.error("check-in request %d got no answer", self._request.request_id)
            self._forget(CheckinMessage.ERROR)
            return
        if self._idle_over(now):
            log.info("check-in idle on %s; back to home", self.state.screen.value)
            self.close()
            return
        self._redraw_countdown()

    # ------------------------------------------------------------------ the card

    def card_read(self, holder: Holder, masked_name: str, *, expired: bool = False) -> None:
        """A card placed while check-in is open: that holder's appointment (whoever was
        shown)."""
        if not self.state.active or self.state.checking_in:
            return
        if expired:
            log.info("expired ID card refused for check-in")
            self._forget(CheckinMessage.CARD_EXPIRED)
            self._speak(CheckinPrompt.MESSAGE)
            return
        self._find(holder, masked_name)

    def card_removed(self) -> None:
        """The card left the reader: its holder's appointment leaves the screen with it."""
        if not self.state.active or self._holder is None:
            return
        if self.state.checking_in:
            return  # the check-in is on its way; its ticket is shown when it comes back
        log.info("ID card removed; the holder's appointment is cleared")
        self._forget()

    def _find(self, holder: Holder, masked_name: str) -> None:
        self._holder = holder
        self._set(
            screen=CheckinScreen.SEARCHING,
            holder_masked=masked_name,
            appointment=None,
            status=None,
            checking_in=False,
            message=CheckinMessage.NONE,
        )
        self._send(CheckinRequest(self._next_id(), False, holder.id_number, holder.name))
        self._ports.find_appointments(self._request)  # type: ignore[arg-type]

    def _next_id(self) -> int:
        self._seq += 1
        return self._seq

    def _send(self, request: CheckinRequest) -> None:
        self._request = request
        self._request_at = self._clock()
        self._deadline = None  # the answer decides the next time-out

    # ------------------------------------------------------------------ the check-in

    @property
    def can_check_in(self) -> bool:
        s = self.state
        return (
            s.screen is CheckinScreen.APPOINTMENT
            and s.appointment is not None
            and s.status is AppointmentState.OPEN
            and self._holder is not None
        )

    def tap_check_in(self) -> None:
        """签到取号."""
        if not self.can_check_in:
            return
        holder, appointment = self._holder, self.state.appointment
        assert holder is not None and appointment is not None
        request = CheckinRequest(
            self._next_id(), True, holder.id_number, holder.name, appointment.id
        )
        self._set(screen=CheckinScreen.SEARCHING, checking_in=True, message=CheckinMessage.NONE)
        self._send(request)
        self._ports.check_in(request)

    # ------------------------------------------------------------------ answers

    def _current(self, request_id: int) -> CheckinRequest | None:
        request = self._request
        if request is None or request.request_id != request_id:
            log.info("dropping the answer to abandoned check-in request %d", request_id)
            return None
        return request

    def found(self, request_id: int, today: HolderAppointments) -> None:
        if self._current(request_id) is None:
            return
        self._request = None
        appointment, status = pick_appointment(today)
        log.info("check-in: appointment found (%s)", status.value)
        self._idle(max(self.settings.kiosk.idle_seconds, _MESSAGE_MIN_SECONDS))
        self._set(
            screen=CheckinScreen.APPOINTMENT,
            appointment=appointment,
            status=status,
            checking_in=False,
        )
        self._speak(CheckinPrompt.APPOINTMENT)

    def checked_in(self, request_id: int, ticket: TicketView) -> None:
        """The 预约 ticket exists: it goes out through the kiosk's ticket screen and printer.

        Shown even when the visitor meanwhile left: a number that exists is never hidden.
        """
        request = self._request
        if request is None or request.request_id != request_id:
            log.warning("late check-in answer %d: %s", request_id, ticket.number)
        log.info("checked in: ticket %s", ticket.number)
        self._holder = None
        self._request = None
        self._deadline = None
        self.state = CheckinState()
        self._ports.show_checkin(self.state)
        self._ports.ticket_issued(ticket)

    def failed(self, request_id: int, error: BaseException) -> None:
        request = self._current(request_id)
        if request is None:
            return
        self._request = None
        if isinstance(error, CheckinRefused):
            # Too early, too late, or checked in already (between the read and the tap).
            log.info("check-in refused: %s", error.state.value)
            self._idle(max(self.settings.kiosk.idle_seconds, _MESSAGE_MIN_SECONDS))
            self._set(
                screen=CheckinScreen.APPOINTMENT,
                appointment=error.appointment,
                status=error.state,
                checking_in=False,
            )
            self._speak(CheckinPrompt.APPOINTMENT)
            return
        if isinstance(error, NoAppointment):
            log.info("check-in: no appointment today")
            self._forget(CheckinMessage.NO_APPOINTMENT)
        elif isinstance(error, DatabaseUnavailable):
            log.warning("check-in: %s", error.detail)
            self._forget(CheckinMessage.DATABASE)
        elif isinstance(error, QueueError) and request.checking_in:
            log.info("check-in: the queue refused the ticket (%s)", type(error).__name__)
            self._forget(CheckinMessage.REFUSED)
            self.state = dataclasses.replace(self.state, refusal=_words(error))
            self._ports.show_checkin(self.state)
        else:
            log.error("check-in failed", exc_info=error)
            self._forget(CheckinMessage.ERROR)
        self._speak(CheckinPrompt.MESSAGE)


def _words(error: QueueError) -> tuple[str, str]:
    zh = getattr(error, "message_zh", "") or "暂时无法取号，请到服务台咨询"
    en = getattr(error, "message_en", "") or "No number can be issued now; please ask the desk"
    return str(zh), str(en)
