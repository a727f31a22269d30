"""``onewindow issue | call | status``: the queue from the command line, for diagnostics."""

from __future__ import annotations

import argparse

from common.bootstrap import open_hall
from common.queue.errors import QueueError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    issue = sub.add_parser("issue", help="take a number (default: the general queue)")
    issue.add_argument("service", nargs="?", help="service prefix letter, e.g. B")
    issue.set_defaults(func=_issue)
    call = sub.add_parser("call", help="call the next number at a window")
    call.add_argument("window", type=int)
    call.set_defaults(func=_call)
    status = sub.add_parser("status", help="waiting counts and estimated waits")
    status.set_defaults(func=_status)


def _issue(args: argparse.Namespace) -> int:
    hall = open_hall(args.config)
    try:
        t = hall.queue.issue(args.service.upper() if args.service else None, source="cli")
    except QueueError as exc:
        print(f"{exc.message_zh} / {exc.message_en}")
        return 1
    finally:
        hall.close()
    print(
        f"{t.number}  {t.service_name}  前面 {t.people_ahead} 人 / {t.people_ahead} ahead, "
        f"约 {t.estimated_wait_minutes} 分钟"
    )
    return 0


def _call(args: argparse.Namespace) -> int:
    hall = open_hall(args.config)
    try:
        t = hall.queue.call_next(args.window, actor="cli")
    except QueueError as exc:
        print(f"{exc.message_zh} / {exc.message_en}")
        return 1
    finally:
        hall.close()
    if t is None:
        print("没有等候的号 / nobody waiting")
        return 0
    print(f"请{t.number}号到{t.window_number}号窗口办理")
    return 0


def _status(args: argparse.Namespace) -> int:
    hall = open_hall(args.config)
    try:
        rows = hall.queue.service_statuses()
    finally:
        hall.close()
    print(f"{'业务':<10}{'等候':>6}{'预计(分)':>10}  状态")
    for r in rows:
        state = "可取号" if r.open else r.closed_reason_zh
        print(f"{r.prefix} {r.name:<8}{r.waiting:>6}{r.estimated_wait_minutes:>10}  {state}")
    return 0
