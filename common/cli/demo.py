"""``onewindow demo``: the whole hall on one PC.

Prepares a demo hall (its own TOML file and SQLite database in the data folder, always open, a
PNG-folder printer), starts the ID card reader simulator on a pseudo-terminal with sample cards
coming and going, then the kiosk, a counter at window 1 and the wall display, each in its own
process as in a real hall. Ctrl-C stops everything.

``--tour`` (used automatically by scripts/demo on a machine with no screen) also plays a short
scripted session — tickets issued, called and recalled; a case accepted at window 1, approved
in the back office with its e-certificate; at the kiosk, that case looked up and its
certificate printed, an appointment checked in and the service rated — and saves screenshots.

The demo checks itself: each app must still run and must have opened its own window (not an
error dialog), and on X11 each window's part of a screenshot must not be one flat colour. If one
did not start or drew nothing, the demo names it, stops, and exits with status 1.

Several demos may run at once for one user (two clones, or a clone's demo beside another
install's apps): the demo hall (TOML, database, tickets) is shared, as a hall is, but each running
demo takes a free *station* folder ``<demo>/station-N/`` for what belongs to its own programs —
their data folder (logs, kiosk lock, print spool, caches), its simulated readers and its
screenshot — so it never fights another demo or a hand-started kiosk over them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from common.config import data_dir, load_settings

if TYPE_CHECKING:
    from common.queue.service import Holder
    from common.sync.demo import CentralDemo

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


WINDOW_WAIT_SECONDS = 60.0  # a cold start on a slow PC (fonts, first cache build) takes a while
START_GRACE_SECONDS = 8.0  # where windows cannot be seen: an app still running after this started
# A window that drew has text on a background: its grey levels vary. One that never painted is
# one flat colour (black on Xvfb). Real windows measure 30-80; a flat one, 0.
MIN_STDDEV = 4.0


@dataclass(frozen=True)
class DemoApp:
    """One program of the demo and how to recognise its window."""

    name: str  # for messages: "kiosk", "counter", "display"
    label: str  # in Chinese, for the person watching
    module: str
    title: str  # regular expression its main window's title matches (an error dialog's does not)
    place: tuple[int, int]  # where it goes on a virtual screen (no window manager there)


APPS = (
    DemoApp("display", "大屏", "kiosk.display.app", r"大屏|[Dd]isplay", (730, 0)),
    DemoApp("counter", "窗口", "counter.app", r"窗口|[Cc]ounter", (730, 740)),
    DemoApp("kiosk", "取号机", "kiosk.app", r"取号|[Kk]iosk", (0, 0)),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser(
        "demo", help="run the hall demo: reader simulator, kiosk, counter, display"
    )
    demo.add_argument("--dir", type=Path, help="demo folder (default: <data folder>/demo)")
    demo.add_argument(
        "--tour", action="store_true", help="play a scripted session and save a screenshot"
    )
    demo.add_argument("--duration", type=float, help="stop after this many seconds")
    demo.add_argument(
        "--no-voice", action="store_true", help="the display shows calls without speaking"
    )
    demo.add_argument(
        "--no-check", action="store_true", help="do not check that every window opened and drew"
    )
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
            print(
                f"[{self.label}] 放上样例身份证 / sample card placed: {key}\n", end="", flush=True
            )
            if self._stop.wait(8):
                break
            self.sim.remove_card()
            self._stop.wait(4)
            i += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sim.stop()


def _spawn(app: DemoApp, args: Sequence[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", app.module, *args], env=env)


# ---------------------------------------------------------------------- station folders


def _try_lock(handle: IO[str]) -> bool:
    """An exclusive, non-blocking lock on an open file, released by the OS when we exit."""
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)  # every demo locks the same first byte
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def claim_station(folder: Path, limit: int = 9) -> tuple[int, Path, IO[str]]:
    """The first station folder no running demo holds: (number, folder, lock to keep open)."""
    for n in range(1, limit + 1):
        station = folder / f"station-{n}"
        station.mkdir(parents=True, exist_ok=True)
        handle = open(
            station / "demo.lock", "a+", encoding="utf-8"
        )  # held open until the demo exits
        if _try_lock(handle):
            return n, station, handle
        handle.close()
    raise SystemExit(f"{limit} demos are already running for this user; stop one first")


def _share_secret(secret: str, station: Path) -> None:
    """The station's programs must hash ID numbers with the hall's secret, not a new one."""
    path = station / "hall-secret"
    if path.exists() and path.read_text(encoding="utf-8").strip() == secret:
        return
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secret)


# ---------------------------------------------------------------------- the demo


def run_demo(args: argparse.Namespace) -> int:
    folder: Path = args.dir or data_dir() / "demo"
    config = prepare(folder)
    settings = load_settings(config)
    central = _central(folder, config, settings.hall.code)  # writes [central] into the TOML
    settings = load_settings(config)
    number, station, station_lock = claim_station(folder)
    _share_secret(settings.hall_secret(), station)
    env = {**os.environ, "ONEWINDOW_DATA_DIR": str(station)}
    print(f"演示工位 / demo station {number}: {station} (logs in {station / 'logs'})", flush=True)
    # Each station has its own reader, as in a hall: one serial port serves one program.
    cyclers: list[CardCycler] = []
    kiosk_reader, counter_reader = station / "reader", station / "reader-counter"
    if sys.platform != "win32":
        cyclers = [
            CardCycler(kiosk_reader, "取号机读卡器 kiosk reader"),
            CardCycler(counter_reader, "窗口读卡器 counter reader", first=3),
        ]
        for cycler in cyclers:
            cycler.start()
        print(
            f"读卡器模拟器 / reader simulators: kiosk {kiosk_reader}, counter {counter_reader}",
            flush=True,
        )
    else:
        print(
            "Windows: no reader simulator (it needs a POSIX pseudo-terminal); "
            "the apps run without a reader"
        )
    # SIGTERM (a service manager, `kill`) stops the demo like Ctrl-C: the apps are stopped too.
    previous_handler = signal.signal(signal.SIGTERM, _interrupt)
    cfg = str(config)
    kiosk_args = ["--reader", str(kiosk_reader) if cyclers else ""]
    counter_args = ["--reader", str(counter_reader) if cyclers else ""]
    arguments = {
        "display": [
            "--config",
            cfg,
            "--size",
            "1280x720",
            *(["--no-voice"] if args.no_voice else []),
        ],
        "counter": ["--config", cfg, "--window", "1", "--windowed", *counter_args],
        "kiosk": [
            "--config",
            cfg,
            "--windowed",
            "--size",
            "720x1280",
            "--station",
            f"kiosk-{number}",
            *kiosk_args,
        ],
    }
    procs = {app.name: _spawn(app, arguments[app.name], env) for app in APPS}
    print(
        "\n演示已启动 / the demo is running:\n"
        "  取号机 kiosk: tap 一键取号, or a service "
        "(不动产 etc.; cards come and go on the simulated reader)\n"
        "  窗口 counter: log in as w1 / window1 at window 1, then 叫号 (F1)\n"
        "  大屏 display: shows and speaks each call\n"
        f"  printed tickets: {folder / 'tickets'}\n"
        f"  sample receipt, correction notice and e-certificate PDFs: {folder / 'documents'}\n"
        "  Ctrl-C stops everything.\n",
        flush=True,
    )
    if central is not None:
        from common.sync.demo import BACKOFFICE_PASSWORD, BACKOFFICE_USER

        print(
            f"  中心服务端 central server: {central.url} — 后台审批 back office "
            f"{central.url}/backoffice/login "
            f"as {BACKOFFICE_USER} / {BACKOFFICE_PASSWORD} (不动产);\n"
            "    accept a case at the counter, approve it there, and it comes back as 可出件\n",
            flush=True,
        )
    started = time.monotonic()
    problems: list[str] = []
    try:
        if not args.no_check:
            problems = wait_for_windows(procs, station, arrange=args.tour)
        if not problems and args.tour:
            _tour(config, procs)
            if central is not None:
                from common.sync.demo import central_tour

                central_tour(config, central)
            _kiosk_tour(config)
        if not problems and not args.no_check:
            problems = check_demo(procs, station / "screen.png", station, save=args.tour)
        while not problems and all(p.poll() is None for p in procs.values()):
            if args.duration is not None and time.monotonic() - started > args.duration:
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(procs.values())
        if central is not None:
            central.stop()
        for cycler in cyclers:
            cycler.stop()
        station_lock.close()
        signal.signal(signal.SIGTERM, previous_handler)
    for name, p in procs.items():
        if p.returncode not in (0, -15, 15, None) and not any(m.startswith(name) for m in problems):
            problems.append(f"{name}: exited with status {p.returncode}; see {station / 'logs'}")
    if problems:
        print("\n演示失败 / the demo FAILED:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0


def _central(folder: Path, config: Path, hall_code: str) -> CentralDemo | None:
    """The demo's central server on loopback (common.sync.demo); the hall demo runs on without
    one if it cannot start (the sync is never on the path of a ticket or an acceptance)."""
    from common.sync.demo import prepare_central

    try:
        central = prepare_central(folder, config, hall_code)
        central.start(folder / "central.log")
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"中心服务端未启动 / the central server did not start: {exc}", flush=True)
        return None
    return central


def _stop(procs: Any) -> None:
    procs = list(procs)
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            p.wait(timeout=10)
        if p.poll() is None:
            p.kill()
            p.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


# ---------------------------------------------------------------------- windows and the check


@dataclass(frozen=True)
class XWindow:
    """A visible X11 window of one process, as xdotool reports it."""

    id: str
    title: str
    x: int
    y: int
    width: int
    height: int


def can_see_windows() -> bool:
    """Windows can be found and photographed: an X11 display and xdotool.

    Not on Windows, macOS or Wayland.
    """
    return (
        bool(os.environ.get("DISPLAY"))
        and not os.environ.get("WAYLAND_DISPLAY")
        and shutil.which("xdotool") is not None
    )


def _xdotool(*args: str) -> str:
    result = subprocess.run(
        ["xdotool", *args], capture_output=True, text=True, check=False, timeout=10
    )
    return result.stdout


def x_windows(pid: int) -> list[XWindow]:
    """The process's visible top-level windows."""
    found = []
    for wid in _xdotool("search", "--onlyvisible", "--pid", str(pid)).split():
        geometry = dict(
            line.split("=", 1)
            for line in _xdotool("getwindowgeometry", "--shell", wid).splitlines()
            if "=" in line
        )
        with contextlib.suppress(KeyError, ValueError):
            found.append(
                XWindow(
                    wid,
                    _xdotool("getwindowname", wid).strip(),
                    int(geometry["X"]),
                    int(geometry["Y"]),
                    int(geometry["WIDTH"]),
                    int(geometry["HEIGHT"]),
                )
            )
    return found


def main_window(app: DemoApp, windows: Sequence[XWindow]) -> XWindow | None:
    """The app's own window among its windows; an error dialog ("一窗通") does not count."""
    mine = [w for w in windows if re.search(app.title, w.title)]
    return max(mine, key=lambda w: w.width * w.height) if mine else None


def _exited(app: DemoApp, p: subprocess.Popen[bytes], station: Path) -> str:
    log = station / "logs" / (app.name + ".log")
    return (
        f"{app.name} ({app.label}): exited with status {p.returncode} before the check; see {log}"
    )


def wait_for_windows(
    procs: dict[str, subprocess.Popen[bytes]],
    station: Path,
    timeout: float = WINDOW_WAIT_SECONDS,
    *,
    arrange: bool = False,
) -> list[str]:
    """Wait until every app has opened its window (X11) or at least is still running a few
    seconds after start (elsewhere); on the tour's virtual screen, lay them side by side.
    Returns what went wrong."""
    deadline = time.monotonic() + timeout
    apps = {app.name: app for app in APPS}
    if not can_see_windows():
        time.sleep(START_GRACE_SECONDS)
        return [_exited(apps[n], p, station) for n, p in procs.items() if p.poll() is not None]
    pending = set(procs)
    while pending and time.monotonic() < deadline:
        for name in sorted(pending):
            p = procs[name]
            if p.poll() is not None:
                return [_exited(apps[name], p, station)]
            if main_window(apps[name], x_windows(p.pid)) is not None:
                pending.discard(name)
        if pending:
            time.sleep(0.5)
    problems = []
    for name in sorted(pending):
        others = ", ".join(repr(w.title) for w in x_windows(procs[name].pid)) or "none"
        problems.append(
            f"{name} ({apps[name].label}): its window did not open within {timeout:.0f} s "
            f"(windows it shows: {others}); see {station / 'logs' / (name + '.log')}"
        )
    if not problems and arrange:
        _arrange(procs)
    return problems


def _arrange(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    """Side by side on the virtual screen (it has no window manager to place them): the kiosk
    on the left, the display top right, the counter below it. Not on a real desktop, whose
    window manager and size are the user's."""
    for app in APPS:
        for window in x_windows(procs[app.name].pid):
            _xdotool("windowmove", window.id, str(app.place[0]), str(app.place[1]))
    time.sleep(1.0)  # let them repaint where they landed


def region_drew(image: Any, box: tuple[int, int, int, int]) -> tuple[bool, float]:
    """Whether a window's region of a screenshot shows something (its grey levels vary) and
    their standard deviation. ``image`` is a PIL image; ``box`` left, top, right, bottom,
    clipped to the image."""
    from PIL import ImageStat

    left, top, right, bottom = box
    left, top = max(0, left), max(0, top)
    right, bottom = min(image.width, right), min(image.height, bottom)
    if right - left < 2 or bottom - top < 2:
        return False, 0.0
    stddev = float(ImageStat.Stat(image.crop((left, top, right, bottom)).convert("L")).stddev[0])
    return stddev >= MIN_STDDEV, stddev


def grab_screen(path: Path) -> bool:
    """Save the whole X screen as PNG (through Qt, which every install has)."""
    code = (
        "import sys; from PySide6.QtGui import QGuiApplication; app = QGuiApplication(sys.argv); "
        f"ok = app.primaryScreen().grabWindow(0).save({str(path)!r}); sys.exit(0 if ok else 1)"
    )
    env: dict[str, Any] = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, check=False, capture_output=True, timeout=60
    )
    return result.returncode == 0 and path.exists()


def judge(
    procs: dict[str, subprocess.Popen[bytes]],
    windows: dict[str, XWindow | None],
    image: Any,
    station: Path,
) -> list[str]:
    """What is wrong with the demo's windows, one line each naming the window (empty: all drew)."""
    problems = []
    for app in APPS:
        p = procs[app.name]
        log = station / "logs" / f"{app.name}.log"
        if p.poll() is not None:
            problems.append(_exited(app, p, station))
            continue
        window = windows.get(app.name)
        if window is None:
            problems.append(f"{app.name} ({app.label}): no window of its own is open; see {log}")
            continue
        if image is None:
            continue
        drew, stddev = region_drew(
            image, (window.x, window.y, window.x + window.width, window.y + window.height)
        )
        if not drew:
            problems.append(
                f"{app.name} ({app.label}): its window drew nothing (one flat colour, grey-level "
                f"deviation {stddev:.1f} < {MIN_STDDEV}); see {log}"
            )
    return problems


def check_demo(
    procs: dict[str, subprocess.Popen[bytes]],
    shot: Path,
    station: Path,
    *,
    save: bool,
    attempts: int = 4,
) -> list[str]:
    """Every app still runs, shows its own window, and that window drew (X11); a window still
    painting gets a few more seconds. Prints the verdict and the screenshot's path."""
    from PIL import Image

    problems: list[str] = []
    for attempt in range(attempts):
        if attempt:
            time.sleep(2)
        if not can_see_windows():
            windows: dict[str, XWindow | None] = {}
            problems = [
                _exited(app, procs[app.name], station)
                for app in APPS
                if procs[app.name].poll() is not None
            ]
            if not problems:
                print(
                    "[演示] 程序都在运行（此平台无法检查窗口画面） / "
                    "every app runs (windows not checked here)",
                    flush=True,
                )
            return problems
        windows = {app.name: main_window(app, x_windows(procs[app.name].pid)) for app in APPS}
        image = None
        if grab_screen(shot):
            with Image.open(shot) as opened:
                image = opened.convert("RGB")
        else:
            print(
                "[演示] no screenshot (the X screen could not be read); checking the windows only",
                flush=True,
            )
        problems = judge(procs, windows, image, station)
        if not problems or any("exited" in p for p in problems):
            break
    if image is not None and save:
        print(f"[演示] 屏幕截图 / screenshot: {shot}", flush=True)
    if not problems:
        print(
            "[演示] 每个窗口都已显示 / every window drew: "
            + ", ".join(f"{a.label} {a.name}" for a in APPS),
            flush=True,
        )
    return problems


def _elder_holders() -> Iterator[Holder]:
    """An invented 76-year-old who may still take a ticket today (the per-ID daily limit would
    refuse the same person on the third demo of a day)."""
    from common.people import check_character
    from common.queue.service import Holder

    for seq in range(2, 1000, 2):  # even: a woman
        first17 = f"11010519491231{seq:03d}"
        yield Holder(first17 + check_character(first17), "张秀英", dt.date(1949, 12, 31))


def _tour(config: Path, procs: dict[str, subprocess.Popen[bytes]]) -> None:
    """Issue, call and recall a few tickets as a kiosk and a counter would."""
    from common.bootstrap import open_hall
    from common.queue.errors import PerIdLimitReached

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
        for holder in _elder_holders():
            try:
                elder = q.issue(holder=holder, source="demo-tour")
            except PerIdLimitReached:
                continue
            printer.send(builder.ticket(ticket_data(hall.settings, elder)))
            print(f"[演示] 绿色通道 / green channel {elder.number}", flush=True)
            break
        for window in (2, 3):
            called = q.call_next(window, actor="demo-tour")
            if called:
                print(f"[演示] 请{called.number}号到{window}号窗口办理", flush=True)
            time.sleep(2)
        q.recall(3, actor="demo-tour")
        time.sleep(3)
    finally:
        hall.close()
    _intake_tour(config)


def _intake_tour(config: Path) -> None:
    """Window 1 calls a ticket, accepts a case with a tolerated item, writes its receipt PDF
    into the demo folder and shows it in the case desk — the real counter window, offscreen, in
    its own process (``counter.intake.demo_tour``; common never imports an app)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    folder = config.parent
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "counter.intake.demo_tour",
                "--config",
                str(config),
                "--out",
                str(folder),
            ],
            env=env,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired:
        print("[演示] 受理演示超时 / the intake tour timed out", flush=True)
        return
    if done.returncode != 0:
        print(
            f"[演示] 受理演示失败 / the intake tour failed (status {done.returncode})", flush=True
        )


def _kiosk_tour(config: Path) -> None:
    """The kiosk as a citizen uses it after the back office decided: 办件查询 and 证照打印 with the
    sample card, 预约签到 (booked with ``onewindow appointment book``) and 评价 — the real kiosk
    window, offscreen, in its own process (``kiosk.demo_tour``; common never imports an app)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "kiosk.demo_tour",
                "--config",
                str(config),
                "--out",
                str(config.parent),
            ],
            env=env,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired:
        print("[演示] 取号机演示超时 / the kiosk tour timed out", flush=True)
        return
    if done.returncode != 0:
        print(
            f"[演示] 取号机演示失败 / the kiosk tour failed (status {done.returncode})", flush=True
        )
