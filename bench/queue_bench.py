"""Queue benchmark: issue latency, concurrent issue throughput, call_next with 5,000 waiting.

    python bench/queue_bench.py [--pg postgresql://user:pw@127.0.0.1/db] [--issues 1000]

PostgreSQL figures need a server: --pg, or $ONEWINDOW_TEST_PG_URL (scripts/ensure-postgres.sh
prints one). Each run works in a fresh SQLite file / PostgreSQL schema and prints its figures.
Targets (issue 2): SQLite issue median <= 3 ms, p99 <= 15 ms; call_next p99 <= 10 ms with 5,000
waiting.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.benchlib import drop_pg, fresh_pg, pct  # noqa: E402
from common.config import settings_from_dict  # noqa: E402
from common.db.engine import HallDatabase, make_engine  # noqa: E402
from common.db.migrate import upgrade  # noqa: E402
from common.queue.service import QueueService  # noqa: E402
from tests.common.queue.issuer import ALWAYS_OPEN  # noqa: E402

DEMO_ALWAYS_OPEN = {k: v for k, v in ALWAYS_OPEN.items() if k not in ("services", "windows")}








def open_queue(url: str, settings: dict[str, object]) -> QueueService:
    db = HallDatabase(make_engine(url))
    upgrade(db.engine)
    q = QueueService(db, settings_from_dict(settings))
    q.sync_from_settings()
    return q


def issue_latency(url: str, n: int) -> tuple[float, float]:
    q = open_queue(url, ALWAYS_OPEN)
    for _ in range(50):  # warm-up: connections, statement cache
        q.issue("A")
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        q.issue("A")
        times.append(time.perf_counter() - t0)
    q.db.dispose()
    return statistics.median(times) * 1000, pct(times, 99) * 1000


def throughput(url: str, processes: int, per_process: int) -> float:
    open_queue(url, ALWAYS_OPEN).db.dispose()
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.common.queue.issuer", url, str(per_process)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(processes)
    ]
    for p in procs:
        if p.wait() != 0:
            raise SystemExit("an issuing process failed")
    return processes * per_process / (time.perf_counter() - t0)


def call_next_p99(url: str, waiting: int, calls: int) -> tuple[float, float]:
    # The demo hall's nine services and eight weighted windows, 5,000 tickets spread over them.
    q = open_queue(url, DEMO_ALWAYS_OPEN)
    prefixes = [s.prefix for s in q.settings.services]
    for i in range(waiting + calls):
        q.issue(prefixes[i % len(prefixes)])
    windows = [w.number for w in q.settings.windows]
    times = []
    for i in range(calls):
        t0 = time.perf_counter()
        q.call_next(windows[i % len(windows)])
        times.append(time.perf_counter() - t0)
    q.db.dispose()
    return statistics.median(times) * 1000, pct(times, 99) * 1000


def first_call(url: str, warm: bool) -> float:
    """The first call_next in a fresh process (as at a counter's login), in ms.

    The hall is prepared here; the call is timed in a new Python process that imports the
    queue, opens the database and (``warm``) runs ``QueueService.warm_up`` first, as the
    counter's login does.
    """
    q = open_queue(url, DEMO_ALWAYS_OPEN)
    prefixes = [sv.prefix for sv in q.settings.services]
    for i in range(200):
        q.issue(prefixes[i % len(prefixes)])
    q.db.dispose()
    out = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--first-call-child",
            url,
            "1" if warm else "0",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def _first_call_child(url: str, warm: bool) -> None:
    db = HallDatabase(make_engine(url))
    q = QueueService(db, settings_from_dict(DEMO_ALWAYS_OPEN))
    if warm:
        q.warm_up(1)
    t0 = time.perf_counter()
    q.call_next(1)
    print(f"{(time.perf_counter() - t0) * 1000:.2f}")
    db.dispose()


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--first-call-child":
        _first_call_child(sys.argv[2], sys.argv[3] == "1")
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", default=os.environ.get("ONEWINDOW_TEST_PG_URL", ""))
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--waiting", type=int, default=5000)
    parser.add_argument("--calls", type=int, default=500)
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:

        def sqlite(name: str) -> str:
            return f"sqlite:///{(Path(tmp) / name).as_posix()}"

        med, p99 = issue_latency(sqlite("latency.db"), args.issues)
        print(
            f"SQLite     issue latency   median {med:6.2f} ms   p99 {p99:6.2f} ms   "
            "(target <= 3 / <= 15)"
        )
        rate = throughput(sqlite("throughput.db"), 8, 500)
        print(f"SQLite     issue throughput, 8 processes x 500: {rate:7.0f} tickets/s")
        med, p99 = call_next_p99(sqlite("calls.db"), args.waiting, args.calls)
        print(
            f"SQLite     call_next, {args.waiting} waiting: median {med:6.2f} ms   "
            f"p99 {p99:6.2f} ms   (target p99 <= 10)"
        )
        cold = first_call(sqlite("first-cold.db"), warm=False)
        warm = first_call(sqlite("first-warm.db"), warm=True)
        print(
            f"SQLite     first call_next in a fresh process: {cold:6.1f} ms; "
            f"first call after warm-up {warm:6.1f} ms   (target <= 50)"
        )
    if args.pg:
        for label, fn in (
            ("issue", lambda u: issue_latency(u, args.issues)),
            ("throughput", lambda u: throughput(u, 8, 500)),
            ("calls", lambda u: call_next_p99(u, args.waiting, args.calls)),
            ("first", lambda u: first_call(u, warm=True)),
        ):
            url, schema = fresh_pg(args.pg)
            try:
                result = fn(url)
            finally:
                drop_pg(args.pg, schema)
            if label == "issue":
                med, p99 = result  # type: ignore[misc]
                print(
                    f"PostgreSQL issue latency   median {med:6.2f} ms   p99 {p99:6.2f} ms   "
                    "(durable commits)"
                )
            elif label == "throughput":
                print(f"PostgreSQL issue throughput, 8 processes x 500: {result:7.0f} tickets/s")
            elif label == "first":
                print(f"PostgreSQL first call after warm-up: {result:6.1f} ms")
            else:
                med, p99 = result  # type: ignore[misc]
                print(
                    f"PostgreSQL call_next, {args.waiting} waiting: "
                    f"median {med:6.2f} ms   p99 {p99:6.2f} ms"
                )
    else:
        print("PostgreSQL: skipped (no --pg and no $ONEWINDOW_TEST_PG_URL)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
