"""Two kiosks never print the same number; windows never share a ticket; crashes lose nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from common.config import settings_from_dict
from common.db.engine import HallDatabase
from common.db.models import ServiceCounter, Ticket, TicketStatus
from common.queue.service import QueueService
from tests.common.queue.issuer import ALWAYS_OPEN
from tests.killing import kill_repeatedly

ROOT = Path(__file__).resolve().parents[3]


def _queue(db: HallDatabase) -> QueueService:
    q = QueueService(db, settings_from_dict(ALWAYS_OPEN))
    q.sync_from_settings()
    return q


def _numbers(db: HallDatabase) -> list[int]:
    with db.read() as s:
        return sorted(s.scalars(select(Ticket.seq)))


def _spawn(url: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.common.queue.issuer", url, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_eight_processes_on_one_sqlite_file(hall_db: HallDatabase) -> None:
    _queue(hall_db)
    url = hall_db.engine.url.render_as_string(hide_password=False)
    procs = [_spawn(url, 500) for _ in range(8)]
    printed: list[str] = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        printed += out.split()
    assert len(printed) == 4000 and len(set(printed)) == 4000
    assert _numbers(hall_db) == list(range(1, 4001))  # distinct and gap-free
    assert {f"A{n:03d}" for n in range(1, 4001)} == set(printed)


def _threads(n: int, target: object) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()  # type: ignore[operator]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors[:3]


def test_sixteen_threads_on_postgresql(pg_hall_db: HallDatabase) -> None:
    q = _queue(pg_hall_db)
    _threads(16, lambda: [q.issue("A") for _ in range(500)])
    assert _numbers(pg_hall_db) == list(range(1, 8001))


def test_ten_windows_calling_at_once(any_hall_db: HallDatabase) -> None:
    q = _queue(any_hall_db)
    for _ in range(300):
        q.issue("A")
    got: dict[int, list[str]] = {n: [] for n in range(1, 11)}

    def window(n: int) -> None:
        while (t := q.call_next(n)) is not None:
            got[n].append(t.number)

    threads = [threading.Thread(target=window, args=(n,)) for n in range(1, 11)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    called = [num for nums in got.values() for num in nums]
    assert len(called) == 300 and len(set(called)) == 300
    assert sum(1 for nums in got.values() if nums) > 1  # really concurrent
    with any_hall_db.read() as s:
        assert s.scalar(select(func.count()).where(Ticket.status == TicketStatus.WAITING)) == 0


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_while_issuing_loses_nothing(any_hall_db: HallDatabase) -> None:
    _queue(any_hall_db)
    url = any_hall_db.engine.url.render_as_string(hide_password=False)
    seen = kill_repeatedly(lambda: _spawn(url, 100_000), rounds=6, seed=7, alive=(0.6, 1.5))
    assert seen, "the issuer never issued"
    numbers = _numbers(any_hall_db)
    # Gap-free: no half ticket took a number and vanished ...
    assert numbers == list(range(1, len(numbers) + 1))
    # ... every number a citizen saw is there ...
    assert {int(n[1:]) for n in seen} <= set(numbers)
    # ... and the counter agrees with the tickets.
    with any_hall_db.read() as s:
        assert s.scalar(select(func.max(ServiceCounter.last_seq))) == len(numbers)
