"""The report as tables: one :class:`Table` per section, the one layout every writer renders.

Cells keep their kind (count, minutes, percentage, date, text) so XLSX stores numbers with a
number format, CSV writes plain numbers and PDF formats them for reading. Waits and service
times are shown in minutes (what a hall manager talks in); rates as percentages.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from common.reports.model import (
    CaseFigures,
    FollowupFigures,
    OnTimeFigures,
    RatingFigures,
    Report,
    TicketFigures,
)

__all__ = [
    "Cell",
    "Column",
    "Table",
    "english",
    "note_english",
    "report_tables",
    "summary_lines",
]


class Cell(enum.StrEnum):
    """How a column's values are stored and shown."""

    TEXT = "text"
    COUNT = "count"
    MINUTES = "minutes"  # stored as seconds, shown as minutes with one decimal
    PERCENT = "percent"  # stored as a fraction, shown as a percentage with one decimal
    DATE = "date"


@dataclass(frozen=True)
class Column:
    """A column: its header and what kind of value it holds."""

    title: str
    kind: Cell = Cell.TEXT
    width: int = 10  # characters (XLSX widths; PDF uses them as proportions)


@dataclass(frozen=True)
class Table:
    """One section: sheet name, title, columns, rows (the total last) and the note under it."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""
    has_total: bool = True


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def display(value: Any, kind: Cell) -> str:
    """A value as text, the way the PDF and the desk show it (empty for no value)."""
    if value is None:
        return "—" if kind in (Cell.MINUTES, Cell.PERCENT) else ""
    if kind is Cell.MINUTES:
        return f"{value / 60:.1f}"
    if kind is Cell.PERCENT:
        return f"{value * 100:.1f}%"
    if kind is Cell.DATE:
        return str(value.isoformat())
    if kind is Cell.COUNT:
        return f"{value:,}"
    return str(value)


def _group_columns(by_label: str) -> tuple[Column, Column]:
    return Column("编码", Cell.TEXT, 14), Column(by_label, Cell.TEXT, 22)


def _tickets(report: Report) -> Table:
    by = report.by.label if report.tickets.note == "" else "业务"

    def row(r: TicketFigures) -> tuple[Any, ...]:
        return (
            r.key, r.label, r.issued, r.served, r.no_show, r.no_show_rate, r.wait_mean,
            r.wait_p90, r.service_mean, r.service_p90,
        )  # fmt: skip

    return Table(
        "tickets",
        "排队取号",
        (
            *_group_columns(by),
            Column("取号", Cell.COUNT, 9),
            Column("办结", Cell.COUNT, 9),
            Column("过号", Cell.COUNT, 8),
            Column("过号率", Cell.PERCENT, 8),
            Column("平均等候(分)", Cell.MINUTES, 12),
            Column("等候P90(分)", Cell.MINUTES, 12),
            Column("平均办理(分)", Cell.MINUTES, 12),
            Column("办理P90(分)", Cell.MINUTES, 12),
        ),
        (*(row(r) for r in report.tickets.rows), row(report.tickets.total)),
        " ".join(
            x
            for x in (
                report.tickets.note,
                "等候：取号至叫号；办理：叫号至办结；P90 取最近秩（实际出现过的值）。",
            )
            if x
        ),
    )


def _ratings(report: Report) -> Table:
    def row(r: RatingFigures) -> tuple[Any, ...]:
        return (
            r.key, r.label, r.total, r.level_5, r.level_4, r.level_3, r.level_2, r.level_1,
            r.satisfaction, r.good_rate,
        )  # fmt: skip

    return Table(
        "ratings",
        "好差评",
        (
            *_group_columns(report.by.label),
            Column("评价数", Cell.COUNT, 9),
            Column("非常满意", Cell.COUNT, 9),
            Column("满意", Cell.COUNT, 8),
            Column("基本满意", Cell.COUNT, 9),
            Column("不满意", Cell.COUNT, 8),
            Column("非常不满意", Cell.COUNT, 10),
            Column("满意率", Cell.PERCENT, 9),
            Column("好评率", Cell.PERCENT, 9),
        ),
        (*(row(r) for r in report.ratings.rows), row(report.ratings.total)),
        report.ratings.note,
    )


def _cases(report: Report) -> Table:
    def row(r: CaseFigures) -> tuple[Any, ...]:
        return (
            r.key, r.label, r.total, r.accept, r.accept_with_tolerance, r.correction_required,
            r.reject,
        )  # fmt: skip

    return Table(
        "cases",
        "办件受理",
        (
            *_group_columns(report.by.label),
            Column("办件数", Cell.COUNT, 9),
            Column("受理", Cell.COUNT, 9),
            Column("容缺受理", Cell.COUNT, 9),
            Column("一次性告知", Cell.COUNT, 10),
            Column("不予受理", Cell.COUNT, 9),
        ),
        (*(row(r) for r in report.cases.rows), row(report.cases.total)),
        " ".join(x for x in (report.cases.note, "按受理日（大厅日）统计。") if x),
    )


def _on_time(report: Report) -> Table:
    def row(r: OnTimeFigures) -> tuple[Any, ...]:
        return (r.key, r.label, r.decided, r.on_time, r.late, r.on_time_rate)

    return Table(
        "on_time",
        "按时办结",
        (
            *_group_columns(report.by.label),
            Column("作出决定", Cell.COUNT, 9),
            Column("按时", Cell.COUNT, 9),
            Column("超期", Cell.COUNT, 8),
            Column("按时办结率", Cell.PERCENT, 10),
        ),
        (*(row(r) for r in report.on_time.rows), row(report.on_time.total)),
        report.on_time.note,
    )


def _overdue(report: Report) -> Table:
    return Table(
        "overdue",
        "逾期清单",
        (
            Column("办件编号", Cell.TEXT, 22),
            Column("事项", Cell.TEXT, 24),
            Column("窗口", Cell.TEXT, 8),
            Column("申请人", Cell.TEXT, 18),
            Column("承诺日期", Cell.DATE, 12),
            Column("逾期天数", Cell.COUNT, 9),
        ),
        tuple(
            (
                o.number,
                o.matter,
                f"{o.window}号" if o.window is not None else "",
                o.applicant,
                o.promised_date,
                o.days_overdue,
            )
            for o in report.overdue
        ),
        f"截至 {report.as_of.isoformat()} 仍未办结、计时未暂停且已过承诺日期的办件；"
        "逾期天数为自然日；申请人已脱敏。",
        has_total=False,
    )


def _followups(report: Report) -> Table | None:
    section = report.followups
    if section is None:
        return None

    def row(r: FollowupFigures) -> tuple[Any, ...]:
        return (r.key, r.label, r.total, r.open, r.closed, r.overdue, r.closed_late)

    return Table(
        "followups",
        "差评与办不成事跟进",
        (
            *_group_columns(report.by.label),
            Column("跟进数", Cell.COUNT, 9),
            Column("未办结", Cell.COUNT, 9),
            Column("已办结", Cell.COUNT, 9),
            Column("逾期未办结", Cell.COUNT, 10),
            Column("超期办结", Cell.COUNT, 9),
        ),
        (*(row(r) for r in section.rows), row(section.total)),
        section.note,
    )


def report_tables(report: Report) -> list[Table]:
    """Every section of ``report`` as a table, in the report's order."""
    tables = [_tickets(report), _ratings(report), _cases(report), _on_time(report)]
    followups = _followups(report)
    if followups is not None:
        tables.append(followups)
    tables.append(_overdue(report))
    return tables


def summary_lines(report: Report) -> Sequence[tuple[str, str]]:
    """The headline figures (label, value) for the first page and the summary sheet."""
    t, r, c, o = (
        report.tickets.total,
        report.ratings.total,
        report.cases.total,
        report.on_time.total,
    )
    return (
        ("取号 / 办结 / 过号", f"{t.issued:,} / {t.served:,} / {t.no_show:,}"),
        ("平均等候 / P90（分钟）", f"{display(t.wait_mean, Cell.MINUTES)} / "
         f"{display(t.wait_p90, Cell.MINUTES)}"),
        ("平均办理 / P90（分钟）", f"{display(t.service_mean, Cell.MINUTES)} / "
         f"{display(t.service_p90, Cell.MINUTES)}"),
        ("评价数 / 满意率 / 好评率", f"{r.total:,} / {display(r.satisfaction, Cell.PERCENT)} / "
         f"{display(r.good_rate, Cell.PERCENT)}"),
        ("受理办件（含告知、不予受理）", f"{c.total:,}"),
        ("作出决定 / 按时办结率", f"{o.decided:,} / {display(o.on_time_rate, Cell.PERCENT)}"),
        ("逾期未办结", f"{len(report.overdue):,}"),
    )  # fmt: skip


# The desk shows the report in English when its user switched to English; the documents
# (PDF, XLSX, CSV) stay Chinese: they are what the district receives.
_ENGLISH = {
    "编码": "Code",
    "业务": "Service",
    "窗口": "Window",
    "工作人员": "Staff",
    "事项": "Matter",
    "取号": "Issued",
    "办结": "Served",
    "过号": "No-show",
    "过号率": "No-show rate",
    "平均等候(分)": "Wait mean (min)",
    "等候P90(分)": "Wait p90 (min)",
    "平均办理(分)": "Service mean (min)",
    "办理P90(分)": "Service p90 (min)",
    "评价数": "Ratings",
    "非常满意": "Very satisfied",
    "满意": "Satisfied",
    "基本满意": "Fairly satisfied",
    "不满意": "Dissatisfied",
    "非常不满意": "Very dissatisfied",
    "满意率": "Satisfaction",
    "好评率": "Good rate",
    "办件数": "Cases",
    "受理": "Accepted",
    "容缺受理": "With tolerance",
    "一次性告知": "Correction notice",
    "不予受理": "Rejected",
    "作出决定": "Decided",
    "按时": "On time",
    "超期": "Late",
    "按时办结率": "On-time rate",
    "办件编号": "Case number",
    "申请人": "Applicant",
    "承诺日期": "Promised",
    "逾期天数": "Days overdue",
    "跟进数": "Follow-ups",
    "未办结": "Open",
    "已办结": "Closed",
    "逾期未办结": "Overdue, open",
    "超期办结": "Closed late",
    "排队取号": "Queue tickets",
    "好差评": "Ratings (好差评)",
    "办件受理": "Cases accepted",
    "逾期清单": "Overdue cases",
    "差评与办不成事跟进": "Follow-ups",
    "全厅合计": "Whole hall",
    "取号 / 办结 / 过号": "Issued / served / no-show",
    "平均等候 / P90（分钟）": "Wait mean / p90 (min)",
    "平均办理 / P90（分钟）": "Service mean / p90 (min)",
    "评价数 / 满意率 / 好评率": "Ratings / satisfaction / good rate",
    "受理办件（含告知、不予受理）": "Cases (incl. notices, rejections)",
    "作出决定 / 按时办结率": "Decided / on-time rate",
}
_NOTES_EN = {
    "tickets": "Wait: issue to call; service: call to finish; p90 by nearest rank.",
    "ratings": "Satisfaction = (very satisfied + satisfied) ÷ all ratings; good rate also "
    "counts fairly satisfied (the dashboard's figure).",
    "cases": "By the day accepted; a case of several matters counts for its first.",
    "on_time": "Decided by the promised date (moved on by any stopped clock) ÷ decided.",
    "followups": "Bad ratings and 办不成事 reports opened in the period, as they stood at its end.",
    "overdue": "Open cases past their promised date, clock running; applicant masked.",
}


def english(text: str) -> str:
    """A header, title or label of the report in English (itself when there is none)."""
    return _ENGLISH.get(text, text)


def note_english(table: Table) -> str:
    """The note under ``table``, in English."""
    return _NOTES_EN.get(table.key, "")
