"""``onewindow sync [--once] [--status]``: the sync with the central server as a service.

For halls that prefer a service to the worker inside the counter app (both may run at once:
several drainers on one hall database never send a row twice). ``--once`` runs one round —
drain the outbox as far as it goes, follow the change feed to its end — and exits 0 when the
round succeeded, 1 when the server could not be reached or refused (for scripts and cron).
``--status`` prints the backlog, the age of the oldest unsent row, parked rows and the last
success, and changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys

from common.bootstrap import open_hall
from common.clock import DatabaseClock
from common.sync.client import client_from_settings
from common.sync.worker import SyncStatus, SyncWorker, read_status


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sync", help="send cases and ratings to the central server, apply its decisions"
    )
    p.add_argument(
        "--once", action="store_true", help="one round, then exit (0 = all sent and applied)"
    )
    p.add_argument("--status", action="store_true", help="print the sync's state and exit")
    p.set_defaults(func=_sync)


def format_status(status: SyncStatus, now: dt.datetime, tz: dt.tzinfo) -> str:
    age = status.oldest_age(now)
    age_text = "-" if age is None else f"{int(age.total_seconds() // 60)} min"
    last = (
        "从未 / never"
        if status.last_success_at is None
        else f"{status.last_success_at.astimezone(tz):%Y-%m-%d %H:%M:%S}"
    )
    lines = [
        f"待上传 / backlog: {status.backlog}",
        f"最早未上传 / oldest unsent: {age_text}",
        f"被拒待处理 / parked: {status.parked}",
        f"上次成功 / last success: {last}",
    ]
    if status.last_error:
        lines.append(f"上次错误 / last error: {status.last_error}")
    return "\n".join(lines)


def _sync(args: argparse.Namespace) -> int:
    hall = open_hall(args.config)
    try:
        settings = hall.settings
        if args.status:
            print(format_status(read_status(hall.db), dt.datetime.now(dt.UTC), settings.hall.tz))
            return 0
        if not settings.central.url:
            print(
                "未配置中心服务器 / "
                "no central server configured ([central] url in the hall's TOML)",
                file=sys.stderr,
            )
            return 2
        worker = SyncWorker(
            hall.db, client_from_settings(settings.central), settings, DatabaseClock()
        )
        if args.once:
            try:
                report = worker.run_round()
            finally:
                worker.stop()
            d, f = report.drained, report.followed
            print(
                f"上传 / sent {d.sent} (duplicate {d.duplicate}), "
                f"待重试 / retry {d.deferred + d.failed}, "
                f"被拒 / parked {d.rejected}; "
                f"中心变更 / changes applied {f.applied}, skipped {f.skipped}"
            )
            if report.error:
                print(f"同步未完成 / sync incomplete: {report.error}", file=sys.stderr)
                return 1
            return 0

        def _stop(_signum: int, _frame: object) -> None:
            worker.request_stop()

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        print(f"同步服务运行中 / syncing with {settings.central.url} (Ctrl+C stops)")
        worker.run_forever()
        worker.stop()
        return 0
    finally:
        hall.close()
