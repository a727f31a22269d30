"""Printers: the :class:`TicketPrinter` interface and its connections from config.

Every connection transports the bytes a :class:`~.jobs.PrintJob` already holds (encoding is
connection-independent, see :mod:`.encoding`). Status is asked for where the connection can
carry a reply (USB, serial, network); a file, device node or the Windows spooler cannot, and
says :attr:`~.status.PrinterState.UNKNOWN` rather than pretending all is well.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common.config import PrinterSettings, data_dir
from common.devices.printer.encoding import printer_profile
from common.devices.printer.jobs import PrintJob
from common.devices.printer.layouts import Paper
from common.devices.printer.raster import render_layout
from common.devices.printer.status import (
    PrinterConfigError,
    PrinterOfflineError,
    PrinterState,
    PrinterStatus,
    parse_status_bytes,
)
from common.documents.fonts import CjkFont, resolve_cjk_font

__all__ = [
    "DummyPrinter",
    "EscposPrinter",
    "PngFolderPrinter",
    "TicketPrinter",
    "open_printer",
    "settings_from_spec",
]

log = logging.getLogger(__name__)

_DLE_EOT_PRINTER = b"\x10\x04\x01"
_DLE_EOT_PAPER = b"\x10\x04\x04"


class TicketPrinter(ABC):
    """A thermal printer as the kiosk and counter see it: ask its status, send it a job.

    ``send`` returns only once the connection accepted every byte, and raises a
    :class:`~.status.PrinterError` subclass otherwise. Implementations are used from one
    thread at a time (the print queue's worker).
    """

    name: str = "printer"

    @abstractmethod
    def status(self) -> PrinterStatus:
        """Ask the printer; never raises (a failure is a status)."""

    @abstractmethod
    def send(self, job: PrintJob) -> None:
        """Transmit ``job.data``; raise ``PrinterError`` if it was not accepted."""

    def close(self) -> None:  # noqa: B027 - optional hook, most printers hold nothing open
        """Release the connection (the next call reopens it)."""


class EscposPrinter(TicketPrinter):
    """A real printer behind a python-escpos connection (USB, serial, network, file, win32).

    ``factory`` creates a fresh python-escpos object; after any failure the old one is dropped
    and the next call reconnects, because python-escpos objects do not recover from a lost
    socket or unplugged USB device by themselves.
    """

    def __init__(self, name: str, factory: Callable[[], Any], *, can_query: bool) -> None:
        self.name = name
        self._factory = factory
        self._can_query = can_query
        self._conn: Any = None
        self._lock = threading.Lock()

    def _device(self) -> Any:
        if self._conn is None:
            self._conn = self._factory()
            self._conn.open()
        return self._conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                log.debug("closing printer %s failed", self.name, exc_info=True)

    def status(self) -> PrinterStatus:
        if not self._can_query:
            return PrinterStatus(PrinterState.UNKNOWN, "this connection cannot report status")
        with self._lock:
            try:
                dev = self._device()
                dev._raw(_DLE_EOT_PRINTER)
                printer_reply = bytes(dev._read() or b"")
                dev._raw(_DLE_EOT_PAPER)
                paper_reply = bytes(dev._read() or b"")
            except TimeoutError:
                return PrinterStatus(PrinterState.UNKNOWN, "no reply to DLE EOT (timeout)")
            except Exception as exc:
                self._drop()
                return PrinterStatus(PrinterState.UNREACHABLE, f"{type(exc).__name__}: {exc}")
        return parse_status_bytes(printer_reply, paper_reply)

    def send(self, job: PrintJob) -> None:
        with self._lock:
            try:
                dev = self._device()
                dev._raw(job.data)
                flush = getattr(dev, "flush", None)
                if callable(flush):
                    flush()
            except Exception as exc:
                self._drop()
                raise PrinterOfflineError(f"{self.name}: {type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._drop()


class DummyPrinter(TicketPrinter):
    """python-escpos's Dummy: keeps every byte in memory (``output``); for tests and dry runs."""

    def __init__(self, name: str = "dummy") -> None:
        from escpos.printer import Dummy

        self.name = name
        self._dummy = Dummy()
        self.jobs: list[PrintJob] = []

    @property
    def output(self) -> bytes:
        data: bytes = self._dummy.output
        return data

    def status(self) -> PrinterStatus:
        return PrinterStatus(PrinterState.UNKNOWN, "the dummy printer cannot report status")

    def send(self, job: PrintJob) -> None:
        self._dummy._raw(job.data)
        self.jobs.append(job)


class PngFolderPrinter(TicketPrinter):
    """The demo printer: each job becomes ``<time>-<title>-<id>.png`` (and ``.bin``, the bytes).

    Files are written to a temporary name and renamed, so a viewer watching the folder never
    sees half a ticket.
    """

    def __init__(self, folder: Path, font: CjkFont | None = None, *, name: str = "png") -> None:
        self.name = name
        self.folder = folder
        self._font = font

    def status(self) -> PrinterStatus:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return PrinterStatus(PrinterState.UNREACHABLE, f"{self.folder}: {exc}")
        if not os.access(self.folder, os.W_OK):
            return PrinterStatus(PrinterState.UNREACHABLE, f"{self.folder}: not writable")
        return PrinterStatus(PrinterState.READY, str(self.folder))

    def send(self, job: PrintJob) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(job.created_at))
        safe = "".join(ch if ch.isalnum() else "_" for ch in job.title)[:40]
        stem = f"{stamp}-{safe}-{job.job_id[:8]}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.folder / f"{stem}.bin", job.data)
            if job.layout is not None:
                font = self._font or resolve_cjk_font()
                image = render_layout(job.layout, font)
                fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
                with os.fdopen(fd, "wb") as fh:
                    image.save(fh, format="PNG", optimize=True)
                os.replace(tmp, self.folder / f"{stem}.png")
        except OSError as exc:
            raise PrinterOfflineError(f"{self.folder}: {exc}") from exc

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.png"))


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def open_printer(settings: PrinterSettings, font: CjkFont | None = None) -> TicketPrinter:
    """Build the printer ``settings.connection`` names. Nothing is opened until first use."""
    s = settings
    profile = printer_profile(s.profile, Paper(s.paper_mm).dots)
    kind = s.connection
    if kind == "dummy":
        return DummyPrinter(s.name)
    if kind == "png":
        folder = Path(s.png_dir) if s.png_dir else data_dir() / "printed"
        return PngFolderPrinter(folder, font, name=s.name)
    if kind == "usb":
        if s.usb_vendor is None or s.usb_product is None:
            raise PrinterConfigError(
                "usb printer needs usb_vendor and usb_product (e.g. 0x0416, 0x5011)"
            )
        from escpos.printer import Usb

        vendor, product = s.usb_vendor, s.usb_product
        return EscposPrinter(
            s.name,
            # pyusb takes milliseconds.
            lambda: _with_profile(Usb(vendor, product, timeout=int(s.timeout * 1000)), profile),
            can_query=True,
        )
    if kind == "serial":
        if not s.serial_port:
            raise PrinterConfigError("serial printer needs serial_port (e.g. COM3 or /dev/ttyUSB0)")
        from escpos.printer import Serial

        return EscposPrinter(
            s.name,
            lambda: _with_profile(
                Serial(s.serial_port, baudrate=s.serial_baudrate, timeout=s.timeout), profile
            ),
            can_query=True,
        )
    if kind == "network":
        if not s.host:
            raise PrinterConfigError("network printer needs host (and port, default 9100)")
        from escpos.printer import Network

        return EscposPrinter(
            s.name,
            lambda: _with_profile(Network(s.host, port=s.port, timeout=s.timeout), profile),
            can_query=True,
        )
    if kind == "file":
        if not s.device:
            raise PrinterConfigError(
                "file printer needs device (a file or device node, e.g. /dev/usb/lp0)"
            )
        from escpos.printer import File

        # A device node is write-only from here: status is unknown rather than guessed.
        return EscposPrinter(
            s.name, lambda: _with_profile(File(s.device), profile), can_query=False
        )
    if kind == "win32raw":
        if sys.platform != "win32":
            raise PrinterConfigError("win32raw printers exist only on Windows")
        from escpos.printer import Win32Raw  # imports win32print itself, only on Windows

        # The Windows spooler takes the bytes but never passes a reply back.
        return EscposPrinter(
            s.name, lambda: _with_profile(Win32Raw(s.device or None), profile), can_query=False
        )
    raise PrinterConfigError(f"unknown printer connection {kind!r}")


def _with_profile(conn: Any, profile: Any) -> Any:
    conn.profile = profile
    return conn


def settings_from_spec(spec: str, base: PrinterSettings) -> PrinterSettings:
    """Printer settings for a command-line spec, starting from ``base`` (mode, paper, font).

    ``dummy`` · ``png`` / ``png:DIR`` · ``file:PATH`` · ``network:HOST[:PORT]`` ·
    ``serial:PORT[:BAUD]`` · ``usb:VENDOR:PRODUCT`` (hex like 0x0416) · ``win32raw[:NAME]``.
    Anything else is taken as the name of the configured printer.
    """
    kind, _, rest = spec.partition(":")
    update: dict[str, Any]
    if kind == "dummy":
        update = {"connection": "dummy"}
    elif kind == "png":
        update = {"connection": "png", "png_dir": rest}
    elif kind == "file" and rest:
        update = {"connection": "file", "device": rest}
    elif kind == "network" and rest:
        host, _, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
        update = {"connection": "network", "host": host, "port": int(port) if port else 9100}
    elif kind == "serial" and rest:
        port_name, _, baud = (
            rest.rpartition(":")
            if rest.rsplit(":", 1)[-1].isdigit() and ":" in rest
            else (rest, "", "")
        )
        update = {"connection": "serial", "serial_port": port_name}
        if baud:
            update["serial_baudrate"] = int(baud)
    elif kind == "usb" and rest.count(":") == 1:
        vendor, product = rest.split(":")
        try:
            update = {
                "connection": "usb",
                "usb_vendor": int(vendor, 16),
                "usb_product": int(product, 16),
            }
        except ValueError:
            raise PrinterConfigError(
                f"usb spec needs hex ids, e.g. usb:0x0416:0x5011, not {spec!r}"
            ) from None
    elif kind == "win32raw":
        update = {"connection": "win32raw", "device": rest}
    else:
        if spec != base.name:
            raise PrinterConfigError(
                f"{spec!r} is neither the configured printer ({base.name!r}) nor a spec like "
                "dummy, png:DIR, file:/dev/usb/lp0, network:HOST:9100, serial:COM3, "
                "usb:0x0416:0x5011"
            )
        return base
    try:
        # model_validate, not model_copy(update=...): the latter would skip validation.
        return PrinterSettings.model_validate({**base.model_dump(), **update, "name": spec})
    except ValueError as exc:
        raise PrinterConfigError(f"bad printer spec {spec!r}: {exc}") from exc
