"""Hall report benchmark: a monthly report over a generated year, on SQLite and PostgreSQL.

    python bench/report_bench.py [--days 365] [--sqlite FILE] [--pg URL [--pg-schema NAME]]
                                 [--rounds 5] [--generate-only]

Generates a year of a busy hall (``common.reports.generate.YEAR``: 2,000 tickets, 1,096 cases
and 1,644 ratings a day, i.e. 730,000 / 400,000 / 600,000) with 60 windows and 9 services, then
times, for the busiest month (the last full one):

* ``build_report`` by service, window, staff and matter (all sections, one read each),
* writing the PDF (charts included), the XLSX and the CSV of that report.

Targets (issue 13): monthly report <= 2 s on each engine, PDF <= 3 s. ``--sqlite FILE`` keeps
the generated SQLite file and reuses it when it exists (generation takes about a minute);
PostgreSQL gets a throw-away schema unless ``--pg-schema`` names one to keep. Generate first
(``--generate-only``), then measure under ``chrt -f 50`` so the data load does not run at
real-time priority. Referenced from bench/manager_bench.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.benchlib import drop_pg, fresh_pg  # noqa: E402

FIRST = dt.date(2025, 12, 1)
MONTH_FIRST, MONTH_LAST = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


def settings_for(windows: int) -> Any:
    from common.config import settings_from_dict

    prefixes = "ABCDEFGHJ"
    return settings_from_dict(
        {
            "hours": [["00:00", "23:59:59.999999"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "bench", "name": "示范市民服务中心"},
            "windows": [
                {"number": n, "services": {"A": 2, prefixes[n % 9]: 3, prefixes[(n + 1) % 9]: 1}}
                for n in range(1, windows + 1)
            ],
        }
    )


def open_db(url: str) -> Any:
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade

    db = HallDatabase(make_engine(url))
    upgrade(db.engine)
    return db


def keep_pg(base: str, schema: str) -> str:
    """The URL of schema ``schema`` on ``base``, created when missing (kept after the run)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def has_tickets(db: Any) -> bool:
    from sqlalchemy import text

    with db.engine.connect() as c:
        return bool(c.execute(text("SELECT EXISTS (SELECT 1 FROM ticket)")).scalar())


def fill(db: Any, settings: Any, days: int) -> float:
    from common.clock import ManualClock
    from common.queue.service import QueueService
    from common.reports.generate import YEAR, generate

    QueueService(db, settings, ManualClock(dt.datetime.now(dt.UTC))).sync_from_settings()
    t0 = time.perf_counter()
    generate(
        db,
        first_day=FIRST,
        days=days,
        volume=YEAR,
        tz=settings.hall.tz,
        today=FIRST + dt.timedelta(days=days),
        progress=lambda m: print(f"    {m}", flush=True),
    )
    return time.perf_counter() - t0


def counts(db: Any) -> str:
    from sqlalchemy import text

    with db.engine.connect() as c:
        parts = [
            f"{t} {c.execute(text(f'SELECT COUNT(*) FROM {t}')).scalar():,}"
            for t in ("ticket", "intake_case", "rating", "case_transition")
        ]
    return ", ".join(parts)


def timed(fn: Any, rounds: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, result


def line(label: str, ms: list[float]) -> str:
    return (
        f"  {label:<44} median {statistics.median(ms):8.1f} ms  max {max(ms):8.1f} ms (n={len(ms)})"
    )


def bench(db: Any, settings: Any, label: str, rounds: int, writers: bool) -> None:
    from common.reports.model import Period, ReportBy
    from common.reports.report import build_report

    period = Period(MONTH_FIRST, MONTH_LAST)
    now = dt.datetime.combine(MONTH_LAST + dt.timedelta(days=40), dt.time(10), tzinfo=dt.UTC)
    print(f"{label}: {counts(db)}")
    report = None
    for by in ReportBy:
        ms, report = timed(lambda by=by: build_report(db, settings, period, by, now=now), rounds)
        print(line(f"monthly report by {by.value}", ms), flush=True)
    assert report is not None
    print(
        f"    (month: {report.tickets.total.issued:,} tickets, {report.cases.total.total:,} "
        f"cases, {report.ratings.total.total:,} ratings, {len(report.overdue)} overdue)"
    )
    if not writers:
        return
    from common.reports.writers import write_csv, write_pdf, write_xlsx

    out = Path(tempfile.mkdtemp())
    for name, fn in (("pdf", write_pdf), ("xlsx", write_xlsx), ("csv", write_csv)):
        target = out / f"report.{name}"
        ms, _ = timed(lambda fn=fn, target=target: fn(report, target), rounds)
        print(line(f"write {name} ({target.stat().st_size / 1024:.0f} KiB)", ms), flush=True)
    ms, _ = timed(
        lambda: write_pdf(
            build_report(db, settings, period, ReportBy.SERVICE, now=now), out / "x.pdf"
        ),
        rounds,
    )
    print(line("report + PDF, end to end (by service)", ms), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--windows", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sqlite", default="", help="keep (or reuse) the generated file here")
    parser.add_argument("--pg", default=os.environ.get("ONEWINDOW_BENCH_PG_URL", ""))
    parser.add_argument(
        "--pg-schema", default="", help="keep (or reuse) the generated PostgreSQL schema"
    )
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--generate-only", action="store_true", help="fill --sqlite / --pg-schema and stop"
    )
    args = parser.parse_args()
    settings = settings_for(args.windows)
    print(f"report bench: {args.days} days from {FIRST}, month {MONTH_FIRST}..{MONTH_LAST}")

    if not args.no_sqlite:
        path = Path(args.sqlite) if args.sqlite else Path(tempfile.mkdtemp()) / "year.db"
        fresh = not path.exists()
        db = open_db(f"sqlite:///{path}")
        if fresh:
            print(f"  generating SQLite {path} ...", flush=True)
            print(f"  generated in {fill(db, settings, args.days):.0f} s")
        if not args.generate_only:
            bench(db, settings, "SQLite", args.rounds, writers=True)
        db.dispose()
        if not args.sqlite:
            path.unlink()
    if args.pg:
        if args.pg_schema:
            url, schema = keep_pg(args.pg, args.pg_schema), args.pg_schema
        else:
            url, schema = fresh_pg(args.pg)
        try:
            db = open_db(url)
            if not has_tickets(db):
                print(f"  generating PostgreSQL (schema {schema}) ...", flush=True)
                print(f"  generated in {fill(db, settings, args.days):.0f} s")
            if not args.generate_only:
                bench(db, settings, "PostgreSQL", args.rounds, writers=False)
            db.dispose()
        finally:
            if not args.pg_schema:
                drop_pg(args.pg, schema)


if __name__ == "__main__":
    main()
