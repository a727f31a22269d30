"""Two real counter processes on one hall database never get the same ticket."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from common.db.engine import HallDatabase, make_engine
from common.db.migrate import upgrade
from common.db.models import AuditLog, Role, Ticket, TicketStatus
from common.queue.service import QueueService
from common.staff import create_staff
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
TICKETS = 40


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_counter_processes_never_share_a_ticket(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_schema_url")
    db = HallDatabase(make_engine(url))
    upgrade(db.engine)
    settings = make_settings()
    queue = QueueService(db, settings)  # the real clock: the processes use it too
    queue.sync_from_settings()
    for n in (1, 2):
        create_staff(db, f"w{n}", f"窗口{n}", f"window{n}", Role.WINDOW)
    for _ in range(TICKETS):
        queue.issue("A")  # windows 1 and 2 both serve A
    config = tmp_path / "hall.toml"
    config.write_text(
        f'hours = [["00:00", "23:59:59"]]\n[calendar]\nopen_weekdays = [0, 1, 2, 3, 4, 5, 6]\n'
        f'[hall]\nsecret = "test-secret-not-for-production"\n[database]\nurl = "{url}"\n',
        encoding="utf-8",
    )
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.counter._counter_proc",
                str(config),
                str(n),
                str(TICKETS // 2 + 5),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    outputs = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=90)
            assert p.returncode == 0, err[-2000:]
            outputs.append(int(out.strip().splitlines()[-1]))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    with db.read() as s:
        calls = s.execute(
            select(AuditLog.target, func.count())
            .where(AuditLog.action == "call")
            .group_by(AuditLog.target)
        ).all()
        statuses: dict[TicketStatus, int] = dict(
            s.execute(select(Ticket.status, func.count()).group_by(Ticket.status)).tuples().all()
        )
        by_actor: dict[str, int] = dict(
            s.execute(
                select(AuditLog.actor, func.count())
                .where(AuditLog.action == "call")
                .group_by(AuditLog.actor)
            )
            .tuples()
            .all()
        )
    db.dispose()
    assert len(calls) == TICKETS, "every ticket was called"
    assert all(count == 1 for _target, count in calls), "no ticket was called twice"
    assert sum(outputs) >= TICKETS
    assert set(by_actor) == {"w1", "w2"}, "both processes called"
    assert statuses.get(TicketStatus.WAITING, 0) == 0
