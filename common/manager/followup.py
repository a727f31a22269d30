"""The follow-up loop (跟进): bad ratings and 办不成事 / 有诉即办 reports, step by step, on time.

What the national 好差评 rules ask of a hall, as plain rules (no Qt):

* **Every bad rating opens an item.** A rating at level 1–2 (不满意 / 非常不满意) opens one in
  the rating's own unit of work (:func:`open_for_rating`, called by
  :meth:`common.intake.rating.RatingService.rate`): both or neither.
* **Any counter records a report** that something could not get done (办不成事 / 有诉即办):
  which matter (from the catalog or in words), what blocked it, the citizen's phone (name
  optional) and, when it came by the 12345 hotline, the work-order number
  (:meth:`FollowupService.record_complaint`, checked by :func:`complaint_problems`).
* **Steps in order**: verify (核实: what was found) → rectify (整改: what was done) → call the
  citizen back (回访, with the outcome; again if nobody answered) → close (办结). A real-name
  item — a report (it has a phone), a rating of a case or of a ticket taken with an ID card —
  cannot be closed without a call back; an anonymous rating may be closed after rectifying.
  Verifying a rating also looks up who rated: a rating of a ticket that became a case is a
  real-name rating of that case's applicant (the kiosk, which may not read cases, cannot tell
  at opening time; the manager's verify can).
* **Deadline in working days** from the day opened, ``[manager] followup_working_days`` (5 by
  default; provinces use 5 to 15), on the hall calendar (holidays and 调休 workdays; the opening
  day is not counted, as for every time limit). An open item past its deadline is overdue. A
  year the calendar does not know leaves the deadline empty (shown as unknown) rather than
  losing the rating or the report: the hall declares the year (``[calendar] declared_years``).
* **Audited and synced**: every step is an audit row (``followup.*``) and an outbox row in the
  item's own order (aggregate ``followup:<id>``: ``followup.opened`` or ``complaint.recorded``
  first, then ``followup.verified``, ``followup.rectified``, ``followup.called_back``,
  ``followup.closed``); the central server keeps them as records.

Personal data: lists carry the masked name and phone only (:class:`FollowupItem`); the full
contact is read by :meth:`FollowupService.contact`, which writes an audit row, for the call back.
The report's outbox row carries the contact in full (the central server needs it for the
12345 work order; it travels over verified TLS, like case data), never a log line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, desc, func, select
from sqlalchemy.orm import Session

from common.clock import Clock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Case, Followup, FollowupStepRow, Rating, Ticket
from common.db.unit import UnitOfWork
from common.intake.applicant import InvalidApplicant, validate_phone
from common.intake.calendar import CalendarYearUnknown, HallCalendar
from common.intake.outbox import write_outbox
from common.people import mask_name

__all__ = [
    "CallbackOutcome",
    "ComplaintDraft",
    "ComplaintSource",
    "FollowupAction",
    "FollowupError",
    "FollowupFilter",
    "FollowupItem",
    "FollowupKind",
    "FollowupService",
    "FollowupStep",
    "InvalidComplaint",
    "StepRecord",
    "complaint_problems",
    "followup_aggregate",
    "legal_actions",
    "mask_phone",
    "open_for_rating",
]

log = logging.getLogger(__name__)


class FollowupKind(enum.StrEnum):
    """What the item follows up."""

    RATING = "rating"  # 差评
    COMPLAINT = "complaint"  # 办不成事 / 有诉即办

    @property
    def label(self) -> str:
        return "差评" if self is FollowupKind.RATING else "办不成事"

    @property
    def label_en(self) -> str:
        return "bad rating" if self is FollowupKind.RATING else "could not get done"


class ComplaintSource(enum.StrEnum):
    """How a report reached the hall."""

    WINDOW = "window"  # 窗口: told at a window
    HOTLINE = "hotline"  # 12345: a hotline work order
    ONSITE = "onsite"  # 现场: in the hall, e.g. at the 办不成事 desk

    @property
    def label(self) -> str:
        return {"window": "窗口", "hotline": "12345热线", "onsite": "现场"}[self.value]

    @property
    def label_en(self) -> str:
        return {"window": "at a window", "hotline": "12345 hotline", "onsite": "in the hall"}[
            self.value
        ]


class FollowupStep(enum.StrEnum):
    """The step an item has reached, in order."""

    OPEN = "open"  # 待核实
    VERIFIED = "verified"  # 已核实
    RECTIFIED = "rectified"  # 已整改
    CALLED_BACK = "called_back"  # 已回访
    CLOSED = "closed"  # 已办结

    @property
    def label(self) -> str:
        return _STEP_WORDS[self][0]

    @property
    def label_en(self) -> str:
        return _STEP_WORDS[self][1]


_STEP_WORDS = {
    FollowupStep.OPEN: ("待核实", "to verify"),
    FollowupStep.VERIFIED: ("已核实", "verified"),
    FollowupStep.RECTIFIED: ("已整改", "rectified"),
    FollowupStep.CALLED_BACK: ("已回访", "called back"),
    FollowupStep.CLOSED: ("已办结", "closed"),
}


class FollowupAction(enum.StrEnum):
    """What the manager does next; each leads to one step."""

    VERIFY = "verify"
    RECTIFY = "rectify"
    CALL_BACK = "call_back"
    CLOSE = "close"

    @property
    def label(self) -> str:
        return {"verify": "核实", "rectify": "整改", "call_back": "回访", "close": "办结"}[
            self.value
        ]

    @property
    def label_en(self) -> str:
        return {
            "verify": "Verify",
            "rectify": "Rectify",
            "call_back": "Call back",
            "close": "Close",
        }[self.value]

    @property
    def step(self) -> FollowupStep:
        return {
            "verify": FollowupStep.VERIFIED,
            "rectify": FollowupStep.RECTIFIED,
            "call_back": FollowupStep.CALLED_BACK,
            "close": FollowupStep.CLOSED,
        }[self.value]


class CallbackOutcome(enum.StrEnum):
    """What the citizen said when called back (or that nobody could be reached)."""

    SATISFIED = "satisfied"
    FAIR = "fair"
    DISSATISFIED = "dissatisfied"
    UNREACHABLE = "unreachable"

    @property
    def label(self) -> str:
        return {
            "satisfied": "满意",
            "fair": "基本满意",
            "dissatisfied": "不满意",
            "unreachable": "未联系上",
        }[self.value]

    @property
    def label_en(self) -> str:
        return {
            "satisfied": "satisfied",
            "fair": "fair",
            "dissatisfied": "dissatisfied",
            "unreachable": "not reached",
        }[self.value]


class FollowupFilter(enum.StrEnum):
    """The desk's lists."""

    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"
    ALL = "all"


class FollowupError(ValueError):
    """A step refused; ``message_zh`` / ``message_en`` say why (no personal data in them)."""

    def __init__(self, message_zh: str, message_en: str, *, field: str = "") -> None:
        self.message_zh, self.message_en, self.field = message_zh, message_en, field
        super().__init__(f"{message_zh} / {message_en}")

    def message(self, english: bool) -> str:
        return self.message_en if english else self.message_zh


class InvalidComplaint(FollowupError):
    """A 办不成事 report with a field that breaks a rule; ``field`` names the field."""


def followup_aggregate(followup_id: int) -> str:
    """The outbox aggregate of a follow-up (its messages are numbered 1, 2, 3 …)."""
    return f"followup:{followup_id}"


def mask_phone(phone: str) -> str:
    """``138****5678``: the first three and last four digits of a mobile kept; a fixed line
    keeps its area code and last four (``0591-****5678``); short numbers are starred."""
    phone = phone.strip()
    digits = phone.replace("-", "")
    if len(digits) <= 7:
        return "*" * len(phone)
    if "-" in phone:
        area, _, rest = phone.partition("-")
        return f"{area}-{'*' * max(0, len(rest) - 4)}{rest[-4:]}"
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


# ---------------------------------------------------------------------------- 办不成事 reports

MATTER_MAX = 200
BLOCKED_MAX = 1000
NAME_MAX = 50
TEXT_MAX = 1000
_WORK_ORDER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{3,31}$")


@dataclass(frozen=True)
class ComplaintDraft:
    """What the clerk typed about a citizen's report (办不成事 / 有诉即办)."""

    source: ComplaintSource
    matter_name: str
    blocked: str
    phone: str
    name: str = ""
    matter_code: str = ""  # set when the matter was picked from the catalog
    work_order: str = ""  # the 12345 work-order number (hotline reports only)

    def checked(self) -> ComplaintDraft:
        """The draft as stored, or :class:`InvalidComplaint` for the first problem."""
        problems = complaint_problems(self)
        if problems:
            raise problems[0]
        return dataclasses.replace(
            self,
            source=ComplaintSource(self.source),
            matter_name=" ".join(self.matter_name.split()),
            matter_code=self.matter_code.strip(),
            blocked=self.blocked.strip(),
            phone=validate_phone(self.phone),
            name=" ".join(self.name.split()),
            work_order=self.work_order.strip().upper(),
        )


def complaint_problems(draft: ComplaintDraft) -> list[InvalidComplaint]:
    """Every problem of a draft, in the order of the dialog's fields (empty: it may be saved)."""
    problems: list[InvalidComplaint] = []
    try:
        source = ComplaintSource(draft.source)
    except ValueError:
        problems.append(InvalidComplaint("请选择来源", "choose where it came from", field="source"))
        source = None
    work_order = draft.work_order.strip()
    if source is ComplaintSource.HOTLINE:
        if not work_order:
            problems.append(
                InvalidComplaint(
                    "12345来件请填写工单号",
                    "a 12345 report needs its work-order number",
                    field="work_order",
                )
            )
        elif not _WORK_ORDER.match(work_order):
            problems.append(
                InvalidComplaint(
                    "工单号应为4–32位字母、数字或连字符",
                    "a work-order number is 4–32 letters, digits or hyphens",
                    field="work_order",
                )
            )
    elif work_order:
        problems.append(
            InvalidComplaint(
                "只有12345来件有工单号；请把来源改为12345热线或清空工单号",
                "only 12345 reports have a work order: choose 12345 or clear the number",
                field="work_order",
            )
        )
    matter = " ".join(draft.matter_name.split())
    if not matter:
        problems.append(
            InvalidComplaint("请选择或填写所办事项", "pick or type the matter", field="matter")
        )
    elif len(matter) > MATTER_MAX:
        problems.append(
            InvalidComplaint(
                f"事项名称请控制在{MATTER_MAX}字以内",
                f"the matter: at most {MATTER_MAX} characters",
                field="matter",
            )
        )
    blocked = draft.blocked.strip()
    if not blocked:
        problems.append(
            InvalidComplaint(
                "请写明办不成的原因（卡在哪里）", "say what blocked it", field="blocked"
            )
        )
    elif len(blocked) > BLOCKED_MAX:
        problems.append(
            InvalidComplaint(
                f"原因请控制在{BLOCKED_MAX}字以内",
                f"what blocked it: at most {BLOCKED_MAX} characters",
                field="blocked",
            )
        )
    if not draft.phone.strip():
        problems.append(
            InvalidComplaint(
                "请填写联系电话，以便回访", "a phone number is needed to call back", field="phone"
            )
        )
    else:
        try:
            validate_phone(draft.phone)
        except InvalidApplicant as exc:
            problems.append(InvalidComplaint(exc.message_zh, exc.message_en, field="phone"))
    if len(" ".join(draft.name.split())) > NAME_MAX:
        problems.append(
            InvalidComplaint(
                f"姓名请控制在{NAME_MAX}字以内",
                f"the name: at most {NAME_MAX} characters",
                field="name",
            )
        )
    return problems


# ---------------------------------------------------------------------------- the item


@dataclass(frozen=True)
class FollowupItem:
    """One item as the desk lists it (masked contact only)."""

    id: int
    kind: FollowupKind
    channel: str
    matter_code: str
    matter_name: str
    blocked: str
    work_order: str
    name_masked: str
    phone_masked: str
    real_name: bool
    window: int | None
    staff: str
    opened_at: dt.datetime
    opened_day: dt.date
    working_days: int
    due_date: dt.date | None
    step: FollowupStep
    step_at: dt.datetime
    callbacks: int
    callback_outcome: str
    closed_at: dt.datetime | None
    closed_day: dt.date | None
    # A rating's own words (bad ratings only).
    rating_level: int | None = None
    rating_reasons: tuple[str, ...] = ()
    rating_comment: str = ""
    rating_callback: bool = False

    @property
    def open(self) -> bool:
        return self.step is not FollowupStep.CLOSED

    @property
    def callback_required(self) -> bool:
        """Every real-name item is called back before it is closed."""
        return self.real_name

    def overdue(self, today: dt.date) -> bool:
        """Open past its deadline (an item whose deadline is unknown is never flagged)."""
        return self.open and self.due_date is not None and today > self.due_date

    @property
    def closed_late(self) -> bool:
        return (
            self.closed_day is not None
            and self.due_date is not None
            and self.closed_day > self.due_date
        )

    def actions(self) -> tuple[FollowupAction, ...]:
        return legal_actions(self.step, callback_required=self.real_name, callbacks=self.callbacks)


@dataclass(frozen=True)
class StepRecord:
    """One step taken: what was found, done or heard."""

    step: FollowupStep
    at: dt.datetime
    actor: str
    text: str
    outcome: str


def legal_actions(
    step: FollowupStep, *, callback_required: bool, callbacks: int = 0
) -> tuple[FollowupAction, ...]:
    """What may be done next: the steps in order; closing a real-name item needs a call back.

    A call back may be repeated (nobody answered the first time); an anonymous item may be
    closed once rectified.
    """
    if step is FollowupStep.OPEN:
        return (FollowupAction.VERIFY,)
    if step is FollowupStep.VERIFIED:
        return (FollowupAction.RECTIFY,)
    if step is FollowupStep.RECTIFIED:
        if callback_required and callbacks == 0:
            return (FollowupAction.CALL_BACK,)
        return (FollowupAction.CALL_BACK, FollowupAction.CLOSE)
    if step is FollowupStep.CALLED_BACK:
        return (FollowupAction.CALL_BACK, FollowupAction.CLOSE)
    return ()


def _due(calendar: HallCalendar, day: dt.date, days: int) -> dt.date | None:
    try:
        return calendar.add_working_days(day, days)
    except CalendarYearUnknown as exc:
        # Never a guessed deadline, and never a lost rating or report: the item opens without
        # one and the desk says so until the hall declares the year.
        log.warning("follow-up deadline unknown: %s", exc)
        return None


def _new_item(
    uow: UnitOfWork, settings: Settings, calendar: HallCalendar | None, **fields: Any
) -> Followup:
    days = settings.manager.followup_working_days
    cal = calendar or HallCalendar.from_settings(settings.calendar)
    row = Followup(
        opened_at=uow.now,
        opened_day=uow.day,
        working_days=days,
        due_date=_due(cal, uow.day, days),
        step=FollowupStep.OPEN.value,
        step_at=uow.now,
        open=True,
        callbacks=0,
        callback_outcome="",
        outbox_seq=1,
        **fields,
    )
    uow.session.add(row)
    uow.session.flush()  # the id names the outbox aggregate
    return row


def open_for_rating(
    uow: UnitOfWork,
    rating: Rating,
    settings: Settings,
    *,
    calendar: HallCalendar | None = None,
) -> Followup:
    """Open the follow-up of a bad rating inside the rating's unit of work.

    Real-name when the rating is of a case hand-over or of a ticket taken with an ID card;
    the rest of what is known about the citizen is looked up at :meth:`FollowupService.verify`
    (the kiosk, which rates too, may not read cases). Reads only the ticket, which every
    rating program may read.
    """
    real_name = rating.case_id is not None
    holder = ""
    if not real_name and rating.ticket_id is not None:
        ticket = uow.session.execute(
            select(Ticket.id_hash, Ticket.holder_masked).where(Ticket.id == rating.ticket_id)
        ).first()
        if ticket is not None and ticket.id_hash:
            real_name, holder = True, ticket.holder_masked or ""
    row = _new_item(
        uow,
        settings,
        calendar,
        kind=FollowupKind.RATING.value,
        rating_id=rating.id,
        channel="rating",
        name_masked=holder[:100],
        real_name=real_name,
        window=rating.window,
        staff=rating.staff,
    )
    uow.outbox(
        "followup.opened",
        {
            "followup_id": row.id,
            "source": settings.hall.code,
            "kind": FollowupKind.RATING.value,
            "rating_id": rating.id,
            "service": rating.service_key,
            "level": rating.level,
            "real_name": real_name,
            "window": rating.window,
            "staff": rating.staff,
            "opened_day": row.opened_day.isoformat(),
            "working_days": row.working_days,
            "due_date": row.due_date.isoformat() if row.due_date else None,
            "at": uow.now.isoformat(),
        },
        aggregate=followup_aggregate(row.id),
        seq=1,
    )
    uow.audit(
        rating.staff or "system",
        "followup.opened",
        followup_aggregate(row.id),
        rating=rating.id,
        due=row.due_date.isoformat() if row.due_date else None,
    )
    return row


# ---------------------------------------------------------------------------- the service


class FollowupService:
    """Records reports, lists the loop and takes each step, every one audited and synced."""

    def __init__(
        self,
        db: HallDatabase,
        settings: Settings,
        clock: Clock,
        *,
        calendar: HallCalendar | None = None,
    ) -> None:
        self.db, self.settings, self.clock = db, settings, clock
        self.calendar = calendar or HallCalendar.from_settings(settings.calendar)

    def _unit(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.clock, tz=self.settings.hall.tz, outbox_writer=write_outbox)

    def today(self) -> dt.date:
        """The hall day of the clock (what "overdue" is measured against)."""
        with self.db.read() as s:
            return self._today(s)

    def _today(self, s: Session) -> dt.date:
        return self.clock.now(self.db, s).astimezone(self.settings.hall.tz).date()

    # ------------------------------------------------------------------ 办不成事

    def record_complaint(
        self, draft: ComplaintDraft, *, actor: str, window: int | None = None
    ) -> FollowupItem:
        """Save a citizen's report; it joins the follow-up loop with the hall's deadline."""
        d = draft.checked()
        with self._unit() as uow:
            row = _new_item(
                uow,
                self.settings,
                self.calendar,
                kind=FollowupKind.COMPLAINT.value,
                channel=d.source.value,
                matter_code=d.matter_code[:64],
                matter_name=d.matter_name,
                blocked=d.blocked,
                work_order=d.work_order,
                contact_name=d.name,
                contact_phone=d.phone,
                name_masked=mask_name(d.name),
                phone_masked=mask_phone(d.phone),
                # A report always carries a phone: the citizen is known and is called back.
                real_name=True,
                window=window,
                staff=actor[:64],
            )
            uow.outbox(
                "complaint.recorded",
                {
                    "followup_id": row.id,
                    "source": self.settings.hall.code,
                    "channel": d.source.value,
                    "matter_code": d.matter_code,
                    "matter_name": d.matter_name,
                    "blocked": d.blocked,
                    "work_order": d.work_order,
                    "contact_name": d.name,
                    "contact_phone": d.phone,
                    "window": window,
                    "staff": row.staff,
                    "opened_day": row.opened_day.isoformat(),
                    "working_days": row.working_days,
                    "due_date": row.due_date.isoformat() if row.due_date else None,
                    "at": uow.now.isoformat(),
                },
                aggregate=followup_aggregate(row.id),
                seq=1,
            )
            uow.audit(
                actor,
                "complaint.recorded",
                followup_aggregate(row.id),
                channel=d.source.value,
                matter=d.matter_code or d.matter_name[:40],
                work_order=d.work_order,
            )
            item = _item(row, None)
        return item

    # ------------------------------------------------------------------ reading

    def items(
        self, which: FollowupFilter = FollowupFilter.OPEN, *, limit: int = 500
    ) -> tuple[dt.date, list[FollowupItem]]:
        """The hall day and the items of one list: open and overdue ones by deadline (overdue
        first), closed ones newest first."""
        f = Followup
        with self.db.read() as s:
            today = self._today(s)
            stmt = select(f, Rating).outerjoin(Rating, Rating.id == f.rating_id)
            if which is FollowupFilter.OPEN:
                stmt = stmt.where(f.open.is_(True)).order_by(f.due_date, f.id)
            elif which is FollowupFilter.OVERDUE:
                stmt = stmt.where(f.open.is_(True), f.due_date < today).order_by(f.due_date, f.id)
            elif which is FollowupFilter.CLOSED:
                stmt = stmt.where(f.open.is_(False)).order_by(desc(f.closed_at), desc(f.id))
            else:
                stmt = stmt.order_by(desc(f.open), f.due_date, f.id)
            rows = s.execute(stmt.limit(limit)).all()
            return today, [_item(row, rating) for row, rating in rows]

    def item(self, followup_id: int) -> FollowupItem:
        with self.db.read() as s:
            found = s.execute(
                select(Followup, Rating)
                .outerjoin(Rating, Rating.id == Followup.rating_id)
                .where(Followup.id == followup_id)
            ).first()
            if found is None:
                raise FollowupError("没有这条跟进记录", "no such follow-up")
            return _item(found[0], found[1])

    def history(self, followup_id: int) -> list[StepRecord]:
        """The steps taken on an item, oldest first."""
        with self.db.read() as s:
            return [
                StepRecord(FollowupStep(r.step), r.at, r.actor, r.text, r.outcome)
                for r in s.scalars(
                    select(FollowupStepRow)
                    .where(FollowupStepRow.followup_id == followup_id)
                    .order_by(FollowupStepRow.id)
                )
            ]

    def summary(self) -> dict[str, int]:
        """How many items are open, overdue, closed and in all (the desk's filter captions)."""
        f = Followup
        with self.db.read() as s:
            today = self._today(s)
            row = s.execute(
                select(
                    func.sum(case((f.open.is_(True), 1), else_=0)),
                    func.sum(case((and_(f.open.is_(True), f.due_date < today), 1), else_=0)),
                    func.sum(case((f.open.is_(False), 1), else_=0)),
                    func.count(),
                ).select_from(f)
            ).one()
        return {
            FollowupFilter.OPEN.value: int(row[0] or 0),
            FollowupFilter.OVERDUE.value: int(row[1] or 0),
            FollowupFilter.CLOSED.value: int(row[2] or 0),
            FollowupFilter.ALL.value: int(row[3] or 0),
        }

    def of_ratings(self, rating_ids: Iterable[int]) -> dict[int, tuple[FollowupStep, bool]]:
        """For the dashboard: rating id → (step reached, overdue) of its follow-up."""
        ids = list(rating_ids)
        if not ids:
            return {}
        with self.db.read() as s:
            today = self._today(s)
            return {
                int(r.rating_id): (
                    FollowupStep(r.step),
                    bool(r.open) and r.due_date is not None and today > r.due_date,
                )
                for r in s.execute(
                    select(
                        Followup.rating_id, Followup.step, Followup.open, Followup.due_date
                    ).where(Followup.rating_id.in_(ids))
                )
            }

    def contact(self, followup_id: int, *, actor: str) -> tuple[str, str]:
        """The full name and phone for the call back; the look-up itself is audited."""
        with self._unit() as uow:
            row = uow.session.get(Followup, followup_id)
            if row is None:
                raise FollowupError("没有这条跟进记录", "no such follow-up")
            uow.audit(actor, "followup.contact", followup_aggregate(followup_id))
            return row.contact_name, row.contact_phone

    # ------------------------------------------------------------------ steps

    def verify(self, followup_id: int, finding: str, *, actor: str) -> FollowupItem:
        """核实: what was found (and, for a rating, who rated it when the service was a case)."""
        return self.act(followup_id, FollowupAction.VERIFY, finding, actor=actor)

    def rectify(self, followup_id: int, done: str, *, actor: str) -> FollowupItem:
        """整改: what was done about it."""
        return self.act(followup_id, FollowupAction.RECTIFY, done, actor=actor)

    def call_back(
        self, followup_id: int, outcome: CallbackOutcome, note: str, *, actor: str
    ) -> FollowupItem:
        """回访: the citizen's answer (or that nobody was reached) and a note."""
        return self.act(followup_id, FollowupAction.CALL_BACK, note, actor=actor, outcome=outcome)

    def close(self, followup_id: int, summary: str, *, actor: str) -> FollowupItem:
        """办结: closing words; refused for a real-name item not yet called back."""
        return self.act(followup_id, FollowupAction.CLOSE, summary, actor=actor)

    def act(
        self,
        followup_id: int,
        action: FollowupAction,
        text: str,
        *,
        actor: str,
        outcome: CallbackOutcome | None = None,
    ) -> FollowupItem:
        """Take one step; :class:`FollowupError` when it is out of order or incomplete."""
        action = FollowupAction(action)
        text = text.strip()
        if not text:
            raise FollowupError(*_TEXT_NEEDED[action], field="text")
        if len(text) > TEXT_MAX:
            raise FollowupError(
                f"请控制在{TEXT_MAX}字以内", f"at most {TEXT_MAX} characters", field="text"
            )
        if action is FollowupAction.CALL_BACK:
            if outcome is None:
                raise FollowupError(
                    "请选择回访结果", "choose the call-back outcome", field="outcome"
                )
            outcome = CallbackOutcome(outcome)
        elif outcome is not None:
            raise FollowupError(
                "只有回访有结果", "only a call back has an outcome", field="outcome"
            )
        with self._unit() as uow:
            s = uow.session
            stmt = select(Followup).where(Followup.id == followup_id)
            if self.db.is_postgresql:
                stmt = stmt.with_for_update()  # two managers on one item take turns
            row = s.scalars(stmt).first()
            if row is None:
                raise FollowupError("没有这条跟进记录", "no such follow-up")
            step = FollowupStep(row.step)
            rating = s.get(Rating, row.rating_id) if row.rating_id is not None else None
            if action is FollowupAction.VERIFY and rating is not None:
                self._identify(s, row, rating)
            allowed = legal_actions(step, callback_required=row.real_name, callbacks=row.callbacks)
            if action not in allowed:
                raise FollowupError(*_refusal(step, action, row.real_name), field="action")
            target = action.step
            row.step = target.value
            row.step_at = uow.now
            detail: dict[str, Any] = {"step": target.value}
            if action is FollowupAction.CALL_BACK:
                assert outcome is not None
                row.callbacks += 1
                row.callback_outcome = outcome.value
                detail["outcome"] = outcome.value
            if action is FollowupAction.CLOSE:
                row.open = False
                row.closed_at = uow.now
                row.closed_day = uow.day
                late = row.due_date is not None and uow.day > row.due_date
                detail["late"] = late
            row.outbox_seq += 1
            s.add(
                FollowupStepRow(
                    followup_id=row.id,
                    step=target.value,
                    at=uow.now,
                    actor=actor[:64],
                    text=text,
                    outcome=outcome.value if outcome is not None else "",
                )
            )
            s.flush()
            uow.outbox(
                f"followup.{target.value}",
                {
                    "followup_id": row.id,
                    "source": self.settings.hall.code,
                    "kind": row.kind,
                    "rating_id": row.rating_id,
                    "work_order": row.work_order,
                    "real_name": row.real_name,
                    "text": text,
                    "actor": actor[:64],
                    "due_date": row.due_date.isoformat() if row.due_date else None,
                    "at": uow.now.isoformat(),
                    **detail,
                },
                aggregate=followup_aggregate(row.id),
                seq=row.outbox_seq,
            )
            uow.audit(actor, f"followup.{action.value}", followup_aggregate(row.id), **detail)
            item = _item(row, rating)
        return item

    @staticmethod
    def _identify(s: Session, row: Followup, rating: Rating) -> None:
        """At verification: a rated ticket that became a case names its applicant."""
        case = None
        if rating.case_id is not None:
            case = s.get(Case, rating.case_id)
        elif rating.ticket_id is not None:
            case = s.scalars(
                select(Case)
                .where(Case.ticket_id == rating.ticket_id)
                .order_by(desc(Case.id))
                .limit(1)
            ).first()
        if case is None:
            return
        row.real_name = True
        row.matter_name = row.matter_name or case.title[:400]
        codes = [str(m.get("code", "")) for m in case.matters or () if isinstance(m, dict)]
        row.matter_code = row.matter_code or (codes[0][:64] if codes else "")
        name = case.applicant_name if case.applicant_type == 1 else case.organisation_name
        row.contact_name = (name or "")[:100]
        row.contact_phone = (case.phone or "")[:32]
        row.name_masked = mask_name(row.contact_name) if case.applicant_type == 1 else name[:100]
        row.phone_masked = mask_phone(row.contact_phone) if row.contact_phone else ""


_TEXT_NEEDED: dict[FollowupAction, tuple[str, str]] = {
    FollowupAction.VERIFY: ("请写明核实情况", "say what verifying found"),
    FollowupAction.RECTIFY: ("请写明整改措施", "say what was done to put it right"),
    FollowupAction.CALL_BACK: ("请写明回访情况", "say what the call back was about"),
    FollowupAction.CLOSE: ("请写明办结意见", "give the closing note"),
}


def _refusal(step: FollowupStep, action: FollowupAction, real_name: bool) -> tuple[str, str]:
    if step is FollowupStep.CLOSED:
        return "此跟进已办结", "this follow-up is closed"
    if action is FollowupAction.CLOSE and real_name and step is FollowupStep.RECTIFIED:
        return (
            "实名差评和办不成事须先回访群众，才能办结",
            "a real-name item must be called back before it is closed",
        )
    nxt = legal_actions(step, callback_required=real_name)
    zh = "、".join(a.label for a in nxt)
    en = ", ".join(a.label_en.lower() for a in nxt)
    return f"请按顺序办理：当前应{zh}", f"steps go in order: next is {en}"


def _item(row: Followup, rating: Rating | None) -> FollowupItem:
    return FollowupItem(
        id=row.id,
        kind=FollowupKind(row.kind),
        channel=row.channel,
        matter_code=row.matter_code or "",
        matter_name=row.matter_name or "",
        blocked=row.blocked or "",
        work_order=row.work_order or "",
        name_masked=row.name_masked or "",
        phone_masked=row.phone_masked or "",
        real_name=bool(row.real_name),
        window=row.window,
        staff=row.staff or "",
        opened_at=row.opened_at,
        opened_day=row.opened_day,
        working_days=row.working_days,
        due_date=row.due_date,
        step=FollowupStep(row.step),
        step_at=row.step_at,
        callbacks=row.callbacks or 0,
        callback_outcome=row.callback_outcome or "",
        closed_at=row.closed_at,
        closed_day=row.closed_day,
        rating_level=rating.level if rating is not None else None,
        rating_reasons=tuple(rating.reasons or ()) if rating is not None else (),
        rating_comment=(rating.comment or "") if rating is not None else "",
        rating_callback=bool(rating.callback) if rating is not None else False,
    )
