"""Connections and status: real python-escpos Network over loopback, specs, PNG folder."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from common.config import PrinterSettings
from common.devices.printer import (
    DummyPrinter,
    PngFolderPrinter,
    PrinterConfigError,
    PrinterOfflineError,
    PrinterState,
    PrintJobBuilder,
    open_printer,
    settings_from_spec,
)
from common.devices.printer.status import parse_status_bytes
from common.documents.samples import TICKET


@pytest.mark.parametrize(
    ("printer", "paper", "state"),
    [
        (b"\x12", b"\x12", PrinterState.READY),
        (b"\x1a", b"\x12", PrinterState.OFFLINE),
        (b"\x12", b"\x1e", PrinterState.PAPER_NEAR_END),
        (b"\x12", b"\x72", PrinterState.PAPER_OUT),
        (b"", b"", PrinterState.UNKNOWN),  # python-escpos would call this "paper adequate"
        (b"\x12", b"", PrinterState.UNKNOWN),
        (b"\xff", b"\x12", PrinterState.UNKNOWN),
    ],
)
def test_status_bytes(printer: bytes, paper: bytes, state: PrinterState) -> None:
    assert parse_status_bytes(printer, paper).state is state


class _FakeNetworkPrinter:
    """A TCP server on loopback that answers DLE EOT like a printer and records the bytes."""

    def __init__(self, paper: bytes = b"\x12", answer: bool = True) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.paper, self.answer = paper, answer
        self.received = bytearray()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.received += chunk
                if self.answer and chunk.endswith(b"\x10\x04\x01"):
                    conn.sendall(b"\x12")
                elif self.answer and chunk.endswith(b"\x10\x04\x04"):
                    conn.sendall(self.paper)

    def close(self) -> None:
        self.sock.close()
        self.thread.join(2)


@pytest.fixture
def net_printer() -> Iterator[_FakeNetworkPrinter]:
    server = _FakeNetworkPrinter()
    yield server
    server.close()


def _settings(**kw: object) -> PrinterSettings:
    return PrinterSettings.model_validate({"paper_mm": 58, **kw})


def test_network_status_and_send_over_loopback(net_printer: _FakeNetworkPrinter) -> None:
    settings = _settings(connection="network", host="127.0.0.1", port=net_printer.port, timeout=1)
    printer = open_printer(settings)
    assert printer.status().state is PrinterState.READY
    job = PrintJobBuilder(settings).ticket(TICKET)
    printer.send(job)
    printer.close()
    net_printer.thread.join(2)
    assert bytes(net_printer.received).endswith(job.data)


def test_network_paper_out_is_reported() -> None:
    server = _FakeNetworkPrinter(paper=b"\x72")
    try:
        printer = open_printer(
            _settings(connection="network", host="127.0.0.1", port=server.port, timeout=1)
        )
        assert printer.status().state is PrinterState.PAPER_OUT
        printer.close()
    finally:
        server.close()


def test_silent_printer_is_unknown_not_ready() -> None:
    server = _FakeNetworkPrinter(answer=False)
    try:
        printer = open_printer(
            _settings(connection="network", host="127.0.0.1", port=server.port, timeout=0.2)
        )
        assert printer.status().state is PrinterState.UNKNOWN
        printer.close()
    finally:
        server.close()


def test_unreachable_printer_raises_offline_error() -> None:
    with socket.socket() as s:  # a port that was free a moment ago: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    printer = open_printer(
        _settings(connection="network", host="127.0.0.1", port=port, timeout=0.5)
    )
    assert printer.status().state is PrinterState.UNREACHABLE
    with pytest.raises(PrinterOfflineError):
        printer.send(PrintJobBuilder(_settings()).ticket(TICKET))


def test_png_folder_printer_writes_png_and_bytes(tmp_path: Path) -> None:
    settings = _settings(connection="png", png_dir=str(tmp_path / "out"))
    printer = open_printer(settings)
    assert isinstance(printer, PngFolderPrinter)
    assert printer.status().state is PrinterState.READY
    printer.send(PrintJobBuilder(settings).ticket(TICKET))
    (png,) = printer.files()
    with Image.open(png) as img:
        assert img.width == 384
    assert png.with_suffix(".bin").read_bytes().startswith(b"\x1b@")


def test_dummy_printer_keeps_bytes() -> None:
    printer = open_printer(_settings(connection="dummy", mode="native"))
    assert isinstance(printer, DummyPrinter)
    job = PrintJobBuilder(_settings(mode="native")).ticket(TICKET)
    printer.send(job)
    assert printer.output == job.data
    assert printer.status().state is PrinterState.UNKNOWN


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("dummy", {"connection": "dummy"}),
        ("png:/tmp/x", {"connection": "png", "png_dir": "/tmp/x"}),
        ("file:/dev/usb/lp0", {"connection": "file", "device": "/dev/usb/lp0"}),
        ("network:10.0.0.5:9101", {"connection": "network", "host": "10.0.0.5", "port": 9101}),
        ("network:printer.local", {"connection": "network", "host": "printer.local", "port": 9100}),
        ("serial:COM3", {"connection": "serial", "serial_port": "COM3"}),
        (
            "serial:/dev/ttyUSB0:19200",
            {"connection": "serial", "serial_port": "/dev/ttyUSB0", "serial_baudrate": 19200},
        ),
        ("usb:0x0416:0x5011", {"connection": "usb", "usb_vendor": 0x0416, "usb_product": 0x5011}),
    ],
)
def test_specs(spec: str, expected: dict[str, object]) -> None:
    settings = settings_from_spec(spec, PrinterSettings())
    for key, value in expected.items():
        assert getattr(settings, key) == value


def test_bad_specs_and_settings_are_config_errors() -> None:
    with pytest.raises(PrinterConfigError, match="neither"):
        settings_from_spec("bogus", PrinterSettings())
    with pytest.raises(PrinterConfigError):
        settings_from_spec("network:host:99999", PrinterSettings())
    with pytest.raises(PrinterConfigError, match="usb_vendor"):
        open_printer(_settings(connection="usb"))
    with pytest.raises(PrinterConfigError, match="serial_port"):
        open_printer(_settings(connection="serial"))
    assert settings_from_spec("ticket", PrinterSettings()) == PrinterSettings()
