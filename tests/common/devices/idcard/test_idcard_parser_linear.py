"""The frame parser stays linear on line noise full of false headers, and agrees with the oracle.

Issue 15: garbage full of false headers (AA AA AA 96 69 and a plausible LEN) arriving one byte
at a time made the parser rescan everything after the head on every byte (16 kB: 5 s of CPU).
"""

from __future__ import annotations

import random
import struct
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.devices.idcard.errors import FrameError
from common.devices.idcard.protocol import (
    MAX_LEN,
    PREAMBLE,
    FrameParser,
    Request,
    Response,
    build_response,
)

from .reference_parser import ReferenceFrameParser


def false_headers(size: int, seed: int) -> bytes:
    """Preambles each followed by a random, plausible LEN and a few random bytes."""
    rnd = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        out += PREAMBLE + struct.pack(">H", rnd.randrange(4, MAX_LEN + 1))
        out += bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 4)))
    return bytes(out[:size])


def feed_bytewise(parser: FrameParser, data: bytes, cpu_budget: float) -> float:
    """Feed one byte at a time; fail as soon as the CPU budget is spent (the old parser
    would need minutes for 64 kB, so waiting for it to finish is not an option)."""
    start = time.process_time()
    for i in range(len(data)):
        parser.feed(data[i : i + 1])
        if i % 1024 == 0:
            spent = time.process_time() - start
            assert spent < cpu_budget, f"{i} bytes took {spent:.1f} s of CPU: not linear"
    return time.process_time() - start


def test_64k_of_false_headers_one_byte_at_a_time_is_linear_work() -> None:
    parser = FrameParser()
    data = false_headers(64 * 1024, seed=15)
    # Linear code does this in well under a second; quadratic took 5 s for 16 kB.
    feed_bytewise(parser, data, cpu_budget=10.0)
    # Deterministic bound: bytes and candidates examined, a small constant per input byte.
    assert parser.work <= 8 * len(data), parser.work
    assert parser.buffered <= MAX_LEN + 7


def test_work_grows_linearly_from_16k_to_64k() -> None:
    small, big = FrameParser(), FrameParser()
    feed_bytewise(small, false_headers(16 * 1024, seed=3), cpu_budget=10.0)
    feed_bytewise(big, false_headers(64 * 1024, seed=3), cpu_budget=10.0)
    # Four times the input: about four times the work (quadratic would be sixteen).
    assert big.work <= 5 * small.work, (small.work, big.work)


def test_a_real_frame_after_64k_of_false_headers_is_found() -> None:
    parser = FrameParser()
    feed_bytewise(parser, false_headers(64 * 1024, seed=7), cpu_budget=10.0)
    frame = build_response(0x90, b"\x01\x02\x03")
    got: list[Response | Request | FrameError] = []
    for b in frame:
        got += parser.feed(bytes([b]))
    for _ in range(MAX_LEN + 7):
        if any(isinstance(x, Response) and x.data == b"\x01\x02\x03" for x in got):
            break
        got += parser.give_up()
    assert any(isinstance(x, Response) and x.data == b"\x01\x02\x03" for x in got)


# --- differential: the linear parser says exactly what the simple one says -----------------

pieces = st.one_of(
    st.binary(max_size=12),
    st.just(PREAMBLE),
    st.just(PREAMBLE[:3]),
    st.builds(lambda n: PREAMBLE + struct.pack(">H", n), st.integers(0, MAX_LEN + 2)),
    st.builds(lambda n: PREAMBLE + struct.pack(">H", n), st.integers(3, 40)),
    st.builds(build_response, st.sampled_from([0x90, 0x9F, 0x80]), st.binary(max_size=40)),
    st.builds(
        lambda f, k: f[: len(f) - k],
        st.builds(build_response, st.just(0x90), st.binary(max_size=40)),
        st.integers(1, 8),
    ),
)
streams = st.lists(pieces, max_size=40).map(b"".join)
# Each step: feed a chunk of the given size, or (0) give up on the head as after a time-out.
steps = st.lists(st.integers(0, 17), max_size=60).map(lambda s: [*s, 5])  # always progresses


def summary(items: list[Response | Request | FrameError]) -> list[object]:
    return [x if isinstance(x, Response | Request) else type(x).__name__ for x in items]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams, steps, st.booleans())
def test_same_output_as_the_reference_parser(data: bytes, sizes: list[int], requests: bool) -> None:
    new, old = FrameParser(requests=requests), ReferenceFrameParser(requests=requests)
    pos = 0
    i = 0
    while pos < len(data):
        size = sizes[i % len(sizes)]
        i += 1
        if size == 0:
            assert summary(new.give_up()) == summary(old.give_up())
        else:
            chunk = data[pos : pos + size]
            pos += size
            assert summary(new.feed(chunk)) == summary(old.feed(chunk))
        assert new.garbage_bytes == old.garbage_bytes
        assert new.buffered == old.buffered
        assert new.wanted() == old.wanted()
    assert summary(new.give_up()) == summary(old.give_up())
    assert new.buffered == old.buffered
    new.reset()
    old.reset()
    assert new.buffered == old.buffered == 0
