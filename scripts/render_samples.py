"""Render the sample documents in docs/samples/ (thermal slips as PNG; PDF pages via pdftoppm).

Run: ``python scripts/render_samples.py [--out DIR] [NAME ...]`` — names such as ``ticket-80mm``;
none renders all. The slips are drawn exactly as the raster printers and the PNG-folder printer
draw them; the samples themselves are in ``common/documents/samples.py``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.devices.printer.layouts import (
    Layout,
    Paper,
    certificate_slip_layout,
    receipt_layout,
    ticket_layout,
)
from common.devices.printer.raster import render_layout
from common.documents.fonts import resolve_cjk_font
from common.documents.pdf import certificate_pdf, correction_notice_pdf, receipt_pdf
from common.documents.samples import CERTIFICATE, NOTICE, RECEIPT, TICKET

SLIPS: dict[str, Callable[[], Layout]] = {
    "ticket-58mm": lambda: ticket_layout(TICKET, Paper(58)),
    "ticket-80mm": lambda: ticket_layout(TICKET, Paper(80)),
    "receipt-80mm": lambda: receipt_layout(RECEIPT, Paper(80)),
    "certificate-slip-58mm": lambda: certificate_slip_layout(CERTIFICATE, Paper(58)),
}
PAGES: dict[str, Callable[[], bytes]] = {
    "receipt-a4": lambda: receipt_pdf(RECEIPT),
    "correction-notice-a4": lambda: correction_notice_pdf(NOTICE),
    "e-certificate-a4": lambda: certificate_pdf(CERTIFICATE),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "samples"
    )
    parser.add_argument("names", nargs="*", help=f"any of {', '.join([*SLIPS, *PAGES])}")
    args = parser.parse_args()
    names = args.names or [*SLIPS, *PAGES]
    unknown = [n for n in names if n not in SLIPS and n not in PAGES]
    if unknown:
        parser.error(f"unknown sample {', '.join(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    font = resolve_cjk_font()
    for name in names:
        target = args.out / f"{name}.png"
        if name in SLIPS:
            render_layout(SLIPS[name](), font).save(target)
        else:
            if shutil.which("pdftoppm") is None:
                print(f"skipped {name}: pdftoppm (poppler) not found", file=sys.stderr)
                continue
            with tempfile.TemporaryDirectory() as tmp:
                pdf = Path(tmp) / f"{name}.pdf"
                pdf.write_bytes(PAGES[name]())
                subprocess.run(
                    [
                        "pdftoppm",
                        "-png",
                        "-r",
                        "72",
                        "-singlefile",
                        str(pdf),
                        str(Path(tmp) / name),
                    ],
                    check=True,
                )
                shutil.move(str(Path(tmp) / f"{name}.png"), target)
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
