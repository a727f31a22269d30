"""The ID card reader over pyserial: a synchronous connection and a polling worker.

Two layers:

- :class:`ReaderConnection` speaks the protocol on an open port, one command at a time
  (``transact``, ``find_card``, ``select_card``, ``read_card`` ...). The diagnostics command
  and the benchmark use it directly.
- :class:`SerialCardReader` owns a connection in a background thread and polls
  find → select → read, telling :class:`ReaderListener` objects about cards and status
  changes. It reconnects by itself when the port disappears and comes back. GUIs wrap it in
  ``common.qt.idcard.QtCardReader``; tests of other apps use ``FakeCardReader`` instead.

Nothing here is POSIX-specific: a port is a name (``COM3``, ``/dev/ttyUSB0``) or any pyserial
URL, opened with :func:`serial.serial_for_url`.
"""

from __future__ import annotations

import abc
import datetime as dt
import enum
import logging
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import serial

from common.config import ReaderSettings
from common.devices.idcard.card import (
    IdentityCard,
    PhotoDecoder,
    parse_additional_address,
    parse_card,
)
from common.devices.idcard.errors import (
    FrameError,
    IdCardError,
    LengthError,
    NoCardError,
    NoContentError,
    ReaderGoneError,
    ReaderTimeoutError,
)
from common.devices.idcard.protocol import Command, FrameParser, Response

__all__ = [
    "CallbackListener",
    "CardReader",
    "ReaderConnection",
    "ReaderListener",
    "ReaderStatus",
    "SerialCardReader",
]

log = logging.getLogger(__name__)

# What a vanished device raises. pyserial wraps most failures in SerialException, but not all:
# on POSIX, flushing a dead tty raises termios.error (not an OSError). termios is imported only
# where it exists so the driver stays importable on Windows.
_port_errors: tuple[type[BaseException], ...] = (serial.SerialException, OSError)
try:
    import termios

    _port_errors += (termios.error,)
except ImportError:  # pragma: no cover - Windows
    pass
PORT_ERRORS = _port_errors


class ReaderStatus(enum.StrEnum):
    """What a reader reports besides cards. Values are stable strings (used in Qt signals)."""

    CONNECTING = "connecting"  # opening the port
    READY = "ready"  # connected, waiting for a card
    NO_CARD = "no_card"  # the reader is idle with nothing on it (after a start or a removal)
    READING = "reading"  # a card was found; reading it
    CARD_EXPIRED = (
        "card_expired"  # the card just read is past its validity (the card is still sent)
    )
    CARD_REMOVED = "card_removed"  # the card on the reader (read or not) has left
    READ_FAILED = "read_failed"  # a card was there but could not be read (moved, damaged, bad data)
    READER_GONE = "reader_gone"  # port missing or the reader stopped answering; retrying
    STOPPED = "stopped"


_STATUS_ZH = {
    ReaderStatus.CONNECTING: "正在连接身份证阅读器",
    ReaderStatus.READY: "身份证阅读器已就绪",
    ReaderStatus.NO_CARD: "请放置身份证",
    ReaderStatus.READING: "正在读卡，请勿移动证件",
    ReaderStatus.CARD_EXPIRED: "证件已过有效期",
    ReaderStatus.CARD_REMOVED: "证件已取走",
    ReaderStatus.READ_FAILED: "读卡失败，请重新放置证件",
    ReaderStatus.READER_GONE: "身份证阅读器未连接",
    ReaderStatus.STOPPED: "身份证阅读器已停止",
}


class ReaderListener(Protocol):
    """Receives a reader's events. Called on the reader's worker thread: never touch widgets
    here (the Qt adapter re-emits onto the GUI thread)."""

    def card_read(self, card: IdentityCard) -> None: ...

    def reader_status(self, status: ReaderStatus, message: str) -> None: ...


@dataclass
class CallbackListener:
    """A :class:`ReaderListener` made of two plain callables (either may be None)."""

    on_card: Callable[[IdentityCard], None] | None = None
    on_status: Callable[[ReaderStatus, str], None] | None = None

    def card_read(self, card: IdentityCard) -> None:
        if self.on_card is not None:
            self.on_card(card)

    def reader_status(self, status: ReaderStatus, message: str) -> None:
        if self.on_status is not None:
            self.on_status(status, message)


class CardReader(abc.ABC):
    """The interface apps program against: a real :class:`SerialCardReader` or a
    :class:`~common.devices.idcard.fake.FakeCardReader`.

    ``start()`` begins reporting, ``stop()`` ends it and waits for the worker; listeners get
    ``card_read`` once per card placed and ``reader_status`` on every change of status.
    """

    def __init__(self) -> None:
        self._listeners: list[ReaderListener] = []
        self._listeners_lock = threading.Lock()
        self._status = ReaderStatus.STOPPED
        self._status_message = ""

    def add_listener(self, listener: ReaderListener) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: ReaderListener) -> None:
        with self._listeners_lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def status(self) -> ReaderStatus:
        """The last status reported."""
        return self._status

    @abc.abstractmethod
    def start(self) -> None: ...

    @abc.abstractmethod
    def stop(self, timeout: float = 5.0) -> None: ...

    @property
    @abc.abstractmethod
    def is_running(self) -> bool: ...

    def __enter__(self) -> CardReader:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _emit_card(self, card: IdentityCard) -> None:
        for listener in self._snapshot():
            try:
                listener.card_read(card)
            except Exception:
                # A broken listener must not kill the worker or starve the other listeners.
                log.exception("card listener failed")

    def _emit_status(self, status: ReaderStatus, message: str = "", *, force: bool = False) -> None:
        text = message or f"{_STATUS_ZH[status]} / {status.value.replace('_', ' ')}"
        if not force and status == self._status:
            # Report changes, not every poll: an outage is one READER_GONE however many
            # reconnect attempts fail, each with its own wording.
            return
        self._status, self._status_message = status, text
        log.info("reader status %s: %s", status.value, text)
        for listener in self._snapshot():
            try:
                listener.reader_status(status, text)
            except Exception:
                log.exception("status listener failed")

    def _snapshot(self) -> list[ReaderListener]:
        with self._listeners_lock:
            return list(self._listeners)


class ReaderConnection:
    """One open port speaking the SAM protocol, one command at a time (not thread-safe).

    ``timeout`` bounds each command. Transport failures raise :class:`ReaderGoneError`, a
    silent reader :class:`ReaderTimeoutError`, broken frames :class:`FrameError`, non-success
    status words their :class:`~common.devices.idcard.errors.ReaderStatusError` subclass.
    """

    # How long one pyserial read may block: short, so a stop request or deadline is seen soon,
    # but long enough that a 1295-byte answer arrives in a handful of reads.
    _READ_SLICE = 0.05

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 115200,
        timeout: float = 2.0,
        cancel: threading.Event | None = None,
    ) -> None:
        self.port = port
        # Set by the worker's stop(): abandons a command waiting on a silent reader at once.
        self._cancel = cancel
        self.baudrate = baudrate
        self.timeout = timeout
        self._serial: serial.SerialBase | None = None
        self._parser = FrameParser()

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        try:
            self._serial = serial.serial_for_url(
                self.port,
                baudrate=self.baudrate,
                bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_ONE,
                timeout=self._READ_SLICE,
                write_timeout=self.timeout,
                # One program per reader: a second one (a kiosk and a counter on one PC, or
                # reader-check while the kiosk runs) is refused at open instead of interleaving
                # commands with the first (POSIX: flock; Windows opens COM ports exclusively).
                exclusive=True,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise ReaderGoneError(
                f"cannot open {self.port}: {exc}", f"无法打开阅读器端口 {self.port}"
            ) from exc
        self._parser.reset()

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except PORT_ERRORS:
                pass  # closing a vanished device can fail; it is gone either way

    def __enter__(self) -> ReaderConnection:
        if not self.is_open:
            self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transact(self, command: Command, *, timeout: float | None = None) -> Response:
        """Send a command and return its response, status not yet checked."""
        port = self._serial
        if port is None:
            raise ReaderGoneError("port not open", "阅读器端口未打开")
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        try:
            # Anything still in the buffers belongs to an earlier, abandoned exchange.
            port.reset_input_buffer()
            self._parser.reset()
            port.write(command.frame())
            # A broken frame may be line noise in front of the real answer, so it is kept and
            # raised only if no good frame follows before the line goes quiet.
            broken: FrameError | None = None
            while True:
                chunk = port.read(self._parser.wanted())
                items = self._parser.feed(chunk) if chunk else []
                if not chunk and time.monotonic() >= deadline:
                    items = self._parser.give_up()
                for item in items:
                    if isinstance(item, Response):
                        log.debug(
                            "reader %s: %s -> status %02X, %d data bytes",
                            self.port,
                            command.name,
                            item.status,
                            len(item.data),
                        )
                        return item
                    if isinstance(item, FrameError):
                        log.debug("reader %s: %s: %s", self.port, command.name, item)
                        broken = item
                if not chunk and broken is not None and self._parser.buffered == 0:
                    raise broken  # a read slice of silence after a broken frame: that was it
                if self._cancel is not None and self._cancel.is_set():
                    raise ReaderTimeoutError(f"{command.name}: cancelled")
                if time.monotonic() >= deadline:
                    if broken is not None:
                        raise broken
                    waited = self.timeout if timeout is None else timeout
                    raise ReaderTimeoutError(f"{command.name}: no answer within {waited:.1f} s")
        except serial.SerialTimeoutException as exc:
            raise ReaderTimeoutError(f"{command.name}: write timed out") from exc
        except PORT_ERRORS as exc:
            # The device vanished under us (USB unplugged, pty closed): the port is useless now.
            self.close()
            raise ReaderGoneError(f"{self.port}: {exc}") from exc

    def command(self, command: Command) -> Response:
        """``transact`` and raise the typed error for a non-success status."""
        return self.transact(command).raise_for_status(command)

    # --- the commands ----------------------------------------------------------------------

    def reset_sam(self) -> None:
        self.command(Command.RESET_SAM)

    def sam_status(self) -> int:
        """The module's status word (0x90 when healthy); raises for a failing module."""
        return self.command(Command.SAM_STATUS).status

    def sam_id(self) -> str:
        """The module's id, shown the usual way: ``05.02-20230101-0012345678-0087654321``."""
        data = self.command(Command.SAM_ID).data
        if len(data) < 16:
            raise LengthError("SAM id shorter than 16 bytes")
        a, b, c, d, e = struct.unpack_from("<HHIII", data, 0)
        return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"

    def find_card(self) -> bool:
        """True when a card is on the reader."""
        try:
            self.command(Command.FIND_CARD)
        except NoCardError:
            return False
        return True

    def select_card(self) -> bytes:
        """Select the found card; returns its 8-byte serial (may be empty on some modules)."""
        return self.command(Command.SELECT_CARD).data

    def read_card(
        self,
        *,
        fingerprint: bool = False,
        additional_address: bool = True,
        photo_decoder: PhotoDecoder | None = None,
        today: dt.date | None = None,
    ) -> IdentityCard:
        """Read text + photo (+ fingerprint) and the additional address of a selected card."""
        command = Command.READ_TEXT_PHOTO_FINGERPRINT if fingerprint else Command.READ_TEXT_PHOTO
        text, photo, finger = split_read_payload(self.command(command), fingerprint=fingerprint)
        addresses: tuple[str, ...] = ()
        if additional_address:
            try:
                addresses = parse_additional_address(
                    self.command(Command.READ_ADDITIONAL_ADDRESS).data
                )
            except NoContentError:
                pass  # 91: the card has no additional address, the normal case
        return parse_card(
            text,
            photo,
            finger,
            additional_addresses=addresses,
            photo_decoder=photo_decoder,
            today=today,
        )


def split_read_payload(
    response: Response, *, fingerprint: bool
) -> tuple[bytes, bytes, bytes | None]:
    """Cut a read response into text, photo and fingerprint using its own length fields."""
    count = 3 if fingerprint else 2
    lengths = [response.u16(2 * i) for i in range(count)]
    start = 2 * count
    if start + sum(lengths) > len(response.data):
        raise LengthError(
            f"length fields claim {sum(lengths)} bytes, frame holds {len(response.data) - start}"
        )
    parts = []
    for length in lengths:
        parts.append(response.data[start : start + length])
        start += length
    return parts[0], parts[1], (parts[2] if fingerprint else None)


class SerialCardReader(CardReader):
    """The real reader: a worker thread polling find → select → read on a serial port.

    Reports each card once per placement (a card left on the reader is not read again; a
    different card, or the same one after removal, is). Statuses distinguish no card, card
    removed, read failed and reader gone; when the port vanishes the worker keeps trying to
    reopen it every ``reconnect_interval`` seconds, so unplugging and replugging the reader
    needs no restart. ``stop()`` ends the thread and closes the port.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 115200,
        poll_interval: float = 0.3,
        timeout: float = 2.0,
        fingerprint: bool = False,
        additional_address: bool = True,
        photo_decoder: PhotoDecoder | None = None,
        reconnect_interval: float = 1.0,
        removal_misses: int = 2,
        gone_after_timeouts: int = 3,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self.port = port
        self.poll_interval = poll_interval
        self.fingerprint = fingerprint
        self.additional_address = additional_address
        self.photo_decoder = photo_decoder
        self.reconnect_interval = reconnect_interval
        # A card is "removed" only after this many consecutive empty finds: some modules miss
        # a card now and then, and a flicker must not cause a second report of the same card.
        self.removal_misses = max(1, removal_misses)
        self.gone_after_timeouts = max(1, gone_after_timeouts)
        self._today = today
        self._stop = threading.Event()
        self._connection = ReaderConnection(
            port, baudrate=baudrate, timeout=timeout, cancel=self._stop
        )
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: ReaderSettings, **overrides: Any) -> SerialCardReader:
        """Build from ``common.config.ReaderSettings`` (the ``[reader]`` table).

        A photo decoder that cannot be loaded is logged and skipped: a reader without photos
        still serves the hall.
        """
        from common.devices.idcard.errors import PhotoDecoderError
        from common.devices.idcard.photo import load_photo_decoder

        decoder: PhotoDecoder | None = None
        try:
            decoder = load_photo_decoder(settings.photo_decoder)
        except PhotoDecoderError as exc:
            log.error("%s; photos will show a placeholder", exc)
        kwargs: dict[str, Any] = {
            "baudrate": settings.baudrate,
            "poll_interval": settings.poll_interval,
            "timeout": settings.timeout,
            "fingerprint": settings.fingerprint,
            "photo_decoder": decoder,
        }
        kwargs.update(overrides)
        return cls(settings.port, **kwargs)

    @property
    def is_running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def start(self) -> None:
        with self._lock:
            if self.is_running:
                return
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name=f"idcard-reader:{self.port}", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            self._stop.set()
        if thread is not None and thread is not threading.current_thread():
            # The worker checks the event between commands and every 50 ms inside one.
            thread.join(timeout)
            if thread.is_alive():
                log.error("reader worker did not stop within %.1f s", timeout)

    # --- the worker ------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    if not self._connection.is_open and not self._connect():
                        self._stop.wait(self.reconnect_interval)
                        continue
                    self._poll_until_gone()
                except Exception:
                    # The last line of defence: a bug or an exotic driver error must not end
                    # card reading for the rest of the day. Report, reopen, carry on.
                    log.exception("reader worker error; reopening the port")
                    self._connection.close()
                    self._emit_status(
                        ReaderStatus.READER_GONE, "阅读器内部错误 / reader worker error"
                    )
                    self._stop.wait(self.reconnect_interval)
        finally:
            self._connection.close()
            self._emit_status(ReaderStatus.STOPPED)

    def _connect(self) -> bool:
        if self._status not in (ReaderStatus.READER_GONE, ReaderStatus.CONNECTING):
            self._emit_status(ReaderStatus.CONNECTING)
        try:
            self._connection.open()
            # Prove there is a reader behind the port, not just a port.
            self._connection.sam_status()
        except IdCardError as exc:
            self._connection.close()
            self._emit_status(ReaderStatus.READER_GONE, exc.message)
            return False
        log.info("reader connected on %s", self.port)
        self._emit_status(ReaderStatus.READY)
        return True

    def _poll_until_gone(self) -> None:
        current: bytes | None = None  # serial of the card already reported, still on the reader
        # A card is on the reader, read or not: its leaving is "card removed" even when select
        # or read failed, so listeners need not guess removal from a bare "no card".
        card_here = False
        misses = 0
        timeouts = 0
        reported_idle = False
        while not self._stop.is_set():
            try:
                present = self._connection.find_card()
                timeouts = 0
                if not present:
                    if card_here:
                        misses += 1
                        if misses >= self.removal_misses:
                            current = None
                            card_here = False
                            self._emit_status(ReaderStatus.CARD_REMOVED)
                            self._emit_status(ReaderStatus.NO_CARD)
                    elif not reported_idle:
                        self._emit_status(ReaderStatus.NO_CARD)
                    reported_idle = True
                else:
                    misses = 0
                    card_here = True
                    # A card is here: its leaving must be reported even if it was never read
                    # (select or read failed), or the status stays "read failed" with no card.
                    reported_idle = False
                    serial_no = self._connection.select_card()
                    # Same serial as the card already reported: it is still lying there, and
                    # one card placed once is reported once.
                    if current is None or serial_no != current:
                        current = serial_no if self._read_and_report() else None
            except ReaderGoneError as exc:
                self._gone(exc.message)
                return
            except ReaderTimeoutError as exc:
                timeouts += 1
                log.warning("reader: %s (%d in a row)", exc, timeouts)
                if timeouts >= self.gone_after_timeouts:
                    self._gone(exc.message)
                    return
            except IdCardError as exc:
                # Select failed, a broken frame ...: the card is probably half on the reader.
                log.warning("reader: %s", exc)
                current = None
                self._emit_status(ReaderStatus.READ_FAILED, exc.message)
            self._stop.wait(self.poll_interval)

    def _read_and_report(self) -> bool:
        self._emit_status(ReaderStatus.READING)
        try:
            card = self._connection.read_card(
                fingerprint=self.fingerprint,
                additional_address=self.additional_address,
                photo_decoder=self.photo_decoder,
                today=self._today(),
            )
        except (ReaderGoneError, ReaderTimeoutError):
            raise
        except IdCardError as exc:
            log.warning("reader: card read failed: %s", exc)
            self._emit_status(ReaderStatus.READ_FAILED, exc.message)
            return False
        log.info("card read: %r", card)  # the repr is masked
        self._emit_status(ReaderStatus.READY)
        self._emit_card(card)
        today = self._today()
        if card.is_expired(today):
            self._emit_status(
                ReaderStatus.CARD_EXPIRED,
                f"证件已于{card.valid_to}过期 / card expired on {card.valid_to}",
            )
        return True

    def _gone(self, message: str) -> None:
        self._connection.close()
        self._emit_status(ReaderStatus.READER_GONE, message)
