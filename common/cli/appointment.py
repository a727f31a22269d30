"""``onewindow appointment book|list``: appointments (预约) in the hall database, by hand.

Appointments normally arrive from the central booking channel through the change feed
(``appointment.booked``). For a demo, a pilot without the central link, or a test, an admin
books one here. Like the feed, the hall keeps only the holder's keyed hash (never the ID
number) and the masked name and phone; a hand-made booking gets a negative ``central_id`` so it
can never collide with one that arrives from the centre.

    onewindow appointment book --matter 350102-XK-001 --day 2026-11-30 --slot 10:00-10:30 \\
        --id-number 11010519491231002X [--name 张三] [--phone 13800138000]
    onewindow appointment list [--day 2026-11-30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy import select

from common.bootstrap import open_hall
from common.db.models import HallAppointment, Ticket
from common.people import InvalidIdNumber, validate_id_number
from common.selfservice.checkin import UnknownMatter, book_appointment, parse_slot


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    appointment = sub.add_parser("appointment", help="appointments (预约) booked for this hall")
    commands = appointment.add_subparsers(
        dest="appointment_command", metavar="ACTION", required=True
    )
    book = commands.add_parser("book", help="book an appointment in the hall database (demo)")
    book.add_argument("--matter", required=True, help="matter code from the catalog")
    book.add_argument("--day", required=True, help="YYYY-MM-DD")
    book.add_argument("--slot", required=True, help="HH:MM-HH:MM, e.g. 10:00-10:30")
    book.add_argument("--id-number", required=True, help="the holder's ID number (only hashed)")
    book.add_argument("--name", default="", help="the holder's name (only kept masked)")
    book.add_argument("--phone", default="", help="the holder's phone (only kept masked)")
    book.set_defaults(func=_book)
    listing = commands.add_parser("list", help="appointments of a day (default: today)")
    listing.add_argument("--day", help="YYYY-MM-DD (default: the hall's today)")
    listing.set_defaults(func=_list)


def _book(args: argparse.Namespace) -> int:
    try:
        day = dt.date.fromisoformat(args.day)
        parse_slot(args.slot)
    except ValueError as exc:
        print(f"日期或时段格式不对 / bad day or slot: {exc}", file=sys.stderr)
        return 2
    try:
        number = validate_id_number(args.id_number)
    except InvalidIdNumber as exc:
        print(f"身份证号码无效 / invalid ID number: {exc}", file=sys.stderr)
        return 2
    hall = open_hall(args.config)
    try:
        appointment_id, matter = book_appointment(
            hall.db,
            hall.settings,
            hall.queue.clock,
            matter_code=args.matter,
            day=day,
            slot=args.slot,
            id_number=number,
            name=args.name,
            phone=args.phone,
            actor="cli",
        )
    except UnknownMatter:
        print(
            f"目录中没有该事项 / no matter {args.matter!r} in the hall's catalog",
            file=sys.stderr,
        )
        return 2
    finally:
        hall.close()
    print(f"已预约 / booked: #{appointment_id} {matter} {day.isoformat()} {args.slot}")
    return 0


def _list(args: argparse.Namespace) -> int:
    hall = open_hall(args.config)
    try:
        with hall.db.read() as s:
            if args.day:
                day = dt.date.fromisoformat(args.day)
            else:
                day = hall.queue.clock.now(hall.db, s).astimezone(hall.settings.hall.tz).date()
            rows = s.execute(
                select(
                    HallAppointment.id,
                    HallAppointment.slot,
                    HallAppointment.matter_code,
                    HallAppointment.name_masked,
                    HallAppointment.checked_in_at,
                    Ticket.number,
                )
                .outerjoin(Ticket, Ticket.id == HallAppointment.ticket_id)
                .where(HallAppointment.day == day)
                .order_by(HallAppointment.slot, HallAppointment.id)
            ).all()
    finally:
        hall.close()
    print(f"{day.isoformat()}: {len(rows)} 个预约 / appointment(s)")
    for r in rows:
        checked = f"已签到 {r.number or ''}".strip() if r.checked_in_at else "未签到"
        print(f"  #{r.id}  {r.slot}  {r.matter_code}  {r.name_masked or '—'}  {checked}")
    return 0
