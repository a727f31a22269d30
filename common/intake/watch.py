"""电子监察: the one rule that flags a case red, reminder, yellow, or tolerated-overdue.

Kept apart from the case engine so the kiosk's progress lookup (which must not load the engine
at start) and :meth:`common.intake.cases.CaseService.watch_list` judge a case the same way.
The limits are worked out once per list (two calendar look-ups), not once per case.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from common.intake.calendar import HallCalendar
from common.intake.words import CaseState

__all__ = ["WatchLevel", "WatchLimits", "watch_level"]


class WatchLevel(enum.StrEnum):
    """电子监察 flags, most urgent first."""

    RED = "red"  # 红牌: past the promised date
    REMINDER = "reminder"  # the working day before the promised date
    YELLOW = "yellow"  # within the hall's warning window
    TOLERANCE_OVERDUE = "tolerance_overdue"  # 容缺 items past their supplement deadline


@dataclass(frozen=True)
class WatchLimits:
    """Today, the next working day, and the last day of the hall's warning window."""

    today: dt.date
    reminder_day: dt.date
    yellow_limit: dt.date

    @classmethod
    def of(cls, today: dt.date, calendar: HallCalendar, warning_days: int) -> WatchLimits:
        return cls(
            today,
            calendar.add_working_days(today, 1),
            calendar.add_working_days(today, warning_days),
        )


def watch_level(
    state: CaseState,
    promised: dt.date | None,
    owed_by: dt.date | None,
    tolerated_outstanding: int,
    limits: WatchLimits,
) -> WatchLevel | None:
    """The flag of one case, or None when it is on time, closed, or its clock is stopped."""
    if not state.is_open:
        return None
    if promised is not None and state.clock_runs:
        if promised < limits.today:
            return WatchLevel.RED
        if promised <= limits.reminder_day:
            return WatchLevel.REMINDER
        if promised <= limits.yellow_limit:
            return WatchLevel.YELLOW
    if tolerated_outstanding and owed_by is not None and owed_by < limits.today:
        return WatchLevel.TOLERANCE_OVERDUE
    return None
