"""Sync benchmark: the central server's side and the hall's sync client.

    python bench/sync_bench.py [--pg postgresql://...] [--batches 200] [--workers 1]
                               [--section server|drain|feed|memory] [--rows 5000] [--batch 200]

Server section: ``onewindow-server serve`` on PostgreSQL (``--pg`` or $ONEWINDOW_TEST_PG_URL, a
fresh schema, durable commits) behind uvicorn on loopback; one hall posts ``--batches`` batches
of 100 new ``case.accept`` events (realistic national case-data payloads, ~1.5 KB each) over one
keep-alive connection. Reports the POST latency per batch of 100 (median, p95, p99), the rate in
cases per second, and the same batch sent again (all ``duplicate``: the idempotent path).

Client sections: ``drain`` — the hall's drainer (``common.sync``) sends ``--rows`` outbox rows
from a PostgreSQL hall to a PostgreSQL-backed server on loopback (plain HTTP: TLS costs the same
per request wherever it ends), one hall with one worker, then 4 halls (4 processes) against 4
uvicorn workers; ``feed`` — the change-feed apply rate; ``memory`` — the client's resident
memory while draining 50,000 rows.
"""

from __future__ import annotations

import argparse
import contextlib
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
from typing import Any

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
    admin = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
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
            batches = [
                [
                    accept_event(f"B{b:04d}{i:03d}", name="林晓燕", id_number="350102198001011233")
                    for i in range(100)
                ]
                for b in range(args.batches + 5)
            ]
            latencies: list[float] = []
            with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
                for n, items in enumerate(batches):
                    t0 = time.perf_counter()
                    r = client.post("/api/v1/events", json={"hall": HALL, "items": items})
                    elapsed = time.perf_counter() - t0
                    assert r.status_code == 200 and all(
                        x["status"] == "applied" for x in r.json()["results"]
                    ), r.text[:300]
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
    print(
        f"server POST /events, batch of 100 new cases, {len(ms)} batches, "
        f"{args.workers} worker(s), PostgreSQL:"
    )
    print(
        f"  median {statistics.median(ms):.1f} ms  p95 {percentile(ms, 95):.1f} ms"
        f"  p99 {percentile(ms, 99):.1f} ms"
        f"  → {100 * len(latencies) / total:.0f} cases/s (one hall, one connection)"
    )
    dup = [x * 1000 for x in again]
    print(
        f"  the same batch again (all duplicate): median {statistics.median(dup):.1f} ms"
        f"  p99 {percentile(dup, 99):.1f} ms"
    )


# ---------------------------------------------------------------------- the hall's side (client)


def _hall_db(url: str) -> Any:
    from common.db.engine import HallDatabase
    from common.db.engine import make_engine as hall_engine
    from common.db.migrate import upgrade as hall_upgrade

    db = HallDatabase(hall_engine(url), checkpoint_interval=None)
    hall_upgrade(db.engine)
    return db


def _fill_outbox(db: Any, count: int, hall: str = HALL, prefix: str = "C") -> None:
    """``count`` case.accept outbox rows with realistic payloads (~1.5 KB), written directly
    (the case rows themselves do not matter to the drainer)."""
    from sqlalchemy import insert

    from common.db.models import OutboxRow

    now = utc_now()
    rows = []
    for n in range(count):
        event = accept_event(
            f"{hall}-{prefix}{n:07d}", hall=hall, name="林晓燕", id_number="350102198001011233"
        )
        rows.append(
            {
                "key": event["key"],
                "event_type": event["type"],
                "aggregate": f"case:bench-{prefix}{n}",
                "seq": 1,
                "case_id": None,
                "payload": event["payload"],
                "created_at": now,
            }
        )
        if len(rows) == 2000:
            with db.write() as s:
                s.execute(insert(OutboxRow), rows)
            rows = []
    if rows:
        with db.write() as s:
            s.execute(insert(OutboxRow), rows)


def _drain_once(hall_url: str, base: str, token: str, hall: str, batch: int) -> tuple[int, float]:
    """One hall drains its whole outbox to the server; (rows, seconds)."""
    from common.clock import DatabaseClock
    from common.sync.client import HttpCentralClient
    from common.sync.drainer import OutboxDrainer

    db = _hall_db(hall_url)
    client = HttpCentralClient(base, token, read_timeout=60, retries=3)
    drainer = OutboxDrainer(db, client, DatabaseClock(), hall=hall, batch_size=batch)
    t0 = time.perf_counter()
    report = drainer.drain()
    elapsed = time.perf_counter() - t0
    client.close()
    db.dispose()
    assert report.error == "" and report.failed == 0, report
    return report.sent, elapsed


def _drain_proc(args: tuple[str, str, str, str, int]) -> tuple[int, float]:
    return _drain_once(*args)


def drain_figures(args: argparse.Namespace) -> None:
    """Drain rate to a PostgreSQL-backed server on loopback: one hall, then 4 halls at once
    against 4 uvicorn workers (each hall its own process and PostgreSQL hall schema)."""
    if not args.pg:
        print("drain: skipped (no PostgreSQL)")
        return
    import multiprocessing

    for workers, halls in ((1, 1), (4, 4)):
        codes = [f"3501{n:02d}" for n in range(2, 2 + halls)]
        with contextlib.ExitStack() as stack:
            server_url = stack.enter_context(pg_schema(args.pg))
            hall_urls = [stack.enter_context(pg_schema(args.pg)) for _ in codes]
            engine = make_engine(server_url)
            upgrade(engine)
            tokens = []
            with make_sessionmaker(engine).begin() as s:
                load_catalog_path(s, DEMO_CATALOG, utc_now())
                for code in codes:
                    tokens.append(add_device(s, code, DeviceRole.COUNTER, utc_now()))
            engine.dispose()
            for url, code in zip(hall_urls, codes, strict=True):
                db = _hall_db(url)
                _fill_outbox(db, args.rows, hall=code)
                db.dispose()
            port = free_port()
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            stack.enter_context(
                serve_command(
                    server_url,
                    port,
                    "--no-upgrade",
                    "--workers",
                    str(workers),
                    log=Path(tmp) / "serve.log",
                )
            )
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base)
            jobs = [
                (url, base, token, code, args.batch)
                for url, code, token in zip(hall_urls, codes, tokens, strict=True)
            ]
            t0 = time.perf_counter()
            if halls == 1:
                results = [_drain_once(*jobs[0])]
            else:
                with multiprocessing.get_context("spawn").Pool(halls) as pool:
                    results = pool.map(_drain_proc, jobs)
            wall = time.perf_counter() - t0
        sent = sum(r[0] for r in results)
        per_hall = ", ".join(f"{r[0] / r[1]:.0f}" for r in results)
        print(
            f"drain: {halls} hall(s) × {args.rows} case rows, batches of {args.batch}, "
            f"{workers} uvicorn worker(s), PostgreSQL both sides: {sent / wall:.0f} cases/s "
            f"in total (per hall: {per_hall})"
        )


def feed_figures(args: argparse.Namespace) -> None:
    """Change-feed apply rate: back-office decisions (start review, approve, mark ready) applied
    to the hall's cases through CaseService.apply_central, pages of 200 with the cursor, on a
    SQLite hall file and (with --pg) a PostgreSQL hall. The feed comes from the fake client so
    the figure is the hall's apply cost, not the network's."""
    from common.catalog.loader import load_catalog_file
    from common.clock import DatabaseClock
    from common.config import settings_from_dict
    from common.contract import ChangeItem, ChangeType
    from common.intake.cases import CaseService
    from common.intake.words import CaseAction
    from common.sync.client import FakeCentralClient
    from common.sync.feed import FeedFollower
    from tests.sync.conftest import draft

    catalog = load_catalog_file(ROOT / "resources" / "catalog" / "demo.toml")
    settings = settings_from_dict(
        {
            "hall": {"secret": "bench"},
            "hours": [["00:00", "23:59:59"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
        }
    )
    targets: list[tuple[str, Callable[[], contextlib.AbstractContextManager[str]]]] = []
    tmp = tempfile.mkdtemp()
    targets.append(("SQLite", lambda: contextlib.nullcontext(f"sqlite:///{tmp}/feed.db")))
    if args.pg:
        targets.append(("PostgreSQL", lambda: pg_schema(args.pg)))
    for name, make in targets:
        with make() as url:
            db = _hall_db(url)
            cases = CaseService(db, settings, DatabaseClock())
            d = draft(catalog)
            numbers = [cases.accept(d, actor="w1").number for _ in range(args.feed_cases)]
            at = utc_now()
            feed = [
                ChangeItem(
                    position=i + 1,
                    type=ChangeType.CASE_STATUS,
                    hall=HALL,
                    case_number=n,
                    at=at,
                    payload={"action": a.value, "handler": "李审批", "opinion": ""},
                )
                for i, (a, n) in enumerate(
                    (a, n)
                    for a in (CaseAction.START_REVIEW, CaseAction.APPROVE, CaseAction.MARK_READY)
                    for n in numbers
                )
            ]
            follower = FeedFollower(
                db, FakeCentralClient(hall=HALL, feed=feed), cases, DatabaseClock(), page_size=200
            )
            t0 = time.perf_counter()
            report = follower.follow()
            elapsed = time.perf_counter() - t0
            db.dispose()
        assert report.applied == len(feed), report
        print(
            f"feed apply ({name} hall): {len(feed)} decisions in {elapsed:.2f} s → "
            f"{len(feed) / elapsed:.0f} changes/s (pages of 200, cursor in the same transaction)"
        )


class _CountingClient:
    """Answers every item ``applied`` and keeps nothing (the client's memory is measured).

    Only the drainer uses it, so the feed and health calls are refused rather than faked.
    """

    def post_events(self, batch: Any) -> Any:
        from common.contract import BatchResult, ItemResult, ItemStatus

        return BatchResult(
            results=[ItemResult(key=i.key, status=ItemStatus.APPLIED) for i in batch.items]
        )

    def changes(self, after: int, limit: int) -> Any:
        raise NotImplementedError

    def health(self) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        pass


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def memory_figures(args: argparse.Namespace) -> None:
    """Client resident memory while draining 50,000 rows (SQLite hall file; an in-process server
    stand-in that answers ``applied``, so only the client's own memory is in the figure)."""
    from common.clock import DatabaseClock
    from common.sync.drainer import OutboxDrainer

    with tempfile.TemporaryDirectory() as tmp:
        db = _hall_db(f"sqlite:///{tmp}/memory.db")
        _fill_outbox(db, args.memory_rows)
        drainer = OutboxDrainer(
            db, _CountingClient(), DatabaseClock(), hall=HALL, batch_size=args.batch
        )
        samples = []
        sent = 0
        t0 = time.perf_counter()
        while True:
            report = drainer.drain_once()
            if not report.claimed:
                break
            sent += report.sent
            if sent % 5000 < args.batch:
                samples.append((sent, _rss_mb()))
        elapsed = time.perf_counter() - t0
        db.dispose()
    warm = next(m for n, m in samples if n >= 5000)
    peak = max(m for _, m in samples)
    print(
        f"client memory draining {sent} rows (batches of {args.batch}, "
        f"{sent / elapsed:.0f} rows/s without network): RSS {warm:.1f} MB after 5,000 "
        f"→ peak {peak:.1f} MB, growth {100 * (peak - warm) / warm:.1f} %"
    )


SECTIONS: dict[str, Callable[[argparse.Namespace], None]] = {
    "server": server_figures,
    "drain": drain_figures,
    "feed": feed_figures,
    "memory": memory_figures,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("ONEWINDOW_TEST_PG_URL"))
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rows", type=int, default=5000, help="drain: outbox rows per hall")
    parser.add_argument("--batch", type=int, default=200, help="drain/memory: rows per POST")
    parser.add_argument(
        "--feed-cases", type=int, default=1000, help="feed: cases (3 decisions each)"
    )
    parser.add_argument("--memory-rows", type=int, default=50_000)
    parser.add_argument("--section", action="append", choices=sorted(SECTIONS), help="default: all")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs")
    for name in args.section or list(SECTIONS):
        SECTIONS[name](args)


if __name__ == "__main__":
    main()
