"""``onewindow calendar add-workdays DATE N``: the hall calendar's working-day arithmetic."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from common.config import load_settings
from common.intake.calendar import CalendarYearUnknown, HallCalendar


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    calendar = sub.add_parser("calendar", help="the hall calendar of working days")
    commands = calendar.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    add = commands.add_parser(
        "add-workdays",
        help="the date N working days after DATE (DATE itself not counted, as time limits count)",
    )
    add.add_argument("date", help="YYYY-MM-DD")
    add.add_argument("days", type=int, help="working days (0 = the same day, 即办)")
    add.set_defaults(func=_add_workdays)


def _add_workdays(args: argparse.Namespace) -> int:
    try:
        start = dt.date.fromisoformat(args.date)
    except ValueError:
        print(
            f"日期格式应为 YYYY-MM-DD / not a date like 2026-10-01: {args.date!r}", file=sys.stderr
        )
        return 2
    if args.days < 0:
        print("天数不能为负 / N must be 0 or more", file=sys.stderr)
        return 2
    calendar = HallCalendar.from_settings(load_settings(args.config).calendar)
    try:
        calendar.is_working_day(start)  # a DATE in a year nobody knows is refused too
        print(calendar.add_working_days(start, args.days).isoformat())
    except CalendarYearUnknown as exc:
        print(f"{exc.message_zh} / {exc}", file=sys.stderr)
        return 2
    return 0
