"""Median time to lay out and encode printed documents (issue 4).

Run: ``python bench/print_bench.py [--repeat N]``. Prints one line per case with the median and
the target. Fonts are loaded (and registered in reportlab) once before timing, as in the apps,
which resolve the font at start-up.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.devices.printer.encoding import encode_layout
from common.devices.printer.layouts import Paper, ticket_layout
from common.documents.fonts import reportlab_font_name, resolve_cjk_font
from common.documents.pdf import certificate_pdf, receipt_pdf
from common.documents.samples import CERTIFICATE, RECEIPT, TICKET


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches (font faces at each size, escpos profile)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    start = time.perf_counter()
    font = resolve_cjk_font()
    reportlab_font_name(font)
    elapsed_ms = (time.perf_counter() - start) * 1000
    print(f"font {font.label}: resolved and registered in {elapsed_ms:.0f} ms (once)")
    print(f"python {platform.python_version()} on {platform.system()} {platform.machine()}")
    cases: list[tuple[str, Callable[[], object], float]] = []
    for mode in ("raster", "native"):
        for mm in (58, 80):
            paper = Paper(mm)  # type: ignore[arg-type]
            cases.append(
                (
                    f"ticket {mode} {mm} mm",
                    lambda p=paper, m=mode: encode_layout(ticket_layout(TICKET, p), font, mode=m),  # type: ignore[misc]
                    50.0,
                )
            )
    cases.append(("receipt PDF", lambda: receipt_pdf(RECEIPT, font), 150.0))
    cases.append(("e-certificate PDF", lambda: certificate_pdf(CERTIFICATE, font), 200.0))
    failed = False
    for name, fn, target in cases:
        ms = _median_ms(fn, args.repeat)
        ok = ms <= target
        failed |= not ok
        print(
            f"{name:<22} median {ms:7.1f} ms   target ≤ {target:.0f} ms   {'ok' if ok else 'SLOW'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
