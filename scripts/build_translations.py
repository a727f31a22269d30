"""Compile resources/translations/*.ts to .qm next to them (run by the setup scripts)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.qt.i18n import TRANSLATIONS, compile_ts


def main() -> int:
    failed = 0
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        if not compile_ts(ts, ts.with_suffix(".qm")):
            failed += 1
            print(f"failed: {ts.name}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
