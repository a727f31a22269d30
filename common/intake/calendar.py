"""The hall calendar of working days, for statutory and promised time limits.

China's national holidays and swapped workdays (调休) change every year by State Council
notice, so they come from a maintained package, ``chinesecalendar`` (import name
``chinese_calendar``), which carries each year's notice and **refuses** a year it does not know
(the ``holidays`` package's CN calendar silently guesses future years; a guessed deadline is
worse than none). On top of it the hall's own overrides from the ``[calendar]`` section of its
TOML (``holidays`` it closes, ``workdays`` it opens) win, so a hall can record a local closure
or an extra working day. An override answers for its own date even in an unknown year; any
other date of that year is still refused.

Counting as the law counts (行政许可法): the day of acceptance is not counted; the limit ends
on the N-th working day after it. ``add_working_days(day, 0)`` is that day itself (即办).

A date in a year neither the package nor the hall's overrides know raises
:class:`CalendarYearUnknown`, with the years that are known, never a guess. A hall that has the
State Council's notice for next year before the package does enters that year's holidays and
workdays and lists the year in ``[calendar] declared_years``: the year is then known from the
hall's own lists (Monday to Friday, minus its holidays, plus its workdays). The package wins for
a year it knows, except where an override names a date.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import chinese_calendar
from chinese_calendar import constants as _cc_constants

from common.config import CalendarSettings

__all__ = [
    "KNOWN_YEARS",
    "CalendarYearUnknown",
    "HallCalendar",
    "add_working_days",
    "national_calendar",
]

# The years the installed package carries a State Council notice for.
_years = sorted({d.year for d in _cc_constants.holidays} | {d.year for d in _cc_constants.workdays})
KNOWN_YEARS = range(_years[0], _years[-1] + 1)


class CalendarYearUnknown(ValueError):
    """A date in a year whose holidays the calendar does not know (update chinesecalendar)."""

    def __init__(self, day: dt.date, known: range = KNOWN_YEARS) -> None:
        self.day = day
        self.known = known
        self.message_zh = (
            f"日历不包含 {day.year} 年的法定节假日安排（已知 {known.start}–{known.stop - 1} 年），"
            "请更新 chinesecalendar"
        )
        super().__init__(
            f"{day.isoformat()}: the calendar does not know the holidays of {day.year} "
            f"(known years {known.start}-{known.stop - 1}); update the chinesecalendar package"
        )


@functools.lru_cache(maxsize=4096)
def _national_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise CalendarYearUnknown(day) from None


class HallCalendar:
    """Working days: the national calendar, with the hall's own holidays and workdays winning.

    Implements ``common.intake.states.WorkingDays`` (``add_working_days``,
    ``working_days_between``), so the promised-date clock counts on it.
    """

    def __init__(
        self,
        *,
        holidays: Iterable[dt.date] = (),
        workdays: Iterable[dt.date] = (),
        declared_years: Iterable[int] = (),
    ) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        self.declared_years = frozenset(declared_years)
        both = self.holidays & self.workdays
        if both:
            day = min(both)
            raise ValueError(f"{day.isoformat()} is both a hall holiday and a hall workday")

    @classmethod
    def from_settings(cls, settings: CalendarSettings) -> HallCalendar:
        """The hall's calendar from its ``[calendar]`` settings.

        ``open_weekdays`` is when the hall opens for the queue (some halls open on Saturdays);
        it does not make a Saturday a working day for time limits, which follow the law.
        """
        return cls(
            holidays=settings.holidays,
            workdays=settings.workdays,
            declared_years=settings.declared_years,
        )

    def is_working_day(self, day: dt.date) -> bool:
        """True on a working day; :class:`CalendarYearUnknown` for a year nobody knows."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year in self.declared_years and day.year not in KNOWN_YEARS:
            return day.weekday() < 5
        return _national_working_day(day)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself not counted); 0 → start."""
        if days < 0:
            raise ValueError("days must be 0 or more")
        day = start
        left = days
        while left:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
        count = 0
        day = start + dt.timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += dt.timedelta(days=1)
        return count

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day


_NATIONAL = HallCalendar()


def national_calendar() -> HallCalendar:
    """The national calendar with no hall overrides."""
    return _NATIONAL


def add_working_days(start: dt.date, days: int, calendar: HallCalendar | None = None) -> dt.date:
    """``days`` working days after ``start`` on ``calendar`` (default: the national calendar)."""
    return (calendar or _NATIONAL).add_working_days(start, days)
