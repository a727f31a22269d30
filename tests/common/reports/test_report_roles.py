"""On PostgreSQL the manager's own role (``onewindow db grants``) can read every report section,
grouped every way (the report's SET LOCAL planner settings need no privilege); the display's
role cannot read the report's tables."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url
from sqlalchemy.exc import ProgrammingError

from common.config import Settings
from common.db.engine import HallDatabase, make_engine
from common.db.grants import APP_ROLES, apply_grants, drop_roles
from common.queue.service import QueueService
from common.reports.generate import SMALL_MONTH, generate
from common.reports.model import Period, ReportBy
from common.reports.report import build_report


@pytest.fixture
def role_urls(pg_hall_db: HallDatabase, pg_schema_url: str) -> Iterator[dict[str, str]]:
    prefix = f"ow_{uuid.uuid4().hex[:8]}"
    passwords = {app: f"pw-{app}-{prefix}" for app in APP_ROLES}
    names = apply_grants(pg_hall_db.engine, prefix=prefix, passwords=passwords)
    yield {
        app: make_url(pg_schema_url)
        .set(username=role, password=passwords[app])
        .render_as_string(hide_password=False)
        for app, role in names.items()
    }
    drop_roles(pg_hall_db.engine, prefix=prefix)


def test_the_manager_role_reads_every_section(
    role_urls: dict[str, str], pg_hall_db: HallDatabase, settings: Settings
) -> None:
    QueueService(pg_hall_db, settings).sync_from_settings()
    generate(
        pg_hall_db,
        first_day=dt.date(2026, 10, 1),
        days=5,
        volume=SMALL_MONTH,
        tz=settings.hall.tz,
        today=dt.date(2026, 10, 20),
    )
    period = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 5))
    now = dt.datetime(2026, 10, 20, 10, tzinfo=dt.UTC)
    manager = HallDatabase(make_engine(role_urls["manager"]))
    try:
        for by in ReportBy:
            report = build_report(manager, settings, period, by, now=now)
            assert report.tickets.total.issued == 5 * SMALL_MONTH.tickets_per_day
            assert report.followups is not None and report.ratings.total.total > 0
    finally:
        manager.dispose()
    display = HallDatabase(make_engine(role_urls["display"]))
    try:
        with pytest.raises(ProgrammingError, match="permission denied"):
            build_report(display, settings, period, ReportBy.SERVICE, now=now)
    finally:
        display.dispose()
