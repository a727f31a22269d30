"""The queue's rules as plain functions: no database, no clock, no settings object to build.

Whether a service is open, how a window's next ticket is picked among the heads of its queues,
where a skipped ticket goes back in, and how long the wait is. :mod:`common.queue.desk`,
:mod:`common.queue.issuing` and :mod:`common.queue.reads` fetch the rows and call these; the
tests in ``tests/common/queue/test_policy.py`` exercise them without a database.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from common.config import ServiceSettings, Settings, TimeRange

__all__ = [
    "PAUSE_REASONS",
    "ClosedReason",
    "Closure",
    "HeadLike",
    "closure",
    "estimate_minutes",
    "full_closure",
    "longest_weighted_wait",
    "overtaken",
    "pass_over_capped",
    "paused_closure",
    "requeue_key",
    "score",
]


class ClosedReason(enum.StrEnum):
    """Why a service gives no number now; a screen decides on this, never on the text."""

    NOT_WORKING_DAY = "not_working_day"  # 今日休息
    NOT_YET_OPEN = "not_yet_open"  # before the first opening time
    BREAK = "break"  # 午间休息, between two opening ranges
    CLOSED_FOR_TODAY = "closed_for_today"  # after the last closing time
    FULL = "full"  # 今日号源已发完: the daily cap is reached
    PAUSED = "paused"  # 暂停取号: the hall manager paused the service, with a short reason


@dataclass(frozen=True)
class Closure:
    """A closed service: the reason, and what to tell the citizen in Chinese and English."""

    reason: ClosedReason
    zh: str
    en: str


FULL_ZH = "今日号源已发完"
FULL_EN = "No more numbers for this service today"


def full_closure() -> Closure:
    """The daily cap is reached."""
    return Closure(ClosedReason.FULL, FULL_ZH, FULL_EN)


# The usual short words for a paused service (the desk offers them), and their English for a
# kiosk set to English; any other word the manager types is shown as typed.
PAUSE_REASONS: dict[str, str] = {
    "系统维护": "system maintenance",
    "系统故障": "system down",
    "网络故障": "network down",
    "人员不足": "short of staff",
    "业务调整": "service changes",
}


def paused_closure(reason: str) -> Closure:
    """The hall manager paused the service (暂停取号); ``reason`` is the manager's short word."""
    reason = reason.strip()
    en = PAUSE_REASONS.get(reason, reason)
    return Closure(
        ClosedReason.PAUSED,
        f"暂停取号：{reason}" if reason else "暂停取号",
        f"Paused: {en}" if en else "Paused",
    )


def closure(settings: Settings, conf: ServiceSettings | None, now: dt.datetime) -> Closure | None:
    """Why the service configured as ``conf`` is closed at ``now`` (hall time), or None if open.

    A service's own hours replace the hall's; the calendar decides working days.
    """
    local = now.astimezone(settings.hall.tz)
    if not settings.calendar.is_working_day(local.date()):
        return Closure(ClosedReason.NOT_WORKING_DAY, "今日休息，不办理业务", "Closed today")
    hours: Sequence[TimeRange] = (conf.hours if conf and conf.hours else None) or settings.hours
    t = local.time()
    if any(r.contains(t) for r in hours):
        return None
    first = min(r.start for r in hours)
    if t < first:
        at = first.strftime("%H:%M")
        return Closure(ClosedReason.NOT_YET_OPEN, f"尚未开始办理（{at} 开始）", f"Opens at {at}")
    if t >= max(r.end for r in hours):
        return Closure(ClosedReason.CLOSED_FOR_TODAY, "今日办理时间已结束", "Closed for today")
    nxt = min((r.start for r in hours if r.start > t), default=None)
    at = nxt.strftime("%H:%M") if nxt else ""
    return Closure(ClosedReason.BREAK, f"午间休息，{at} 恢复办理", f"Break; reopens at {at}")


class HeadLike(Protocol):
    """What the call order needs of a ticket at the head of a queue."""

    @property
    def id(self) -> int: ...
    @property
    def service_id(self) -> int: ...
    @property
    def queue_key(self) -> dt.datetime: ...
    @property
    def passed_over(self) -> int: ...


T = TypeVar("T", bound=HeadLike)


def _order(t: HeadLike) -> tuple[dt.datetime, int]:
    return (t.queue_key, t.id)


def pass_over_capped(heads: Iterable[T], max_pass_over: int) -> T | None:
    """The earliest head passed over ``max_pass_over`` times or more: it goes first (no-one
    waits forever). Only heads are ever passed over, so only heads need looking at."""
    capped = [h for h in heads if h.passed_over >= max_pass_over]
    return min(capped, key=_order) if capped else None


def score(now: dt.datetime, queue_key: dt.datetime, weight: int) -> float:
    """A head's claim on the window: its wait, scaled by the window's weight for its service.

    +1 s so that a ticket issued this very second still scales with its weight.
    """
    return ((now - queue_key).total_seconds() + 1.0) * weight


def longest_weighted_wait(
    heads: Iterable[T], weights: Mapping[int, int], now: dt.datetime
) -> T | None:
    """The head with the highest :func:`score`; ties go to the earlier ticket."""
    best: T | None = None
    best_score = -math.inf
    for head in heads:
        s = score(now, head.queue_key, weights[head.service_id])
        if s > best_score or (s == best_score and best is not None and _order(head) < _order(best)):
            best, best_score = head, s
    return best


def overtaken(heads: Iterable[HeadLike], chosen: HeadLike) -> list[int]:
    """Ids of the heads that queued before the chosen ticket: they were passed over once."""
    return [h.id for h in heads if h.id != chosen.id and _order(h) < _order(chosen)]


def requeue_key(
    old_key: dt.datetime, behind: Sequence[dt.datetime], requeue_after: int, now: dt.datetime
) -> dt.datetime:
    """Where a skipped ticket goes back in (过号 re-queue).

    ``behind`` is the queue keys of the first ``requeue_after`` tickets waiting in its queue, in
    order. 0: back at its old place; N: just behind the N-th waiting ticket; fewer than N
    waiting: at the end.
    """
    if requeue_after == 0:
        return old_key
    if len(behind) >= requeue_after:
        return behind[requeue_after - 1] + dt.timedelta(microseconds=1)
    return max([now, *behind])


def estimate_minutes(
    ahead: int, mean_seconds: float | None, open_windows: int, default_minutes: float
) -> int:
    """Minutes until ``ahead`` people are served by ``open_windows`` windows.

    ``mean_seconds`` is the recent mean service time (None with no history today: the hall's
    default is used); no open window counts as one, so the estimate never divides by zero.
    """
    mean = default_minutes * 60 if mean_seconds is None else float(mean_seconds)
    return math.ceil(ahead * mean / max(1, open_windows) / 60)
