"""One call for the whole hall report: every section for one period, grouped one way."""

from __future__ import annotations

import datetime as dt

from common.config import Settings
from common.db.engine import HallDatabase
from common.reports.model import Period, Report, ReportBy
from common.reports.sections import (
    case_section,
    followup_section,
    on_time_section,
    overdue_list,
    rating_section,
    ticket_section,
)

__all__ = ["build_report"]


def build_report(
    db: HallDatabase,
    settings: Settings,
    period: Period,
    by: ReportBy = ReportBy.SERVICE,
    *,
    now: dt.datetime | None = None,
) -> Report:
    """The report of ``period``; ``now`` (default: this PC's clock) decides the overdue list's
    "as of" day and the follow-ups' overdue flags."""
    tz = settings.hall.tz
    now = (now or dt.datetime.now(dt.UTC)).astimezone(tz)
    today = now.date()
    as_of, overdue = overdue_list(db, period, today)
    return Report(
        hall_name=settings.hall.name,
        period=period,
        by=by,
        generated_at=now,
        as_of=as_of,
        tickets=ticket_section(db, tz, period, by),
        ratings=rating_section(db, tz, period, by),
        cases=case_section(db, tz, period, by),
        on_time=on_time_section(db, tz, period, by),
        overdue=overdue,
        followups=followup_section(db, period, by, as_of),
    )
