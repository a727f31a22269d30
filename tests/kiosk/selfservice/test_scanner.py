"""Scanners without a screen: the serial scanner over a pseudo-terminal, the wedge decoder, the
fake, and the ``[kiosk]`` settings that choose one."""

from __future__ import annotations

import os
import sys
import threading
import time
import tomllib

import pytest

from common.config import ConfigError, settings_from_dict
from common.devices.scanner import (
    CallbackScanListener,
    FakeScanner,
    KeyboardWedgeScanner,
    ScannerStatus,
    SerialScanner,
    WedgeDecoder,
    scanner_from_settings,
)
from common.intake.qrtag import case_payload

# A real receipt's payload (keyed tag included), as the counter prints it.
PAYLOAD = case_payload("350102-20261123-0001", "test-secret-not-for-production")


class Heard:
    def __init__(self) -> None:
        self.codes: list[str] = []
        self.statuses: list[ScannerStatus] = []
        self.event = threading.Event()
        self.listener = CallbackScanListener(self._code, lambda s, _m: self.statuses.append(s))

    def _code(self, payload: str) -> None:
        self.codes.append(payload)
        self.event.set()

    def wait_for(self, n: int, timeout: float = 3.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.codes) < n and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(self.codes) >= n, self.codes


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_serial_scanner_reads_lines_split_across_reads_and_reports_a_missing_port() -> None:
    master, slave = os.openpty()
    heard = Heard()
    scanner = SerialScanner(os.ttyname(slave), read_timeout=0.02, reconnect_interval=0.05)
    scanner.add_listener(heard.listener)
    scanner.start()
    try:
        deadline = time.monotonic() + 3
        while scanner.status is not ScannerStatus.READY and time.monotonic() < deadline:
            time.sleep(0.01)
        os.write(master, PAYLOAD[:10].encode())
        time.sleep(0.05)
        os.write(master, PAYLOAD[10:].encode() + b"\r\n\x00junk-without-end")
        os.write(master, b"\r" + "onewindow:case:编号".encode() + b"\n")
        heard.wait_for(3)
        assert heard.codes == [PAYLOAD, "junk-without-end", "onewindow:case:编号"]
    finally:
        scanner.stop()
        os.close(master)
        os.close(slave)
    assert not scanner.is_running and scanner.status is ScannerStatus.STOPPED

    gone = SerialScanner("/nonexistent/ttyScanner", reconnect_interval=0.05)
    heard = Heard()
    gone.add_listener(heard.listener)
    gone.start()
    try:
        deadline = time.monotonic() + 3
        while ScannerStatus.GONE not in heard.statuses and time.monotonic() < deadline:
            time.sleep(0.01)
        assert ScannerStatus.GONE in heard.statuses
    finally:
        gone.stop()


def test_wedge_takes_fast_keystrokes_ending_in_enter_and_drops_a_hand_typing() -> None:
    decoder = WedgeDecoder(max_gap=0.05)
    t = 10.0
    out = None
    for ch in PAYLOAD + "\r":
        out = decoder.key(ch, t)
        t += 0.005
    assert out == PAYLOAD
    # A person: slow keys, then Enter — nothing.
    for ch in "1234\r":
        out = decoder.key(ch, t)
        t += 0.3
    assert out is None
    # A pause half-way drops the first half.
    for ch in "abcd":
        decoder.key(ch, t)
        t += 0.005
    t += 1.0
    for ch in "wxyz\r":
        out = decoder.key(ch, t)
        t += 0.005
    assert out == "wxyz"

    now = [0.0]
    scanner = KeyboardWedgeScanner(clock=lambda: now[0])
    heard = Heard()
    scanner.add_listener(heard.listener)
    assert not scanner.key("x")  # not started: ignored
    scanner.start()
    for ch in PAYLOAD:
        scanner.key(ch)
        now[0] += 0.004
    assert scanner.key("\r") and heard.codes == [PAYLOAD]


def test_fake_scanner_delivers_only_while_ready() -> None:
    fake = FakeScanner()
    heard = Heard()
    fake.add_listener(heard.listener)
    fake.scan(PAYLOAD)
    fake.start()
    fake.scan(PAYLOAD + "\r\n")
    fake.unplug()
    fake.scan("lost")
    assert heard.codes == [PAYLOAD] and heard.statuses == [ScannerStatus.READY, ScannerStatus.GONE]


def test_settings_choose_the_scanner() -> None:
    def kiosk(**section: object):  # type: ignore[no-untyped-def]
        return settings_from_dict({"kiosk": section}).kiosk

    assert scanner_from_settings(kiosk()) is None
    assert isinstance(scanner_from_settings(kiosk(scanner="wedge")), KeyboardWedgeScanner)
    serial_scanner = scanner_from_settings(
        kiosk(scanner="serial", scanner_port="COM4", scanner_baudrate=115200)
    )
    assert isinstance(serial_scanner, SerialScanner)
    assert (serial_scanner.port, serial_scanner.baudrate) == ("COM4", 115200)
    with pytest.raises(ValueError, match="scanner_port"):
        scanner_from_settings(kiosk(scanner="serial"))
    with pytest.raises(ConfigError, match=r"kiosk\.scanner"):
        kiosk(scanner="bluetooth")
    # As a hall writes it in its TOML file.
    toml = '[kiosk]\nscanner = "serial"\nscanner_port = "/dev/ttyACM0"\n'
    from_file = scanner_from_settings(settings_from_dict(tomllib.loads(toml)).kiosk)
    assert isinstance(from_file, SerialScanner) and from_file.port == "/dev/ttyACM0"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_the_kiosk_app_starts_with_the_scanner_from_its_toml(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    master, slave = os.openpty()
    try:
        config = tmp_path / "hall.toml"
        config.write_text(
            f'[kiosk]\nscanner = "serial"\nscanner_port = "{os.ttyname(slave)}"\n', encoding="utf-8"
        )
        env = {
            **os.environ,
            "ONEWINDOW_DATA_DIR": str(tmp_path / "data"),
            "ONEWINDOW_CONFIG": str(config),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(root),
        }
        subprocess.run(
            [sys.executable, "-m", "common.cli", "seed-demo"],
            env=env,
            cwd=root,
            check=True,
            capture_output=True,
            timeout=120,
        )
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "kiosk.app",
                "--windowed",
                "--exit-after-first-frame",
                "--reader",
                "",
                "--printer-dir",
                str(tmp_path / "printed"),
            ],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.startswith("first-frame-ms")
    finally:
        os.close(master)
        os.close(slave)
