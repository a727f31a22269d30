"""`onewindow demo` checks itself (issue 15): an app that did not start, shows an error dialog
instead of its window, or whose window drew nothing makes the demo say which and exit 1.

The apps are stand-in processes here (a ``sleep`` or an ``exit 1``), the X11 look-up and the
screen grab are replaced, so the checker and the exit path are tested without a screen; the
real thing is ``./scripts/demo`` on Xvfb."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from common.cli import demo
from common.cli.demo import APPS, XWindow, claim_station, judge, main_window, region_drew

REAL = (
    Path(__file__).resolve().parents[3]
    / "docs"
    / "screenshots"
    / "display"
    / "display-1280x720.png"
)


def _black(width: int = 2048, height: int = 1300) -> Image.Image:
    return Image.new("RGB", (width, height), (0, 0, 0))


def test_region_drew_tells_a_black_window_from_a_real_one() -> None:
    assert region_drew(_black(), (0, 0, 1280, 720)) == (False, 0.0)
    flat = Image.new("RGB", (400, 300), (240, 244, 248))  # a light window that never painted
    assert not region_drew(flat, (0, 0, 400, 300))[0]
    with Image.open(REAL) as real:
        drew, stddev = region_drew(real.convert("RGB"), (0, 0, real.width, real.height))
    assert drew and stddev > 20
    # A box off the screen's edge is clipped, not an error; nothing visible is "drew nothing".
    assert region_drew(_black(100, 100), (200, 200, 300, 300)) == (False, 0.0)


def test_an_error_dialog_is_not_the_apps_window() -> None:
    kiosk = next(a for a in APPS if a.name == "kiosk")
    dialog = XWindow("1", "一窗通", 0, 0, 420, 160)
    assert main_window(kiosk, [dialog]) is None
    real = XWindow("2", "一窗通 · 自助取号", 0, 0, 720, 1280)
    assert main_window(kiosk, [dialog, real]) == real
    display = next(a for a in APPS if a.name == "display")
    assert main_window(display, [XWindow("3", "一窗通叫号大屏", 0, 0, 1280, 720)]) is not None
    counter = next(a for a in APPS if a.name == "counter")
    assert main_window(counter, [XWindow("4", "一窗通窗口 — 登录", 0, 0, 460, 370)]) is not None


class _Proc:
    def __init__(self, code: int | None) -> None:
        self.code, self.pid = code, 1

    def poll(self) -> int | None:
        return self.code

    @property
    def returncode(self) -> int | None:
        return self.code


def _windows() -> dict[str, XWindow | None]:
    return {
        "kiosk": XWindow("1", "一窗通 · 自助取号", 0, 0, 720, 1280),
        "display": XWindow("2", "一窗通叫号大屏", 730, 0, 1280, 720),
        "counter": XWindow("3", "一窗通窗口 — 登录", 730, 740, 460, 370),
    }


def test_judge_names_the_window_that_drew_nothing(tmp_path: Path) -> None:
    procs: Any = {a.name: _Proc(None) for a in APPS}
    screen = _black()
    with Image.open(REAL) as real:  # the display and counter drew; the kiosk's region stays black
        screen.paste(real.convert("RGB"), (730, 0))
        screen.paste(real.convert("RGB").crop((0, 0, 460, 370)), (730, 740))
    problems = judge(procs, _windows(), screen, tmp_path)
    assert len(problems) == 1 and problems[0].startswith("kiosk"), problems
    assert "drew nothing" in problems[0]
    with Image.open(REAL) as real:
        screen.paste(real.convert("RGB").crop((0, 0, 720, 720)), (0, 0))
        screen.paste(real.convert("RGB").crop((0, 0, 720, 560)), (0, 720))
    assert judge(procs, _windows(), screen, tmp_path) == []
    # An app that exited, or shows only an error dialog, is named too.
    procs["counter"] = _Proc(1)
    windows = {**_windows(), "kiosk": None}
    problems = judge(procs, windows, screen, tmp_path)
    assert [p.split(" ")[0] for p in problems] == ["counter", "kiosk"]
    assert "exited with status 1" in problems[0]


def test_two_demos_take_two_stations(tmp_path: Path) -> None:
    n1, station1, lock1 = claim_station(tmp_path)
    n2, station2, lock2 = claim_station(tmp_path)
    assert (n1, n2) == (1, 2) and station1 != station2
    lock1.close()
    n3, _station3, lock3 = claim_station(tmp_path)  # a stopped demo's station is free again
    assert n3 == 1
    lock2.close()
    lock3.close()


# ---------------------------------------------------------------------- the whole run, exit code


class _NoCards:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def start(self) -> str:
        return ""

    def stop(self) -> None:
        pass


def _run(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    behaviour: dict[str, str],
    *,
    windows: Callable[[str], list[XWindow]] | None = None,
    screen: Image.Image | None = None,
) -> int:
    """run_demo with stand-in apps: 'ok' runs until stopped, 'fail' exits with status 1."""
    names: dict[int, str] = {}

    def spawn(app: Any, args: Any, env: Any) -> subprocess.Popen[bytes]:
        code = (
            "import time; time.sleep(60)"
            if behaviour[app.name] == "ok"
            else "import sys; sys.exit(1)"
        )
        p = subprocess.Popen([sys.executable, "-c", code])
        names[p.pid] = app.name
        return p

    monkeypatch.setattr(demo, "_spawn", spawn)
    monkeypatch.setattr(demo, "CardCycler", _NoCards)
    monkeypatch.setattr(demo, "START_GRACE_SECONDS", 1.5)
    monkeypatch.setattr(demo, "_sample_documents", lambda folder: None)
    monkeypatch.setattr(demo, "_central", lambda folder, config, code: None)  # no server here
    if windows is None:
        monkeypatch.setattr(demo, "can_see_windows", lambda: False)
    else:
        monkeypatch.setattr(demo, "can_see_windows", lambda: True)
        monkeypatch.setattr(demo, "x_windows", lambda pid: windows(names[pid]))
        monkeypatch.setattr(demo, "_arrange", lambda procs: None)
        assert screen is not None
        monkeypatch.setattr(demo, "grab_screen", lambda path: _save(screen, path))
    args = argparse.Namespace(
        dir=tmp_path / "demo", tour=False, duration=0.5, no_voice=True, no_check=False
    )
    return demo.run_demo(args)


def test_a_kiosk_that_does_not_start_fails_the_demo(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, tmp_path, {"kiosk": "fail", "counter": "ok", "display": "ok"}) == 1
    err = capsys.readouterr().err
    assert "FAILED" in err and "kiosk" in err and "exited with status 1" in err


def test_a_blank_window_or_an_error_dialog_fails_the_demo(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = {"kiosk": "ok", "counter": "ok", "display": "ok"}
    all_windows = _windows()

    def shown(name: str) -> list[XWindow]:
        window = all_windows[name]
        return [window] if window else []

    # Everything runs and has its window, but the screen is black: each window is named.
    assert _run(monkeypatch, tmp_path, ok, windows=shown, screen=_black()) == 1
    err = capsys.readouterr().err
    assert (
        all(f"{name} (" in err for name in ("kiosk", "counter", "display"))
        and "drew nothing" in err
    )
    # The kiosk shows only its "already running" dialog: named, within the wait.
    monkeypatch.setattr(demo, "WINDOW_WAIT_SECONDS", 2.0)
    monkeypatch.setattr(demo, "wait_for_windows", _short_wait(demo.wait_for_windows))
    all_windows["kiosk"] = XWindow("9", "一窗通", 0, 0, 420, 160)
    assert _run(monkeypatch, tmp_path, ok, windows=shown, screen=_black()) == 1
    err = capsys.readouterr().err
    assert "kiosk (取号机): its window did not open" in err and "'一窗通'" in err


def _short_wait(wait: Any) -> Any:
    return lambda procs, station, arrange=False: wait(procs, station, timeout=2.0, arrange=arrange)


def test_a_demo_whose_windows_drew_succeeds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    screen = _black()
    with Image.open(REAL) as real:
        tile = real.convert("RGB")
        for x, y in ((0, 0), (0, 720), (730, 0), (730, 740)):
            screen.paste(tile, (x, y))
    all_windows = _windows()
    ok = {"kiosk": "ok", "counter": "ok", "display": "ok"}
    assert (
        _run(
            monkeypatch,
            tmp_path,
            ok,
            windows=lambda n: [w for w in [all_windows[n]] if w],
            screen=screen,
        )
        == 0
    )
    assert "every window drew" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb")
def test_the_screen_grab_reads_a_virtual_screen(tmp_path: Path) -> None:
    """grab_screen really photographs an X screen (the tour's screenshot path)."""
    shot = tmp_path / "screen.png"
    code = (
        "from pathlib import Path; from common.cli.demo import grab_screen; "
        f"assert grab_screen(Path({str(shot)!r}))"
    )
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 640x480x24", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with Image.open(shot) as image:
        assert image.size == (640, 480)


def _save(image: Image.Image, path: Path) -> bool:
    image.save(path)
    return True
