"""Frame codec for the ID card reader's security-module (SAM) serial protocol.

A frame (see ``docs``: idcard-protocol.md) is::

    AA AA AA 96 69 | LEN (u16 BE) | body ... | CHK

``LEN`` counts the bytes after itself, the checksum included, so a frame is ``LEN + 7`` bytes.
``CHK`` is the XOR of every byte from the length field to the byte before ``CHK``. A request
body is ``CMD PARA [data]``; a response body is ``SW1 SW2 SW3 [data]``.

Everything here is pure bytes-in, values-out: no I/O, no threads, usable by the driver, the
simulator and the fuzzers alike. Lengths are always taken from the frame, never assumed.
"""

from __future__ import annotations

import enum
import heapq
import struct
from dataclasses import dataclass, field
from functools import reduce
from itertools import accumulate, islice
from operator import xor

from common.devices.idcard.errors import (
    ChecksumError,
    FrameError,
    LengthError,
    TruncatedFrameError,
    UnknownStatusError,
    status_error,
)

__all__ = [
    "FIND_SUCCESS",
    "MAX_LEN",
    "PREAMBLE",
    "SUCCESS",
    "Command",
    "FrameParser",
    "Request",
    "Response",
    "build_frame",
    "build_request",
    "build_response",
    "checksum",
    "parse_request",
    "parse_response",
]

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
_HEADER = len(PREAMBLE) + 2  # preamble + LEN: the LEN field counts what follows this
# The largest real response: status (3) + three lengths (6) + text 256 + photo 1024 +
# fingerprint 1024 + checksum. Anything much bigger is line noise that happened to contain a
# preamble; refusing it keeps a corrupted LEN from making the parser wait for 64 KiB.
MAX_LEN = 4096
SUCCESS = 0x90
FIND_SUCCESS = 0x9F  # success for "find card" only; it is not a time-out (a known fault)
NO_CONTENT = 0x91


class Command(enum.Enum):
    """The commands the driver sends: (CMD, PARA)."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_TEXT_PHOTO_FINGERPRINT = (0x30, 0x10)
    READ_ADDITIONAL_ADDRESS = (0x30, 0x03)

    @property
    def cmd(self) -> int:
        return self.value[0]

    @property
    def para(self) -> int:
        return self.value[1]

    def frame(self) -> bytes:
        """The whole request frame for this command."""
        return build_request(self.cmd, self.para)


def checksum(data: bytes | bytearray | memoryview) -> int:
    """XOR of all bytes (the protocol's CHK, computed over LEN .. last body byte)."""
    return reduce(xor, data, 0)


def build_frame(body: bytes) -> bytes:
    """Wrap a body (request: CMD PARA data; response: SW1 SW2 SW3 data) into a frame."""
    length = len(body) + 1
    if length > 0xFFFF:
        raise LengthError(f"body of {len(body)} bytes does not fit a frame")
    head = struct.pack(">H", length) + body
    return PREAMBLE + head + bytes([checksum(head)])


def build_request(cmd: int, para: int, data: bytes = b"") -> bytes:
    """A request frame, e.g. ``build_request(0x20, 0x01)`` is "find card"."""
    return build_frame(bytes([cmd & 0xFF, para & 0xFF]) + data)


def build_response(status: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """A response frame (used by the simulator and tests)."""
    return build_frame(bytes([sw1 & 0xFF, sw2 & 0xFF, status & 0xFF]) + data)


@dataclass(frozen=True)
class Request:
    """A parsed request frame."""

    cmd: int
    para: int
    data: bytes = b""


@dataclass(frozen=True)
class Response:
    """A parsed response frame: SW1, SW2, SW3 (``status``) and the data after them."""

    sw1: int
    sw2: int
    status: int
    data: bytes = field(default=b"", repr=False)  # may hold personal data: never in a repr

    def ok_for(self, command: Command) -> bool:
        if command is Command.FIND_CARD:
            # 9F is the documented success for find; some modules answer 90, equally fine.
            return self.status in (FIND_SUCCESS, SUCCESS)
        return self.status == SUCCESS

    def raise_for_status(self, command: Command) -> Response:
        """Return self when the status is success for ``command``, else raise its typed error."""
        if not self.ok_for(command):
            if self.status == FIND_SUCCESS:
                # "Card found" is only ever the answer to a find: another program on the same
                # port sent it (the hall trial's kiosk and counter both on one reader).
                raise UnknownStatusError(
                    self.status,
                    f"{command.name} got a find-card answer (0x9F): "
                    "is another program using this reader port?",
                    "收到寻卡应答(0x9F)，可能有其他程序同时在使用此阅读器端口",
                )
            raise status_error(self.status)
        return self

    def u16(self, offset: int) -> int:
        """Big-endian u16 at ``offset`` of the data (the payload length fields)."""
        if offset + 2 > len(self.data):
            raise LengthError("response too short for its length fields")
        # Explicit unpack, not b[i] << 8 + b[i+1]: that is b[i] << (8 + b[i+1]) (a known fault).
        value: int = struct.unpack_from(">H", self.data, offset)[0]
        return value


def _body(frame: bytes, min_len: int) -> bytes:
    if len(frame) < _HEADER + 1 or not frame.startswith(PREAMBLE):
        raise FrameError("frame does not start with the preamble", "阅读器数据帧头错误")
    (length,) = struct.unpack_from(">H", frame, len(PREAMBLE))
    if length < min_len or length > MAX_LEN:
        raise LengthError(f"length field {length} out of range")
    if len(frame) != length + _HEADER:
        raise LengthError(f"length field says {length + _HEADER} bytes, got {len(frame)}")
    if checksum(frame[len(PREAMBLE) : -1]) != frame[-1]:
        raise ChecksumError()
    return frame[_HEADER:-1]


def parse_response(frame: bytes) -> Response:
    """Parse exactly one complete response frame; raises a :class:`FrameError` subclass.

    The status is *not* checked here (see :meth:`Response.raise_for_status`): framing and
    meaning are separate questions.
    """
    body = _body(bytes(frame), _RESPONSE_MIN)
    return Response(body[0], body[1], body[2], body[3:])


def parse_request(frame: bytes) -> Request:
    """Parse exactly one complete request frame (the simulator's side)."""
    body = _body(bytes(frame), _REQUEST_MIN)
    return Request(body[0], body[1], body[2:])


_RESPONSE_MIN = 4  # SW1 SW2 SW3 CHK
_REQUEST_MIN = 3  # CMD PARA CHK


class FrameParser:
    """Streaming frame parser that resynchronises on the preamble.

    ``feed()`` takes whatever bytes arrived and returns, in order, every complete frame it
    found (as :class:`Response` or :class:`Request`) and, for every broken one, the
    :class:`FrameError` it would have raised (returned, not raised, so one bad frame does not
    hide the good one behind it). Bytes before a preamble are garbage and dropped (counted in
    ``garbage_bytes``). A frame whose checksum fails is dropped one byte at a time, so a real
    preamble hidden inside it is found. A frame cut short by a new frame is detected as soon
    as the new one is complete and valid. ``wanted()`` says how many bytes to read next so the
    transport can ask for a whole frame at once.

    The work is linear in the input, whatever arrives and however it is split: the parser
    keeps a head position instead of re-slicing the buffer, a running XOR of the buffer so any
    frame's checksum costs O(1), and remembers which later preambles it has already looked at
    while the head frame is incomplete, so line noise full of false headers arriving one byte
    at a time is not rescanned from the start on every byte. ``work`` counts the bytes and
    candidates examined (for tests and the bench).
    """

    def __init__(self, *, requests: bool = False) -> None:
        self._requests = requests
        self._min = _REQUEST_MIN if requests else _RESPONSE_MIN
        self.garbage_bytes = 0
        self.work = 0
        self._reset_buffer()

    def _reset_buffer(self) -> None:
        self._buf = bytearray()
        # _xor[i] is the XOR of _buf[:i] (up to a constant after compaction): the checksum of
        # _buf[a:b] is _xor[a] ^ _xor[b].
        self._xor = bytearray(1)
        self._head = 0  # start of the unconsumed bytes in _buf
        # Later preambles (after the head) already examined while the head was incomplete:
        # everything before _later_scan is registered; _pending holds (end, pos) of those not
        # yet complete, _valid the positions of complete frames whose checksum holds.
        self._later_scan = 0
        self._pending: list[tuple[int, int]] = []
        self._valid: list[int] = []

    def reset(self) -> None:
        """Forget buffered bytes (after a time-out, before a new command)."""
        self._reset_buffer()

    @property
    def buffered(self) -> int:
        return len(self._buf) - self._head

    def wanted(self) -> int:
        """Bytes still needed to complete the frame being assembled (at least 1)."""
        buf, head = self._buf, self._head
        have = len(buf) - head
        if have >= _HEADER and buf.startswith(PREAMBLE, head):
            length: int = struct.unpack_from(">H", buf, head + len(PREAMBLE))[0]
            if self._min <= length <= MAX_LEN:
                return max(1, length + _HEADER - have)
        return max(1, _HEADER - have)

    def _xor_range(self, start: int, end: int) -> int:
        return self._xor[start] ^ self._xor[end]

    def _append(self, data: bytes) -> None:
        self._buf += data
        # accumulate() yields the initial value first; it is already the last entry.
        self._xor.extend(islice(accumulate(data, xor, initial=self._xor[-1]), 1, None))
        self.work += len(data)

    def _drop(self, count: int) -> None:
        # Consume ``count`` bytes at the head (garbage or a frame) without moving the rest.
        self._head += count

    def _compact(self) -> None:
        # Free consumed bytes once they outweigh what is left, so the copy is amortised O(1)
        # per byte. Positions in _pending/_valid/_later_scan shift with the buffer.
        head = self._head
        if head == 0 or head < len(self._buf) - head:
            return
        del self._buf[:head]
        del self._xor[:head]
        self._head = 0
        self._later_scan = max(0, self._later_scan - head)
        self._pending = [(e - head, p - head) for e, p in self._pending if p > head]
        heapq.heapify(self._pending)
        self._valid = [p - head for p in self._valid if p > head]
        heapq.heapify(self._valid)

    def feed(self, data: bytes) -> list[Response | Request | FrameError]:
        if data:
            self._append(data)
        out: list[Response | Request | FrameError] = []
        buf = self._buf
        try:
            while True:
                head = self._head
                start = buf.find(PREAMBLE, head)
                if start < 0:
                    # Keep a tail that could be the start of a preamble split across reads.
                    self.work += len(buf) - head
                    keep = _partial_preamble(buf, head)
                    self.garbage_bytes += len(buf) - head - keep
                    self._drop(len(buf) - head - keep)
                    return out
                self.work += start - head + 1
                if start > head:
                    self.garbage_bytes += start - head
                    self._drop(start - head)
                    head = start
                if len(buf) - head < _HEADER:
                    return out
                (length,) = struct.unpack_from(">H", buf, head + len(PREAMBLE))
                if length < self._min or length > MAX_LEN:
                    out.append(LengthError(f"length field {length} out of range"))
                    self._skip_one()
                    continue
                total = length + _HEADER
                if len(buf) - head < total:
                    # Incomplete. If a later preamble already starts a complete, valid frame,
                    # this one was cut short (the device restarted, or bytes were lost): drop
                    # it now rather than wait for bytes that belong to the next frame.
                    later = self._complete_frame_after_head()
                    if later is None:
                        return out
                    out.append(TruncatedFrameError())
                    self.garbage_bytes += later - head
                    self._drop(later - head)
                    continue
                end = head + total
                if self._xor_range(head + len(PREAMBLE), end - 1) != buf[end - 1]:
                    out.append(ChecksumError())
                    self._skip_one()
                    continue
                body = bytes(buf[head + _HEADER : end - 1])
                self.work += len(body)
                self._drop(total)
                if self._requests:
                    out.append(Request(body[0], body[1], body[2:]))
                else:
                    out.append(Response(body[0], body[1], body[2], body[3:]))
        finally:
            self._compact()

    def _skip_one(self) -> None:
        # Drop one byte so the scan restarts inside the rejected frame.
        self._drop(1)
        self.garbage_bytes += 1

    def _complete_frame_after_head(self) -> int | None:
        """The first later preamble that starts a complete, valid frame, if any.

        Each later preamble is registered once and its checksum checked once, when its last
        byte arrives; a frame's bytes never change, so a failed one stays failed.
        """
        buf, head = self._buf, self._head
        pending, valid = self._pending, self._valid
        pos = buf.find(PREAMBLE, max(self._later_scan, head + 1))
        while pos >= 0:
            self.work += 1
            if len(buf) - pos < _HEADER:
                break  # its LEN has not arrived: register it on a later call
            (length,) = struct.unpack_from(">H", buf, pos + len(PREAMBLE))
            if self._min <= length <= MAX_LEN:
                heapq.heappush(pending, (pos + length + _HEADER, pos))
            pos = buf.find(PREAMBLE, pos + 1)
        # find() scanned up to here; a preamble may still start in the last four bytes.
        scanned = pos if pos >= 0 else max(head + 1, len(buf) - len(PREAMBLE) + 1)
        self.work += max(0, scanned - max(self._later_scan, head + 1))
        self._later_scan = scanned
        while pending and pending[0][0] <= len(buf):
            end, pos = heapq.heappop(pending)
            self.work += 1
            if pos > head and self._xor_range(pos + len(PREAMBLE), end - 1) == buf[end - 1]:
                heapq.heappush(valid, pos)
        while valid and valid[0] <= head:
            heapq.heappop(valid)
        return valid[0] if valid else None

    def give_up(self) -> list[Response | Request | FrameError]:
        """Abandon the frame being assembled and rescan what follows it (after a time-out)."""
        if self.buffered == 0:
            return []
        rest = bytes(self._buf[self._head + 1 :])
        self.garbage_bytes += 1
        self._reset_buffer()
        return self.feed(rest)


def _partial_preamble(buf: bytearray, start: int = 0) -> int:
    for keep in range(min(len(PREAMBLE) - 1, len(buf) - start), 0, -1):
        if buf.endswith(PREAMBLE[:keep]):
            return keep
    return 0
