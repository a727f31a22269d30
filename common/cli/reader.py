"""``onewindow reader-sim`` and ``onewindow reader-check``: the ID card reader's tools.

``reader-sim`` runs the pty simulator (POSIX) and prints the port for the apps' ``[reader]
port``; it keeps running, optionally cycling through the sample cards. ``reader-check PORT``
is the diagnosis a technician runs at a window: opens the port, shows the module's id and
status, reads one card, and prints it masked — this output gets pasted into tickets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common.config import load_settings
from common.devices.idcard.errors import IdCardError, NoCardError
from common.devices.idcard.photo import load_photo_decoder
from common.devices.idcard.profiles import SAMPLE_PROFILES
from common.devices.idcard.reader import ReaderConnection

__all__ = ["register"]


def register(subparsers: Any) -> None:
    sim = subparsers.add_parser(
        "reader-sim",
        help="run a simulated ID card reader on a pseudo-terminal (POSIX)",
        description="Simulated ID card reader. Prints the port to put in [reader] port, then runs "
        "until Ctrl-C. Cards: "
        + ", ".join(f"{k} ({p.description})" for k, p in SAMPLE_PROFILES.items()),
    )
    sim.add_argument("--card", choices=sorted(SAMPLE_PROFILES), help="card on the reader at start")
    sim.add_argument(
        "--cycle",
        type=float,
        metavar="SECONDS",
        help="every SECONDS remove the card, wait, then place the next sample card",
    )
    sim.add_argument("--link", help="stable symlink path for the port (default: a temp dir)")
    sim.add_argument(
        "--baudrate", type=int, default=115200, help="pacing of the answers (default 115200)"
    )
    sim.add_argument("--list", action="store_true", help="list the sample cards and exit")
    sim.add_argument("--duration", type=float, help=argparse.SUPPRESS)  # tests: stop after N s
    sim.set_defaults(func=run_simulator)

    check = subparsers.add_parser(
        "reader-check",
        help="diagnose an ID card reader: SAM id, status, one read (masked)",
    )
    check.add_argument(
        "port", nargs="?", help="COM3, /dev/ttyUSB0 or a pyserial URL (default: [reader] port)"
    )
    check.add_argument("--baudrate", type=int, help="default: [reader] baudrate")
    check.add_argument("--timeout", type=float, help="per-command time-out in seconds")
    check.add_argument("--fingerprint", action="store_true", help="also read the fingerprint block")
    check.add_argument(
        "--wait", type=float, default=0.0, help="seconds to wait for a card to be placed"
    )
    check.set_defaults(func=run_check)


def run_simulator(args: argparse.Namespace) -> int:
    if args.list:
        for key, profile in SAMPLE_PROFILES.items():
            print(f"{key:12} {profile.card_type.label_zh:22} {profile.description}")
        return 0
    if sys.platform == "win32":
        print("reader-sim needs a POSIX pseudo-terminal (Linux, macOS)", file=sys.stderr)
        return 2
    from common.devices.idcard.simulator import ReaderSimulator

    # SIGTERM (service managers, tests) ends the run like Ctrl-C, so the pty and link are cleaned.
    signal.signal(signal.SIGTERM, _interrupt)
    link = (
        Path(args.link)
        if args.link
        else Path(tempfile.mkdtemp(prefix="onewindow-reader-")) / "reader"
    )
    keys = list(SAMPLE_PROFILES)
    with ReaderSimulator(link_path=link, baudrate=args.baudrate) as sim:
        print(f"port: {sim.port}", flush=True)
        print(f"tty:  {sim.tty_name}", flush=True)
        if args.card:
            sim.place_card(args.card)
            print(f"card: {args.card}", flush=True)
        start = time.monotonic()
        first = keys.index(args.card) + 1 if args.card else 0
        order = itertools.cycle(keys[first:] + keys[:first])
        try:
            while args.duration is None or time.monotonic() - start < args.duration:
                if args.cycle:
                    time.sleep(args.cycle)
                    sim.remove_card()
                    time.sleep(min(1.0, args.cycle / 2))
                    key = next(order)
                    sim.place_card(key)
                    print(f"card: {key}", flush=True)
                else:
                    time.sleep(0.2)
        except KeyboardInterrupt:
            pass
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_check(args: argparse.Namespace) -> int:
    settings = load_settings(args.config).reader
    port = args.port or settings.port
    if not port:
        print("no port: give one or set [reader] port in the hall's TOML file", file=sys.stderr)
        return 2
    connection = ReaderConnection(
        port, baudrate=args.baudrate or settings.baudrate, timeout=args.timeout or settings.timeout
    )
    print(f"port:      {port} @ {connection.baudrate} baud")
    try:
        decoder = load_photo_decoder(settings.photo_decoder)
    except IdCardError as exc:
        print(f"photo:     decoder not usable: {exc}")
        decoder = None
    try:
        with connection:
            print(f"SAM id:    {connection.sam_id()}")
            print(f"SAM state: 0x{connection.sam_status():02X} (OK)")
            deadline = time.monotonic() + args.wait
            while not connection.find_card():
                if time.monotonic() >= deadline:
                    raise NoCardError(0x80)
                time.sleep(0.2)
            connection.select_card()
            started = time.perf_counter()
            card = connection.read_card(fingerprint=args.fingerprint, photo_decoder=decoder)
            elapsed = time.perf_counter() - started
    except NoCardError as exc:
        print(f"card:      none ({exc.message})")
        return 1
    except IdCardError as exc:
        print(f"error:     {exc.message}", file=sys.stderr)
        return 1
    today = dt.date.today()
    valid_to = "长期" if card.long_term else str(card.valid_to)
    # Masked only: this output is pasted into support tickets.
    print(f"card:      {card.card_type.label_zh} ({card.card_type.value})")
    print(f"name:      {card.masked_name}")
    print(f"number:    {card.masked_number}")
    print(f"gender:    {card.gender.label_zh}   age: {card.age_at(today)}")
    expired = "  EXPIRED 已过期" if card.is_expired(today) else ""
    print(f"valid:     {card.valid_from} – {valid_to}{expired}")
    if card.nationality:
        print(f"nation:    {card.nationality}")
    photo = card.decode_photo()
    decoded = "decoded" if photo else "no decoder (placeholder)"
    print(f"photo:     {len(card.photo)} bytes WLT, {decoded}")
    if card.fingerprint is not None:
        print(f"finger:    {len(card.fingerprint)} bytes")
    print(f"more addr: {len(card.additional_addresses)}")
    print(f"read time: {elapsed * 1000:.0f} ms")
    return 0
