"""Ratings (好差评): the rules of one citizen's rating of one service, without a screen.

* Five levels, 非常满意 (5) … 非常不满意 (1) (:class:`RatingLevel`).
* A bad rating (基本不满意 or 非常不满意, level ≤ 2) needs a reason: one of the common reasons
  or the citizen's own words; the citizen says whether the hall may call back.
* The in-hall dimensions (overall, efficiency, level of service, attitude) are kept only
  where the hall asks for them (``[intake] rating_dimensions``).
* One rating per service (一次一评): a finished ticket (``ticket:<id>``) or a result handed
  over (``handover:<case number>``) is rated once; a second try is :class:`AlreadyRated`.
* The rating and its outbox row ``rating.created`` (aggregate ``rating:<id>``, seq 1) are
  written by one :class:`~common.db.unit.UnitOfWork`: both or neither. A bad rating also opens
  its follow-up there (:func:`common.manager.followup.open_for_rating`).

Nothing here names the citizen: a rating links to the ticket or case it rates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from common.clock import Clock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Case, OutboxRow, Rating
from common.db.unit import UnitOfWork
from common.intake.outbox import write_outbox

__all__ = [
    "BAD_REASONS",
    "AlreadyRated",
    "Dimension",
    "InvalidRating",
    "RatingDraft",
    "RatingLevel",
    "RatingService",
    "RatingView",
    "outbox_backlog",
    "rating_aggregate",
]


class RatingLevel(enum.IntEnum):
    """The five levels of 好差评, best first."""

    VERY_SATISFIED = 5
    SATISFIED = 4
    FAIR = 3
    DISSATISFIED = 2
    VERY_DISSATISFIED = 1

    @property
    def label(self) -> str:
        return _LEVELS[self][0]

    @property
    def label_en(self) -> str:
        return _LEVELS[self][1]

    @property
    def is_bad(self) -> bool:
        """差评: needs a reason and may lead to a call back."""
        return self <= RatingLevel.DISSATISFIED


_LEVELS = {
    RatingLevel.VERY_SATISFIED: ("非常满意", "very satisfied"),
    RatingLevel.SATISFIED: ("满意", "satisfied"),
    RatingLevel.FAIR: ("基本满意", "fair"),
    RatingLevel.DISSATISFIED: ("不满意", "dissatisfied"),
    RatingLevel.VERY_DISSATISFIED: ("非常不满意", "very dissatisfied"),
}


class Dimension(enum.StrEnum):
    """The in-hall dimensions a hall may ask for besides the overall level."""

    OVERALL = "overall"
    EFFICIENCY = "efficiency"
    SERVICE = "service"
    ATTITUDE = "attitude"

    @property
    def label(self) -> str:
        return {
            "overall": "总体评价",
            "efficiency": "办事效率",
            "service": "服务水平",
            "attitude": "服务态度",
        }[self.value]

    @property
    def label_en(self) -> str:
        return {
            "overall": "overall",
            "efficiency": "efficiency",
            "service": "level of service",
            "attitude": "attitude",
        }[self.value]


# The common reasons of a bad rating (the national 差评 reasons, shortened for a button).
BAD_REASONS: tuple[tuple[str, str, str], ...] = (
    ("waiting", "等候时间长", "long wait"),
    ("attitude", "服务态度差", "poor attitude"),
    ("repeat_visits", "多次跑腿", "had to come back again"),
    ("unclear", "告知不清楚", "unclear explanation"),
    ("slow", "办理效率低", "slow handling"),
    ("other", "其他", "other"),
)
_REASON_KEYS = frozenset(key for key, _, _ in BAD_REASONS)


class InvalidRating(ValueError):
    """A rating that breaks a rule; ``message_zh`` / ``message_en`` say which."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh, self.message_en = message_zh, message_en
        super().__init__(f"{message_zh} / {message_en}")


class AlreadyRated(InvalidRating):
    """This service was rated already (一次一评)."""

    def __init__(self, service_key: str) -> None:
        self.service_key = service_key
        super().__init__(
            "本次服务已评价，每次服务只能评价一次", "this service has been rated already"
        )


@dataclass(frozen=True)
class RatingDraft:
    """What the citizen chose on the rating view, and which service it rates."""

    level: RatingLevel
    ticket_id: int | None = None
    case_number: str = ""  # a result handed over (出件)
    # The hand-over's case id when the caller knows it (the kiosk, which may not read cases).
    case_id: int | None = None
    reasons: tuple[str, ...] = ()
    comment: str = ""
    callback: bool = False
    dimensions: Mapping[Dimension, RatingLevel] = field(default_factory=dict)
    channel: str = "counter"
    window: int | None = None

    @property
    def service_key(self) -> str:
        if self.case_number:
            return f"handover:{self.case_number}"
        if self.ticket_id is not None:
            return f"ticket:{self.ticket_id}"
        raise InvalidRating(
            "评价必须对应一次服务（取号或出件）", "a rating belongs to a ticket or a hand-over"
        )

    def checked(self, *, dimensions_asked: bool) -> RatingDraft:
        """The draft as it is stored; :class:`InvalidRating` names the first broken rule."""
        level = RatingLevel(self.level)
        unknown = set(self.reasons) - _REASON_KEYS
        if unknown:
            raise InvalidRating("未知的差评原因", "unknown bad-rating reason")
        comment = self.comment.strip()
        if len(comment) > 500:
            raise InvalidRating("意见请控制在500字以内", "at most 500 characters, please")
        reasons = tuple(dict.fromkeys(self.reasons))
        if level.is_bad and not reasons:
            raise InvalidRating("差评请选择或填写原因", "a bad rating needs a reason")
        if level.is_bad and reasons == ("other",) and not comment:
            raise InvalidRating("选择“其他”时请写明原因", "with “other”, please say why")
        if not level.is_bad:
            reasons, callback = (), False
        else:
            callback = self.callback
        dims = (
            {Dimension(k): RatingLevel(v) for k, v in self.dimensions.items()}
            if dimensions_asked
            else {}
        )
        _ = self.service_key  # raises when the draft rates nothing
        return dataclasses.replace(
            self, level=level, reasons=reasons, comment=comment, callback=callback, dimensions=dims
        )


@dataclass(frozen=True)
class RatingView:
    """A stored rating."""

    id: int
    service_key: str
    level: RatingLevel
    reasons: tuple[str, ...]
    comment: str
    callback: bool
    dimensions: Mapping[str, int]
    created_at: dt.datetime


def rating_aggregate(rating_id: int) -> str:
    """The outbox aggregate of a rating (its only message has seq 1)."""
    return f"rating:{rating_id}"


class RatingService:
    """Stores ratings with their outbox row; one rating per service."""

    def __init__(
        self, db: HallDatabase, settings: Settings, clock: Clock, *, dimensions_asked: bool = False
    ) -> None:
        self.db, self.settings, self.clock = db, settings, clock
        self.dimensions_asked = dimensions_asked

    def rate(self, draft: RatingDraft, *, staff: str = "") -> RatingView:
        """Save the rating and its ``rating.created`` outbox row in one transaction."""
        d = draft.checked(dimensions_asked=self.dimensions_asked)
        key = d.service_key
        try:
            with UnitOfWork(
                self.db, self.clock, tz=self.settings.hall.tz, outbox_writer=write_outbox
            ) as uow:
                s = uow.session
                if s.scalar(select(Rating.id).where(Rating.service_key == key)) is not None:
                    raise AlreadyRated(key)
                case_id = d.case_id
                if d.case_number and case_id is None:
                    case_id = s.scalar(select(Case.id).where(Case.number == d.case_number))
                row = Rating(
                    service_key=key,
                    ticket_id=d.ticket_id,
                    case_id=case_id,
                    channel=d.channel,
                    window=d.window,
                    staff=staff[:64],
                    level=int(d.level),
                    reasons=list(d.reasons),
                    comment=d.comment,
                    callback=d.callback,
                    dimensions={k.value: int(v) for k, v in d.dimensions.items()},
                    created_at=uow.now,
                )
                s.add(row)
                s.flush()  # the id names the outbox aggregate
                payload: dict[str, Any] = {
                    "rating_id": row.id,
                    "source": self.settings.hall.code,
                    "service": key,
                    "ticket_id": d.ticket_id,
                    "case_number": d.case_number,
                    "channel": d.channel,
                    "window": d.window,
                    "staff": row.staff,
                    "level": int(d.level),
                    "reasons": list(d.reasons),
                    "comment": d.comment,
                    "callback": d.callback,
                    "dimensions": row.dimensions,
                    "at": uow.now.isoformat(),
                }
                uow.outbox("rating.created", payload, aggregate=rating_aggregate(row.id), seq=1)
                uow.audit(staff, "rating.created", key, level=int(d.level))
                if d.level.is_bad:
                    # Every bad rating opens a follow-up (核实, 整改, 回访, 办结) in this same
                    # transaction: a 差评 is never stored without one. Imported here so the
                    # kiosk's start-up does not load the calendar for a rating it may never take.
                    from common.manager.followup import open_for_rating

                    open_for_rating(uow, row, self.settings)
                view = RatingView(
                    row.id,
                    key,
                    d.level,
                    d.reasons,
                    d.comment,
                    d.callback,
                    dict(row.dimensions),
                    uow.now,
                )
        except IntegrityError as exc:
            # Two counters racing for one service: the unique key decides, the loser is told.
            if "service_key" in str(exc.orig) or "unique" in str(exc.orig).lower():
                raise AlreadyRated(key) from None
            raise
        return view

    def rated(self, keys: Sequence[str]) -> set[str]:
        """Which of these services have a rating already."""
        if not keys:
            return set()
        with self.db.read() as s:
            return set(
                s.scalars(select(Rating.service_key).where(Rating.service_key.in_(list(keys))))
            )


def outbox_backlog(db: HallDatabase) -> int:
    """Outbox rows not sent yet (parked rows are the manager's, not a backlog)."""
    with db.read() as s:
        stmt = select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
        if hasattr(OutboxRow, "parked_at"):
            stmt = stmt.where(OutboxRow.parked_at.is_(None))
        return int(s.scalar(stmt) or 0)
