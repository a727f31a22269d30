"""Interleaved A/B of the queue between two trees, for a machine that is busy with other work.

    git archive <old-commit> | tar -x -C /tmp/old
    python bench/queue_ab.py /tmp/old [--pg URL] [--rounds 6] [--n 100] [--waiting 5000]

Each figure is measured in alternating chunks (old, new, new, old, …), every chunk in a fresh
process on its own copy of one prepared database, so both trees see the same load and the same
data; a plain before/after run on a shared machine mostly measures the neighbours. Prints the
median and p99 of each side for: SQLite issue, SQLite call_next with ``--waiting`` waiting, and
with ``--pg`` the same on PostgreSQL (copies are schemas). The child mode (``--child``) is what
each chunk runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

NEW = Path(__file__).resolve().parents[1]
TABLES = (
    "service", "window", "staff", "window_service", "service_counter", "ticket", "queue_event",
    "audit_log", "device_status", "service_time", "alembic_version",
)  # fmt: skip


def _child(url: str, mode: str, n: int) -> None:
    from common.config import settings_from_dict
    from common.db.engine import HallDatabase, make_engine
    from common.queue.service import QueueService
    from tests.common.queue.issuer import ALWAYS_OPEN

    demo = {k: v for k, v in ALWAYS_OPEN.items() if k not in ("services", "windows")}
    db = HallDatabase(make_engine(url))
    q = QueueService(db, settings_from_dict(demo if mode == "calls" else ALWAYS_OPEN))
    windows = [w.number for w in q.settings.windows]
    times = []
    for i in range(n + 20):  # 20 untimed: connections and statement caches
        t0 = time.perf_counter()
        if mode == "calls":
            q.call_next(windows[i % len(windows)])
        else:
            q.issue("A")
        if i >= 20:
            times.append((time.perf_counter() - t0) * 1000)
    db.dispose()
    print(json.dumps(times))


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "old", type=Path, help="the other tree (e.g. git archive of the previous commit)"
    )
    parser.add_argument("--pg", default="")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--waiting", type=int, default=5000)
    args = parser.parse_args()
    sys.path.insert(0, str(NEW))
    from sqlalchemy import create_engine, text

    from common.config import settings_from_dict
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.queue.service import QueueService
    from tests.common.queue.issuer import ALWAYS_OPEN

    demo = {k: v for k, v in ALWAYS_OPEN.items() if k not in ("services", "windows")}
    roots = {"old": args.old.resolve(), "new": NEW}
    tmp = Path(tempfile.mkdtemp())
    admin = (
        create_engine(
            args.pg.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
        )
        if args.pg
        else None
    )

    def prepare(url: str, mode: str, waiting: int) -> None:
        db = HallDatabase(make_engine(url))
        upgrade(db.engine)
        q = QueueService(db, settings_from_dict(demo if mode == "calls" else ALWAYS_OPEN))
        q.sync_from_settings()
        prefixes = [s.prefix for s in q.settings.services]
        for i in range(waiting):
            q.issue(prefixes[i % len(prefixes)])
        db.dispose()

    def pg_url(schema: str) -> str:
        sep = "&" if "?" in args.pg else "?"
        return f"{args.pg}{sep}options=-csearch_path%3D{schema}"

    def run(kind: str, mode: str, waiting: int) -> None:
        if kind == "sqlite":
            base = tmp / f"{mode}.db"
            prepare(f"sqlite:///{base.as_posix()}", mode, waiting)
        else:
            assert admin is not None
            schema = f"ab_{uuid.uuid4().hex[:8]}"
            with admin.connect() as c:
                c.execute(text(f'CREATE SCHEMA "{schema}"'))
            prepare(pg_url(schema), mode, waiting)
        results: dict[str, list[float]] = {"old": [], "new": []}
        for r in range(args.rounds):
            for label in ("old", "new") if r % 2 == 0 else ("new", "old"):
                if kind == "sqlite":
                    copy = tmp / f"{mode}-{label}-{r}.db"
                    for ext in ("", "-wal", "-shm"):
                        if Path(f"{base}{ext}").exists():
                            shutil.copy(f"{base}{ext}", f"{copy}{ext}")
                    url = f"sqlite:///{copy.as_posix()}"
                else:
                    assert admin is not None
                    copy_schema = f"ab_{uuid.uuid4().hex[:8]}"
                    with admin.connect() as c:
                        c.execute(text(f'CREATE SCHEMA "{copy_schema}"'))
                        for t in TABLES:
                            c.execute(
                                text(
                                    f'CREATE TABLE "{copy_schema}".{t} '
                                    f'(LIKE "{schema}".{t} INCLUDING ALL)'
                                )
                            )
                            c.execute(
                                text(
                                    f'INSERT INTO "{copy_schema}".{t} SELECT * FROM "{schema}".{t}'
                                )
                            )
                    url = pg_url(copy_schema)
                out = subprocess.run(
                    [
                        sys.executable,
                        str(Path(__file__).resolve()),
                        "--child",
                        url,
                        mode,
                        str(args.n),
                    ],
                    capture_output=True,
                    text=True,
                    cwd=roots[label],
                    env={**os.environ, "PYTHONPATH": str(roots[label])},
                    check=True,
                )
                results[label] += json.loads(out.stdout.strip().splitlines()[-1])
                if kind != "sqlite":
                    assert admin is not None
                    with admin.connect() as c:
                        c.execute(text(f'DROP SCHEMA "{copy_schema}" CASCADE'))
        if kind != "sqlite":
            assert admin is not None
            with admin.connect() as c:
                c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        for label in ("old", "new"):
            v = results[label]
            print(
                f"{kind:10} {mode:6} {label}: n={len(v)} median {statistics.median(v):6.2f} ms"
                f"   p99 {_pct(v, 99):7.2f} ms",
                flush=True,
            )

    run("sqlite", "issues", 0)
    run("sqlite", "calls", args.waiting)
    if args.pg:
        run("pg", "issues", 0)
        run("pg", "calls", args.waiting)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
