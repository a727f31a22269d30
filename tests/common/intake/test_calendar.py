"""Working days on the hall calendar: the national notice (chinesecalendar); hall overrides win."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from common.config import CalendarSettings
from common.intake.calendar import (
    KNOWN_YEARS,
    CalendarYearUnknown,
    HallCalendar,
    add_working_days,
    national_calendar,
)

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 2026 春节 2/15–2/23; Saturdays 2/14 and 2/28 are workdays.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-14", 1, "2026-02-24"),
        ("2026-02-12", 3, "2026-02-24"),
        ("2026-02-27", 1, "2026-02-28"),
        ("2026-02-28", 1, "2026-03-02"),
        # 2026 中秋 9/25–9/27 and 国庆 10/1–10/7; Sunday 9/20 and Saturday 10/10 are workdays.
        ("2026-09-18", 1, "2026-09-20"),
        ("2026-09-24", 1, "2026-09-28"),
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-10-09", 1, "2026-10-10"),
        ("2026-09-29", 5, "2026-10-12"),
        # 2026 元旦 1/1–1/3 with Sunday 1/4 a workday; 劳动节 5/1–5/5 with Saturday 5/9.
        ("2025-12-31", 1, "2026-01-04"),
        ("2026-04-30", 1, "2026-05-06"),
        ("2026-05-08", 1, "2026-05-09"),
        # 2025 春节 1/28–2/4 (Sunday 1/26, Saturday 2/8 worked); 国庆+中秋 10/1–10/8 (9/28, 10/11).
        ("2025-01-24", 1, "2025-01-26"),
        ("2025-01-27", 1, "2025-02-05"),
        ("2025-02-07", 1, "2025-02-08"),
        ("2025-09-26", 1, "2025-09-28"),
        ("2025-09-30", 1, "2025-10-09"),
        ("2025-10-10", 1, "2025-10-11"),
        # 2024 春节 2/10–2/17 (Sunday 2/4, Sunday 2/18 worked); 国庆 10/1–10/7 (9/29, 10/12).
        ("2024-02-02", 1, "2024-02-04"),
        ("2024-02-09", 1, "2024-02-18"),
        ("2024-09-27", 1, "2024-09-29"),
        ("2024-09-30", 1, "2024-10-08"),
        ("2024-10-11", 1, "2024-10-12"),
        # A statutory 20 working days across 国庆 2026.
        ("2026-09-21", 20, "2026-10-26"),
    ],
)
def test_add_working_days_across_holidays(start: str, days: int, expected: str) -> None:
    assert add_working_days(D(start), days) == D(expected)


def test_zero_days_is_the_same_day_even_on_a_holiday() -> None:
    assert add_working_days(D("2026-10-03"), 0) == D("2026-10-03")
    assert add_working_days(D("2026-02-14"), 0) == D("2026-02-14")


def test_agrees_with_the_package_every_day_2024_to_2026() -> None:
    cal = national_calendar()
    day = D("2024-01-01")
    while day.year <= 2026:
        assert cal.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    # The swapped weekend workdays of the notices are working days; the holidays are not.
    for s in ("2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10", "2025-01-26", "2024-02-18"):
        assert cal.is_working_day(D(s)) and D(s).weekday() >= 5
    for s in ("2026-02-16", "2026-02-23", "2026-10-07", "2025-10-08"):
        assert not cal.is_working_day(D(s))


def test_hall_override_wins() -> None:
    settings = CalendarSettings(holidays=(D("2026-03-02"),), workdays=(D("2026-02-22"),))
    hall = HallCalendar.from_settings(settings)
    assert hall.is_working_day(D("2026-02-22")) and not national_calendar().is_working_day(
        D("2026-02-22")
    )
    assert not hall.is_working_day(D("2026-03-02")) and national_calendar().is_working_day(
        D("2026-03-02")
    )
    assert hall.add_working_days(D("2026-02-14"), 1) == D("2026-02-22")
    assert hall.add_working_days(D("2026-02-28"), 1) == D("2026-03-03")
    assert add_working_days(D("2026-02-28"), 1, hall) == D("2026-03-03")
    # open_weekdays is the queue's opening days, not the law's working days.
    saturday_hall = HallCalendar.from_settings(CalendarSettings(open_weekdays=(0, 1, 2, 3, 4, 5)))
    assert not saturday_hall.is_working_day(D("2026-03-07"))


def test_override_in_both_lists_is_refused() -> None:
    with pytest.raises(ValueError, match="both"):
        HallCalendar(holidays=[D("2026-03-02")], workdays=[D("2026-03-02")])


def test_unknown_year_is_refused_never_guessed() -> None:
    last = KNOWN_YEARS.stop - 1
    with pytest.raises(CalendarYearUnknown) as info:
        add_working_days(dt.date(last, 12, 31), 1)
    assert info.value.day == dt.date(last + 1, 1, 1)
    assert str(last + 1) in str(info.value) and "chinesecalendar" in str(info.value)
    assert f"{last + 1} 年" in info.value.message_zh
    with pytest.raises(CalendarYearUnknown):
        national_calendar().is_working_day(dt.date(KNOWN_YEARS.start - 1, 6, 1))
    # A hall override answers for its own date; the rest of the year is still refused.
    hall = HallCalendar(workdays=[dt.date(last + 1, 1, 4)])
    assert hall.is_working_day(dt.date(last + 1, 1, 4))
    with pytest.raises(CalendarYearUnknown):
        hall.add_working_days(dt.date(last + 1, 1, 4), 1)


def test_working_days_between_counts_like_the_limit() -> None:
    cal = national_calendar()
    start = D("2026-09-28")
    for n in range(0, 15):
        assert cal.working_days_between(start, cal.add_working_days(start, n)) == n
    assert cal.working_days_between(D("2026-10-01"), D("2026-10-07")) == 0
    assert cal.working_days_between(D("2026-10-07"), D("2026-10-01")) == 0
    assert cal.next_working_day(D("2026-10-01")) == D("2026-10-08")


def test_negative_days_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(D("2026-01-05"), -1)


@given(
    day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 9, 30)),
    a=st.integers(min_value=0, max_value=30),
    b=st.integers(min_value=0, max_value=30),
)
def test_adding_is_additive(day: dt.date, a: int, b: int) -> None:
    cal = national_calendar()
    assume(cal.is_working_day(day))
    assert cal.add_working_days(day, a + b) == cal.add_working_days(cal.add_working_days(day, a), b)


def test_a_year_the_hall_declared_is_known_from_its_own_lists() -> None:
    """December: next year's notice is out, the package is not updated yet; the hall enters it."""
    from common.config import settings_from_dict

    settings = settings_from_dict(
        {
            "calendar": {
                "declared_years": [2027],
                "holidays": ["2027-01-01", "2027-02-05", "2027-02-08"],
                "workdays": ["2027-02-06"],
            }
        }
    )
    calendar = HallCalendar.from_settings(settings.calendar)
    # Thu 2026-12-31 + 1 working day: Fri 1 Jan 2027 is a declared holiday → Mon 4 Jan.
    assert calendar.add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
    assert calendar.is_working_day(dt.date(2027, 2, 6))  # a declared Saturday workday
    assert not calendar.is_working_day(dt.date(2027, 2, 5))
    assert not calendar.is_working_day(dt.date(2027, 2, 7))  # an ordinary Sunday
    # A year nobody declared is still refused.
    with pytest.raises(CalendarYearUnknown):
        calendar.add_working_days(dt.date(2027, 12, 31), 1)
