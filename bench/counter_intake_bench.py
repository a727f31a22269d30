"""Counter intake desk benchmark (offscreen Qt): picker, checklist, confirm, case desk, memory.

    python bench/counter_intake_bench.py [--matters 2000] [--cases 100000]
                                         [--accepts 500] [--pg URL]

With a generated catalog of ``--matters`` matters (bench/intake_bench.generated_catalog) and
``--cases`` cases seeded in the hall database (bench/intake_bench._seed_cases), through the real
widgets of ``counter.intake`` (the database work inline, as the tests run it):

* keystroke → hit list updated: typing ``ershoufang``, ``eshfzy``, Chinese names and a code
  prefix into the picker, each key until the list model holds the new hits (target p95 <= 30 ms);
* pick → checklist shown: a matter or a bundle chosen until the table is painted (<= 50 ms);
* confirm → case committed and receipt PDF written (accept, receipt data, reportlab PDF into a
  folder; <= 300 ms);
* case desk list over the seeded cases: each list of this window and the hall, and a text
  filter (<= 100 ms);
* memory: Python heap (tracemalloc) and RSS after 10 and after ``--accepts`` acceptances
  through the desk (growth <= 10 %).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.intake_bench import _seed_cases, drop_pg, fresh_pg, generated_catalog, pct  # noqa: E402


def line(label: str, ms: list[float]) -> str:
    return (
        f"  {label:<58} median {statistics.median(ms):7.2f} ms  p95 {pct(ms, 95):7.2f} ms  "
        f"max {max(ms):7.2f} ms  (n={len(ms)})"
    )


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: the heap figure still stands
        return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=2000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--accepts", type=int, default=500)
    parser.add_argument("--pg", default=os.environ.get("ONEWINDOW_BENCH_PG_URL", ""))
    args = parser.parse_args()

    from common.qt.pyside_compat import protect_singletons

    protect_singletons()
    from PySide6.QtWidgets import QApplication

    from common.catalog.search import CatalogIndex
    from common.clock import DatabaseClock
    from common.config import settings_from_dict
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.intake.cases import CaseService
    from common.intake.rating import RatingService
    from common.intake.words import MaterialMark
    from common.qt.worker import TaskRunner
    from counter.intake.desk import IntakeDesk, IntakeServices
    from counter.intake.printing import DocumentPrinter
    from counter.intake.queries import DeskList, list_cases

    app = QApplication.instance() or QApplication([])
    catalog = generated_catalog(args.matters)
    t = time.perf_counter()
    index = CatalogIndex(catalog)
    print(
        f"catalog: {len(catalog)} matters, index built in {time.perf_counter() - t:.2f} s "
        "(on the catalog runner)"
    )
    settings = settings_from_dict(
        {"hall": {"secret": "bench-secret"}, "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]}}
    )

    schema = ""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/hall.db"
        if args.pg:
            url, schema = fresh_pg(args.pg)  # a schema of its own, dropped at the end
        db = HallDatabase(make_engine(url))
        upgrade(db.engine)
        t = time.perf_counter()
        _seed_cases(db, args.cases)
        print(
            f"{'PostgreSQL' if args.pg else 'SQLite'}: {args.cases:,} cases seeded in "
            f"{time.perf_counter() - t:.1f} s"
        )
        clock = DatabaseClock()
        cases = CaseService(db, settings, clock)
        services = IntakeServices(
            settings=settings,
            cases=cases,
            ratings=RatingService(db, settings, clock),
            clock=clock,
            load_catalog=lambda: (catalog, index),
            documents=DocumentPrinter(pdf_dir=Path(tmp) / "receipts"),
        )
        desk = IntakeDesk(
            services, TaskRunner(inline=True), actor="bench", window=1, staff_name="bench"
        )
        desk.resize(1000, 640)
        desk.show()
        desk.start()
        from common.devices.idcard.profiles import SAMPLE_PROFILES

        profile = SAMPLE_PROFILES["resident"]
        flow = desk.flow
        flow.set_field("name", profile.name)
        flow.set_field("number", profile.number)
        flow.set_field("phone", "13800138000")
        picker = desk.panel.picker

        def settle() -> None:
            app.processEvents()

        # -- keystroke → list updated ------------------------------------------------------
        words = [
            "ershoufang",
            "eshfzy",
            "zhuanyi",
            "gsslz",
            "食品经营许可",
            "二手房转移登记",
            "户口迁移",
            "00010100",
            "居住证",
        ]
        key_ms: list[float] = []
        for _ in range(3):
            for word in words:
                picker.box.clear()
                settle()
                for i in range(1, len(word) + 1):
                    t = time.perf_counter()
                    picker.box.setText(word[:i])  # textChanged → search → model rows changed
                    settle()
                    key_ms.append((time.perf_counter() - t) * 1000)
        print(line("keystroke → hit list updated (target p95 <= 30 ms)", key_ms))

        # -- pick → checklist shown ----------------------------------------------------------
        esf = next(m.code for m in catalog.matters.values() if m.name == "二手房转移登记")
        food = next(m.code for m in catalog.matters.values() if m.name == "食品经营许可")
        pick_ms: list[float] = []
        for i in range(60):
            kind, code = [("matter", esf), ("matter", food), ("bundle", "YJS-CS-0001")][i % 3]
            t = time.perf_counter()
            flow.pick(kind, code)
            desk.panel.table.viewport().repaint()
            settle()
            pick_ms.append((time.perf_counter() - t) * 1000)
        print(line("pick → checklist shown (target <= 50 ms)", pick_ms))

        # -- confirm → committed and receipt PDF ready ------------------------------------------
        def one_acceptance() -> float:
            flow.pick("matter", esf)
            flow.mark_rest(MaterialMark.RECEIVED)
            t0 = time.perf_counter()
            flow.accept()
            settle()
            took = (time.perf_counter() - t0) * 1000
            issued = flow.state.issued
            assert flow.state.saved is not None and issued is not None and issued.pdf_path, (
                flow.state.message
            )
            return took

        one_acceptance()  # warm: statements prepared, fonts registered
        confirm_ms = [one_acceptance() for _ in range(40)]
        print(line("confirm → case committed + receipt PDF written (target <= 300 ms)", confirm_ms))

        # -- case desk lists -------------------------------------------------------------------
        import datetime as dt

        today = dt.datetime.now(settings.hall.tz).date()
        for which in DeskList:
            for window in (1, None):
                ms = []
                for _ in range(10):
                    t = time.perf_counter()
                    rows = list_cases(cases, which, today=today, window=window)
                    ms.append((time.perf_counter() - t) * 1000)
                scope = "window 1" if window else "hall"
                print(
                    line(
                        f"case desk {which.value} ({scope}, {len(rows)} rows; target <= 100 ms)", ms
                    )
                )
        for text in ("bench-2026", "二手房"):
            ms = []
            for _ in range(10):
                t = time.perf_counter()
                rows = list_cases(cases, DeskList.TODAY, today=today, window=None, text=text)
                ms.append((time.perf_counter() - t) * 1000)
            print(line(f"case desk today + filter {text!r} (hall)", ms))
        desk.case_desk.hall_scope.setChecked(True)
        ms = []
        for which in [DeskList.FLAGGED, DeskList.TODAY] * 5:
            t = time.perf_counter()
            desk.case_desk.show_list(which)
            settle()
            ms.append((time.perf_counter() - t) * 1000)
        print(line("case desk widget: switch list, query and redraw (hall)", ms))

        # -- memory ------------------------------------------------------------------------------
        tracemalloc.start()
        for _ in range(10):
            one_acceptance()
        gc.collect()
        heap10, rss10 = tracemalloc.get_traced_memory()[0] / 2**20, rss_mb()
        for _ in range(args.accepts - 10):
            one_acceptance()
        gc.collect()
        heap_n, rss_n = tracemalloc.get_traced_memory()[0] / 2**20, rss_mb()
        tracemalloc.stop()
        per = (heap_n - heap10) * 1024 / max(1, args.accepts - 10)
        print(
            f"  memory after 10 acceptances: RSS {rss10:.0f} MB; "
            f"after {args.accepts}: RSS {rss_n:.0f} MB "
            f"({(rss_n / rss10 - 1) * 100:+.1f} %; target growth <= 10 %); Python heap kept "
            f"{heap_n - heap10:+.2f} MB ({per:.1f} KB per acceptance)"
        )
        desk.close()
        db.dispose()
        if schema:
            drop_pg(args.pg, schema)


if __name__ == "__main__":
    main()
