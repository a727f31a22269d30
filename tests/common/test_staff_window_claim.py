"""One counter per window: login claims the window, a live claim refuses others, a stale claim
(a crashed counter) frees the window, a manager or the same user may take over on purpose."""

from __future__ import annotations

import datetime as dt
import threading
import time
import zoneinfo

import pytest
from sqlalchemy import select, update

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.db.models import AuditLog, Role, Staff, Window
from common.queue.service import QueueService
from common.staff import (
    CLAIM_STALE_AFTER,
    LoginFailed,
    StaffView,
    WindowTaken,
    authenticate,
    claim_window,
    create_staff,
    heartbeat_window,
    release_window,
    window_holder,
)


def _staff(db: HallDatabase, username: str, role: Role = Role.WINDOW) -> StaffView:
    create_staff(db, username, f"{username} 名", "pw-" + username, role)
    with db.read() as s:
        row = s.scalars(select(Staff).where(Staff.username == username)).one()
        return StaffView(row.id, row.username, row.display_name, row.role)


def _actions(db: HallDatabase) -> list[str]:
    with db.read() as s:
        return [
            a
            for a in s.scalars(select(AuditLog.action).order_by(AuditLog.id))
            if a.startswith("window-")
        ]


def test_a_live_claim_refuses_another_counter_and_says_who(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    db = any_hall_db
    w1, w3 = _staff(db, "w1"), _staff(db, "w3")
    claim_window(db, w1, 1, station="pc-1")
    with pytest.raises(WindowTaken) as refused:
        claim_window(db, w3, 1, station="pc-3")
    assert refused.value.holder.username == "w1"
    assert refused.value.holder.display_name == "w1 名"
    assert refused.value.holder.station == "pc-1"
    assert not refused.value.may_take_over
    with pytest.raises(WindowTaken):  # a window clerk may not force it either
        claim_window(db, w3, 1, station="pc-3", take_over=True)
    holder = window_holder(db, 1)
    assert holder is not None and holder.username == "w1"
    claim_window(db, w1, 1, station="pc-1")  # the holder logging in again on the same PC: fine
    claim_window(db, w3, 2, station="pc-3")  # another window: fine
    assert _actions(db) == [
        "window-claimed",
        "window-claim-refused",
        "window-claim-refused",
        "window-claimed",
        "window-claimed",
    ]


def test_release_frees_the_window_and_only_the_holder_releases(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    db = any_hall_db
    w1, w3 = _staff(db, "w1"), _staff(db, "w3")
    claim_window(db, w1, 1, station="pc-1")
    assert not release_window(db, w3, 1, station="pc-3")
    assert release_window(db, w1, 1, station="pc-1")
    assert window_holder(db, 1) is None
    claim_window(db, w3, 1, station="pc-3")
    assert _actions(db) == ["window-claimed", "window-released", "window-claimed"]


def test_a_stale_claim_frees_the_window(any_hall: QueueService, any_hall_db: HallDatabase) -> None:
    db = any_hall_db
    w1, w3 = _staff(db, "w1"), _staff(db, "w3")
    claim_window(db, w1, 1, station="pc-1")
    assert heartbeat_window(db, w1.id, 1, station="pc-1")
    with db.write() as s:  # the counter crashed: no heartbeat for longer than the limit
        old = db.now(s) - CLAIM_STALE_AFTER - dt.timedelta(seconds=5)
        s.execute(update(Window).where(Window.number == 1).values(staff_heartbeat=old))
    assert window_holder(db, 1) is None
    claim_window(db, w3, 1, station="pc-3")
    holder = window_holder(db, 1)
    assert holder is not None and holder.username == "w3"
    assert not heartbeat_window(db, w1.id, 1, station="pc-1")  # the crashed one has lost it


def test_a_manager_or_the_same_user_takes_over_only_when_asked(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    db = any_hall_db
    w1, boss = _staff(db, "w1"), _staff(db, "boss", Role.MANAGER)
    claim_window(db, w1, 1, station="pc-1")
    with pytest.raises(WindowTaken) as refused:
        claim_window(db, w1, 1, station="pc-2")  # same user, another PC: ask first
    assert refused.value.may_take_over
    claim_window(db, w1, 1, station="pc-2", take_over=True)
    assert not heartbeat_window(db, w1.id, 1, station="pc-1")  # the first PC learns it lost it
    with pytest.raises(WindowTaken) as refused:
        claim_window(db, boss, 1, station="pc-9")
    assert refused.value.may_take_over and refused.value.holder.station == "pc-2"
    claim_window(db, boss, 1, station="pc-9", take_over=True)
    holder = window_holder(db, 1)
    assert holder is not None and holder.username == "boss"
    with db.read() as s:
        taken = s.scalars(
            select(AuditLog).where(AuditLog.action == "window-taken-over").order_by(AuditLog.id)
        ).all()
    assert [(a.actor, a.detail["taken_from"], a.detail["taken_from_station"]) for a in taken] == [
        ("w1", "w1", "pc-1"),
        ("boss", "w1", "pc-2"),
    ]


def _race(db: HallDatabase, contenders: list[tuple[StaffView, str]]) -> tuple[list[str], list[str]]:
    """Every contender claims window 1 at the same moment; who won, who was refused."""
    barrier = threading.Barrier(len(contenders))
    won: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def claim(staff: StaffView, station: str) -> None:
        barrier.wait()
        try:
            claim_window(db, staff, 1, station=station)
            won.append(staff.username)
        except WindowTaken:
            refused.append(staff.username)
        except BaseException as exc:  # reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=c) for c in contenders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    return won, refused


def test_two_counters_claiming_at_once_one_wins(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    db = any_hall_db
    a, b = _staff(db, "wa"), _staff(db, "wb")
    stations = {"wa": "pc-a", "wb": "pc-b"}
    for round_ in range(8):
        won, refused = _race(db, [(a, "pc-a"), (b, "pc-b")])
        assert len(won) == 1 and len(refused) == 1, (round_, won, refused)
        holder = window_holder(db, 1)
        assert holder is not None and holder.username == won[0]
        winner = a if won[0] == "wa" else b
        assert release_window(db, winner, 1, station=stations[won[0]])


def test_lock_out_time_is_told_in_the_halls_zone(
    hall_db: HallDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This PC thinks it is in New York; the hall is in Shanghai.
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        create_staff(hall_db, "w1", "w1", "right")
        for _ in range(5):
            with pytest.raises(LoginFailed):
                authenticate(hall_db, "w1", "wrong")
        shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
        with pytest.raises(LoginFailed) as locked:
            authenticate(hall_db, "w1", "right", tz=shanghai)
        with hall_db.read() as s:
            until = s.scalars(select(Staff.locked_until).where(Staff.username == "w1")).one()
        assert until is not None
        hall_time = until.astimezone(shanghai).strftime("%H:%M")
        assert hall_time != until.astimezone().strftime("%H:%M")  # the test means something
        assert locked.value.locked
        assert locked.value.message_zh == f"账号已锁定，请于 {hall_time} 后再试"
        assert locked.value.message_en == f"Account locked until {hall_time}"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_lock_out_expires_when_the_clock_moves_on(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    db, clock = any_hall_db, ManualClock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    create_staff(db, "w1", "w1", "right")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            authenticate(db, "w1", "wrong", clock=clock)
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(LoginFailed) as still:
        authenticate(db, "w1", "right", clock=clock)
    assert still.value.locked
    clock.advance(seconds=2)  # 15 minutes after the fifth failure: the lock has run out
    assert authenticate(db, "w1", "right", clock=clock).username == "w1"
    with db.read() as s:
        rows = s.execute(select(AuditLog.action, AuditLog.at).order_by(AuditLog.id)).all()
    assert [a for a, _ in rows] == ["login-failed"] * 5 + ["login-locked", "login"]
    # Every row carries the injected clock's time, not this PC's.
    assert rows[0].at == dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    assert rows[-1].at == dt.datetime(2026, 11, 23, 9, 15, 1, tzinfo=dt.UTC)


def test_a_claim_goes_stale_when_the_clock_moves_past_the_limit(
    any_hall: QueueService, any_hall_db: HallDatabase
) -> None:
    db, clock = any_hall_db, ManualClock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    w1, w3 = _staff(db, "w1"), _staff(db, "w3")
    claim_window(db, w1, 1, station="pc-1", clock=clock)
    clock.advance(seconds=CLAIM_STALE_AFTER.total_seconds() - 1)
    assert heartbeat_window(db, w1.id, 1, station="pc-1", clock=clock)  # renewed just in time
    clock.advance(seconds=CLAIM_STALE_AFTER.total_seconds())
    holder = window_holder(db, 1, clock=clock)
    assert holder is not None and holder.username == "w1"  # exactly at the limit: still live
    with pytest.raises(WindowTaken):
        claim_window(db, w3, 1, station="pc-3", clock=clock)
    clock.advance(seconds=1)
    assert window_holder(db, 1, clock=clock) is None
    claim_window(db, w3, 1, station="pc-3", clock=clock)
    assert not heartbeat_window(db, w1.id, 1, station="pc-1", clock=clock)
    assert release_window(db, w3, 1, station="pc-3", clock=clock)
    assert _actions(db) == [
        "window-claimed",
        "window-claim-refused",
        "window-claimed",
        "window-released",
    ]
