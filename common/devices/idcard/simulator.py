"""A reader simulator on a pseudo-terminal, for demos and tests (POSIX only).

It answers the SAM protocol exactly like a reader, from a background thread, on the slave side
of a pty that the real driver opens like any serial port. Output is paced at the configured
baud rate (8N1: ten bit times per byte) because a pty delivers instantly and the benchmark must
compare against honest wire time.

Faults: no card, bad checksum, slow bytes, garbage before a frame, a truncated frame, a failing
read, silence, and unplug/replug. Replugging opens a *new* pty; give ``link_path`` and the
simulator keeps a symlink there pointing at the current one, so a driver configured with that
path finds the reader again, as it finds ``COM3`` again after a USB replug.
"""

from __future__ import annotations

import enum
import logging
import os
import random
import select
import struct
import threading
import time
import tty
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from common.devices.idcard.profiles import SAMPLE_PROFILES, CardProfile, encode_additional_addresses
from common.devices.idcard.protocol import (
    FIND_SUCCESS,
    NO_CONTENT,
    PREAMBLE,
    SUCCESS,
    Command,
    FrameParser,
    Request,
    build_response,
)

__all__ = ["Fault", "ReaderSimulator"]

log = logging.getLogger(__name__)

_COMMANDS = {c.value: c for c in Command}
# Other modules' codes for reset / status (idcard-protocol.md "Disagreements seen").
_COMMANDS[(0x01, 0xFF)] = Command.RESET_SAM


class Fault(enum.StrEnum):
    """Misbehaviour the simulator can put on its answers."""

    NONE = "none"
    NO_CARD = "no_card"  # find answers 80 although a card lies there
    BAD_CHECKSUM = "bad_checksum"  # last byte of the answer flipped
    SLOW = "slow"  # bytes dribble out at a tenth of the baud rate
    GARBAGE = "garbage"  # random bytes and a broken preamble before the answer
    TRUNCATED = "truncated"  # only the first half of the answer (then the next one is whole)
    READ_FAIL = "read_fail"  # read answers 41
    SILENT = "silent"  # no answer at all


class ReaderSimulator:
    """A simulated ID card reader on a pty. Use as a context manager or start()/stop().

    ``profiles`` maps keys to :class:`CardProfile` (default: ``SAMPLE_PROFILES``).
    ``pace=False`` skips the baud-rate pacing (for fuzz-style tests that only need bytes).
    """

    def __init__(
        self,
        profiles: Mapping[str, CardProfile] | None = None,
        *,
        link_path: str | os.PathLike[str] | None = None,
        baudrate: int = 115200,
        pace: bool = True,
        chunk_size: int = 64,
        sam_id: tuple[int, int, int, int, int] = (5, 2, 20230101, 12345678, 87654321),
        seed: int = 0,
    ) -> None:
        self.profiles = dict(SAMPLE_PROFILES if profiles is None else profiles)
        self.link_path = Path(link_path) if link_path is not None else None
        self.baudrate = baudrate
        self.pace = pace
        self.chunk_size = chunk_size
        self.sam_id = sam_id
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._card: CardProfile | None = None
        self._selected = False
        self._fault = Fault.NONE
        self._fault_count: int | None = None
        self._fault_command: Command | None = None
        self._master: int | None = None
        self._slave: int | None = None
        self._tty_name = ""
        self._want_plugged = True
        self._plug_changed = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.commands: list[Command | None] = []  # every request received, None = unknown
        self.bytes_sent = 0

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> str:
        """Open the pty, start answering; return the port name to give the driver."""
        if self._thread is not None:
            return self.port
        self._open_pty()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="idcard-simulator", daemon=True)
        self._thread.start()
        return self.port

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._close_pty()
        if self.link_path is not None and self.link_path.is_symlink():
            self.link_path.unlink()

    def __enter__(self) -> ReaderSimulator:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> str:
        """The name the driver should open: the stable link if any, else the current pty."""
        return str(self.link_path) if self.link_path is not None else self._tty_name

    @property
    def tty_name(self) -> str:
        """The current pty's own device name (changes on every replug)."""
        return self._tty_name

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def unplug(self, timeout: float = 2.0) -> None:
        """Close the pty as a pulled USB cable would; the link disappears too."""
        self._set_plugged(False, timeout)

    def replug(self, timeout: float = 2.0) -> None:
        """Open a fresh pty (a new device name) and point the link at it."""
        self._set_plugged(True, timeout)

    def _set_plugged(self, plugged: bool, timeout: float) -> None:
        if self._thread is None:
            raise RuntimeError("simulator not started")
        # The worker thread owns the descriptors (closing an fd another thread is selecting on
        # is a race), so ask it and wait.
        self._plug_changed.clear()
        self._want_plugged = plugged
        if not self._plug_changed.wait(timeout):
            raise TimeoutError("simulator did not change plug state")

    # --- the card and faults ---------------------------------------------------------------

    def place_card(self, key: str) -> None:
        """Put the card of profile ``key`` on the reader (replacing any card there)."""
        profile = self.profiles[key]
        with self._lock:
            self._card = profile
            self._selected = False

    def remove_card(self) -> None:
        with self._lock:
            self._card = None
            self._selected = False

    @property
    def card_key(self) -> str | None:
        with self._lock:
            card = self._card
        return next((k for k, p in self.profiles.items() if p is card), None)

    def set_fault(
        self, fault: Fault | str, *, count: int | None = None, command: Command | None = None
    ) -> None:
        """Misbehave on the next ``count`` answers (None: until cleared), optionally only on
        answers to ``command``."""
        with self._lock:
            self._fault = Fault(fault)
            self._fault_count = count
            self._fault_command = command

    def clear_fault(self) -> None:
        self.set_fault(Fault.NONE)

    # --- the pty ---------------------------------------------------------------------------

    def _open_pty(self) -> None:
        master, slave = os.openpty()
        # Raw: no echo, no line discipline, so binary frames pass untouched both ways.
        tty.setraw(slave)
        tty.setraw(master)
        self._master, self._slave = master, slave
        self._tty_name = os.ttyname(slave)
        if self.link_path is not None:
            tmp = self.link_path.with_name(self.link_path.name + ".new")
            if tmp.is_symlink() or tmp.exists():
                tmp.unlink()
            os.symlink(self._tty_name, tmp)
            os.replace(tmp, self.link_path)  # atomic: the driver never sees a missing link mid-swap
        log.debug("simulator on %s", self._tty_name)

    def _close_pty(self) -> None:
        if self.link_path is not None and self.link_path.is_symlink():
            self.link_path.unlink()
        for fd in (self._master, self._slave):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._master = self._slave = None

    # --- the answering thread --------------------------------------------------------------

    def _run(self) -> None:
        parser = FrameParser(requests=True)
        while not self._stop.is_set():
            if self._want_plugged != self.plugged:
                if self._want_plugged:
                    self._open_pty()
                else:
                    self._close_pty()
                parser.reset()
                self._plug_changed.set()
            master = self._master
            if master is None:
                self._stop.wait(0.01)
                continue
            try:
                ready, _, _ = select.select([master], [], [], 0.02)
                if not ready:
                    continue
                data = os.read(master, 4096)
            except OSError:
                self._stop.wait(0.01)
                continue
            for item in parser.feed(data):
                if isinstance(item, Request):
                    self._answer(master, item)
                else:
                    log.debug("simulator: ignoring a broken request (%s)", item)

    def _answer(self, master: int, request: Request) -> None:
        command = _COMMANDS.get((request.cmd, request.para))
        self.commands.append(command)
        with self._lock:
            fault = self._take_fault(command)
            frame = self._response(command, fault)
        if fault is Fault.SILENT or frame is None:
            return
        if fault is Fault.BAD_CHECKSUM:
            frame = frame[:-1] + bytes([frame[-1] ^ 0xFF])
        elif fault is Fault.GARBAGE:
            noise = bytes(self._rng.randrange(256) for _ in range(self._rng.randrange(3, 40)))
            # A preamble with a LEN that overruns: the parser must drop it and find the real one.
            frame = noise + PREAMBLE + b"\x05\x08" + noise[:5] + frame
        elif fault is Fault.TRUNCATED:
            frame = frame[: len(frame) // 2]
        # The request took wire time to arrive too (a pty hands it over at once): 10 bytes
        # plus any data, so the answer starts no earlier than a real reader's could.
        self._send(master, frame, slow=fault is Fault.SLOW, lead_bytes=10 + len(request.data))

    def _take_fault(self, command: Command | None) -> Fault:
        fault = self._fault
        if fault is Fault.NONE or (
            self._fault_command is not None and command is not self._fault_command
        ):
            return Fault.NONE
        if self._fault_count is not None:
            self._fault_count -= 1
            if self._fault_count <= 0:
                self._fault = Fault.NONE
        return fault

    def _response(self, command: Command | None, fault: Fault) -> bytes | None:
        card = self._card
        if command is None:
            return build_response(0x21)  # command error
        if command in (Command.RESET_SAM, Command.SAM_STATUS):
            return build_response(SUCCESS)
        if command is Command.SAM_ID:
            return build_response(SUCCESS, struct.pack("<HHIII", *self.sam_id))
        if command is Command.FIND_CARD:
            if card is None or fault is Fault.NO_CARD:
                return build_response(0x80)
            return build_response(FIND_SUCCESS, b"\x00\x00\x00\x00")
        if command is Command.SELECT_CARD:
            if card is None:
                return build_response(0x81)
            self._selected = True
            return build_response(SUCCESS, card.serial)
        if card is None or not self._selected or fault is Fault.READ_FAIL:
            return build_response(0x41)
        if command is Command.READ_ADDITIONAL_ADDRESS:
            addresses = card.additional_addresses
            if not addresses:
                return build_response(NO_CONTENT)
            return build_response(SUCCESS, encode_additional_addresses(addresses))
        text, photo = card.text_block(), card.photo
        if command is Command.READ_TEXT_PHOTO:
            return build_response(SUCCESS, struct.pack(">HH", len(text), len(photo)) + text + photo)
        finger = card.fingerprint  # 1024, 512 or 0 bytes, as the profile says
        return build_response(
            SUCCESS, struct.pack(">HHH", len(text), len(photo), len(finger)) + text + photo + finger
        )

    def _send(self, master: int, frame: bytes, *, slow: bool, lead_bytes: int = 0) -> None:
        # 8N1 = 10 bit times per byte. Pace against a fixed start time, not per-chunk sleeps,
        # so sleep overshoot does not accumulate into a slower-than-wire simulator.
        rate = self.baudrate / 10 / (10 if slow else 1)
        start = time.perf_counter() + (lead_bytes * 10 / self.baudrate if self.pace else 0.0)
        sent = 0
        while sent < len(frame) and not self._stop.is_set():
            chunk = frame[sent : sent + self.chunk_size]
            if self.pace or slow:
                due = start + (sent + len(chunk)) / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            try:
                os.write(master, chunk)
            except OSError:
                return  # unplugged mid-frame
            sent += len(chunk)
            self.bytes_sent += len(chunk)
