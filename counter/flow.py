"""The counter's behaviour as a plain state machine (no Qt): one window, one logged-in clerk.

:class:`CounterFlow` owns what the call panel shows — the window's status and current ticket,
the action in flight, the legal actions, the last outcome and (next issue) the case draft — and
decides what a key press or a button does. The panel renders :class:`CounterState` snapshots
and forwards presses (STYLE.md habit 2). The outside world is reached through small ports, each
with a fake in the tests:

* :class:`DeskQueue` — the queue service's public desk API (``QueueService`` fits it);
* :class:`Runner` — where the database work runs (``common.qt.worker.TaskRunner``; the tests
  run it inline or hold jobs back to see what happens while one is in flight);
* :class:`CounterView` — draws a state and asks the clerk (confirm, transfer target, reason);
* :class:`ReceiptPrinter` — the counter's receipts (acceptance receipts arrive with the case
  half; nothing prints yet);
* two clocks: a monotonic one for "how long ago" and the wall clock for tickets called before
  this counter saw them.

Rules worth knowing (the hall trial, issue 15: four stray F1s 60 ms apart called and finished
two citizens in 140 ms):

* **One action at a time, in the flow.** While an action runs, every other press is ignored
  here, not only by a disabled button: key presses queue up while the GUI thread is busy and
  arrive after the button state they were pressed against.
* **Call-next guard.** ``call_next`` finishes the current ticket first. If that ticket was
  called less than ``[counter] call_next_guard_seconds`` ago, the clerk is asked (the view's
  dialog defaults to No) and nothing happens without a Yes — so the hall display never
  announces a call nobody served. "Called" is timed on this PC's monotonic clock when this
  counter made the call (no dependence on the database server's clock); for a ticket first
  seen in a refresh, from its ``called_at``.
* The result of an action updates the current ticket at once; the refresh that follows only
  brings the waiting counts up to date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from common.config import Settings
from common.db.engine import DatabaseUnavailable
from common.queue.errors import QueueError
from common.queue.no_show import Words, skip_outcome
from common.queue.service import ServiceStatus, TicketView, WindowStatus
from counter.db_health import DatabaseHealth
from counter.session import Action, CounterSession, legal_actions

__all__ = [
    "CounterFlow",
    "CounterState",
    "CounterView",
    "DeskQueue",
    "Outcome",
    "OutcomeKind",
    "ReceiptPrinter",
    "Runner",
]

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------- ports


class DeskQueue(Protocol):
    """What the counter asks of the queue (the public API of ``QueueService``)."""

    def window_status(self, window: int) -> WindowStatus: ...

    def service_statuses(self) -> list[ServiceStatus]: ...

    def call_next(self, window: int, *, actor: str = "") -> TicketView | None: ...

    def recall(self, window: int, *, actor: str = "") -> TicketView: ...

    def skip(self, window: int, *, actor: str = "") -> TicketView: ...

    def transfer(self, window: int, to_prefix: str, *, actor: str = "") -> TicketView: ...

    def finish(self, window: int, *, actor: str = "") -> TicketView: ...

    def pause(self, window: int, reason: str, *, actor: str = "") -> None: ...

    def resume(self, window: int, *, actor: str = "") -> None: ...

    def warm_up(self, window: int | None = None) -> None:
        """Compile, cache and read ahead so the first call after login is fast; writes nothing."""
        ...


class Runner(Protocol):
    """Runs database work off the GUI thread; answers on the GUI thread (TaskRunner)."""

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None: ...


class CounterView(Protocol):
    """The screen: draws states and asks the clerk. Questions answer synchronously."""

    def show_state(self, state: CounterState) -> None: ...

    def confirm_call_next(self, current: TicketView, seconds_ago: int) -> bool:
        """Finish ``current`` (called ``seconds_ago``) and call the next? Must default to No."""
        ...

    def transfer_target(self, number: str, services: Sequence[tuple[str, str]]) -> str | None: ...

    def pause_reason(self) -> str | None: ...


class ReceiptPrinter(Protocol):
    """The counter's receipt printer (受理回执, next issue): queue a document, never block."""

    def print_receipt(self, document: object) -> None: ...


# ----------------------------------------------------------------------------- state


class OutcomeKind(enum.StrEnum):
    """How the last action or load ended."""

    DONE = "done"
    REFUSED = "refused"  # the queue said no (QueueError): its own words
    DB_DOWN = "db_down"  # the hall database could not be reached; nothing changed
    FAILED = "failed"  # a bug; logged
    LOAD_DB_DOWN = "load_db_down"  # a refresh could not reach the database; retrying
    LOAD_FAILED = "load_failed"


@dataclass(frozen=True)
class Outcome:
    """What the panel's message line says about the last action; the panel words it."""

    kind: OutcomeKind
    action: Action | None = None
    ticket: TicketView | None = None
    words: Words | None = None  # already worded in both languages (queue refusals, 过号)
    detail: str = ""

    @property
    def is_error(self) -> bool:
        return self.kind is not OutcomeKind.DONE


@dataclass(frozen=True)
class CounterState:
    """Everything the call panel draws. ``busy`` is the action in flight, if any."""

    status: WindowStatus | None = None
    statuses: tuple[ServiceStatus, ...] = ()
    busy: Action | None = None
    asking: bool = False  # a question to the clerk is open
    legal: frozenset[Action] = frozenset()
    outcome: Outcome | None = None
    db_reachable: bool = True
    db_detail: str = ""
    # The case being taken in for the current ticket (受理草稿): arrives with the intake issue.
    case_draft: object | None = None

    @property
    def current(self) -> TicketView | None:
        return self.status.current if self.status is not None else None

    @property
    def waiting(self) -> int:
        """Tickets waiting for this window's services."""
        if self.status is None:
            return 0
        mine = set(self.status.services)
        return sum(s.waiting for s in self.statuses if s.prefix in mine)


# ----------------------------------------------------------------------------- the flow


class CounterFlow:
    """The counter's behaviour, one method per input. Not thread-safe: call it on one thread."""

    def __init__(
        self,
        queue: DeskQueue,
        session: CounterSession,
        runner: Runner,
        view: CounterView,
        *,
        settings: Settings,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        printer: ReceiptPrinter | None = None,
    ) -> None:
        self.queue = queue
        self.session = session
        self.settings = settings
        self.guard_seconds = float(settings.counter.call_next_guard_seconds)
        self.printer = printer
        self._runner = runner
        self._view = view
        self._clock = clock
        self._now = now
        self.health = DatabaseHealth()
        self.state = CounterState()
        self._current_id: int | None = None
        self._current_since = 0.0  # monotonic time the current ticket was called
        self._loading = False
        self._reload = False  # a refresh was asked for while one ran
        self._closed = False
        self._pause_reason = ""
        self.english = False  # service names in transfer choices

    # ------------------------------------------------------------------ helpers

    def _set(self, **changes: Any) -> None:
        state = dataclasses.replace(self.state, **changes)
        legal = self._legal(state)
        if legal != state.legal:
            state = dataclasses.replace(state, legal=legal)
        self.state = state
        self._view.show_state(state)

    def _legal(self, state: CounterState) -> frozenset[Action]:
        current = state.current.prefix if state.current is not None else None
        targets = sum(1 for s in state.statuses if s.prefix != current)
        return legal_actions(
            state.status,
            busy=state.busy is not None or state.asking,
            waiting=state.waiting,
            transfer_targets=targets,
        )

    def _track_current(self, status: WindowStatus, *, called_now: bool = False) -> None:
        ticket = status.current
        if ticket is None:
            self._current_id = None
            return
        if called_now:
            self._current_id, self._current_since = ticket.id, self._clock()
        elif ticket.id != self._current_id:
            # First seen in a refresh (called by this clerk before a re-login, or elsewhere):
            # its age from the ticket's own call time.
            age = 0.0
            if ticket.called_at is not None:
                age = max(0.0, (self._now() - ticket.called_at).total_seconds())
            self._current_id, self._current_since = ticket.id, self._clock() - age

    def seconds_since_called(self) -> float | None:
        """How long ago the current ticket was called (None: no current ticket)."""
        if self.state.current is None:
            return None
        return max(0.0, self._clock() - self._current_since)

    def close(self) -> None:
        """The panel is going away (logout): answers still on their way are dropped."""
        self._closed = True

    # ------------------------------------------------------------------ database health

    def note_database(self, *, ok: bool, write: bool, detail: str = "") -> None:
        """Record how a database call went (refresh, actions, the event bridge, the heartbeat)."""
        was = (self.health.reachable, self.health.detail)
        if ok and write:
            self.health.write_ok()
        elif ok:
            self.health.read_ok()
        elif write:
            self.health.write_failed(detail)
        else:
            self.health.read_failed(detail)
        now = (self.health.reachable, self.health.detail)
        if now != was:
            if now[0]:
                log.info("hall database reachable again")
            else:
                log.warning(
                    "hall database unavailable (%s): %s", "write" if write else "read", detail
                )
        self._set(db_reachable=now[0], db_detail=now[1])

    # ------------------------------------------------------------------ loading

    def start(self) -> None:
        """At login: load the window, then warm the queue up for this window on the runner.

        The first call_next in a fresh process cost ~450 ms (statement compilation, mapper
        set-up, a cold pool and cold pages); warmed here, it is paid while the clerk looks at
        the screen, not by the first citizen. The runner keeps order, so a press right after
        login simply waits for the warm-up; a warm-up failure is only logged (the refresh
        reports the database).
        """
        self.refresh()
        window, queue = self.session.window, self.queue

        def failed(exc: BaseException) -> None:
            log.warning("queue warm-up for window %s failed: %s", window, exc)

        self._runner.submit(lambda: queue.warm_up(window), None, failed)

    def refresh(self) -> None:
        """Reload the window's state and the waiting counts (on the runner)."""
        if self._closed:
            return
        if self._loading:
            self._reload = True  # one more round when this one lands: nothing is missed
            return
        self._loading = True
        window, queue = self.session.window, self.queue

        def load() -> tuple[WindowStatus, list[ServiceStatus]]:
            return queue.window_status(window), queue.service_statuses()

        self._runner.submit(load, self._loaded, self._load_failed)

    def _loaded(self, result: tuple[WindowStatus, list[ServiceStatus]]) -> None:
        if self._closed:
            return
        self._loading = False
        status, statuses = result
        if self.state.busy is not None:
            # An action is in flight: its own answer sets the ticket; keep only the counts.
            self._set(statuses=tuple(statuses))
        else:
            self._track_current(status)
            outcome = self.state.outcome
            if outcome is not None and outcome.kind in (
                OutcomeKind.LOAD_DB_DOWN,
                OutcomeKind.LOAD_FAILED,
            ):
                outcome = None
            self._set(status=status, statuses=tuple(statuses), outcome=outcome)
        self.note_database(ok=True, write=False)
        if self._reload:
            self._reload = False
            self.refresh()

    def _load_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self._loading = False
        self._reload = False
        if isinstance(exc, DatabaseUnavailable):
            self.note_database(ok=False, write=False, detail=exc.detail)
            self._set(outcome=Outcome(OutcomeKind.LOAD_DB_DOWN, detail=exc.detail))
        else:
            log.error("loading window %s failed", self.session.window, exc_info=exc)
            self._set(outcome=Outcome(OutcomeKind.LOAD_FAILED, detail=str(exc)))

    # ------------------------------------------------------------------ presses

    def press(self, action: Action) -> None:
        """A button or its F-key: the one entry for every action."""
        handlers: dict[Action, Callable[[], None]] = {
            Action.CALL_NEXT: self.call_next,
            Action.RECALL: self.recall,
            Action.SKIP: self.skip,
            Action.TRANSFER: self.transfer,
            Action.FINISH: self.finish,
            Action.PAUSE: self.pause,
            Action.RESUME: self.resume,
        }
        handlers[action]()

    def _may(self, action: Action) -> bool:
        # Busy and asking are part of the legal set: a press queued behind a running action,
        # or arriving while a question is open, is dropped here.
        return not self._closed and action in self.state.legal

    def _ask(self, question: Callable[[], Any]) -> Any:
        self._set(asking=True)
        try:
            return question()
        finally:
            if not self._closed:
                self._set(asking=False)

    def call_next(self) -> None:
        if not self._may(Action.CALL_NEXT):
            return
        current = self.state.current
        ago = self.seconds_since_called()
        if (
            current is not None
            and ago is not None
            and self.guard_seconds > 0
            and ago < self.guard_seconds
        ):
            if not self._ask(lambda: self._view.confirm_call_next(current, int(ago))):
                log.info(
                    "call next at window %s not confirmed (%s called %.0f s ago)",
                    self.session.window,
                    current.number,
                    ago,
                )
                return
        # Checked again inside: the state may have changed while the question was open.
        self._desk(Action.CALL_NEXT, lambda q, w, a: q.call_next(w, actor=a))

    def recall(self) -> None:
        self._desk(Action.RECALL, lambda q, w, a: q.recall(w, actor=a))

    def skip(self) -> None:
        self._desk(Action.SKIP, lambda q, w, a: q.skip(w, actor=a))

    def finish(self) -> None:
        self._desk(Action.FINISH, lambda q, w, a: q.finish(w, actor=a))

    def resume(self) -> None:
        self._desk(Action.RESUME, lambda q, w, a: q.resume(w, actor=a))

    def transfer(self) -> None:
        current = self.state.current
        if not self._may(Action.TRANSFER) or current is None:
            return
        options = [
            (s.prefix, s.name_en if self.english and s.name_en else s.name)
            for s in self.state.statuses
            if s.prefix != current.prefix
        ]
        target = self._ask(lambda: self._view.transfer_target(current.number, options))
        if target:
            self._desk(Action.TRANSFER, lambda q, w, a: q.transfer(w, target, actor=a))

    def pause(self) -> None:
        if not self._may(Action.PAUSE):
            return
        reason = self._ask(self._view.pause_reason)
        if reason and reason.strip():
            self._pause_reason = reason
            self._desk(Action.PAUSE, lambda q, w, a: q.pause(w, reason, actor=a))

    # ------------------------------------------------------------------ running an action

    def _desk(self, action: Action, call: Callable[[DeskQueue, int, str], Any]) -> None:
        """Run one desk action on the runner if it is legal now (the one gate for presses)."""
        if not self._may(action):
            return
        queue, window, actor = self.queue, self.session.window, self.session.actor
        self._run(action, lambda: call(queue, window, actor))

    def _run(self, action: Action, fn: Callable[[], Any]) -> None:
        self._set(busy=action)
        self._runner.submit(
            fn, lambda result: self._done(action, result), lambda exc: self._failed(action, exc)
        )

    def _done(self, action: Action, result: Any) -> None:
        if self._closed:
            return
        status = self._after(action, result)
        words = None
        ticket = result if isinstance(result, TicketView) else None
        if action is Action.SKIP and ticket is not None:
            requeued = ticket.status.value == "waiting"
            words = skip_outcome(self.settings.queue, ticket.number, requeued=requeued)
        self._set(
            busy=None, status=status, outcome=Outcome(OutcomeKind.DONE, action, ticket, words)
        )
        self.note_database(ok=True, write=True)
        self.refresh()

    def _after(self, action: Action, result: Any) -> WindowStatus | None:
        """The window's status as the action's answer says it is now (the refresh confirms)."""
        status = self.state.status
        if status is None:
            return None
        if action is Action.CALL_NEXT:
            status = dataclasses.replace(status, current=result)
            self._track_current(status, called_now=True)
        elif action is Action.RECALL:
            # A recall is a call too (the display announces it again): the citizen may be on
            # the way now, so a call-next right after it is guarded like one after the call.
            status = dataclasses.replace(status, current=result)
            self._track_current(status, called_now=True)
        elif action in (Action.SKIP, Action.FINISH, Action.TRANSFER):
            status = dataclasses.replace(status, current=None)
            self._current_id = None
        elif action is Action.PAUSE:
            status = dataclasses.replace(status, paused=True, pause_reason=self._pause_reason)
        elif action is Action.RESUME:
            status = dataclasses.replace(status, paused=False, pause_reason="")
        return status

    def _failed(self, action: Action, exc: BaseException) -> None:
        if self._closed:
            return
        if isinstance(exc, QueueError):
            outcome = Outcome(
                OutcomeKind.REFUSED, action, words=Words(exc.message_zh, exc.message_en)
            )
        elif isinstance(exc, DatabaseUnavailable):
            self.note_database(ok=False, write=True, detail=exc.detail)
            outcome = Outcome(OutcomeKind.DB_DOWN, action, detail=exc.detail)
        else:
            log.error("counter action %s failed", action.value, exc_info=exc)
            outcome = Outcome(OutcomeKind.FAILED, action, detail=type(exc).__name__)
        self._set(busy=None, outcome=outcome)
        self.refresh()
