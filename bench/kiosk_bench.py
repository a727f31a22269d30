"""Kiosk benchmark: cold start to first frame, tap → ticket bytes at the printer, memory growth.

    python bench/kiosk_bench.py [--tickets 1000]

1. Cold start: a fresh ``python -m kiosk.app --windowed --exit-after-first-frame`` process on a
   seeded demo hall (offscreen Qt), timed from spawn to the first paint (target ≤ 2 s). Run 3×,
   the median is reported (the first run also warms the OS file cache, as a kiosk's boot does).
2. Tap → bytes: a click on 一键取号 in the real window (SQLite file, real queue) until the print
   queue's printer has the job's ESC/POS bytes (target median ≤ 150 ms).
3. Memory: resident set size after 10 tickets and after 1,000 (target growth ≤ 10 %).
4. 办件查询 with 100,000 cases in the hall database (``--cases``; SQLite, or ``--lookup-url`` for
   PostgreSQL): card placed → the holder's cases on screen (target median ≤ 300 ms), receipt QR
   scanned → the case on screen (≤ 200 ms), both through the real window with its worker thread;
   resident memory after 1,000 lookups vs after 10 (growth ≤ 10 %).
5. 证照打印: a certificate chosen in the real window (its worker threads) → the PDF's bytes
   handed to the A4 printer (target median ≤ 1 s): the certificate's data read, the A4 PDF
   built with reportlab (CJK font subset, watermark, QR), the printer called (``--prints``).

Prints one line per figure; nothing is asserted (bench/ prints, tests assert).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    """Resident set size in MB (Linux /proc; psutil elsewhere when installed)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import psutil  # type: ignore[import-not-found]

    return float(psutil.Process().memory_info().rss) / 2**20


def cpu_ms(pid: int) -> float | None:
    """CPU time (user + system) a live process has used so far, in ms (Linux /proc only).

    On a busy machine the wall time to the first frame mostly measures the scheduler; the CPU
    time the kiosk spent getting there is the steadier figure for an A/B comparison.
    """
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return None
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def cold_start(data: Path, runs: int = 3) -> tuple[list[float], list[float]]:
    env = {
        **os.environ,
        "ONEWINDOW_DATA_DIR": str(data),
        "QT_QPA_PLATFORM": "offscreen",
        "ONEWINDOW_CONFIG": str(data / "none.toml"),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "-m", "common.cli", "seed-demo"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    times, cpu = [], []
    for _ in range(runs):
        started = time.perf_counter()
        # Timed from spawn (interpreter start included) to the line the first paint prints;
        # the process's own shutdown is not part of "start".
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk.app",
                "--windowed",
                "--size",
                "1080x1920",
                "--exit-after-first-frame",
                "--printer-dir",
                str(data / "printed"),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        wall = (time.perf_counter() - started) * 1000
        used = cpu_ms(proc.pid)  # the kiosk waits on stdout's pipe close; not yet exited
        proc.wait(60)
        if not line.startswith("first-frame-ms"):
            raise SystemExit(f"kiosk did not report a first frame: {line!r}")
        times.append(wall)
        if used is not None:
            cpu.append(used)
    return times, cpu


class _BytesPrinter:
    """A printer that notes when the bytes arrive (python-escpos Dummy underneath)."""

    def __init__(self) -> None:
        from common.devices.printer.connections import DummyPrinter

        self._dummy = DummyPrinter("bench")
        self.name = "bench"
        self.arrived = threading.Event()
        self.count = 0

    def status(self):  # type: ignore[no-untyped-def]
        return self._dummy.status()

    def send(self, job) -> None:  # type: ignore[no-untyped-def]
        self._dummy._dummy._raw(job.data)
        self._dummy._dummy.clear()  # keep memory flat over 1,000 tickets, like a real printer
        self.count += 1
        self.arrived.set()

    def close(self) -> None:
        pass


def in_process(tickets: int) -> tuple[list[float], float, float]:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from common.config import settings_from_dict
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.devices.printer.jobs import PrintJobBuilder
    from common.devices.printer.queue import PrintQueue
    from common.qt.print_events import QtPrintEvents
    from common.qt.pyside_compat import protect_singletons
    from common.qt.worker import TaskRunner
    from common.queue.service import QueueService
    from kiosk.printing import TicketPrinting
    from kiosk.window import KioskWindow

    protect_singletons()  # PySide6 6.12 on Python 3.11 leaks references to None/True/False
    _app = QApplication.instance() or QApplication([])  # kept alive for the whole run
    tmp = Path(tempfile.mkdtemp())
    os.environ["ONEWINDOW_DATA_DIR"] = str(tmp / "data")
    settings = settings_from_dict(
        {
            "hours": [["00:00", "23:59:59.999999"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "bench"},
            "services": [
                {
                    "prefix": "A",
                    "name": "综合受理",
                    "general": True,
                    "daily_cap": 9999,
                    "per_id_daily_limit": 0,
                }
            ],
            "windows": [{"number": 1, "services": {"A": 1}}],
            "kiosk": {"full_screen": False},
        }
    )
    db = HallDatabase(make_engine(f"sqlite:///{(tmp / 'hall.db').as_posix()}"))
    upgrade(db.engine)
    queue = QueueService(db, settings)
    queue.sync_from_settings()
    printer = _BytesPrinter()
    print_queue = PrintQueue(printer, spool_dir=tmp / "spool")  # type: ignore[arg-type]
    printing = TicketPrinting(settings, PrintJobBuilder(settings.printer), print_queue)
    # Real worker threads, as in the app: the GUI thread never waits for SQLite or the raster.
    window = KioskWindow(
        settings, queue, printing=printing, runner=TaskRunner(), print_runner=TaskRunner()
    )
    events = QtPrintEvents(print_queue, window)
    events.print_event.connect(window.on_print_event)
    events.attach()
    print_queue.start()
    window.resize(1080, 1920)
    window.show()
    window.start()

    def one() -> float:
        printer.arrived.clear()
        started = time.perf_counter()
        QTest.mouseClick(window.home.one_tap, Qt.MouseButton.LeftButton)
        while not printer.arrived.is_set():
            QCoreApplication.processEvents()
            printer.arrived.wait(0.0005)
        elapsed = (time.perf_counter() - started) * 1000
        window.flow.done()
        # Let the PRINTED event and any refresh land before the next tap, as between citizens.
        for _ in range(3):
            QCoreApplication.processEvents()
        return elapsed

    timings = [one() for _ in range(10)]
    gc.collect()
    after_10 = rss_mb()
    for i in range(tickets - 10):
        timings.append(one())
        if i % 100 == 0:
            window.flow._refresh()  # the tiles refresh every few seconds in real use
    window.runner.wait()
    gc.collect()
    after_n = rss_mb()
    window.shutdown()
    events.detach()
    print_queue.stop()
    window.close()
    db.dispose()
    return timings, after_10, after_n


def _self_service_hall() -> tuple[Any, Path, Any]:
    """The Qt application, a scratch data folder and the one-service hall the self-service
    figures (lookup, certificate) run in; the application is returned to be kept alive."""
    from PySide6.QtWidgets import QApplication

    from common.config import settings_from_dict
    from common.qt.pyside_compat import protect_singletons

    protect_singletons()  # PySide6 6.12 on Python 3.11 leaks references to None/True/False
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp())
    os.environ["ONEWINDOW_DATA_DIR"] = str(tmp / "data")
    settings = settings_from_dict(
        {
            "hours": [["00:00", "23:59:59.999999"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "bench"},
            "kiosk": {"full_screen": False, "idle_seconds": 600},
            "services": [{"prefix": "A", "name": "综合受理", "general": True}],
            "windows": [{"number": 1, "services": {"A": 1}}],
        }
    )
    return app, tmp, settings


def lookup_figures(cases: int, lookups: int, url: str | None) -> None:
    """Section 4: the kiosk's progress lookup against a hall of ``cases`` cases."""
    from PySide6.QtCore import QCoreApplication

    from common.catalog.loader import load_catalog_file
    from common.clock import DatabaseClock
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.devices.idcard.card import parse_card
    from common.devices.idcard.profiles import CardProfile, CardType, encode_text_block
    from common.intake.cases import CaseService
    from common.qt.worker import TaskRunner
    from common.queue.service import QueueService
    from kiosk.selfservice import SelfScreen
    from kiosk.window import KioskWindow

    sys.path.insert(0, str(ROOT / "bench"))
    import intake_bench  # the case seeding of bench/intake_bench.py

    _app, tmp, settings = _self_service_hall()
    engine = make_engine(url or f"sqlite:///{(tmp / 'hall.db').as_posix()}")
    if url:
        from sqlalchemy import text

        schema = f"bench_{os.getpid()}"
        with engine.begin() as c:
            c.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        sep = "&" if "?" in url else "?"
        engine = make_engine(f"{url}{sep}options=-csearch_path%3D{schema}")
    db = HallDatabase(engine)
    try:
        upgrade(db.engine)
        t = time.perf_counter()
        intake_bench._seed_cases(db, cases)
        service = CaseService(db, settings, DatabaseClock())
        draft = intake_bench._bench_draft(load_catalog_file(intake_bench.DEMO_CATALOG))
        numbers = [service.accept(draft, actor="bench").number for _ in range(5)]  # type: ignore[arg-type]
        print(
            f"  lookup: {cases:,} cases seeded + 5 of the holder in {time.perf_counter() - t:.1f} s"
            f" ({'PostgreSQL' if db.is_postgresql else 'SQLite'})"
        )
        person = draft.applicant.person  # type: ignore[attr-defined]
        profile = CardProfile(
            CardType.RESIDENT,
            person.name,
            "2",
            "19800101",
            person.number,
            "20190601",
            "20390601",
            nation="01",
        )
        card = parse_card(encode_text_block(profile))
        queue = QueueService(db, settings)
        queue.sync_from_settings()
        window = KioskWindow(settings, queue, runner=TaskRunner(), print_runner=TaskRunner())
        window.resize(1080, 1920)
        window.show()
        window.start()
        page = window.selfservice

        def wait_for_cases(n: int) -> None:
            while not (
                page.flow.state.screen is SelfScreen.CASES and len(page.cases_page.shown_cards) == n
            ):
                QCoreApplication.processEvents()
                time.sleep(0.0005)

        def by_card() -> float:
            window.open_self_service()
            started = time.perf_counter()
            window.on_card(card)
            wait_for_cases(5)
            QCoreApplication.processEvents()  # the cards drawn
            elapsed = (time.perf_counter() - started) * 1000
            page.flow.card_removed()
            page.flow.done()
            return elapsed

        def by_scan(number: str) -> float:
            window.open_self_service()
            started = time.perf_counter()
            window.on_scanned(service.case_payload(number))  # the receipt's own code
            wait_for_cases(1)
            QCoreApplication.processEvents()
            elapsed = (time.perf_counter() - started) * 1000
            page.flow.done()
            return elapsed

        card_ms = [by_card() for _ in range(10)]
        scan_ms = [by_scan(numbers[i % 5]) for i in range(10)]
        gc.collect()
        after_10 = rss_mb()
        for i in range(lookups - 10):
            card_ms.append(by_card())
            scan_ms.append(by_scan(numbers[i % 5]))
        gc.collect()
        after_n = rss_mb()
        print(
            f"card placed -> 5 cases on screen: median {statistics.median(card_ms):.1f} ms, "
            f"p95 {statistics.quantiles(card_ms, n=20)[18]:.1f} ms over {len(card_ms)} lookups "
            f"(target median <= 300 ms)"
        )
        print(
            f"receipt QR scanned -> case on screen: median {statistics.median(scan_ms):.1f} ms, "
            f"p95 {statistics.quantiles(scan_ms, n=20)[18]:.1f} ms over {len(scan_ms)} "
            "(target <= 200 ms)"
        )
        growth = (after_n - after_10) / after_10 * 100
        print(
            f"resident memory: {after_10:.1f} MB after 10 lookups of each kind, "
            f"{after_n:.1f} MB after "
            f"{len(card_ms)} ({growth:+.1f} %; target <= +10 %)"
        )
        window.shutdown()
        window.close()
    finally:
        if url and db.is_postgresql:
            from sqlalchemy import text

            with db.engine.begin() as c:
                c.execute(text(f"DROP SCHEMA bench_{os.getpid()} CASCADE"))
        db.dispose()


def certificate_figures(prints: int) -> None:
    """Section 5: a certificate chosen → the PDF's bytes at the A4 printer."""
    import datetime as dt

    from PySide6.QtCore import QCoreApplication
    from sqlalchemy import select

    from common.catalog.loader import load_catalog_file
    from common.clock import DatabaseClock
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.db.models import Case, HallCertificate
    from common.devices.idcard.card import parse_card
    from common.devices.idcard.profiles import CardProfile, CardType, encode_text_block
    from common.documents.certificate_id import make_certificate_id
    from common.intake.cases import CaseService
    from common.qt.worker import TaskRunner
    from common.queue.service import QueueService
    from kiosk.certprint import CertScreen
    from kiosk.window import KioskWindow

    sys.path.insert(0, str(ROOT / "bench"))
    import intake_bench

    class TimingPrinter:
        """An A4 printer that notes when the bytes arrive."""

        name = "bench-a4"

        def __init__(self) -> None:
            self.at: float | None = None
            self.size = 0

        def status(self):  # type: ignore[no-untyped-def]
            from common.devices.printer.status import PrinterState, PrinterStatus

            return PrinterStatus(PrinterState.READY)

        def print_pdf(self, data: bytes, job_name: str) -> None:
            self.at = time.perf_counter()
            self.size = len(data)

    _app, tmp, settings = _self_service_hall()
    db = HallDatabase(make_engine(f"sqlite:///{(tmp / 'hall.db').as_posix()}"))
    upgrade(db.engine)
    service = CaseService(db, settings, DatabaseClock())
    draft = intake_bench._bench_draft(load_catalog_file(intake_bench.DEMO_CATALOG))
    number = service.accept(draft, actor="bench").number  # type: ignore[arg-type]
    with db.write() as s:
        case = s.scalars(select(Case).where(Case.number == number)).one()
        s.add(
            HallCertificate(
                identifier=make_certificate_id("111000000000133", "11350102MB0000000A", "1"),
                case_number=number,
                title="不动产权证书",
                issuer_name="示范区自然资源和规划局",
                holder_hash=case.applicant_hash,
                holder_masked="李*明",
                issued_on=dt.date.today(),
                valid_until=None,
                position=1,
                received_at=dt.datetime.now(dt.UTC),
            )
        )
    person = draft.applicant.person  # type: ignore[attr-defined]
    card = parse_card(
        encode_text_block(
            CardProfile(
                CardType.RESIDENT,
                person.name,
                "2",
                "19800101",
                person.number,
                "20190601",
                "20390601",
                nation="01",
            )
        )
    )
    printer = TimingPrinter()
    queue = QueueService(db, settings)
    queue.sync_from_settings()
    window = KioskWindow(
        settings, queue, runner=TaskRunner(), print_runner=TaskRunner(), a4=printer
    )
    window.resize(1080, 1920)
    window.show()
    window.start()
    page = window.certificates

    def wait(screen: CertScreen) -> None:
        while page.flow.state.screen is not screen:
            QCoreApplication.processEvents()
            time.sleep(0.0005)

    def one() -> float:
        window.open_self_service("certificates")
        window.on_card(card)
        wait(CertScreen.LIST)
        printer.at = None
        started = time.perf_counter()
        page.flow.choose(page.flow.state.certificates[0].identifier)
        wait(CertScreen.DONE)
        assert printer.at is not None
        elapsed = (printer.at - started) * 1000
        page.flow.done()
        return elapsed

    timings = [one() for _ in range(prints)]
    print(
        f"certificate chosen -> PDF bytes at the A4 printer: median "
        f"{statistics.median(timings):.0f} ms, first {timings[0]:.0f} ms, "
        f"max {max(timings):.0f} ms over {len(timings)} prints "
        f"({printer.size / 1024:.0f} KB PDF; target median <= 1000 ms)"
    )
    window.shutdown()
    window.close()
    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--cold-only", action="store_true", help="only the cold start figure")
    parser.add_argument("--runs", type=int, default=3, help="cold starts to take the median of")
    parser.add_argument(
        "--cases", type=int, default=100_000, help="cases in the hall for the lookup figures"
    )
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument(
        "--lookup-url", help="a PostgreSQL URL for the lookup figures (default: SQLite)"
    )
    parser.add_argument("--lookup-only", action="store_true", help="only the 办件查询 figures")
    parser.add_argument("--prints", type=int, default=20, help="certificates to print (5.)")
    parser.add_argument("--certificate-only", action="store_true", help="only the 证照打印 figure")
    args = parser.parse_args()
    if args.certificate_only:
        certificate_figures(args.prints)
        sys.stdout.flush()
        os._exit(0)
    if args.lookup_only:
        lookup_figures(args.cases, args.lookups, args.lookup_url)
        sys.stdout.flush()
        os._exit(0)
    print(f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs")
    if not args.skip_cold:
        with tempfile.TemporaryDirectory() as tmp:
            runs, cpu = cold_start(Path(tmp), args.runs)
        print(
            f"cold start to first frame: median {statistics.median(runs):.0f} ms "
            f"(runs {', '.join(f'{r:.0f}' for r in runs)}; target <= 2000 ms)"
        )
        if cpu:
            print(
                f"cold start CPU time to first frame: median {statistics.median(cpu):.0f} ms "
                f"(runs {', '.join(f'{c:.0f}' for c in cpu)})"
            )
        if args.cold_only:
            return 0
    timings, after_10, after_n = in_process(args.tickets)
    first = timings[:10]
    print(
        f"tap -> ticket bytes at printer: median {statistics.median(timings):.1f} ms, "
        f"p95 {statistics.quantiles(timings, n=20)[18]:.1f} ms, "
        f"first ten median {statistics.median(first):.1f} ms "
        f"over {len(timings)} tickets (target median <= 150 ms)"
    )
    growth = (after_n - after_10) / after_10 * 100
    print(
        f"resident memory: {after_10:.1f} MB after 10 tickets, "
        f"{after_n:.1f} MB after {len(timings)} "
        f"({growth:+.1f} %; target <= +10 %)"
    )
    lookup_figures(args.cases, args.lookups, args.lookup_url)
    certificate_figures(args.prints)
    sys.stdout.flush()
    # Skip interpreter teardown: PySide6 objects collected during finalisation can abort the
    # process after the figures are printed, which would only confuse whoever reads them.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
