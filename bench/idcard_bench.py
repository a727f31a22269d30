"""Time a full ID card read against the wire time of its bytes.

    python bench/idcard_bench.py [--reads 30] [--baudrate 115200]

The real driver (ReaderConnection over pyserial) reads from the simulator on a pseudo-terminal.
A pty delivers bytes instantly, so the simulator paces its output at the baud rate (8N1: ten
bit times per byte, 11 520 bytes/s at 115 200 baud); the comparison is then honest: the driver's
overhead is whatever it takes beyond the wire. Target: a full read (text + photo, 1295 bytes,
≈ 112 ms) in at most 1.5 × wire time. POSIX only (the simulator needs a pty).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.devices.idcard.protocol import MAX_LEN, PREAMBLE, Command, FrameParser, build_response
from common.devices.idcard.reader import ReaderConnection
from common.devices.idcard.simulator import ReaderSimulator

TARGET = 1.5


def wire_seconds(nbytes: int, baudrate: int) -> float:
    return nbytes * 10 / baudrate


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return (
        f"median {statistics.median(ms):7.1f} ms  min {ms[0]:7.1f}  "
        f"p90 {ms[int(len(ms) * 0.9) - 1]:7.1f}  max {ms[-1]:7.1f}"
    )


def false_headers(size: int, seed: int = 15) -> bytes:
    """Line noise full of false headers: preambles with a plausible LEN and a few random bytes."""
    import random
    import struct

    rnd = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        out += PREAMBLE + struct.pack(">H", rnd.randrange(4, MAX_LEN + 1))
        out += bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 4)))
    return bytes(out[:size])


def noise_figures() -> None:
    """CPU time of the frame parser fed false headers one byte at a time (issue 15)."""
    print("frame parser on false headers fed one byte at a time (CPU time):")
    for size in (16 * 1024, 64 * 1024):
        data = false_headers(size)
        parser = FrameParser()
        start = time.process_time()
        for i in range(size):
            parser.feed(data[i : i + 1])
        spent = time.process_time() - start
        print(
            f"  {size // 1024:3d} kB  {spent * 1000:8.1f} ms  "
            f"{spent / size * 1e6:5.2f} us/byte  work {parser.work / size:4.2f} per byte"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reads", type=int, default=30)
    parser.add_argument("--baudrate", type=int, default=115200)
    parser.add_argument("--card", default="resident")
    parser.add_argument(
        "--noise-only", action="store_true", help="only the parser line-noise figures"
    )
    args = parser.parse_args()

    print(
        f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    noise_figures()
    if args.noise_only:
        return 0
    link = Path(tempfile.mkdtemp(prefix="idcard-bench-")) / "reader"
    with ReaderSimulator(link_path=link, baudrate=args.baudrate, pace=True) as sim:
        sim.place_card(args.card)
        profile = sim.profiles[args.card]
        text, photo = profile.text_block(), profile.photo
        read_bytes = len(build_response(0x90, b"\0" * 4 + text + photo))
        request_bytes = len(Command.READ_TEXT_PHOTO.frame())
        with ReaderConnection(sim.port, baudrate=args.baudrate, timeout=2.0) as conn:
            conn.find_card()
            conn.select_card()
            conn.read_card(additional_address=False)  # warm-up
            reads: list[float] = []
            for _ in range(args.reads):
                start = time.perf_counter()
                conn.read_card(additional_address=False)
                reads.append(time.perf_counter() - start)

            # The whole poll the worker does for a new card: find, select, read, address.
            cycle_bytes = (
                sum(
                    len(build_response(s, d))
                    for s, d in ((0x9F, b"\0" * 4), (0x90, profile.serial), (0x91, b""))
                )
                + read_bytes
                + 4 * request_bytes
            )
            cycles: list[float] = []
            for _ in range(max(5, args.reads // 3)):
                start = time.perf_counter()
                assert conn.find_card()
                conn.select_card()
                conn.read_card()
                cycles.append(time.perf_counter() - start)

    # The same read with pacing off: what the driver and the pty cost on their own.
    with ReaderSimulator(link_path=link.with_name("unpaced"), pace=False) as fast:
        fast.place_card(args.card)
        with ReaderConnection(fast.port, baudrate=args.baudrate, timeout=2.0) as conn:
            conn.find_card()
            conn.select_card()
            unpaced: list[float] = []
            for _ in range(args.reads):
                start = time.perf_counter()
                conn.read_card(additional_address=False)
                unpaced.append(time.perf_counter() - start)

    wire = wire_seconds(read_bytes, args.baudrate)
    wire_rq = wire_seconds(read_bytes + request_bytes, args.baudrate)
    ratio = statistics.median(reads) / wire
    print(f"baud rate: {args.baudrate} (8N1, {args.baudrate // 10} bytes/s); card: {args.card}")
    print(f"full read (text + photo), {args.reads} reads:")
    print(
        f"  response {read_bytes} bytes, wire time {wire * 1000:.1f} ms "
        f"({wire_rq * 1000:.1f} ms with the {request_bytes}-byte request)"
    )
    print(f"  measured {summary(reads)}")
    print(
        f"  ratio    {ratio:.3f} x wire time (target <= {TARGET})  "
        f"{'OK' if ratio <= TARGET else 'OVER TARGET'}"
    )
    print(f"  unpaced  {summary(unpaced)}  (driver + pty overhead, no wire)")
    cycle_wire = wire_seconds(cycle_bytes, args.baudrate)
    print(f"new-card poll (find + select + read + additional address), {len(cycles)} cycles:")
    print(f"  {cycle_bytes} bytes both ways, wire time {cycle_wire * 1000:.1f} ms")
    print(f"  measured {summary(cycles)}")
    print(f"  ratio    {statistics.median(cycles) / cycle_wire:.3f} x wire time")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
