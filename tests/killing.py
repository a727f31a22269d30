"""Kill a worker process at arbitrary points, for the crash tests of the queue and the cases."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections.abc import Callable


def kill_repeatedly(
    spawn: Callable[[], subprocess.Popen[str]],
    *,
    rounds: int,
    seed: int,
    alive: tuple[float, float],
) -> list[str]:
    """Start ``spawn()`` ``rounds`` times, let it run a random while in ``alive`` seconds, then
    SIGKILL it — mid-transaction or not — and return every line it printed (each line is a
    number the worker printed after its commit: what a citizen could have seen)."""
    rng = random.Random(seed)
    seen: list[str] = []
    for _round in range(rounds):
        p = spawn()
        deadline = time.monotonic() + rng.uniform(*alive)
        assert p.stdout is not None
        while time.monotonic() < deadline:
            line = p.stdout.readline()
            if line:
                seen.append(line.strip())
        p.send_signal(signal.SIGKILL)
        rest, _ = p.communicate(timeout=30)
        seen += rest.split()
    return seen
