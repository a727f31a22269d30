"""Hall manager's desk benchmark (offscreen Qt): dashboard refresh after an event, and memory.

    python bench/manager_bench.py [--windows 60] [--waiting 2000] [--served 1500] [--pg URL]

A hall of ``--windows`` windows with ``--waiting`` tickets waiting, ``--served`` finished today
(a current ticket at every window), 800 ratings and 300 unsent outbox rows, seeded in bulk:

* read after one event: the figure groups a ``called`` / ``issued`` / ``device`` event names,
  read by :class:`common.manager.dashboard.DashboardReader` (on the desk's worker, not the GUI
  thread), on SQLite and, with ``--pg``, PostgreSQL;
* GUI thread after one event: drawing those groups into the dashboard (tables, tiles, charts)
  and painting the window (target p95 <= 100 ms, the issue's figure for the GUI thread);
* memory: Python heap (tracemalloc) and RSS of the desk after 100 and after 1,000 refreshes
  (10,000 events in batches of ten: the debounce folds a burst into one read; growth <= 10 %).

Monthly reports over a generated year (SQLite and PostgreSQL, and the PDF) are measured by
``bench/report_bench.py`` (generating the year takes minutes, so it is a bench of its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.intake_bench import drop_pg, fresh_pg, pct  # noqa: E402

TZ = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 23)


def line(label: str, ms: list[float]) -> str:
    return (
        f"  {label:<52} median {statistics.median(ms):7.2f} ms  p95 {pct(ms, 95):7.2f} ms  "
        f"max {max(ms):7.2f} ms  (n={len(ms)})"
    )


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def settings_for(windows: int) -> Any:
    from common.config import settings_from_dict

    prefixes = "ABCDEFGHJ"
    return settings_from_dict(
        {
            "hours": [["00:00", "23:59:59.999999"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "bench"},
            "windows": [
                {"number": n, "services": {"A": 2, prefixes[n % 9]: 3, prefixes[(n + 1) % 9]: 1}}
                for n in range(1, windows + 1)
            ],
        }
    )


def seed(db: Any, queue: Any, windows: int, waiting: int, served: int) -> None:
    """Bulk rows: tickets (finished, current, waiting), ratings, unsent outbox rows."""
    import random

    from sqlalchemy import insert, select

    from common.db.models import OutboxRow, Service, Ticket, TicketStatus, Window
    from common.db.models.ratings import Rating

    rng = random.Random(13)
    queue.sync_from_settings()
    with db.write() as s:
        services = list(s.execute(select(Service.id, Service.prefix)))
        window_ids = [w for (w,) in s.execute(select(Window.id).order_by(Window.number))]
        seq = {sid: 0 for sid, _ in services}
        rows: list[dict[str, Any]] = []
        start = dt.datetime.combine(DAY, dt.time(8, 30), tzinfo=TZ)
        total = served + windows + waiting
        for i in range(total):
            sid, prefix = services[i % len(services)]
            seq[sid] += 1
            issued = start + dt.timedelta(seconds=i * 9)
            row: dict[str, Any] = {
                "hall_day": DAY,
                "issue_service_id": sid,
                "service_id": sid,
                "seq": seq[sid],
                "number": f"{prefix}{seq[sid]:03d}"[:8],
                "issued_at": issued,
                "queue_key": issued,
                "status": TicketStatus.WAITING,
                "window_id": None,
                "called_at": None,
                "finished_at": None,
            }
            if i < served:
                called = issued + dt.timedelta(minutes=rng.randint(5, 50))
                row.update(
                    status=TicketStatus.FINISHED,
                    called_at=called,
                    finished_at=called + dt.timedelta(minutes=rng.randint(3, 15)),
                    window_id=window_ids[i % windows],
                )
            elif i < served + windows:
                row.update(
                    status=TicketStatus.CALLED,
                    window_id=window_ids[i - served],
                    called_at=issued + dt.timedelta(minutes=30),
                )
            rows.append(row)
        s.execute(insert(Ticket), rows)
        at = start + dt.timedelta(hours=2)
        s.execute(
            insert(Rating),
            [
                {
                    "service_key": f"ticket:{i}",
                    "channel": "counter",
                    "window": 1 + i % windows,
                    "level": rng.choices([5, 4, 3, 2, 1], [60, 25, 8, 5, 2])[0],
                    "reasons": [],
                    "comment": "",
                    "callback": False,
                    "dimensions": {},
                    "created_at": at,
                }
                for i in range(800)
            ],
        )
        s.execute(
            insert(OutboxRow),
            [
                {
                    "key": f"bench-{i}",
                    "event_type": "rating.created",
                    "aggregate": f"rating:{i}",
                    "seq": 1,
                    "payload": {},
                    "created_at": at,
                }
                for i in range(300)
            ],
        )


def bench_hall(url: str, args: argparse.Namespace, app: Any, label: str, memory: bool) -> None:
    from common.clock import ManualClock
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.db.models import Role
    from common.intake.calendar import HallCalendar
    from common.intake.cases import CaseService
    from common.manager.dashboard import DashboardReader, figures_for_events
    from common.qt.worker import TaskRunner
    from common.queue.events import QueueEventRecord
    from common.queue.service import QueueService
    from common.staff import StaffView
    from counter.manager.desk import ManagerDesk
    from counter.session import CounterSession

    db = HallDatabase(make_engine(url))
    upgrade(db.engine)
    settings = settings_for(args.windows)
    clock = ManualClock(dt.datetime.combine(DAY, dt.time(11, 0), tzinfo=TZ))
    queue = QueueService(db, settings, clock)
    seed(db, queue, args.windows, args.waiting, args.served)
    cases = CaseService(db, settings, clock, HallCalendar())
    reader = DashboardReader(queue, cases)
    reader.read()  # warm: statements compiled, pages read
    print(f"{label}: {args.windows} windows, {args.waiting} waiting, {args.served} served today")
    for kind in ("called", "issued", "device"):
        groups = figures_for_events([kind])
        ms = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            reader.read(groups)
            ms.append((time.perf_counter() - t0) * 1000)
        print(line(f"read after a {kind!r} event ({len(groups)} groups, worker)", ms))

    manager = StaffView(99, "mgr", "周敏", Role.MANAGER)
    desk = ManagerDesk(
        queue,
        CounterSession(manager, 1),
        cases=cases,
        runner=TaskRunner(inline=True),
        now=lambda: clock.at,
        debounce_ms=0,
    )
    desk.resize(1920, 1080)
    desk.show()
    desk.start()
    app.processEvents()
    groups = figures_for_events(["called"])
    parts = [reader.read(groups) for _ in range(4)]
    ms = []
    for i in range(args.rounds):
        part = parts[i % len(parts)]
        t0 = time.perf_counter()
        for g in groups:
            for name in ("totals", "flow") if g.value == "totals" else (g.value,):
                setattr(desk.board, name, getattr(part, name))
        desk.view.show_board(desk.board, groups)
        desk.repaint()
        app.processEvents()
        ms.append((time.perf_counter() - t0) * 1000)
    print(line("GUI thread: draw a 'called' event's groups and paint", ms))

    if memory:

        def feed(batches: int, first: int) -> None:
            for b in range(batches):
                batch = [
                    QueueEventRecord(
                        first + b * 10 + k,
                        clock.at,
                        DAY,
                        "called" if k % 2 else "issued",
                        "A001",
                        "A",
                        1,
                    )
                    for k in range(10)
                ]
                desk.on_queue_events(batch)
                desk._flush()  # the debounce timer's slot, without waiting for the timer
                app.processEvents()

        tracemalloc.start()
        feed(100, 0)
        gc.collect()
        heap1, rss1 = tracemalloc.get_traced_memory()[0], rss_mb()
        feed(900, 1000)
        gc.collect()
        heap2, rss2 = tracemalloc.get_traced_memory()[0], rss_mb()
        tracemalloc.stop()
        print(
            f"  memory after 1,000 / 10,000 events: heap {heap1 / 2**20:.2f} → "
            f"{heap2 / 2**20:.2f} MB ({(heap2 / heap1 - 1) * 100:+.1f} %), "
            f"RSS {rss1:.1f} → {rss2:.1f} MB ({(rss2 / rss1 - 1) * 100:+.1f} %)"
        )
    desk.stop()
    desk.close()
    desk.deleteLater()
    app.processEvents()
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=60)
    parser.add_argument("--waiting", type=int, default=2000)
    parser.add_argument("--served", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--pg", default=os.environ.get("ONEWINDOW_BENCH_PG_URL", ""))
    parser.add_argument("--no-memory", action="store_true", help="skip the 10,000-event run")
    args = parser.parse_args()

    from common.qt.pyside_compat import protect_singletons

    protect_singletons()
    from PySide6.QtWidgets import QApplication

    from common.qt.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    apply_theme(app, "counter")
    with tempfile.TemporaryDirectory() as tmp:
        bench_hall(f"sqlite:///{tmp}/hall.db", args, app, "SQLite", memory=not args.no_memory)
    if args.pg:
        url, schema = fresh_pg(args.pg)
        try:
            bench_hall(url, args, app, "PostgreSQL", memory=False)
        finally:
            drop_pg(args.pg, schema)


if __name__ == "__main__":
    main()
