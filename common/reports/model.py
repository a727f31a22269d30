"""The hall report as plain data: one frozen row type per section, no database, no Qt.

Writers (``common.reports.writers``) and the manager's desk render these objects; tests compare
them with independent SQL. Times are seconds; rates are fractions (None: nothing to divide).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = [
    "NONE_KEY",
    "CaseFigures",
    "FollowupFigures",
    "OnTimeFigures",
    "OverdueCase",
    "Period",
    "RatingFigures",
    "RatingLevels",
    "Report",
    "ReportBy",
    "Section",
    "TicketFigures",
]

# The group of rows that have no service / window / staff / matter (a ticket never called, a
# rating of a hand-over by service, ...): listed last, so every section's rows add up to its total.
NONE_KEY = "—"


class ReportBy(enum.StrEnum):
    """What a report's rows are: one per service, per window, per member of staff, per matter."""

    SERVICE = "service"
    WINDOW = "window"
    STAFF = "staff"
    MATTER = "matter"

    @property
    def label(self) -> str:
        return {"service": "业务", "window": "窗口", "staff": "工作人员", "matter": "事项"}[self]


@dataclass(frozen=True)
class Period:
    """Hall days ``first`` to ``last``, both included."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"the period ends ({self.last}) before it starts ({self.first})")

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} 至 {self.last.isoformat()}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class TicketFigures:
    """Tickets of one group: issued, served (办结), no-show (过号, ended), waits, service times.

    A wait runs from issue to the (last) call, for every ticket called; a service time from the
    call to the finish, for finished tickets.
    """

    key: str
    label: str
    issued: int
    served: int
    no_show: int
    wait_mean: float | None
    wait_p90: float | None
    service_mean: float | None
    service_p90: float | None

    @property
    def no_show_rate(self) -> float | None:
        """过号率: no-shows over tickets issued."""
        return self.no_show / self.issued if self.issued else None


@dataclass(frozen=True)
class RatingLevels:
    """Ratings of one group: how many at each level (5 非常满意 … 1 非常不满意).

    The counts only: what a 满意率 counts differs between the hall report
    (:class:`RatingFigures`) and the first report API (``common.reports.tickets.RatingRow``),
    so each adds its own and neither stands in for the other.
    """

    key: str
    label: str
    level_5: int
    level_4: int
    level_3: int
    level_2: int
    level_1: int

    @property
    def total(self) -> int:
        return self.level_5 + self.level_4 + self.level_3 + self.level_2 + self.level_1


@dataclass(frozen=True)
class RatingFigures(RatingLevels):
    """Ratings of one group in the hall report, with its 满意率, 好评率 and 差评."""

    @property
    def satisfaction(self) -> float | None:
        """满意率: (非常满意 + 满意) over all ratings — the report's stated definition."""
        return (self.level_5 + self.level_4) / self.total if self.total else None

    @property
    def good_rate(self) -> float | None:
        """好评率: 非常满意, 满意 and 基本满意 over all (what the dashboard calls its 满意率)."""
        good = self.level_5 + self.level_4 + self.level_3
        return good / self.total if self.total else None

    @property
    def bad(self) -> int:
        """差评: 不满意 and 非常不满意."""
        return self.level_2 + self.level_1


@dataclass(frozen=True)
class CaseFigures:
    """Cases accepted at the windows in the period (by hall day), by the window's decision."""

    key: str
    label: str
    accept: int
    accept_with_tolerance: int
    correction_required: int
    reject: int

    @property
    def total(self) -> int:
        return self.accept + self.accept_with_tolerance + self.correction_required + self.reject


@dataclass(frozen=True)
class OnTimeFigures:
    """Cases decided (审批通过 / 不予许可) in the period: on time when decided by the promised date.

    The promised date is the stored one, which a restarted clock has already moved on by the
    working days it stood still (``CaseService.restart_clock``).
    """

    key: str
    label: str
    decided: int
    on_time: int

    @property
    def late(self) -> int:
        return self.decided - self.on_time

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.decided if self.decided else None


@dataclass(frozen=True)
class OverdueCase:
    """An open case past its promised date (clock running); the applicant masked."""

    number: str
    matter: str
    window: int | None
    staff: str
    applicant: str
    promised_date: dt.date
    days_overdue: int


@dataclass(frozen=True)
class FollowupFigures:
    """Follow-ups (bad ratings and 办不成事 reports) opened in the period, by where they stood."""

    key: str
    label: str
    open: int
    closed: int
    overdue: int  # open past the deadline
    closed_late: int  # closed, after the deadline

    @property
    def total(self) -> int:
        return self.open + self.closed


R = TypeVar("R")


@dataclass(frozen=True)
class Section(Generic[R]):
    """Rows of one section, their total (all rows together), and a note said under the table."""

    rows: tuple[R, ...]
    total: R
    note: str = ""


@dataclass(frozen=True)
class Report:
    """Every section of one hall report for one period, grouped one way."""

    hall_name: str
    period: Period
    by: ReportBy
    generated_at: dt.datetime
    as_of: dt.date
    tickets: Section[TicketFigures]
    ratings: Section[RatingFigures]
    cases: Section[CaseFigures]
    on_time: Section[OnTimeFigures]
    overdue: tuple[OverdueCase, ...]
    followups: Section[FollowupFigures] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        """Nothing happened in the period (the report still renders, with zeros)."""
        return not (
            self.tickets.total.issued
            or self.ratings.total.total
            or self.cases.total.total
            or self.on_time.total.decided
            or self.overdue
        )
