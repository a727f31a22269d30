"""A serial (or USB virtual COM) scanner through pyserial: one code per line (CR and/or LF).

Most 扫码枪 and kiosk scan engines can be set to "USB COM" or RS-232 mode, where each decoded
code arrives as its text plus a terminator. A background thread reads the port, splits on the
terminator and tells listeners; a port that disappears is reported (``GONE``) and opened again
every ``reconnect_interval`` seconds. Nothing POSIX-specific: a port is ``COM4``,
``/dev/ttyACM0`` or any pyserial URL.
"""

from __future__ import annotations

import logging
import threading

import serial

from common.devices.scanner.base import MAX_PAYLOAD, BarcodeScanner, ScannerStatus

__all__ = ["SerialScanner"]

log = logging.getLogger(__name__)


class SerialScanner(BarcodeScanner):
    """Reads codes from a serial port on a thread of its own (``scanner-serial``)."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        encoding: str = "utf-8",
        read_timeout: float = 0.1,
        reconnect_interval: float = 2.0,
    ) -> None:
        super().__init__()
        self.port, self.baudrate, self.encoding = port, baudrate, encoding
        self.read_timeout, self.reconnect_interval = read_timeout, reconnect_interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.is_running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="scanner-serial", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._emit_status(ScannerStatus.STOPPED)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._emit_status(ScannerStatus.CONNECTING)
            try:
                port = serial.serial_for_url(
                    self.port, baudrate=self.baudrate, timeout=self.read_timeout, do_not_open=True
                )
                if hasattr(port, "exclusive"):
                    try:
                        port.exclusive = True  # a second program is refused, not interleaved
                    except (ValueError, NotImplementedError):
                        pass
                port.open()
            except (serial.SerialException, OSError, ValueError) as exc:
                self._gone(
                    f"扫码枪端口 {self.port} 无法打开 / cannot open scanner port {self.port}: {exc}"
                )
                continue
            self._emit_status(ScannerStatus.READY)
            try:
                self._read(port)
            except (serial.SerialException, OSError) as exc:
                self._gone(f"扫码枪断开 / scanner disconnected: {exc}")
            finally:
                try:
                    port.close()
                except (serial.SerialException, OSError):
                    pass

    def _gone(self, message: str) -> None:
        if self.status is not ScannerStatus.GONE:
            log.warning("%s", message)
        self._emit_status(ScannerStatus.GONE, message)
        self._stop.wait(self.reconnect_interval)

    def _read(self, port: serial.Serial) -> None:
        buffer = b""
        while not self._stop.is_set():
            chunk = port.read(256)
            if not chunk:
                continue
            buffer += chunk
            *lines, buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
            for line in lines:
                if line:
                    self._emit_scan(line.decode(self.encoding, errors="replace"))
            if len(buffer) > MAX_PAYLOAD:
                buffer = b""  # no terminator in sight: noise, or a scanner set up wrongly
