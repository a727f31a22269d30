"""Hall display figures: call → on-screen latency, update cost, memory over many calls.

    QT_QPA_PLATFORM=offscreen python bench/display_bench.py [--pg URL] [--calls 10000]

* latency: a writer thread calls tickets through QueueService (its own connections, as a counter
  PC would); the time from the call's commit to the display's ``call_shown`` signal (labels set,
  models updated) is measured. SQLite uses the display's polling (default 0.25 s); PostgreSQL
  uses LISTEN/NOTIFY.
* update cost: 60 windows, 2,000 waiting: one counts refresh (the query on the worker) and one
  batch of events applied on the GUI thread.
* memory: resident set after 100 calls and after 10,000 calls through the display.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication
from sqlalchemy import Engine, create_engine, text

from common.config import Settings, settings_from_dict
from common.db.engine import HallDatabase, make_engine
from common.db.migrate import upgrade
from common.qt.pyside_compat import protect_singletons
from common.qt.queue_events import QueueEventBridge
from common.qt.worker import TaskRunner
from common.queue.events import QueueEventRecord
from common.queue.service import QueueService
from kiosk.display.window import DisplayWindow


def rss_mb() -> float:
    try:
        import psutil

        return float(psutil.Process().memory_info().rss) / 2**20
    except ImportError:
        pass
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def hall_settings(windows: int = 8) -> Settings:
    data: dict[str, object] = {
        "hours": [["00:00", "23:59:59"]],
        "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
        "hall": {"secret": "bench"},
        "display": {"flash_seconds": 0},
    }
    if windows != 8:
        areas = "BCDEFGHJ"
        data["windows"] = [
            {"number": n, "services": {"A": 2, areas[n % 8]: 3, areas[(n + 1) % 8]: 1}}
            for n in range(1, windows + 1)
        ]
    return settings_from_dict(data)


def open_db(url: str) -> HallDatabase:
    db = HallDatabase(make_engine(url, pool_size=10))
    upgrade(db.engine)
    return db


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def latency(app: QApplication, url: str, calls: int) -> list[float]:
    settings = hall_settings()
    db = open_db(url)
    queue = QueueService(db, settings)
    queue.sync_from_settings()
    for _ in range(calls):
        queue.issue("A")
    window = DisplayWindow(settings, queue, TaskRunner(app))
    window.resize(1920, 1080)
    window.show()
    bridge = QueueEventBridge(queue, window, poll_interval=settings.display.poll_interval)
    bridge.events.connect(window.on_queue_events)
    bridge.follower.last_id = queue.last_event_id()
    committed: dict[str, float] = {}
    shown: dict[int, float] = {}
    window.call_shown.connect(lambda eid: shown.__setitem__(eid, time.perf_counter()))
    bridge.start()
    writer_queue = QueueService(open_db(url), settings)  # the "counter PC": its own engine

    def write() -> None:
        for i in range(calls):
            t = writer_queue.call_next(i % 8 + 1)
            assert t is not None
            committed[t.number] = time.perf_counter()
            time.sleep(0.15)

    thread = threading.Thread(target=write)
    thread.start()
    while thread.is_alive() or len(shown) < calls:
        app.processEvents()
        time.sleep(0.001)
        if (
            not thread.is_alive()
            and len(shown) < calls
            and time.perf_counter() - max(committed.values()) > 5
        ):
            break
    bridge.stop()
    events = {e.id: e.number for e in queue.events_after(0, 100000) if e.kind == "called"}
    result = [(shown[eid] - committed[events[eid]]) * 1000 for eid in shown if eid in events]
    window.stop()
    window.close()
    writer_queue.db.dispose()
    db.dispose()
    return result


def update_cost(app: QApplication, url: str) -> tuple[float, float]:
    settings = hall_settings(windows=60)
    db = open_db(url)
    queue = QueueService(db, settings)
    queue.sync_from_settings()
    for i in range(2000):
        queue.issue("ABCDEFGHJ"[i % 9])
    window = DisplayWindow(settings, queue, TaskRunner(inline=True))
    window.resize(1920, 1080)
    window.show()
    window.start()
    start = time.perf_counter()
    for _ in range(20):
        statuses = queue.service_statuses()
    query_ms = (time.perf_counter() - start) * 1000 / 20
    now = dt.datetime.now(dt.UTC)
    day = queue.hall_day_of(now)
    base = window.board.last_event_id
    batch = [
        QueueEventRecord(base + i + 1, now, day, "called", f"A{i:03d}", "A", i % 60 + 1)
        for i in range(60)
    ]
    start = time.perf_counter()
    window.on_queue_events(batch)
    window._apply_counts(statuses)
    app.processEvents()
    apply_ms = (time.perf_counter() - start) * 1000
    window.stop()
    window.close()
    db.dispose()
    return query_ms, apply_ms


def memory(app: QApplication, total: int) -> tuple[float, float]:
    settings = hall_settings()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(f"sqlite:///{tmp}/mem.db")
        queue = QueueService(db, settings)
        queue.sync_from_settings()
        window = DisplayWindow(settings, queue, TaskRunner(inline=True))
        window.resize(1920, 1080)
        window.show()
        now = dt.datetime.now(dt.UTC)
        day = queue.hall_day_of(now)
        after_100 = 0.0
        for i in range(1, total + 1):
            kind = "recalled" if i % 10 == 0 else "called"
            window.on_queue_events(
                [
                    QueueEventRecord(
                        i, now, day, kind, f"{'ABCDEFGHJ'[i % 9]}{i % 999:03d}", "A", i % 8 + 1
                    )
                ]
            )
            if i % 50 == 0:
                app.processEvents()
            if i == 100:
                gc.collect()
                after_100 = rss_mb()
        app.processEvents()
        gc.collect()
        after_all = rss_mb()
        window.stop()
        window.close()
        db.dispose()
        return after_100, after_all


def pg_schema(base: str) -> tuple[str, Engine, str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", admin, schema


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("ONEWINDOW_TEST_PG_URL", ""))
    parser.add_argument("--calls", type=int, default=60, help="calls per latency run")
    parser.add_argument("--memory-calls", type=int, default=10000)
    args = parser.parse_args()
    protect_singletons()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        lat = latency(app, f"sqlite:///{tmp}/hall.db", args.calls)
        print(
            f"SQLite (poll 0.25 s): call → on screen p50 {statistics.median(lat):.0f} ms, "
            f"p95 {pct(lat, 95):.0f} ms, max {max(lat):.0f} ms (n={len(lat)})"
        )
        q, a = update_cost(app, f"sqlite:///{tmp}/cost.db")
        print(
            f"SQLite, 60 windows, 2,000 waiting: counts query {q:.1f} ms (worker), "
            f"60-call batch applied {a:.1f} ms (GUI)"
        )
    if args.pg:
        url, admin, schema = pg_schema(args.pg)
        try:
            lat = latency(app, url, args.calls)
            print(
                "PostgreSQL (LISTEN/NOTIFY): call → on screen "
                f"p50 {statistics.median(lat):.0f} ms, p95 {pct(lat, 95):.0f} ms, "
                f"max {max(lat):.0f} ms (n={len(lat)})"
            )
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        url, admin, schema = pg_schema(args.pg)
        try:
            q, a = update_cost(app, url)
            print(
                f"PostgreSQL, 60 windows, 2,000 waiting: counts query {q:.1f} ms (worker), "
                f"60-call batch applied {a:.1f} ms (GUI)"
            )
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    m100, mall = memory(app, args.memory_calls)
    growth = (mall - m100) / m100 * 100
    print(
        f"Memory: RSS after 100 calls {m100:.1f} MiB, "
        f"after {args.memory_calls:,} calls {mall:.1f} MiB ({growth:+.1f} %)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
