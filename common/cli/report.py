"""``onewindow report --from DATE --to DATE --format pdf|xlsx|csv --output FILE [--by …]``.

The hall report (common.reports) for any period of hall days, written as PDF, XLSX or CSV. An
empty period gives an empty report (exit 0); a bad date or a period that ends before it starts
is refused with a message (exit 2). Needs no Qt: the PDF's charts are reportlab drawings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from common.bootstrap import open_hall
from common.clock import DatabaseClock
from common.reports.model import Period, ReportBy
from common.reports.report import build_report
from common.reports.writers import FORMATS, write_report


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser(
        "report",
        help="hall report for a period: tickets, waits, ratings, cases, on-time, overdue",
        description="Write the hall report (大厅运行报表) of the hall days FROM to TO inclusive.",
    )
    report.add_argument("--from", dest="first", required=True, metavar="DATE", help="YYYY-MM-DD")
    report.add_argument("--to", dest="last", required=True, metavar="DATE", help="YYYY-MM-DD")
    report.add_argument("--format", dest="fmt", choices=FORMATS, help="default: from --output")
    report.add_argument("--output", required=True, metavar="FILE", help="the file to write")
    report.add_argument(
        "--by",
        choices=[b.value for b in ReportBy],
        default=ReportBy.SERVICE.value,
        help="rows per service (default), window, staff or matter",
    )
    report.set_defaults(func=_report)


def _date(text: str, flag: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        print(
            f"{flag}: 日期格式应为 YYYY-MM-DD / not a date like 2026-10-01: {text!r}",
            file=sys.stderr,
        )
        return None


def _report(args: argparse.Namespace) -> int:
    first, last = _date(args.first, "--from"), _date(args.last, "--to")
    if first is None or last is None:
        return 2
    if last < first:
        print(
            f"结束日期早于开始日期 / --to {last} is before --from {first}",
            file=sys.stderr,
        )
        return 2
    output = Path(args.output)
    fmt = args.fmt or output.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        print(
            f"请用 --format 指定 pdf、xlsx 或 csv / give --format pdf|xlsx|csv "
            f"(cannot tell from {output.name!r})",
            file=sys.stderr,
        )
        return 2
    if not output.parent.is_dir():
        print(f"目录不存在 / no such folder: {output.parent}", file=sys.stderr)
        return 2
    hall = open_hall(args.config)
    try:
        with hall.db.read() as s:
            now = DatabaseClock().now(hall.db, s)
        period, by = Period(first, last), ReportBy(args.by)
        report = build_report(hall.db, hall.settings, period, by, now=now)
    finally:
        hall.close()
    write_report(report, output, fmt)
    what = "（期间内无记录）" if report.empty else ""
    print(f"{output}  {report.period.label} 按{report.by.label} {fmt.upper()}{what}")
    return 0
