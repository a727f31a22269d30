"""CounterFlow without Qt: one action at a time and the call-next guard (hall trial, issue 15).

The trial: with a ticket in service, F1 pressed four times 60 ms apart called *and finished* two
citizens within 140 ms. These tests drive the flow with a manual monotonic clock, a runner that
can hold work back ("in flight") and a fake view that answers the clerk's questions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from common.config import Settings
from common.db.models import Role, TicketStatus
from common.queue.service import FixedClock, QueueService, TicketView
from common.staff import StaffView
from counter.flow import CounterFlow, CounterState, OutcomeKind
from counter.session import Action, CounterSession
from tests.conftest import make_settings


class ManualMonotonic:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class Runner:
    """Runs work inline, or holds it until :meth:`release` (an action still in flight)."""

    def __init__(self) -> None:
        self.hold = False
        self.held: list[tuple[Callable[[], Any], Any, Any]] = []
        self.submitted = 0

    def submit(self, fn: Callable[[], Any], on_done: Any = None, on_error: Any = None) -> None:
        self.submitted += 1
        if self.hold:
            self.held.append((fn, on_done, on_error))
            return
        self._run(fn, on_done, on_error)

    @staticmethod
    def _run(fn: Callable[[], Any], on_done: Any, on_error: Any) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error:
                on_error(exc)
        else:
            if on_done:
                on_done(result)

    def release(self) -> None:
        self.hold = False
        while self.held:
            self._run(*self.held.pop(0))


class View:
    """Records what was drawn and asked; answers the guard with ``confirm``."""

    def __init__(self, confirm: bool = False) -> None:
        self.confirm = confirm
        self.states: list[CounterState] = []
        self.asked: list[tuple[str, int]] = []
        self.while_asking: Callable[[], None] | None = None
        self.reason: str | None = None  # what the pause dialog answers

    def show_state(self, state: CounterState) -> None:
        self.states.append(state)

    def confirm_call_next(self, current: TicketView, seconds_ago: int) -> bool:
        self.asked.append((current.number, seconds_ago))
        if self.while_asking is not None:
            self.while_asking()  # a key press that arrives while the dialog is open
        return self.confirm

    def transfer_target(self, number: str, services: Sequence[tuple[str, str]]) -> str | None:
        return None

    def pause_reason(self) -> str | None:
        return self.reason


def make_flow(
    hall: QueueService,
    clock: FixedClock,
    *,
    settings: Settings | None = None,
    confirm: bool = False,
) -> tuple[CounterFlow, Runner, View, ManualMonotonic]:
    runner, view, mono = Runner(), View(confirm), ManualMonotonic()
    staff = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)
    flow = CounterFlow(
        hall,
        CounterSession(staff, 1),
        runner,
        view,
        settings=settings or hall.settings,
        clock=mono,
        now=lambda: clock.at,
    )
    flow.refresh()
    return flow, runner, view, mono


def kinds_since(hall: QueueService, after: int) -> list[tuple[str, str]]:
    return [(str(e.kind), e.number) for e in hall.events_after(after)]


def test_presses_while_an_action_is_in_flight_are_dropped(
    hall: QueueService, clock: FixedClock
) -> None:
    for _ in range(3):
        hall.issue("A")
    flow, runner, view, mono = make_flow(hall, clock)
    start = hall.last_event_id()
    runner.hold = True
    for _ in range(4):  # four F1s while the first call is still running
        flow.press(Action.CALL_NEXT)
        mono.advance(0.06)
    assert flow.state.busy is Action.CALL_NEXT and flow.state.legal == frozenset()
    assert len(runner.held) == 1
    runner.release()
    assert kinds_since(hall, start) == [("called", "A001")]
    assert view.asked == []


@pytest.mark.parametrize(
    ("in_service", "events", "called"),
    [
        # An empty window: one call, nobody finished.
        (False, [("called", "A001")], "A001"),
        # A001 at the window for five minutes: one deliberate call ends A001 and calls A002;
        # A002 is never finished.
        (True, [("finished", "A001"), ("called", "A002")], "A002"),
    ],
)
def test_four_f1s_60ms_apart_make_one_call(
    hall: QueueService,
    clock: FixedClock,
    in_service: bool,
    events: list[tuple[str, str]],
    called: str,
) -> None:
    """The trial's keys, with a database fast enough to answer between presses."""
    for _ in range(3):
        hall.issue("A")
    if in_service:
        hall.call_next(1, actor="w1")
        clock.advance(minutes=5)
    flow, _runner, view, mono = make_flow(hall, clock)
    start = hall.last_event_id()
    for _ in range(4):
        flow.press(Action.CALL_NEXT)
        mono.advance(0.06)
    assert kinds_since(hall, start) == events
    assert [n for n, _ in view.asked] == [called] * 3  # asked each time, answered No
    assert flow.state.current is not None and flow.state.current.number == called
    ticket = hall.ticket(called)
    assert ticket is not None and ticket.status is TicketStatus.CALLED


def test_call_next_within_the_guard_asks_and_no_changes_nothing(
    hall: QueueService, clock: FixedClock
) -> None:
    hall.issue("A")
    hall.issue("A")
    flow, runner, view, mono = make_flow(hall, clock)
    flow.call_next()
    mono.advance(12)
    before_state, start, submitted = flow.state, hall.last_event_id(), runner.submitted
    flow.call_next()
    assert view.asked == [("A001", 12)]
    assert hall.last_event_id() == start and runner.submitted == submitted
    assert flow.state.current == before_state.current and flow.state.legal == before_state.legal
    assert not flow.state.asking


def test_yes_finishes_and_calls_the_next(hall: QueueService, clock: FixedClock) -> None:
    hall.issue("A")
    hall.issue("A")
    flow, _runner, view, mono = make_flow(hall, clock, confirm=True)
    flow.call_next()
    mono.advance(3)
    start = hall.last_event_id()
    flow.call_next()
    assert view.asked == [("A001", 3)]
    assert kinds_since(hall, start) == [("finished", "A001"), ("called", "A002")]


def test_after_the_guard_time_call_next_does_not_ask(hall: QueueService, clock: FixedClock) -> None:
    hall.issue("A")
    hall.issue("A")
    flow, _runner, view, mono = make_flow(hall, clock)
    flow.call_next()
    mono.advance(30)  # the default guard: [counter] call_next_guard_seconds = 30
    flow.call_next()
    assert view.asked == []
    assert flow.state.current is not None and flow.state.current.number == "A002"


def test_the_guard_comes_from_the_toml(hall: QueueService, clock: FixedClock) -> None:
    hall.issue("A")
    hall.issue("A")
    settings = make_settings(counter={"call_next_guard_seconds": 0})  # 0: never ask
    flow, _runner, view, _mono = make_flow(hall, clock, settings=settings)
    flow.call_next()
    flow.call_next()
    assert view.asked == []
    assert flow.state.current is not None and flow.state.current.number == "A002"


@pytest.mark.parametrize(
    ("age", "asks"), [(dt.timedelta(seconds=5), True), (dt.timedelta(minutes=10), False)]
)
def test_a_ticket_first_seen_in_a_refresh_is_timed_from_its_call(
    hall: QueueService, clock: FixedClock, age: dt.timedelta, asks: bool
) -> None:
    """After a re-login the ticket at the window was called by an earlier session."""
    hall.issue("A")
    hall.issue("A")
    hall.call_next(1)
    clock.at += age
    flow, _runner, view, _mono = make_flow(hall, clock)
    flow.call_next()
    assert bool(view.asked) is asks


def test_a_press_while_the_question_is_open_is_dropped(
    hall: QueueService, clock: FixedClock
) -> None:
    for _ in range(3):
        hall.issue("A")
    flow, _runner, view, _mono = make_flow(hall, clock, confirm=True)
    flow.call_next()
    start = hall.last_event_id()
    view.while_asking = flow.call_next  # a queued F1 delivered inside the dialog's event loop
    flow.call_next()
    assert len(view.asked) == 1
    assert kinds_since(hall, start) == [("finished", "A001"), ("called", "A002")]


def test_a_recall_restarts_the_guard(hall: QueueService, clock: FixedClock) -> None:
    for _ in range(3):
        hall.issue("A")
    flow, _runner, view, mono = make_flow(hall, clock, confirm=True)
    flow.call_next()
    mono.advance(25)
    flow.recall()  # announced again: the citizen may be walking up now
    mono.advance(10)  # 35 s after the call, 10 s after the recall
    flow.call_next()
    assert view.asked == [("A001", 10)]
    mono.advance(31)
    flow.call_next()  # A002 was called 31 s ago: no question
    assert len(view.asked) == 1


def test_refusals_and_answers_after_close(hall: QueueService, clock: FixedClock) -> None:
    hall.issue("A")
    flow, runner, view, _mono = make_flow(hall, clock)
    hall.pause(1, "break", actor="manager")  # paused elsewhere; the flow has not refreshed yet
    flow.call_next()
    assert flow.state.outcome is not None and flow.state.outcome.kind is OutcomeKind.REFUSED
    assert flow.state.outcome.words is not None and "暂停" in flow.state.outcome.words.zh
    assert flow.state.legal == {Action.RESUME}
    runner.hold = True
    flow.resume()
    flow.close()  # logged out while the resume was in flight
    drawn = len(view.states)
    runner.release()
    assert len(view.states) == drawn


def test_login_loads_the_window_then_warms_the_queue_up(
    hall: QueueService, clock: FixedClock
) -> None:
    """The first call_next in a fresh process cost ~450 ms: warmed at login, off the GUI thread."""
    calls: list[str] = []

    class Recording:
        def __getattr__(self, name: str) -> Any:
            calls.append(name)
            return getattr(hall, name)

    runner, view = Runner(), View()
    staff = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)
    flow = CounterFlow(Recording(), CounterSession(staff, 2), runner, view, settings=hall.settings)
    runner.hold = True
    flow.start()
    assert calls == []  # nothing on the calling (GUI) thread
    runner.release()
    assert calls == ["window_status", "service_statuses", "warm_up"]
    assert flow.state.status is not None and flow.state.status.number == 2


@pytest.mark.parametrize("value", [-1, 601, "thirty"])
def test_the_guard_setting_is_validated(value: object) -> None:
    from common.config import ConfigError

    with pytest.raises(ConfigError, match=r"counter\.call_next_guard_seconds"):
        make_settings(counter={"call_next_guard_seconds": value})
    assert make_settings().counter.call_next_guard_seconds == 30


def test_pause_shows_its_reason_at_once(hall: QueueService, clock: FixedClock) -> None:
    flow, runner, view, _mono = make_flow(hall, clock)
    view.reason = "会议"
    runner.hold = True
    flow.pause()
    runner.release()
    drawn = [s for s in view.states if s.status is not None and s.status.paused]
    assert drawn and all(s.status is not None and s.status.pause_reason == "会议" for s in drawn)
