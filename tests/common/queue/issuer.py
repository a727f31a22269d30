"""A kiosk stand-in for the concurrency and crash tests: issues tickets, prints each number
after its transaction committed (so "printed" means "a citizen saw it")."""

from __future__ import annotations

import argparse
import sys

from common.config import settings_from_dict
from common.db.engine import HallDatabase, make_engine
from common.queue.service import QueueService

ALWAYS_OPEN: dict[str, object] = {
    "hours": [["00:00", "23:59:59.999999"]],
    "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
    "hall": {"secret": "test-secret-not-for-production"},
    "services": [{"prefix": "A", "name": "综合", "general": True, "daily_cap": 9999}],
    "windows": [{"number": n, "services": {"A": 1}} for n in range(1, 11)],
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    queue = QueueService(HallDatabase(make_engine(args.url)), settings_from_dict(ALWAYS_OPEN))
    for _ in range(args.count):
        t = queue.issue("A")
        sys.stdout.write(f"{t.number}\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
