"""Intake benchmark: catalog search per keystroke, catalog memory, catalog load; case engine later.

    python bench/intake_bench.py [--matters 2000] [--rounds 20] [--pg postgresql://...]

Generates a catalog of ``--matters`` matters from the demo catalog's samples (names varied with
district, stage and sub-type words, codes made unique) plus its two bundles, then measures:

* search per keystroke: typing ``ershoufang`` and ``eshfzy`` letter by letter, Chinese names
  character by character, and a code prefix — median and p95 (target median <= 5 ms);
* the catalog's memory: tracemalloc of building the catalog objects and the search index
  (target <= 30 MB), and the index build time;
* storing the catalog (load_catalog) and reading it back (current_catalog), on SQLite and, with
  ``--pg`` or $ONEWINDOW_TEST_PG_URL, PostgreSQL.

The case-engine figures (checklist for 出生一件事, accept with numbering/audit/outbox, the
yellow/red list over 100,000 cases) belong to ``common.intake``'s case engine and are added to
this script there: see CASE_ENGINE below.
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
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

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


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


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


def fresh_pg(base: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", schema


def drop_pg(base: str, schema: str) -> None:
    admin = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


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


# The case engine (common.intake) adds its measurements here: each a (label, function printing
# its figures) pair, run after the catalog figures.
CASE_ENGINE: list[tuple[str, Callable[[argparse.Namespace], None]]] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pg", default=os.environ.get("ONEWINDOW_TEST_PG_URL"))
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
