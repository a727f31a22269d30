"""Two windows never share a case number; a crash mid-accept leaves no half case and no orphan
outbox row (issue 10's concurrency acceptance, on SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from common.clock import DatabaseClock
from common.config import settings_from_dict
from common.db.engine import HallDatabase
from common.db.models import Case, CaseCounter, CaseMaterial, CaseTransition, OutboxRow
from common.intake.cases import CaseService
from tests.common.intake.acceptor import SETTINGS, draft
from tests.killing import kill_repeatedly

ROOT = Path(__file__).resolve().parents[3]


def _gap_free(db: HallDatabase) -> int:
    """Assert each hall day's case numbers run 1, 2, 3 … without a gap; return how many cases.

    Per day, because numbering starts again at the hall's midnight — and a run that crosses
    it (16:00 UTC for a hall in Shanghai) is not a fault.
    """
    days: dict[object, list[int]] = {}
    with db.read() as s:
        for day, seq in s.execute(select(Case.hall_day, Case.seq)):
            days.setdefault(day, []).append(seq)
    for day, seqs in days.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"gap or repeat on {day}"
    return sum(len(seqs) for seqs in days.values())


def _spawn(url: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.common.intake.acceptor", url, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _consistent(db: HallDatabase) -> int:
    """Every case has its materials, transition and outbox row; no row lacks its case."""
    with db.read() as s:
        cases = s.scalar(select(func.count()).select_from(Case)) or 0
        assert s.scalar(select(func.count()).select_from(OutboxRow)) == cases
        assert s.scalar(select(func.count()).select_from(CaseTransition)) == cases
        assert s.scalar(select(func.count(func.distinct(CaseMaterial.case_id)))) == cases
        orphans = s.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.case_id.not_in(select(Case.id)))
        )
        assert orphans == 0
        assert s.scalar(select(func.coalesce(func.max(CaseCounter.last), 0))) == cases
    return cases


def test_eight_processes_on_one_sqlite_file(hall_db: HallDatabase) -> None:
    url = hall_db.engine.url.render_as_string(hide_password=False)
    procs = [_spawn(url, 200) for _ in range(8)]
    printed: list[str] = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        printed += out.split()
    assert len(printed) == 1600 and len(set(printed)) == 1600
    assert _gap_free(hall_db) == 1600  # distinct and gap-free
    assert _consistent(hall_db) == 1600


def test_sixteen_threads_on_postgresql(pg_hall_db: HallDatabase) -> None:
    cases = CaseService(pg_hall_db, settings_from_dict(SETTINGS), DatabaseClock())
    d = draft()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(200):
                cases.accept(d, actor="w1")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, errors[:3]
    assert _gap_free(pg_hall_db) == 3200
    assert _consistent(pg_hall_db) == 3200


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_while_accepting_leaves_no_half_case(any_hall_db: HallDatabase) -> None:
    url = any_hall_db.engine.url.render_as_string(hide_password=False)
    seen = kill_repeatedly(lambda: _spawn(url, 100_000), rounds=6, seed=11, alive=(1.5, 2.5))
    assert seen, "the acceptor never accepted"
    accepted = _gap_free(any_hall_db)
    with any_hall_db.read() as s:
        numbers = set(s.scalars(select(Case.number)))
    assert set(seen) <= numbers  # every number a receipt could show is there
    assert _consistent(any_hall_db) == accepted
