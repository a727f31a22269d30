"""``onewindow case show NUMBER | list [--overdue]``: cases from the command line, masked."""

from __future__ import annotations

import argparse
import sys

from common.bootstrap import open_hall
from common.clock import DatabaseClock
from common.intake.calendar import CalendarYearUnknown
from common.intake.cases import CaseService, UnknownCase, WatchLevel

_LEVEL = {
    WatchLevel.RED: "红牌 超期 / RED overdue",
    WatchLevel.REMINDER: "提醒 明日到期 / due next working day",
    WatchLevel.YELLOW: "黄牌 临近 / YELLOW near",
    WatchLevel.TOLERANCE_OVERDUE: "容缺超期 / tolerated items overdue",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    case = sub.add_parser("case", help="cases (办件): show one, list the flagged ones")
    commands = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    show = commands.add_parser("show", help="one case, applicant masked, with its history")
    show.add_argument("number")
    show.set_defaults(func=_show)
    lst = commands.add_parser(
        "list", help="cases flagged by 电子监察 (red, reminder, yellow, tolerated overdue)"
    )
    lst.add_argument(
        "--overdue", action="store_true", help="only red cases and overdue tolerated items"
    )
    lst.add_argument("--window", type=int, help="only cases accepted at this window")
    lst.set_defaults(func=_list)


def _show(args: argparse.Namespace) -> int:
    hall = open_hall(args.config)
    try:
        cases = CaseService(hall.db, hall.settings, DatabaseClock())
        try:
            view = cases.case(args.number)
        except UnknownCase as exc:
            print(str(exc), file=sys.stderr)
            return 1
        history = cases.history(args.number)
    finally:
        hall.close()
    tz = hall.settings.hall.tz
    print(f"{view.number}  {view.title}")
    print(
        f"  状态 / state: {view.state.label} ({view.state.value}); "
        f"决定 / decision: {view.decision.label}"
    )
    print(f"  申请人 / applicant: {view.applicant} {view.applicant_number}")
    print(
        f"  受理 / accepted: {view.accepted_at.astimezone(tz):%Y-%m-%d %H:%M} "
        f"窗口 {view.window or '-'} {view.staff}"
    )
    if view.promised_date:
        print(f"  承诺办结 / promised: {view.promised_date.isoformat()}")
    if view.supplement_deadline:
        print(
            f"  容缺补齐期限 / supplement by: {view.supplement_deadline.isoformat()} "
            f"({view.tolerated_outstanding} owed)"
        )
    if view.route_agency:
        print(f"  办理机构 / decided by: {view.route_agency}")
    for m in view.materials:
        print(f"  - {m.name} [{m.form}×{m.copies}] {m.mark.label}")
    for h in history:
        print(
            f"  {h.at.astimezone(tz):%Y-%m-%d %H:%M} {h.state_code} "
            f"{h.from_state.value} → {h.to_state.value} {h.actor} {h.reason}"
        )
    return 0


def _list(args: argparse.Namespace) -> int:
    hall = open_hall(args.config)
    try:
        cases = CaseService(hall.db, hall.settings, DatabaseClock())
        try:
            items = cases.watch_list(window=args.window)
        except CalendarYearUnknown as exc:
            print(str(exc), file=sys.stderr)
            return 2
    finally:
        hall.close()
    if args.overdue:
        items = [i for i in items if i.level in (WatchLevel.RED, WatchLevel.TOLERANCE_OVERDUE)]
    for item in items:
        due = item.promised_date.isoformat() if item.promised_date else "-"
        print(f"{item.number}\t{_LEVEL[item.level]}\t{due}\t{item.state.label}\t{item.title}")
    if not items:
        print("没有需要关注的办件 / no flagged cases")
    return 0
