"""``onewindow demo``: the whole hall on one PC.

Prepares a demo hall (its own TOML file and SQLite database in the data folder, always open, a
PNG-folder printer), starts the ID card reader simulator on a pseudo-terminal with sample cards
coming and going, then the kiosk, a counter at window 1 and the wall display, each in its own
process as in a real hall. Ctrl-C stops everything.

``--tour`` (used automatically by scripts/demo on a machine with no screen) also plays a short
scripted session — tickets issued, called and recalled — and saves a screenshot of the screen.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from common.config import data_dir, load_settings

DEMO_TOML = """\
# The OneWindow demo hall: written by `onewindow demo`; edit freely, it is not overwritten.
hours = [["00:00", "23:59:59.999999"]]   # always open, so the demo works at any hour

[hall]
name = "示范区政务服务中心"
name_en = "Demo District Government Service Centre"

[database]
url = "sqlite:///{db}"

[calendar]
open_weekdays = [0, 1, 2, 3, 4, 5, 6]

[printer]
connection = "png"
png_dir = "{tickets}"
paper_mm = 80

[reader]
port = "{reader}"
poll_interval = 0.3

[kiosk]
full_screen = false
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser("demo", help="run the hall demo: reader simulator, kiosk, counter, display")
    demo.add_argument("--dir", type=Path, help="demo folder (default: <data folder>/demo)")
    demo.add_argument("--tour", action="store_true", help="play a scripted session and save a screenshot")
    demo.add_argument("--duration", type=float, help="stop after this many seconds")
    demo.add_argument("--no-voice", action="store_true", help="the display shows calls without speaking")
    demo.set_defaults(func=run_demo)


def prepare(folder: Path) -> Path:
    """Write the demo TOML (once), migrate and seed its database; return the TOML path."""
    from common.cli.db import seed_demo

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tickets").mkdir(exist_ok=True)
    config = folder / "hall.toml"
    if not config.exists():
        config.write_text(
            DEMO_TOML.format(
                db=(folder / "hall.db").as_posix(),
                tickets=(folder / "tickets").as_posix(),
                reader=(folder / "reader").as_posix(),
            ),
            encoding="utf-8",
        )
    seed_demo(config)
    _sample_documents(folder / "documents")
    return config


def _sample_documents(folder: Path) -> None:
    """The acceptance receipt, correction notice and e-certificate PDFs, with invented data."""
    from common.documents import samples
    from common.documents.pdf import certificate_pdf, correction_notice_pdf, receipt_pdf

    folder.mkdir(exist_ok=True)
    (folder / "acceptance-receipt.pdf").write_bytes(receipt_pdf(samples.RECEIPT))
    (folder / "correction-notice.pdf").write_bytes(correction_notice_pdf(samples.NOTICE))
    (folder / "e-certificate.pdf").write_bytes(certificate_pdf(samples.CERTIFICATE))


class CardCycler:
    """Places the sample cards on one simulated reader in turn (8 s on, 4 s off)."""

    def __init__(self, link: Path, label: str, first: int = 0) -> None:
        from common.devices.idcard import SAMPLE_PROFILES
        from common.devices.idcard.simulator import ReaderSimulator

        self.sim = ReaderSimulator(link_path=link)
        self.keys = list(SAMPLE_PROFILES)
        self.label = label
        self.first = first
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-cards", daemon=True)

    def start(self) -> str:
        port = self.sim.start()
        self._thread.start()
        return port

    def _run(self) -> None:
        i = self.first
        while not self._stop.is_set():
            key = self.keys[i % len(self.keys)]
            self.sim.place_card(key)
            print(f"[{self.label}] 放上样例身份证 / sample card placed: {key}\n", end="", flush=True)
            if self._stop.wait(8):
                break
            self.sim.remove_card()
            self._stop.wait(4)
            i += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sim.stop()


def _spawn(module: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", module, *args])


def run_demo(args: argparse.Namespace) -> int:
    folder: Path = args.dir or data_dir() / "demo"
    config = prepare(folder)
    settings = load_settings(config)
    # Each station has its own reader, as in a hall: one serial port serves one program.
    cyclers: list[CardCycler] = []
    counter_reader = folder / "reader-counter"
    if sys.platform != "win32":
        cyclers = [
            CardCycler(Path(settings.reader.port), "取号机读卡器 kiosk reader"),
            CardCycler(counter_reader, "窗口读卡器 counter reader", first=3),
        ]
        for cycler in cyclers:
            cycler.start()
        print(f"读卡器模拟器 / reader simulators: kiosk {settings.reader.port}, counter {counter_reader}", flush=True)
    else:
        print("Windows: no reader simulator (it needs a POSIX pseudo-terminal); the apps run without a reader")
    # SIGTERM (a service manager, `kill`) stops the demo like Ctrl-C: the apps are stopped too.
    signal.signal(signal.SIGTERM, _interrupt)
    cfg = str(config)
    counter_args = ["--reader", str(counter_reader)] if cyclers else ["--reader", ""]
    procs = [
        _spawn("kiosk.display.app", "--config", cfg, "--size", "1280x720", *(["--no-voice"] if args.no_voice else [])),
        _spawn("counter.app", "--config", cfg, "--window", "1", "--windowed", *counter_args),
        _spawn("kiosk.app", "--config", cfg, "--windowed", "--size", "720x1280"),
    ]
    print(
        "\n演示已启动 / the demo is running:\n"
        "  取号机 kiosk: tap 一键取号, or a service (不动产 etc.; cards come and go on the simulated reader)\n"
        "  窗口 counter: log in as w1 / window1 at window 1, then 叫号 (F1)\n"
        "  大屏 display: shows and speaks each call\n"
        f"  printed tickets: {folder / 'tickets'}\n"
        f"  sample receipt, correction notice and e-certificate PDFs: {folder / 'documents'}\n"
        "  Ctrl-C stops everything.\n",
        flush=True,
    )
    started = time.monotonic()
    try:
        if args.tour:
            _tour(config, folder, procs)
        while all(p.poll() is None for p in procs):
            if args.duration is not None and time.monotonic() - started > args.duration:
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=10)
            if p.poll() is None:
                p.kill()
        for cycler in cyclers:
            cycler.stop()
    failed = [p.args for p in procs if p.returncode not in (0, -15, None) and p.returncode != 15]
    if failed:
        print(f"an app exited with an error: {failed}", file=sys.stderr)
        return 1
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _arrange(procs: list[subprocess.Popen[bytes]]) -> None:
    """Side by side on the virtual screen (it has no window manager to place them): the kiosk
    on the left, the display top right, the counter below it. Needs xdotool; skipped without."""
    if shutil.which("xdotool") is None:
        return
    places = {procs[0].pid: (730, 0), procs[1].pid: (730, 740), procs[2].pid: (0, 0)}
    for pid, (x, y) in places.items():
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)], capture_output=True, text=True, check=False)
        for window in found.stdout.split():
            subprocess.run(["xdotool", "windowmove", window, str(x), str(y)], capture_output=True, check=False)


def _tour(config: Path, folder: Path, procs: list[subprocess.Popen[bytes]]) -> None:
    """Issue, call and recall a few tickets as a kiosk and a counter would, then a screenshot."""
    from common.bootstrap import open_hall
    from common.queue.service import Holder

    time.sleep(8)  # let the three windows open
    _arrange(procs)
    hall = open_hall(config)
    try:
        q = hall.queue
        from common.devices.printer import PrintJobBuilder, open_printer
        from common.queue.printout import ticket_data

        # The tickets go through the same layout and PNG-folder printer as the kiosk's.
        builder = PrintJobBuilder(hall.settings.printer)
        printer = open_printer(hall.settings.printer, builder.font)
        for prefix in (None, "D", "E"):
            t = q.issue(prefix, source="demo-tour")
            printer.send(builder.ticket(ticket_data(hall.settings, t)))
            print(f"[演示] 取号 / issued {t.number} {t.service_name}", flush=True)
        # An invented 76-year-old: green channel from the birth date, as at the kiosk.
        elder = q.issue(holder=Holder("11010519491231002X", "张秀英", dt.date(1949, 12, 31)), source="demo-tour")
        printer.send(builder.ticket(ticket_data(hall.settings, elder)))
        print(f"[演示] 绿色通道 / green channel {elder.number}", flush=True)
        for window in (2, 3):
            called = q.call_next(window, actor="demo-tour")
            if called:
                print(f"[演示] 请{called.number}号到{window}号窗口办理", flush=True)
            time.sleep(2)
        q.recall(3, actor="demo-tour")
        time.sleep(3)
    finally:
        hall.close()
    shot = folder / "screen.png"
    code = (
        "import sys; from PySide6.QtGui import QGuiApplication; app = QGuiApplication(sys.argv); "
        f"ok = app.primaryScreen().grabWindow(0).save({str(shot)!r}); sys.exit(0 if ok else 1)"
    )
    env: dict[str, Any] = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run([sys.executable, "-c", code], env=env, check=False, capture_output=True)
    if result.returncode == 0:
        print(f"[演示] 屏幕截图 / screenshot: {shot}", flush=True)
    else:
        print("[演示] no screenshot (no X display)", flush=True)

