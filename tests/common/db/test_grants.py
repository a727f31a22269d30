"""Least privilege on a real PostgreSQL: the kiosk and display cannot read cases or applicants."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import ProgrammingError

from common.config import Settings
from common.db.engine import HallDatabase, make_engine
from common.db.grants import APP_ROLES, apply_grants, drop_roles
from common.queue.service import QueueService


@pytest.fixture
def roles(pg_hall_db: HallDatabase, pg_schema_url: str) -> Iterator[dict[str, str]]:
    prefix = f"ow_{uuid.uuid4().hex[:8]}"
    passwords = {app: f"pw-{app}-{prefix}" for app in APP_ROLES}
    names = apply_grants(pg_hall_db.engine, prefix=prefix, passwords=passwords)
    urls = {
        app: make_url(pg_schema_url)
        .set(username=role, password=passwords[app])
        .render_as_string(hide_password=False)
        for app, role in names.items()
    }
    yield urls
    drop_roles(pg_hall_db.engine, prefix=prefix)


def _select(url: str, table: str) -> None:
    db = HallDatabase(make_engine(url))
    try:
        with db.read() as s:
            s.execute(text(f"SELECT * FROM {table} LIMIT 1")).all()
    finally:
        db.dispose()


@pytest.mark.parametrize("app", ["kiosk", "display"])
@pytest.mark.parametrize(
    "table", ["intake_case", "case_material", "case_transition", "outbox", "staff"]
)
def test_public_programs_are_refused_on_case_and_staff_tables(
    roles: dict[str, str], app: str, table: str
) -> None:
    with pytest.raises(ProgrammingError, match="permission denied"):
        _select(roles[app], table)


def test_each_role_can_do_its_own_work(
    roles: dict[str, str], settings: Settings, pg_hall_db: HallDatabase
) -> None:
    QueueService(pg_hall_db, settings).sync_from_settings()  # the manager's job, as the owner
    kiosk_db = HallDatabase(make_engine(roles["kiosk"]))
    try:
        queue = QueueService(kiosk_db, settings)
        assert queue.issue("A").number == "A001"  # the kiosk issues numbers as its own role
    finally:
        kiosk_db.dispose()
    _select(roles["display"], "queue_event")
    for app in ("counter", "manager", "sync"):
        _select(roles[app], "intake_case")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _select(roles["sync"], "staff")


def test_grants_are_refused_on_sqlite(hall_db: HallDatabase) -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        apply_grants(hall_db.engine)
