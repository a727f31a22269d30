"""Ticket and rating reports over a period of hall days, by service, window or day.

One query per report reads the period's rows; the figures are worked out here, the same on
SQLite and PostgreSQL (p90 by nearest rank, as on the dashboard).

The first, smaller report API, kept for its callers (it also groups by day). The hall report —
every section, by service, window, staff or matter, as PDF, XLSX or CSV — is
:func:`common.reports.report.build_report` with :mod:`common.reports.writers`. Note that
:attr:`RatingRow.satisfaction` here counts levels 3–5 (the dashboard's figure, which the hall
report calls 好评率); the hall report's 满意率 counts levels 4–5 (docs/DECISIONS.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy import select

from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Service, Ticket, TicketStatus, Window
from common.db.models.ratings import Rating
from common.manager.dashboard import nearest_rank
from common.reports.model import RatingLevels, TicketFigures

__all__ = ["GroupBy", "RatingRow", "TicketRow", "rating_report", "ticket_report", "write_csv"]


class GroupBy(enum.StrEnum):
    """What a report's rows are: one per service, per window, or per hall day."""

    SERVICE = "service"
    WINDOW = "window"
    DAY = "day"


@dataclass(frozen=True)
class TicketRow(TicketFigures):
    """Tickets of one group: counts, waits and service times in seconds (None: none to count).

    The hall report's :class:`~common.reports.model.TicketFigures` under this API's name.
    """


@dataclass(frozen=True)
class RatingRow(RatingLevels):
    """Ratings of one group: count per level 1–5 and 满意率 (levels 3–5 over all)."""

    @property
    def satisfaction(self) -> float | None:
        return (self.level_5 + self.level_4 + self.level_3) / self.total if self.total else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def ticket_report(db: HallDatabase, first: dt.date, last: dt.date, by: GroupBy) -> list[TicketRow]:
    """Tickets of the hall days ``first`` to ``last`` (inclusive), one row per group, sorted.

    By window, a ticket counts for the window that served it last (not called: no window row).
    """
    with db.read() as s:
        rows = s.execute(
            select(
                Ticket.hall_day,
                Service.prefix,
                Service.name,
                Window.number,
                Window.name.label("window_name"),
                Ticket.status,
                Ticket.issued_at,
                Ticket.called_at,
                Ticket.finished_at,
            )
            .join(Service, Service.id == Ticket.service_id)
            .outerjoin(Window, Window.id == Ticket.window_id)
            .where(Ticket.hall_day >= first, Ticket.hall_day <= last)
        ).all()
    groups: dict[str, list[Any]] = defaultdict(list)
    labels: dict[str, str] = {}
    for r in rows:
        if by is GroupBy.SERVICE:
            key, label = r.prefix, r.name
        elif by is GroupBy.WINDOW:
            if r.number is None:
                continue
            key, label = f"{r.number:03d}", r.window_name or str(r.number)
        else:
            key = label = r.hall_day.isoformat()
        groups[key].append(r)
        labels[key] = label
    result = []
    for key in sorted(groups):
        g = groups[key]
        waits = [(r.called_at - r.issued_at).total_seconds() for r in g if r.called_at]
        services = [
            (r.finished_at - r.called_at).total_seconds()
            for r in g
            if r.status == TicketStatus.FINISHED and r.called_at and r.finished_at
        ]
        result.append(
            TicketRow(
                key=key.lstrip("0") if by is GroupBy.WINDOW else key,
                label=labels[key],
                issued=len(g),
                served=sum(1 for r in g if r.status == TicketStatus.FINISHED),
                no_show=sum(1 for r in g if r.status == TicketStatus.NO_SHOW),
                wait_mean=_mean(waits),
                wait_p90=nearest_rank(waits, 90),
                service_mean=_mean(services),
                service_p90=nearest_rank(services, 90),
            )
        )
    return result


def rating_report(
    db: HallDatabase, settings: Settings, first: dt.date, last: dt.date, by: GroupBy
) -> list[RatingRow]:
    """Ratings given on the hall days ``first`` to ``last``, per window or per day.

    By service: the service of the rated ticket (a hand-over rating has no ticket: not counted).
    """
    tz = settings.hall.tz
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    with db.read() as s:
        rows = s.execute(
            select(Rating.level, Rating.window, Rating.created_at, Service.prefix, Service.name)
            .outerjoin(Ticket, Ticket.id == Rating.ticket_id)
            .outerjoin(Service, Service.id == Ticket.service_id)
            .where(Rating.created_at >= start, Rating.created_at < end)
        ).all()
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    labels: dict[str, str] = {}
    for r in rows:
        if by is GroupBy.SERVICE:
            if r.prefix is None:
                continue
            key, label = r.prefix, r.name
        elif by is GroupBy.WINDOW:
            if r.window is None:
                continue
            key, label = f"{r.window:03d}", str(r.window)
        else:
            key = label = r.created_at.astimezone(tz).date().isoformat()
        counts[key][int(r.level)] += 1
        labels[key] = label
    return [
        RatingRow(
            key.lstrip("0") if by is GroupBy.WINDOW else key,
            labels[key],
            *(counts[key][level] for level in (5, 4, 3, 2, 1)),
        )
        for key in sorted(counts)
    ]


def write_csv(rows: Iterable[TicketRow | RatingRow], path: Path, *, header: Sequence[str]) -> None:
    """CSV with a UTF-8 BOM, so Excel opens Chinese right; ``header`` names the columns."""
    rows = list(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        for row in rows:
            values = [getattr(row, field.name) for field in fields(row)]
            out.writerow(
                ["" if v is None else round(v, 1) if isinstance(v, float) else v for v in values]
            )
