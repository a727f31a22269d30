"""Intake benchmark: catalog search, memory and load; checklist, accept, transition, 电子监察 list.

    python bench/intake_bench.py [--matters 2000] [--rounds 20] [--pg postgresql://...]

Generates a catalog of ``--matters`` matters from the demo catalog's samples (names varied with
district, stage and sub-type words, codes made unique) plus its two bundles, then measures:

* search per keystroke: typing ``ershoufang`` and ``eshfzy`` letter by letter, Chinese names
  character by character, and a code prefix — median and p95 (target median <= 5 ms);
* the catalog's memory: tracemalloc of building the catalog objects and the search index
  (target <= 30 MB), and the index build time;
* storing the catalog (load_catalog) and reading it back (current_catalog), on SQLite and, with
  ``--pg`` or $ONEWINDOW_TEST_PG_URL, PostgreSQL.

Then the case engine: the checklist for 出生一件事 (target <= 5 ms); with ``--cases`` (100,000)
cases in the database, accepting a case with numbering, transition, audit and outbox (median
<= 5 ms SQLite, <= 15 ms PostgreSQL), a transition, and the yellow/red list (<= 50 ms).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.benchlib import drop_pg, fresh_pg, pct  # noqa: E402
from common.catalog import DEMO_CATALOG, Catalog, load_catalog_file  # noqa: E402
from common.catalog.search import CatalogIndex, _readings  # noqa: E402
from common.catalog.store import current_catalog, load_catalog  # noqa: E402
from common.clock import DatabaseClock  # noqa: E402
from common.db.engine import HallDatabase, make_engine  # noqa: E402
from common.db.migrate import upgrade  # noqa: E402

# Words that make plausible variants of a sample matter's name (a real catalog has 变更, 注销,
# 补证 … of most matters, and district or stage qualifiers).
STAGES = ("", "变更", "注销", "补发", "延续", "换发", "备案", "撤销", "迁入", "迁出")
QUALIFIERS = (
    "",
    "市级",
    "区级",
    "街道",
    "开发区",
    "自贸片区",
    "园区",
    "港口",
    "高新区",
    "新区",
    "涉外",
    "个人",
    "单位",
    "企业",
    "异地",
    "跨省",
    "网办",
    "预约",
    "首次",
    "再次",
)

TYPED_PINYIN = ("ershoufang", "eshfzy")
TYPED_CHINESE = ("二手房转移登记", "重度残疾人护理补贴", "住房公积金提取", "企业开办")
TYPED_CODE = "000172003000-3501"


def generated_catalog(n: int) -> Catalog:
    """``n`` matters varied from the demo samples, and the demo's bundles (on the originals)."""
    demo = load_catalog_file(DEMO_CATALOG)
    samples = list(demo.matters.values())
    matters = {m.code: m for m in samples}
    i = 0
    while len(matters) < n:
        base = samples[i % len(samples)]
        stage = STAGES[(i // len(samples)) % len(STAGES)]
        qualifier = QUALIFIERS[(i // (len(samples) * len(STAGES))) % len(QUALIFIERS)]
        name = base.name + (f"（{stage}）" if stage else "")
        if qualifier:
            name = f"{qualifier}{name}"
        code = f"{base.code}-{i:05d}"[-64:]
        if name != base.name:
            matters[code] = base.model_copy(update={"code": code, "name": name})
        i += 1
    return Catalog(version=f"bench-{n}", name="bench", matters=matters, bundles=demo.bundles)




def keystrokes(word: str) -> list[str]:
    return [word[:k] for k in range(1, len(word) + 1)]


def time_queries(index: CatalogIndex, queries: list[str], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            index.search(q)
            times.append((time.perf_counter() - t) * 1000)
    return times


def line(label: str, ms: list[float]) -> str:
    median, p95 = statistics.median(ms), pct(ms, 95)
    return f"  {label:<34} median {median:6.2f} ms   p95 {p95:6.2f} ms   (n={len(ms)})"


def measure_memory(n: int) -> tuple[float, float, float]:
    """(MB retained by catalog + index, MB peak while building, seconds to build the index)."""
    _readings.cache_clear()  # count the pinyin cache too, as a counter starting cold has it
    gc.collect()
    tracemalloc.start()
    catalog = generated_catalog(n)
    t = time.perf_counter()
    index = CatalogIndex(catalog)
    build = time.perf_counter() - t
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(index) >= n  # keep both alive until measured
    return current / 2**20, peak / 2**20, build






def store_figures(label: str, url: str, catalog: Catalog) -> None:
    db = HallDatabase(make_engine(url))
    try:
        upgrade(db.engine)
        clock = DatabaseClock()
        t = time.perf_counter()
        load_catalog(db, catalog, clock=clock, actor="bench")
        stored = time.perf_counter() - t
        t = time.perf_counter()
        load_catalog(db, catalog, clock=clock, actor="bench")
        again = time.perf_counter() - t
        t = time.perf_counter()
        back = current_catalog(db)
        read = time.perf_counter() - t
        assert back is not None and back.digest == catalog.digest
        print(
            f"  {label:<10} load {stored * 1000:7.0f} ms   same again {again * 1000:5.0f} ms   "
            f"read back {read * 1000:6.0f} ms"
        )
    finally:
        db.dispose()


# The case engine (common.intake): each a (label, function printing its figures) pair, run
# after the catalog figures.
CASE_ENGINE: list[tuple[str, Callable[[argparse.Namespace], None]]] = []

BENCH_ID = "35010219800101123"  # invented; the check digit is added below


def _bench_draft(demo: Catalog) -> object:
    from common.intake.applicant import Applicant, ApplicantType, Person
    from common.intake.cases import CaseDraft
    from common.intake.checklist import SharedData, build_checklist
    from common.intake.words import MaterialMark
    from common.people import check_character

    matter = next(m for m in demo.matters.values() if m.name == "二手房转移登记")
    checklist = build_checklist([matter], shared=SharedData(id_card=True))
    for item in checklist.items:
        if item.mark is None:
            mark = (
                MaterialMark.NOT_APPLICABLE if item.not_applicable_when else MaterialMark.RECEIVED
            )
            checklist = checklist.mark(item.key, mark)
    person = Person.checked("林晓燕", BENCH_ID + check_character(BENCH_ID), phone="13800138000")
    return CaseDraft(checklist, Applicant(ApplicantType.NATURAL_PERSON, person), window=1)


def checklist_figures(args: argparse.Namespace) -> None:
    from common.intake.checklist import SharedData, checklist_for_bundle

    demo = load_catalog_file(DEMO_CATALOG)
    bundle = next(b for b in demo.bundles.values() if b.name == "出生一件事")
    shared = SharedData(id_card=True)
    ms = []
    for _ in range(max(200, args.rounds * 10)):
        t = time.perf_counter()
        checklist_for_bundle(demo, bundle, shared=shared)
        ms.append((time.perf_counter() - t) * 1000)
    print(line("checklist for 出生一件事 (target <= 5 ms)", ms))


def _seed_cases(db: HallDatabase, n: int, open_share: float = 0.05, late_days: int = 5) -> None:
    """``n`` cases over the last 200 days, inserted in bulk: most closed; ``open_share`` of them
    open, promised from ``late_days`` ago to 25 days ahead (so the yellow/red list has real work:
    with the defaults about a fifth of the open cases are flagged, far more than a hall that
    meets its promises would see)."""
    import datetime as dt
    import random

    from sqlalchemy import insert

    from common.db.models import Case, CaseCounter
    from common.intake.words import CaseState, Decision

    rng = random.Random(5)
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    rows = []
    counters: dict[dt.date, int] = {}
    for i in range(n):
        day = today - dt.timedelta(days=1 + rng.randrange(200))
        counters[day] = seq = counters.get(day, 0) + 1
        open_ = rng.random() < open_share
        state = (
            rng.choice([CaseState.IN_REVIEW, CaseState.ACCEPTED]) if open_ else CaseState.DELIVERED
        )
        rows.append(
            {
                "number": f"bench-{day:%Y%m%d}-{seq:05d}",
                "hall_day": day,
                "seq": seq,
                "state": state,
                "open": open_,
                "decision": Decision.ACCEPT,
                "title": "二手房转移登记",
                "matters": [{"code": "x", "version": "1", "name": "二手房转移登记"}],
                "bundle_code": "",
                "catalog_version": "",
                "route_agency": "",
                "route_area_code": "",
                "applicant_type": 1,
                "applicant_name": "测试",
                "applicant_cert_type": "111",
                "applicant_number": f"{i:018d}",
                "applicant_hash": f"{i:064x}",
                "phone": "",
                "organisation_name": "",
                "credit_code": "",
                "legal_representative": "",
                "agent_name": "",
                "agent_cert_type": "",
                "agent_number": "",
                "agent_hash": "",
                "ticket_number": "",
                "window": 1 + i % 8,
                "staff": "bench",
                "accepted_at": now,
                "promised_days": 5,
                "promised_date": today + dt.timedelta(days=rng.randrange(-late_days, 25)),
                "supplement_deadline": None,
                "tolerated_outstanding": 0,
                "reject_reason": "",
                "updated_at": now,
                "outbox_seq": 0,
                "delivery_method": "",
                "delivery_detail": {},
            }
        )
    with db.write() as s:
        for start in range(0, len(rows), 5000):
            s.execute(insert(Case), rows[start : start + 5000])
        s.execute(insert(CaseCounter), [{"hall_day": d, "last": v} for d, v in counters.items()])


def case_figures(label: str, url: str, cases_n: int, rounds: int) -> None:
    from common.config import settings_from_dict
    from common.intake.cases import CaseService
    from common.intake.words import CaseAction

    db = HallDatabase(make_engine(url))
    try:
        upgrade(db.engine)
        t = time.perf_counter()
        _seed_cases(db, cases_n)
        print(f"  {label:<10} {cases_n:,} cases seeded in {time.perf_counter() - t:.1f} s")
        settings = settings_from_dict({"hall": {"secret": "bench-secret"}})
        service = CaseService(db, settings, DatabaseClock())
        draft = _bench_draft(load_catalog_file(DEMO_CATALOG))
        service.accept(draft, actor="bench")  # warm: statements prepared, caches filled
        accept_ms, numbers = [], []
        for _ in range(max(100, rounds * 10)):
            t = time.perf_counter()
            numbers.append(service.accept(draft, actor="bench").number)  # type: ignore[arg-type]
            accept_ms.append((time.perf_counter() - t) * 1000)
        print(line(f"{label} accept (numbering, transition, audit, outbox)", accept_ms))
        move_ms = []
        for number in numbers:
            t = time.perf_counter()
            service.transition(number, CaseAction.START_REVIEW, actor="bench")
            move_ms.append((time.perf_counter() - t) * 1000)
        print(line(f"{label} transition (start review)", move_ms))
        watch_ms = []
        flagged = 0
        for _ in range(max(10, rounds)):
            t = time.perf_counter()
            flagged = len(service.watch_list())
            watch_ms.append((time.perf_counter() - t) * 1000)
        print(line(f"{label} yellow/red list ({flagged} flagged; target <= 50 ms)", watch_ms))
    finally:
        db.dispose()


def engine_figures(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:  # a real disk, not tmpfs
        case_figures("SQLite", f"sqlite:///{Path(tmp) / 'cases.db'}", args.cases, args.rounds)
    if args.pg:
        url, schema = fresh_pg(args.pg)
        try:
            case_figures("PostgreSQL", url, args.cases, args.rounds)
        finally:
            drop_pg(args.pg, schema)
    else:
        print("  PostgreSQL: skipped (no --pg / $ONEWINDOW_TEST_PG_URL)")


CASE_ENGINE.append(("checklist", checklist_figures))
CASE_ENGINE.append(
    ("cases (targets: accept median <= 5 ms SQLite, <= 15 ms PostgreSQL)", engine_figures)
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pg", default=os.environ.get("ONEWINDOW_TEST_PG_URL"))
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the database")
    args = parser.parse_args()

    print(
        f"intake bench: {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}"
    )
    catalog = generated_catalog(args.matters)
    t = time.perf_counter()
    index = CatalogIndex(catalog)
    build = time.perf_counter() - t
    print(
        f"catalog: {len(catalog.matters)} matters, {len(catalog.bundles)} bundles; "
        f"index built in {build * 1000:.0f} ms"
    )
    assert index.search("eshfzy")[0].name.endswith("二手房转移登记")

    print("search per keystroke (target median <= 5 ms):")
    everything: list[float] = []
    for word in TYPED_PINYIN:
        ms = time_queries(index, keystrokes(word), args.rounds)
        everything += ms
        print(line(f"typing {word!r}", ms))
    chinese: list[float] = []
    for word in TYPED_CHINESE:
        chinese += time_queries(index, keystrokes(word), args.rounds)
    everything += chinese
    print(line("typing Chinese names", chinese))
    ms = time_queries(index, keystrokes(TYPED_CODE), args.rounds)
    everything += ms
    print(line("typing a code", ms))
    print(line("all keystrokes", everything))

    retained, peak, build = measure_memory(args.matters)
    print(
        "catalog memory (tracemalloc, catalog + index; target <= 30 MB): "
        f"retained {retained:.1f} MB, "
        f"peak {peak:.1f} MB while building"
    )

    print("catalog in the hall database:")
    with tempfile.TemporaryDirectory() as tmp:
        store_figures("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", catalog)
    if args.pg:
        url, schema = fresh_pg(args.pg)
        try:
            store_figures("PostgreSQL", url, catalog)
        finally:
            drop_pg(args.pg, schema)
    else:
        print("  PostgreSQL: skipped (no --pg / $ONEWINDOW_TEST_PG_URL)")

    if not CASE_ENGINE:
        print("case engine (checklist, accept, yellow/red list): not measured yet")
    for label, run in CASE_ENGINE:
        print(f"{label}:")
        run(args)


if __name__ == "__main__":
    main()
