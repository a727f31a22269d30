"""``onewindow-server``: the reference central server (FastAPI) — not built yet.

The central side (catalog, case intake, back office, certificates; DESIGN.md "Central server")
comes with the intake and sync issues. Until then this entry point says so plainly instead of
failing with an import error.
"""

from __future__ import annotations

import sys


def main() -> int:
    print(
        "onewindow-server: 中心服务端尚未实现（随受理与同步功能一起交付）/ "
        "the reference central server is not built yet; it arrives with the intake and sync issues.",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
