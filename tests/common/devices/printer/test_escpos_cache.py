"""python-escpos's capability cache: programs starting together never read a half-written pickle.

Issue 15: after an install or upgrade (the capabilities file newer than the cached pickle),
python-escpos rewrote the shared pickle in place and a kiosk starting beside a counter died with
``EOFError: Ran out of input``. These tests point python-escpos at a *copy* of its capabilities
file (``ESCPOS_CAPABILITIES_FILE``) in a temporary folder, so the venv is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from common.devices.printer.escpos_cache import PICKLE_DIR_VARIABLE, cache_key, capabilities_file

ROOT = Path(__file__).resolve().parents[4]

# Import the package and build a printer (its escpos profile), as a kiosk does at start-up.
_CHILD = """
from common.config import PrinterSettings
from common.devices.printer import open_printer, settings_from_spec
open_printer(settings_from_spec("dummy", PrinterSettings())).close()
"""


@pytest.fixture
def escpos_env(tmp_path: Path) -> dict[str, str]:
    installed = capabilities_file()
    assert installed is not None and installed.exists()
    caps = tmp_path / "capabilities.json"
    shutil.copyfile(installed, caps)
    env = {k: v for k, v in os.environ.items() if k != PICKLE_DIR_VARIABLE}
    env.update(
        ONEWINDOW_DATA_DIR=str(tmp_path / "data"),
        ESCPOS_CAPABILITIES_FILE=str(caps),
        PYTHONPATH=str(ROOT),
    )
    return env


def _start_together(env: dict[str, str], n: int) -> list[tuple[int, str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(n)
    ]
    return [
        (p.wait(timeout=120), p.stderr.read().decode(errors="replace") if p.stderr else "")
        for p in procs
    ]


def _touch(path: Path) -> None:
    # A whole second later: an install or upgrade, never equal to the pickle's time.
    now = time.time() + 1
    os.utime(path, (now, now))


def test_programs_starting_together_after_an_upgrade_all_start(escpos_env: dict[str, str]) -> None:
    """Touch the capabilities file, start three programs at once, 20 times: every one starts."""
    caps = Path(escpos_env["ESCPOS_CAPABILITIES_FILE"])
    failures: list[str] = []
    first = _start_together(escpos_env, 1)  # a first build: the cache exists from now on
    assert first[0][0] == 0, first[0][1]
    for round_ in range(20):
        _touch(caps)
        for code, err in _start_together(escpos_env, 3):
            if code != 0:
                failures.append(
                    f"round {round_}: {err.strip().splitlines()[-1] if err.strip() else code}"
                )
    assert not failures, f"{len(failures)} of 60 starts failed: {failures[:5]}"
    cache = Path(escpos_env["ONEWINDOW_DATA_DIR"]) / "cache" / "escpos"
    # A published pickle for the current file (older keys stay a month); no private folders.
    names = [p.name for p in cache.iterdir()]
    assert f"{cache_key(caps)}.pickle" in names and all(n.endswith(".pickle") for n in names)


def test_an_unused_old_pickle_is_pruned_and_another_installs_kept(
    escpos_env: dict[str, str],
) -> None:
    cache = Path(escpos_env["ONEWINDOW_DATA_DIR"]) / "cache" / "escpos"
    cache.mkdir(parents=True)
    old, other = cache / "0ld.pickle", cache / "0ther-install.pickle"
    crashed = cache / "run-crashed"
    for path in (old, other):
        path.write_bytes(b"x")
    crashed.mkdir()
    month_ago = time.time() - 31 * 24 * 3600
    for path in (old, crashed):
        os.utime(path, (month_ago, month_ago))
    assert _start_together(escpos_env, 1)[0][0] == 0
    names = sorted(p.name for p in cache.iterdir())
    assert names == sorted(
        [
            "0ther-install.pickle",
            f"{cache_key(Path(escpos_env['ESCPOS_CAPABILITIES_FILE']))}.pickle",
        ]
    )


def test_the_cache_is_used_and_the_variable_not_inherited(
    escpos_env: dict[str, str], tmp_path: Path
) -> None:
    """A second start reads the published pickle instead of parsing; children see no private
    folder; nothing is left in the temporary folder (python-escpos makes one on every import)."""
    temp = tmp_path / "temp"
    temp.mkdir()
    escpos_env = {**escpos_env, "TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)}
    probe = (
        "import os, time\n"
        "t = time.perf_counter()\n"
        "import common.devices.printer\n"
        "import escpos.capabilities as c\n"
        "print(os.environ.get('ESCPOS_CAPABILITIES_PICKLE_DIR', ''), c.full_load)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe],
            env=escpos_env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs[0] == ["True"]  # first start: built (no variable left behind for child programs)
    assert runs[1] == ["False"]  # second start: loaded from the published cache
    assert list(temp.iterdir()) == []


def test_a_users_own_pickle_folder_is_left_alone(
    escpos_env: dict[str, str], tmp_path: Path
) -> None:
    own = tmp_path / "own"
    own.mkdir()
    env = {**escpos_env, PICKLE_DIR_VARIABLE: str(own)}
    subprocess.run(
        [sys.executable, "-c", "import common.devices.printer.encoding"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    assert [p.suffix for p in own.iterdir()] == [".pickle"]
    assert not (Path(escpos_env["ONEWINDOW_DATA_DIR"]) / "cache" / "escpos").exists()
