"""The queue's rules on their own: no database, no clock but the one passed in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from common.queue.policy import (
    ClosedReason,
    closure,
    estimate_minutes,
    longest_weighted_wait,
    overtaken,
    pass_over_capped,
    requeue_key,
    score,
)
from tests.conftest import HALL_TZ, MONDAY_9AM, make_settings

T0 = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Head:
    id: int
    service_id: int
    queue_key: dt.datetime
    passed_over: int = 0


def test_closure_names_each_reason() -> None:
    settings = make_settings(
        hours=[["08:30", "12:00"], ["13:30", "17:30"]], calendar={"holidays": ["2026-11-25"]}
    )
    at = MONDAY_9AM.replace
    assert closure(settings, None, at(hour=9)) is None
    early = closure(settings, None, at(hour=8))
    assert early is not None and early.reason is ClosedReason.NOT_YET_OPEN and "08:30" in early.en
    lunch = closure(settings, None, at(hour=12, minute=30))
    assert lunch is not None and lunch.reason is ClosedReason.BREAK and "13:30" in lunch.zh
    late = closure(settings, None, at(hour=17, minute=30))  # the end of a range is closed
    assert late is not None and late.reason is ClosedReason.CLOSED_FOR_TODAY
    holiday = closure(settings, None, dt.datetime(2026, 11, 25, 10, tzinfo=HALL_TZ))
    assert holiday is not None and holiday.reason is ClosedReason.NOT_WORKING_DAY


def test_a_services_own_hours_replace_the_halls() -> None:
    settings = make_settings(
        hours=[["08:30", "17:30"]],
        services=[{"prefix": "A", "name": "综合", "general": True, "hours": [["09:00", "11:00"]]}],
        windows=[{"number": 1, "services": {"A": 1}}],
    )
    conf = settings.service("A")
    assert closure(settings, None, MONDAY_9AM.replace(hour=8, minute=45)) is None
    own = closure(settings, conf, MONDAY_9AM.replace(hour=8, minute=45))
    assert own is not None and own.reason is ClosedReason.NOT_YET_OPEN and "09:00" in own.en


def test_pass_over_cap_picks_the_earliest_capped_head() -> None:
    heads = [
        Head(1, 1, T0, 1),
        Head(2, 2, T0 + dt.timedelta(seconds=5), 2),
        Head(3, 3, T0 + dt.timedelta(seconds=9), 3),
    ]
    assert pass_over_capped(heads, 2) == heads[1]
    assert pass_over_capped(heads, 4) is None
    assert pass_over_capped(heads, 0) == heads[0]  # a cap of 0: strictly first come, first served


def test_weight_scales_the_wait_and_ties_go_to_the_earlier_ticket() -> None:
    now = T0 + dt.timedelta(minutes=10)
    a, b = Head(1, 1, T0), Head(2, 2, T0 + dt.timedelta(minutes=5))
    assert score(now, T0, 2) == (600 + 1) * 2
    assert longest_weighted_wait([a, b], {1: 1, 2: 1}, now) == a
    assert longest_weighted_wait([a, b], {1: 1, 2: 3}, now) == b  # 301*3 > 601*1
    twin = Head(0, 2, T0)
    assert longest_weighted_wait([a, twin], {1: 1, 2: 1}, now) == twin  # same score: lower id
    assert longest_weighted_wait([], {}, now) is None


def test_only_heads_that_queued_earlier_are_overtaken() -> None:
    a, b, c = (
        Head(1, 1, T0),
        Head(2, 2, T0 + dt.timedelta(seconds=1)),
        Head(3, 3, T0 + dt.timedelta(seconds=2)),
    )
    assert overtaken([a, b, c], b) == [1]
    assert overtaken([a, b, c], a) == []


def test_requeue_key() -> None:
    now = T0 + dt.timedelta(hours=1)
    behind = [T0 + dt.timedelta(minutes=m) for m in (1, 2, 3)]
    assert requeue_key(T0, behind, 0, now) == T0  # back at its old place
    assert requeue_key(T0, behind, 3, now) == behind[2] + dt.timedelta(microseconds=1)
    assert requeue_key(T0, behind[:2], 3, now) == now  # fewer than N waiting: at the end


def test_estimate_minutes() -> None:
    assert estimate_minutes(0, 300, 2, 6) == 0
    assert estimate_minutes(4, 300, 2, 6) == 10
    assert estimate_minutes(3, None, 1, 6) == 18  # no history: the hall's default
    assert estimate_minutes(3, 60, 0, 6) == 3  # no open window counts as one
