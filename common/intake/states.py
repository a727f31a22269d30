"""The case state machine (DESIGN.md "Case states") and the promised-date clock.

One table says which action may move a case from which state, and where to. Everything that
changes a case goes through :func:`next_state`, so an illegal move is a typed error
(:class:`IllegalTransition`) wherever it is attempted — at the counter, in the sync worker
applying a back-office change, or on the central server.

The promised date (承诺办结日期) is acceptance date + promised working days on the hall calendar;
time in 补正 or a 特别程序 is not counted against it (DOMAIN.md "Stopping the clock"), so each
finished clock stop moves the date by exactly the working days it lasted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from common.intake.words import CaseAction, CaseState, ClockStopKind

__all__ = [
    "TRANSITIONS",
    "ClockStop",
    "IllegalTransition",
    "WorkingDays",
    "legal_actions",
    "next_state",
    "promised_date",
]

S = CaseState
A = CaseAction

# (from, action) → to. SUPPLEMENT keeps the state unless it completes the tolerated items
# (see next_state); WITHDRAW is legal from every open state.
TRANSITIONS: dict[tuple[CaseState, CaseAction], CaseState] = {
    (S.DRAFT, A.ACCEPT): S.ACCEPTED,
    (S.DRAFT, A.ACCEPT_WITH_TOLERANCE): S.ACCEPTED_WITH_TOLERANCE,
    (S.DRAFT, A.REQUIRE_CORRECTION): S.CORRECTION_REQUIRED,
    (S.DRAFT, A.REJECT): S.REJECTED,
    (S.CORRECTION_REQUIRED, A.RESUBMIT): S.RESUBMITTED,
    (S.ACCEPTED_WITH_TOLERANCE, A.SUPPLEMENT): S.ACCEPTED_WITH_TOLERANCE,
    (S.IN_REVIEW, A.SUPPLEMENT): S.IN_REVIEW,
    (S.SUSPENDED, A.SUPPLEMENT): S.SUSPENDED,
    (S.ACCEPTED, A.START_REVIEW): S.IN_REVIEW,
    (S.ACCEPTED_WITH_TOLERANCE, A.START_REVIEW): S.IN_REVIEW,
    (S.IN_REVIEW, A.STOP_CLOCK): S.SUSPENDED,
    (S.SUSPENDED, A.RESTART_CLOCK): S.IN_REVIEW,
    # 即办: the window decides on the spot, without a review step.
    (S.ACCEPTED, A.APPROVE): S.APPROVED,
    (S.IN_REVIEW, A.APPROVE): S.APPROVED,
    (S.IN_REVIEW, A.DENY): S.DENIED,
    (S.APPROVED, A.MARK_READY): S.READY_FOR_DELIVERY,
    (S.READY_FOR_DELIVERY, A.DELIVER): S.DELIVERED,
}
for _state in CaseState:
    if _state.is_open:
        TRANSITIONS[(_state, A.WITHDRAW)] = S.WITHDRAWN


class IllegalTransition(Exception):
    """An action that the state machine does not allow from the case's state."""

    def __init__(self, state: CaseState, action: CaseAction, detail: str = "") -> None:
        self.state = state
        self.action = action
        self.message_zh = f"办件当前为“{state.label}”，不能{action.label}"
        self.message_en = f"a case that is {state.label_en} cannot {action.value.replace('_', ' ')}"
        if detail:
            self.message_zh += f"（{detail}）"
            self.message_en += f" ({detail})"
        super().__init__(f"{self.message_zh} / {self.message_en}")


def next_state(
    state: CaseState, action: CaseAction, *, tolerated_outstanding: int = 0
) -> CaseState:
    """Where ``action`` takes a case in ``state``; :class:`IllegalTransition` if nowhere.

    ``tolerated_outstanding`` is how many tolerated items are still owed *after* this action:
    a supplement that brings the last one moves 容缺受理 to 受理; a supplement with nothing
    owed is refused.
    """
    try:
        target = TRANSITIONS[(state, action)]
    except KeyError:
        raise IllegalTransition(state, action) from None
    if action is A.SUPPLEMENT:
        if tolerated_outstanding < 0:
            raise IllegalTransition(state, action, "没有待补齐的容缺材料 / nothing is owed")
        if state is S.ACCEPTED_WITH_TOLERANCE and tolerated_outstanding == 0:
            return S.ACCEPTED
    return target


def legal_actions(state: CaseState) -> frozenset[CaseAction]:
    """Every action the table allows from ``state`` (for enabling buttons)."""
    return frozenset(action for (source, action) in TRANSITIONS if source is state)


class WorkingDays(Protocol):
    """The hall calendar as the clock needs it (:mod:`common.intake.calendar` provides it)."""

    def add_working_days(self, start: dt.date, days: int) -> dt.date: ...

    def working_days_between(self, start: dt.date, end: dt.date) -> int: ...


@dataclass(frozen=True)
class ClockStop:
    """A stop of the promised-date clock: 补正 or a 特别程序, from ``started`` to ``ended``.

    ``ended`` is None while the stop lasts. The days it lasted are the working days after
    ``started`` up to and including ``ended`` — the same counting as the time limit itself.
    """

    kind: ClockStopKind
    started: dt.date
    ended: dt.date | None = None
    reason: str = ""

    def working_days(self, calendar: WorkingDays) -> int:
        if self.ended is None:
            return 0
        return calendar.working_days_between(self.started, self.ended)


def promised_date(
    accepted_on: dt.date,
    promised_days: int,
    calendar: WorkingDays,
    stops: Iterable[ClockStop] = (),
) -> dt.date:
    """The promised completion date: acceptance + promised working days + finished stops.

    ``promised_days == 0`` is 即办: the day of acceptance. A stop still running does not move
    the date yet (its length is unknown); 电子监察 does not flag a case whose clock is stopped.
    """
    stopped = sum(stop.working_days(calendar) for stop in stops)
    return calendar.add_working_days(accepted_on, promised_days + stopped)
