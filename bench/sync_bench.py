"""Sync benchmark: the central server's side (the sync client's figures join this file later).

    python bench/sync_bench.py [--pg postgresql://...] [--batches 200] [--workers 1] [--section server]

Server section: ``onewindow-server serve`` on PostgreSQL (``--pg`` or $ONEWINDOW_TEST_PG_URL, a
fresh schema, durable commits) behind uvicorn on loopback; one hall posts ``--batches`` batches
of 100 new ``case.accept`` events (realistic national case-data payloads, ~1.5 KB each) over one
keep-alive connection. Reports the POST latency per batch of 100 (median, p95, p99), the rate in
cases per second, and the same batch sent again (all ``duplicate``: the idempotent path).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from common.catalog.loader import DEMO_CATALOG  # noqa: E402
from common.contract import DeviceRole  # noqa: E402
from server.catalog import load_catalog_path  # noqa: E402
from server.db.engine import make_engine, make_sessionmaker  # noqa: E402
from server.db.migrate import upgrade  # noqa: E402
from server.security import add_device  # noqa: E402
from server.settings import utc_now  # noqa: E402
from tests.server.conftest import accept_event  # noqa: E402
from tests.server.live import free_port, serve_command, wait_until_up  # noqa: E402

HALL = "350102"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """A fresh schema on the PostgreSQL server (durable commits: the production default)."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _prepare(url: str) -> str:
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as s:
        load_catalog_path(s, DEMO_CATALOG, utc_now())
        token = add_device(s, HALL, DeviceRole.COUNTER, utc_now())
    engine.dispose()
    return token


def server_figures(args: argparse.Namespace) -> None:
    """POST latency for a batch of 100 (p99) against a PostgreSQL-backed server on loopback."""
    if not args.pg:
        print("server: skipped (no PostgreSQL: --pg or $ONEWINDOW_TEST_PG_URL)")
        return
    with pg_schema(args.pg) as url, tempfile.TemporaryDirectory() as tmp:
        token = _prepare(url)
        port = free_port()
        extra = ["--no-upgrade", "--workers", str(args.workers)]
        with serve_command(url, port, *extra, log=Path(tmp) / "serve.log"):
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base)
            headers = {"Authorization": f"Bearer {token}"}
            batches = [[accept_event(f"B{b:04d}{i:03d}", name="林晓燕", id_number="350102198001011236")
                        for i in range(100)] for b in range(args.batches + 5)]
            latencies: list[float] = []
            with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
                for n, items in enumerate(batches):
                    t0 = time.perf_counter()
                    r = client.post("/api/v1/events", json={"hall": HALL, "items": items})
                    elapsed = time.perf_counter() - t0
                    assert r.status_code == 200 and all(x["status"] == "applied" for x in r.json()["results"]), r.text[:300]
                    if n >= 5:  # the first few warm the pools up
                        latencies.append(elapsed)
                again: list[float] = []
                for items in batches[5:55]:
                    t0 = time.perf_counter()
                    r = client.post("/api/v1/events", json={"hall": HALL, "items": items})
                    again.append(time.perf_counter() - t0)
                    assert all(x["status"] == "duplicate" for x in r.json()["results"])
    ms = [x * 1000 for x in latencies]
    total = sum(latencies)
    print(f"server POST /events, batch of 100 new cases, {len(ms)} batches, {args.workers} worker(s), PostgreSQL:")
    print(f"  median {statistics.median(ms):.1f} ms  p95 {percentile(ms, 95):.1f} ms  p99 {percentile(ms, 99):.1f} ms"
          f"  → {100 * len(latencies) / total:.0f} cases/s (one hall, one connection)")
    dup = [x * 1000 for x in again]
    print(f"  the same batch again (all duplicate): median {statistics.median(dup):.1f} ms  p99 {percentile(dup, 99):.1f} ms")


SECTIONS: dict[str, Callable[[argparse.Namespace], None]] = {"server": server_figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("ONEWINDOW_TEST_PG_URL"))
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--section", action="append", choices=sorted(SECTIONS), help="default: all")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs")
    for name in args.section or list(SECTIONS):
        SECTIONS[name](args)


if __name__ == "__main__":
    main()
