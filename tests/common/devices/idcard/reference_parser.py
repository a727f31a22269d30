"""The original, simple (and quadratic) frame parser, kept as the oracle for differential tests.

The driver's :class:`~common.devices.idcard.protocol.FrameParser` keeps a scan position and a
running XOR so it stays linear on line noise full of false headers; this copy rescans from the
start on every byte, which makes its behaviour easy to read and check. The two must agree on
every output, the garbage count, ``buffered`` and ``wanted()``.
"""

from __future__ import annotations

import struct

from common.devices.idcard.errors import ChecksumError, FrameError, LengthError, TruncatedFrameError
from common.devices.idcard.protocol import (
    _HEADER,
    _REQUEST_MIN,
    _RESPONSE_MIN,
    MAX_LEN,
    PREAMBLE,
    Request,
    Response,
    checksum,
)


class ReferenceFrameParser:
    """The frame parser as it was before it was made linear (quadratic on false headers).

    ``feed()`` takes whatever bytes arrived and returns, in order, every complete frame it
    found (as :class:`Response` or :class:`Request`) and, for every broken one, the
    :class:`FrameError` it would have raised (returned, not raised, so one bad frame does not
    hide the good one behind it). Bytes before a preamble are garbage and dropped (counted in
    ``garbage_bytes``). A frame whose checksum fails is dropped one byte at a time, so a real
    preamble hidden inside it is found. A frame cut short by a new frame is detected as soon
    as the new one is complete and valid. ``wanted()`` says how many bytes to read next so the
    transport can ask for a whole frame at once.
    """

    def __init__(self, *, requests: bool = False) -> None:
        self._requests = requests
        self._min = _REQUEST_MIN if requests else _RESPONSE_MIN
        self._buf = bytearray()
        self.garbage_bytes = 0

    def reset(self) -> None:
        """Forget buffered bytes (after a time-out, before a new command)."""
        self._buf.clear()

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def wanted(self) -> int:
        """Bytes still needed to complete the frame being assembled (at least 1)."""
        buf = self._buf
        if len(buf) >= _HEADER and buf.startswith(PREAMBLE):
            length: int = struct.unpack_from(">H", buf, len(PREAMBLE))[0]
            if self._min <= length <= MAX_LEN:
                return max(1, length + _HEADER - len(buf))
        return max(1, _HEADER - len(buf))

    def feed(self, data: bytes) -> list[Response | Request | FrameError]:
        self._buf += data
        out: list[Response | Request | FrameError] = []
        buf = self._buf
        while True:
            start = buf.find(PREAMBLE)
            if start < 0:
                # Keep a tail that could be the start of a preamble split across reads.
                keep = _partial_preamble(buf)
                self.garbage_bytes += len(buf) - keep
                del buf[: len(buf) - keep]
                return out
            if start:
                self.garbage_bytes += start
                del buf[:start]
            if len(buf) < _HEADER:
                return out
            (length,) = struct.unpack_from(">H", buf, len(PREAMBLE))
            if length < self._min or length > MAX_LEN:
                out.append(LengthError(f"length field {length} out of range"))
                self._skip_one()
                continue
            total = length + _HEADER
            if len(buf) < total:
                # Incomplete. If a later preamble already starts a complete, valid frame, this
                # one was cut short (the device restarted, or bytes were lost): drop it now
                # rather than wait for bytes that belong to the next frame.
                later = self._complete_frame_after_head()
                if later is None:
                    return out
                out.append(TruncatedFrameError())
                self.garbage_bytes += later
                del buf[:later]
                continue
            frame = bytes(buf[:total])
            if checksum(frame[len(PREAMBLE) : -1]) != frame[-1]:
                out.append(ChecksumError())
                self._skip_one()
                continue
            del buf[:total]
            body = frame[_HEADER:-1]
            if self._requests:
                out.append(Request(body[0], body[1], body[2:]))
            else:
                out.append(Response(body[0], body[1], body[2], body[3:]))

    def _skip_one(self) -> None:
        # Drop one byte so the scan restarts inside the rejected frame.
        del self._buf[:1]
        self.garbage_bytes += 1

    def _complete_frame_after_head(self) -> int | None:
        buf = self._buf
        pos = buf.find(PREAMBLE, 1)
        while pos >= 0:
            if len(buf) - pos < _HEADER:
                return None
            (length,) = struct.unpack_from(">H", buf, pos + len(PREAMBLE))
            end = pos + length + _HEADER
            if (
                self._min <= length <= MAX_LEN
                and end <= len(buf)
                and checksum(buf[pos + len(PREAMBLE) : end - 1]) == buf[end - 1]
            ):
                return pos
            pos = buf.find(PREAMBLE, pos + 1)
        return None

    def give_up(self) -> list[Response | Request | FrameError]:
        """Abandon the frame being assembled and rescan what follows it (after a time-out)."""
        if not self._buf:
            return []
        rest = bytes(self._buf[1:])
        self.garbage_bytes += 1
        self._buf.clear()
        return self.feed(rest)


def _partial_preamble(buf: bytearray) -> int:
    for keep in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
        if buf.endswith(PREAMBLE[:keep]):
            return keep
    return 0
