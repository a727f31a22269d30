"""Staff accounts kept by the manager: add, reset, lock, roles, windows; all audited, no hash
shown; and the login and the window claim obey them (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.db.models import AuditLog, Role
from common.manager.staffing import StaffAdmin, StaffError, change_password
from common.queue.service import QueueService
from common.staff import (
    LoginFailed,
    WindowNotAllowed,
    authenticate,
    claim_window,
    create_staff,
)


def _audit(db: HallDatabase) -> list[tuple[str, str, str, dict[str, Any]]]:
    with db.read() as s:
        return [
            (a.actor, a.action, a.target, a.detail)
            for a in s.scalars(select(AuditLog).order_by(AuditLog.id))
            if a.action.startswith("manager.staff")
        ]


@pytest.fixture
def admin(any_hall: QueueService, clock: ManualClock) -> StaffAdmin:
    return StaffAdmin(any_hall.db, clock)


def test_added_staff_logs_in_once_then_must_choose_a_password(
    admin: StaffAdmin, any_hall_db: HallDatabase, clock: ManualClock
) -> None:
    admin.add_staff("li.na", " 李娜 ", "temp2026a", windows=[2, 1], actor="mgr")
    (row,) = admin.list_staff()
    assert (row.username, row.display_name, row.role, row.windows) == (
        "li.na",
        "李娜",
        Role.WINDOW,
        (1, 2),
    )
    assert row.must_change_password and not row.locked
    assert not any("hash" in f or "password_hash" in f for f in row.__dataclass_fields__)
    staff = authenticate(any_hall_db, "li.na", "temp2026a", clock=clock)
    assert staff.must_change_password
    with pytest.raises(StaffError):
        change_password(any_hall_db, staff.id, "temp2026a", "short", clock=clock)
    with pytest.raises(StaffError):
        change_password(any_hall_db, staff.id, "wrong", "Better2026x", clock=clock)
    change_password(any_hall_db, staff.id, "temp2026a", "Better2026x", clock=clock)
    again = authenticate(any_hall_db, "li.na", "Better2026x", clock=clock)
    assert not again.must_change_password
    # The audit says who added whom, with what; never the password.
    ((actor, action, target, detail),) = _audit(any_hall_db)
    assert (actor, action, target) == ("mgr", "manager.staff-add", "li.na")
    assert "temp2026a" not in repr(detail) and "scrypt" not in repr(detail)


def test_policy_and_duplicates_are_refused(admin: StaffAdmin) -> None:
    with pytest.raises(StaffError):
        admin.add_staff("x", "X", "temp2026a", actor="mgr")  # too short a login
    with pytest.raises(StaffError):
        admin.add_staff("wang", "王", "abcdefgh", actor="mgr")  # no digit
    with pytest.raises(StaffError):
        admin.add_staff("wang", "王", "wang12345", actor="mgr")  # contains the login
    with pytest.raises(StaffError):
        admin.add_staff("wang", "王", "temp2026a", windows=[99], actor="mgr")
    admin.add_staff("wang", "王", "temp2026a", actor="mgr")
    with pytest.raises(StaffError):
        admin.add_staff("wang", "王二", "temp2026a", actor="mgr")


def test_reset_forces_a_change_and_ends_a_lock_out(
    admin: StaffAdmin, any_hall_db: HallDatabase, clock: ManualClock
) -> None:
    admin.add_staff("zhao", "赵", "temp2026a", actor="mgr")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            authenticate(any_hall_db, "zhao", "nope", clock=clock)
    assert admin.list_staff()[0].locked_until is not None
    admin.reset_password("zhao", "reset2026b", actor="mgr")
    row = admin.list_staff()[0]
    assert row.locked_until is None and row.must_change_password
    assert authenticate(any_hall_db, "zhao", "reset2026b", clock=clock).must_change_password
    assert _audit(any_hall_db)[-1][:3] == ("mgr", "manager.staff-password-reset", "zhao")


def test_locked_account_is_refused_until_unlocked(
    admin: StaffAdmin, any_hall_db: HallDatabase, clock: ManualClock
) -> None:
    admin.add_staff("qian", "钱", "temp2026a", actor="mgr")
    admin.set_locked("qian", True, actor="mgr")
    with pytest.raises(LoginFailed) as refused:
        authenticate(any_hall_db, "qian", "temp2026a", clock=clock)
    assert refused.value.locked and "管理员" in refused.value.message_zh
    admin.set_locked("qian", False, actor="mgr")
    authenticate(any_hall_db, "qian", "temp2026a", clock=clock)
    with pytest.raises(StaffError):
        admin.set_locked("mgr", True, actor="mgr")  # not yourself
    actions = [a for _, a, _, _ in _audit(any_hall_db)]
    assert actions[-2:] == ["manager.staff-lock", "manager.staff-unlock"]


def test_roles_and_windows(
    admin: StaffAdmin, any_hall_db: HallDatabase, clock: ManualClock
) -> None:
    admin.add_staff("sun", "孙", "temp2026a", windows=[2], actor="mgr")
    staff = authenticate(any_hall_db, "sun", "temp2026a", clock=clock)
    with pytest.raises(WindowNotAllowed) as refused:
        claim_window(any_hall_db, staff, 1, station="pc-1", clock=clock)
    assert "2" in refused.value.message_zh and refused.value.allowed == [2]
    claim_window(any_hall_db, staff, 2, station="pc-2", clock=clock)
    admin.set_windows("sun", [], actor="mgr")  # any window again
    claim_window(any_hall_db, staff, 1, station="pc-1", clock=clock)
    admin.set_role("sun", Role.MANAGER, actor="mgr")
    assert admin.list_staff()[0].role is Role.MANAGER
    with pytest.raises(StaffError):
        admin.set_role("mgr", Role.WINDOW, actor="mgr")
    assert [a for _, a, _, _ in _audit(any_hall_db)][-2:] == [
        "manager.staff-windows",
        "manager.staff-role",
    ]


def test_a_cli_reset_lifts_the_managers_lock(
    admin: StaffAdmin, any_hall_db: HallDatabase, clock: ManualClock
) -> None:
    admin.add_staff("zhou", "周", "temp2026a", actor="mgr")
    admin.set_locked("zhou", True, actor="mgr")
    create_staff(any_hall_db, "zhou", "周", "cli2026pw")  # onewindow db seed / the admin CLI
    authenticate(any_hall_db, "zhou", "cli2026pw", clock=clock)
