"""``onewindow reader-check`` and ``onewindow reader-sim`` over real ptys."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from common.cli import main
from common.devices.idcard import SAMPLE_PROFILES
from common.devices.idcard.simulator import ReaderSimulator

ROOT = Path(__file__).resolve().parents[4]


def test_reader_check_reads_one_card_masked(
    sim_factory: Callable[..., ReaderSimulator], capsys: pytest.CaptureFixture[str]
) -> None:
    sim = sim_factory(pace=True)
    sim.place_card("elderly")
    assert main(["reader-check", sim.port, "--fingerprint"]) == 0
    out = capsys.readouterr().out
    profile = SAMPLE_PROFILES["elderly"]
    assert "05.02-20230101-0012345678-0087654321" in out
    assert "1101**********0024" in out and "王*英" in out and "长期" in out
    assert profile.number not in out and profile.name not in out
    assert "no decoder" in out and "1024 bytes" in out


def test_reader_check_no_card_and_no_port(
    sim_factory: Callable[..., ReaderSimulator], capsys: pytest.CaptureFixture[str]
) -> None:
    sim = sim_factory(pace=False)
    assert main(["reader-check", sim.port]) == 1
    assert "none" in capsys.readouterr().out
    assert main(["reader-check"]) == 2  # no port given, none configured
    sim.unplug()
    assert main(["reader-check", sim.port, "--timeout", "0.2"]) == 1


def test_reader_sim_prints_a_port_the_driver_can_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "sim-reader"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "common.cli",
            "reader-sim",
            "--card",
            "hmt",
            "--link",
            str(link),
            "--duration",
            "20",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.strip() == f"port: {link}"
        deadline = time.monotonic() + 5
        while not link.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert main(["reader-check", str(link)]) == 0
        assert "港澳台居民居住证" in capsys.readouterr().out
    finally:
        proc.terminate()
        proc.wait(5)


def test_reader_sim_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reader-sim", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(key in out for key in SAMPLE_PROFILES)
