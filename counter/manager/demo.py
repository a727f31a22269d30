"""A believable hall morning for the desk's screenshots and demos (no Qt here).

Tickets arrive through the morning, eight windows call and finish them, one window pauses for a
meeting, citizens rate, two cases are accepted, a kiosk printer runs out of paper. Seeded, so
every run draws the same day.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from common.catalog.loader import load_catalog_file
from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.db.models import Role
from common.intake.applicant import Applicant, ApplicantType, Person
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseDraft, CaseService
from common.intake.checklist import SharedData, build_checklist
from common.intake.rating import RatingDraft, RatingLevel, RatingService
from common.intake.words import MaterialMark
from common.people import check_character
from common.queue.service import QueueService
from common.staff import authenticate, claim_window, create_staff, heartbeat_window

__all__ = ["seed_morning"]

_ROOT = Path(__file__).resolve().parents[2]
_NAMES = ("王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊")


def _case_draft(window: int) -> CaseDraft:
    catalog = load_catalog_file(_ROOT / "resources" / "catalog" / "demo.toml")
    matter = next(m for m in catalog.matters.values() if m.name == "二手房转移登记")
    checklist = build_checklist([matter], shared=SharedData(id_card=True))
    for item in checklist.items:
        if item.mark is None:
            mark = (
                MaterialMark.NOT_APPLICABLE if item.not_applicable_when else MaterialMark.RECEIVED
            )
            checklist = checklist.mark(item.key, mark)
    number = "35010219800101123" + check_character("35010219800101123")  # invented
    person = Person.checked("林晓燕", number, phone="13800138000")
    return CaseDraft(checklist, Applicant(ApplicantType.NATURAL_PERSON, person), window=window)


def seed_morning(queue: QueueService, clock: ManualClock, *, until: dt.time) -> None:
    """From 08:30 (hall time, on the clock's day) to ``until``: the hall's morning."""
    db: HallDatabase = queue.db
    tz = queue.settings.hall.tz
    rng = random.Random(13)
    day = clock.at.astimezone(tz).date()
    clock.at = dt.datetime.combine(day, dt.time(8, 30), tzinfo=tz)
    end = dt.datetime.combine(day, until, tzinfo=tz)
    windows = [w.number for w in queue.settings.windows]
    staff = {}
    for number, name in zip(windows, _NAMES, strict=False):
        create_staff(db, f"w{number}", name, f"window{number}", Role.WINDOW)
        staff[number] = authenticate(db, f"w{number}", f"window{number}", clock=clock)
        claim_window(db, staff[number], number, station=f"counter-{number}", clock=clock)
    ratings = RatingService(db, queue.settings, clock)
    busy_until = {n: clock.at for n in windows}
    prefixes = "AAAABCDDDEEFGGHJ"
    paused = False
    while clock.at < end:
        minute = clock.at.astimezone(tz)
        # Arrivals swell towards 10:00.
        rate = 0.7 if minute.hour < 9 else 1.5 if minute.hour < 10 else 1.1
        for _ in range(int(rate) + (rng.random() < rate - int(rate))):
            queue.issue(rng.choice(prefixes))
        if not paused and minute.hour == 10 and minute.minute >= 20:
            queue.pause(5, "科室会议", actor="w5")
            paused = True
        for number in windows:
            if (paused and number == 5) or busy_until[number] > clock.at:
                continue
            status = queue.window_status(number)
            if status.current is not None:
                if rng.random() < 0.06:
                    queue.skip(number, actor=f"w{number}")
                else:
                    done = queue.finish(number, actor=f"w{number}")
                    if rng.random() < 0.55:
                        level = rng.choices([5, 4, 3, 2, 1], [60, 25, 8, 5, 2])[0]
                        ratings.rate(
                            RatingDraft(
                                RatingLevel(level),
                                ticket_id=done.id,
                                window=number,
                                reasons=("waiting",) if level <= 2 else (),
                                comment="等了快一个小时" if level == 1 else "",
                                callback=level == 1,
                            ),
                            staff=f"w{number}",
                        )
            if queue.call_next(number, actor=f"w{number}") is not None:
                busy_until[number] = clock.at + dt.timedelta(minutes=rng.randint(4, 14))
        clock.advance(minutes=1)
    cases = CaseService(db, queue.settings, clock, HallCalendar())
    cases.accept(_case_draft(4), actor="w4")
    cases.accept(_case_draft(2), actor="w2")
    # Cases accepted weeks ago, still open: one past its promised date, one due soon.
    today = clock.at
    for days_ago, window in ((45, 3), (22, 6), (20, 1)):
        clock.at = today - dt.timedelta(days=days_ago)
        cases.accept(_case_draft(window), actor=f"w{window}")
    clock.at = today
    queue.record_device_status("kiosk-2", "printer", "paper_out", "缺纸", needs_attention=True)
    for number in windows:
        heartbeat_window(db, staff[number].id, number, station=f"counter-{number}", clock=clock)
