"""The follow-up loop on SQLite and PostgreSQL: deadlines in working days, overdue, steps in
order, the call back a real-name item owes, audit and outbox rows, and a bad rating opening its
item in the rating's own transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import AuditLog, Followup, OutboxRow, Rating
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseService
from common.intake.rating import RatingDraft, RatingLevel, RatingService
from common.manager import followup as followup_module
from common.manager.followup import (
    CallbackOutcome,
    ComplaintDraft,
    ComplaintSource,
    FollowupAction,
    FollowupError,
    FollowupFilter,
    FollowupKind,
    FollowupService,
    FollowupStep,
    InvalidComplaint,
    complaint_problems,
    legal_actions,
    mask_phone,
)
from common.queue.service import QueueService
from common.queue.views import Holder
from tests.common.intake.acceptor import draft as case_draft
from tests.conftest import HALL_TZ, MONDAY_9AM, make_settings

REPORT = ComplaintDraft(
    source=ComplaintSource.WINDOW,
    matter_name="二手房转移登记",
    matter_code="350102-FC-001",
    blocked="系统里查不到不动产权证，窗口让去另一个部门开证明",
    phone="13912345678",
    name="陈小明",
)
HOLDER = Holder("11010519491231002X", "张秀英", dt.date(1949, 12, 31))


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HALL_TZ)


@pytest.fixture
def manual() -> ManualClock:
    return ManualClock(MONDAY_9AM)


@pytest.fixture
def hall_settings() -> Settings:
    return make_settings()


@pytest.fixture
def queue(any_hall_db: HallDatabase, hall_settings: Settings, manual: ManualClock) -> QueueService:
    q = QueueService(any_hall_db, hall_settings, manual)
    q.sync_from_settings()
    return q


@pytest.fixture
def loop(
    any_hall_db: HallDatabase, hall_settings: Settings, manual: ManualClock
) -> FollowupService:
    return FollowupService(any_hall_db, hall_settings, manual)


def _served(queue: QueueService, *, holder: Holder | None = None) -> int:
    ticket = queue.issue("A", holder=holder)
    queue.call_next(1, actor="w1")
    queue.finish(1, actor="w1")
    return ticket.id


def _bad(db: HallDatabase, settings: Settings, clock: ManualClock, ticket_id: int) -> int:
    view = RatingService(db, settings, clock).rate(
        RatingDraft(
            RatingLevel.VERY_DISSATISFIED,
            ticket_id=ticket_id,
            window=1,
            reasons=("waiting",),
            callback=True,
        ),
        staff="w1",
    )
    return view.id


def _outbox(db: HallDatabase, aggregate: str) -> list[tuple[int, str, dict[str, Any]]]:
    with db.read() as s:
        return [
            (r.seq, r.event_type, r.payload)
            for r in s.scalars(
                select(OutboxRow).where(OutboxRow.aggregate == aggregate).order_by(OutboxRow.seq)
            )
        ]


def _audit(db: HallDatabase) -> list[tuple[str, str, str]]:
    with db.read() as s:
        return [
            (a.actor, a.action, a.target)
            for a in s.scalars(select(AuditLog).order_by(AuditLog.id))
            if a.action.startswith(("followup.", "complaint."))
        ]


# ---------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("opened", "days", "due"),
    [
        # Friday + 5 working days: the weekend is not counted.
        (dt.date(2026, 11, 27), 5, dt.date(2026, 12, 4)),
        # The day before National Day: 1–7 October are holidays, Saturday 10 October is a
        # 调休 working day, so five working days end on Tuesday 13 October.
        (dt.date(2026, 9, 30), 5, dt.date(2026, 10, 13)),
        # A province's 15 days from the same Wednesday.
        (dt.date(2026, 9, 30), 15, dt.date(2026, 10, 27)),
    ],
)
def test_the_deadline_is_in_working_days_on_the_hall_calendar(
    any_hall_db: HallDatabase, opened: dt.date, days: int, due: dt.date
) -> None:
    settings = make_settings(manager={"followup_working_days": days})
    clock = ManualClock(_at(opened))
    item = FollowupService(any_hall_db, settings, clock).record_complaint(REPORT, actor="w1")
    assert (item.opened_day, item.working_days, item.due_date) == (opened, days, due)


def test_a_hall_holiday_moves_the_deadline(any_hall_db: HallDatabase) -> None:
    settings = make_settings(calendar={"holidays": ["2026-12-01"]})
    clock = ManualClock(_at(dt.date(2026, 11, 27)))
    item = FollowupService(any_hall_db, settings, clock).record_complaint(REPORT, actor="w1")
    assert item.due_date == dt.date(2026, 12, 7)


def test_a_year_the_calendar_does_not_know_leaves_the_deadline_empty(
    any_hall_db: HallDatabase,
) -> None:
    # Christmas 2026 + 5 working days runs into 2027, which the package does not know yet: the
    # report is kept (never lost, never a guessed date) and is not flagged overdue.
    clock = ManualClock(_at(dt.date(2026, 12, 28)))
    loop = FollowupService(any_hall_db, make_settings(), clock)
    item = loop.record_complaint(REPORT, actor="w1")
    if item.due_date is None:
        clock.advance(days=60)
        assert not loop.item(item.id).overdue(loop.today())
    else:  # a newer chinesecalendar knows 2027
        assert item.due_date.year == 2027


def test_an_open_item_past_its_deadline_is_overdue_and_a_closed_one_is_not(
    any_hall_db: HallDatabase,
) -> None:
    clock = ManualClock(_at(dt.date(2026, 11, 27)))
    loop = FollowupService(any_hall_db, make_settings(), clock)
    late = loop.record_complaint(REPORT, actor="w1")
    done = loop.record_complaint(dataclasses.replace(REPORT, phone="13700000001"), actor="w1")
    clock.at = _at(dt.date(2026, 12, 4), 17)  # the due day itself: still on time
    assert not loop.item(late.id).overdue(loop.today())
    assert loop.items(FollowupFilter.OVERDUE)[1] == []
    for action, extra in (
        (FollowupAction.VERIFY, {}),
        (FollowupAction.RECTIFY, {}),
        (FollowupAction.CALL_BACK, {"outcome": CallbackOutcome.SATISFIED}),
        (FollowupAction.CLOSE, {}),
    ):
        loop.act(done.id, action, "处理情况", actor="mgr", **extra)
    clock.at = _at(dt.date(2026, 12, 7), 9)  # Monday: one working day late
    today, overdue = loop.items(FollowupFilter.OVERDUE)
    assert today == dt.date(2026, 12, 7)
    assert [i.id for i in overdue] == [late.id]
    assert overdue[0].overdue(today)
    assert not loop.item(done.id).overdue(today) and not loop.item(done.id).closed_late
    assert [i.id for i in loop.items(FollowupFilter.OPEN)[1]] == [late.id]
    assert [i.id for i in loop.items(FollowupFilter.CLOSED)[1]] == [done.id]
    assert {i.id for i in loop.items(FollowupFilter.ALL)[1]} == {late.id, done.id}
    assert loop.summary() == {"open": 1, "overdue": 1, "closed": 1, "all": 2}


# ---------------------------------------------------------------------------- bad ratings


def test_a_bad_rating_opens_an_item_and_a_good_one_does_not(
    queue: QueueService, any_hall_db: HallDatabase, hall_settings: Settings, manual: ManualClock
) -> None:
    good = RatingService(any_hall_db, hall_settings, manual).rate(
        RatingDraft(RatingLevel.FAIR, ticket_id=_served(queue), window=1)
    )
    rating_id = _bad(any_hall_db, hall_settings, manual, _served(queue))
    with any_hall_db.read() as s:
        rows = s.scalars(select(Followup)).all()
        assert [(r.kind, r.rating_id) for r in rows] == [("rating", rating_id)]
        assert rows[0].opened_at == manual.now(any_hall_db, s)
        assert good.id != rating_id
    ((seq, kind, payload),) = _outbox(any_hall_db, f"followup:{rows[0].id}")
    assert (seq, kind) == (1, "followup.opened")
    assert payload["rating_id"] == rating_id and payload["source"] == hall_settings.hall.code
    assert payload["due_date"] == "2026-11-30"  # Monday 23 Nov + 5 working days


def test_a_bad_rating_and_its_item_are_one_transaction(
    queue: QueueService,
    any_hall_db: HallDatabase,
    hall_settings: Settings,
    manual: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ticket = _served(queue)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the follow-up could not be written")

    monkeypatch.setattr(followup_module, "open_for_rating", broken)
    with pytest.raises(RuntimeError):
        _bad(any_hall_db, hall_settings, manual, ticket)
    with any_hall_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Rating)) == 0
        assert s.scalar(select(func.count()).select_from(OutboxRow)) == 0
    monkeypatch.undo()
    _bad(any_hall_db, hall_settings, manual, ticket)  # the citizen may rate again
    with any_hall_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Followup)) == 1


def test_a_real_name_bad_rating_cannot_be_closed_without_a_call_back(
    queue: QueueService,
    any_hall_db: HallDatabase,
    hall_settings: Settings,
    manual: ManualClock,
    loop: FollowupService,
) -> None:
    # A ticket taken with an ID card: the citizen is known.
    _bad(any_hall_db, hall_settings, manual, _served(queue, holder=HOLDER))
    (item,) = loop.items()[1]
    assert item.kind is FollowupKind.RATING and item.real_name and item.name_masked == "张*英"
    loop.verify(item.id, "调取录像，等候 50 分钟属实", actor="mgr")
    loop.rectify(item.id, "午间增开 2 号窗口", actor="mgr")
    with pytest.raises(FollowupError, match="回访") as refused:
        loop.close(item.id, "已整改", actor="mgr")
    assert "called back" in refused.value.message_en
    assert loop.item(item.id).actions() == (FollowupAction.CALL_BACK,)
    loop.call_back(item.id, CallbackOutcome.UNREACHABLE, "两次未接通", actor="mgr")
    # Nobody answered: call again, or close with the attempt on record.
    assert loop.item(item.id).actions() == (FollowupAction.CALL_BACK, FollowupAction.CLOSE)
    loop.call_back(item.id, CallbackOutcome.SATISFIED, "群众表示满意", actor="mgr")
    closed = loop.close(item.id, "已整改并回访", actor="mgr")
    assert closed.step is FollowupStep.CLOSED and not closed.open and closed.callbacks == 2
    assert closed.callback_outcome == "satisfied"
    assert [h.step for h in loop.history(item.id)] == [
        FollowupStep.VERIFIED,
        FollowupStep.RECTIFIED,
        FollowupStep.CALLED_BACK,
        FollowupStep.CALLED_BACK,
        FollowupStep.CLOSED,
    ]


def test_an_anonymous_bad_rating_may_close_after_rectifying(
    queue: QueueService,
    any_hall_db: HallDatabase,
    hall_settings: Settings,
    manual: ManualClock,
    loop: FollowupService,
) -> None:
    _bad(any_hall_db, hall_settings, manual, _served(queue))
    (item,) = loop.items()[1]
    assert not item.real_name
    loop.verify(item.id, "属实", actor="mgr")
    loop.rectify(item.id, "已提醒", actor="mgr")
    assert loop.close(item.id, "办结", actor="mgr").step is FollowupStep.CLOSED


def test_verifying_a_rating_of_a_case_names_its_applicant(
    queue: QueueService,
    any_hall_db: HallDatabase,
    hall_settings: Settings,
    manual: ManualClock,
    loop: FollowupService,
) -> None:
    ticket = queue.issue("A")
    queue.call_next(1, actor="w1")
    CaseService(any_hall_db, hall_settings, manual, HallCalendar()).accept(
        dataclasses.replace(case_draft(), ticket_id=ticket.id), actor="w1"
    )
    queue.finish(1, actor="w1")
    _bad(any_hall_db, hall_settings, manual, ticket.id)
    (item,) = loop.items()[1]
    assert not item.real_name  # the rating alone names nobody
    verified = loop.verify(item.id, "属实", actor="mgr")
    assert verified.real_name and verified.matter_name == "二手房转移登记"
    assert (verified.name_masked, verified.phone_masked) == ("林*燕", "138****8000")
    assert loop.contact(item.id, actor="mgr") == ("林晓燕", "13800138000")
    assert ("mgr", "followup.contact", f"followup:{item.id}") in _audit(any_hall_db)


# ---------------------------------------------------------------------------- steps


def test_steps_go_in_order_and_each_needs_its_words(loop: FollowupService) -> None:
    item = loop.record_complaint(REPORT, actor="w1", window=3)
    with pytest.raises(FollowupError, match="按顺序"):
        loop.rectify(item.id, "先整改", actor="mgr")
    with pytest.raises(FollowupError, match="核实情况"):
        loop.verify(item.id, "   ", actor="mgr")
    loop.verify(item.id, "属实", actor="mgr")
    with pytest.raises(FollowupError, match="按顺序"):
        loop.call_back(item.id, CallbackOutcome.SATISFIED, "先回访", actor="mgr")
    loop.rectify(item.id, "协调不动产中心线上核验", actor="mgr")
    with pytest.raises(FollowupError, match="回访结果"):
        loop.act(item.id, FollowupAction.CALL_BACK, "打过电话", actor="mgr")
    with pytest.raises(FollowupError, match="须先回访"):
        loop.close(item.id, "办结", actor="mgr")  # a report is real-name: phone on record
    loop.call_back(item.id, CallbackOutcome.FAIR, "基本满意", actor="mgr")
    loop.close(item.id, "办结", actor="mgr")
    with pytest.raises(FollowupError, match="已办结"):
        loop.call_back(item.id, CallbackOutcome.SATISFIED, "再访", actor="mgr")
    with pytest.raises(FollowupError):
        loop.verify(9999, "x", actor="mgr")


def test_legal_actions() -> None:
    assert legal_actions(FollowupStep.OPEN, callback_required=True) == (FollowupAction.VERIFY,)
    assert legal_actions(FollowupStep.RECTIFIED, callback_required=False) == (
        FollowupAction.CALL_BACK,
        FollowupAction.CLOSE,
    )
    assert legal_actions(FollowupStep.CLOSED, callback_required=False) == ()


def test_every_step_is_audited_and_synced_in_order(
    any_hall_db: HallDatabase, loop: FollowupService, hall_settings: Settings
) -> None:
    hotline = dataclasses.replace(
        REPORT, source=ComplaintSource.HOTLINE, work_order="gd-20261123-0042", name=""
    )
    item = loop.record_complaint(hotline, actor="w1", window=2)
    assert item.work_order == "GD-20261123-0042" and item.name_masked == ""
    loop.verify(item.id, "属实", actor="mgr")
    loop.rectify(item.id, "已协调", actor="mgr")
    loop.call_back(item.id, CallbackOutcome.SATISFIED, "满意", actor="mgr")
    loop.close(item.id, "办结", actor="mgr")
    target = f"followup:{item.id}"
    assert _audit(any_hall_db) == [
        ("w1", "complaint.recorded", target),
        ("mgr", "followup.verify", target),
        ("mgr", "followup.rectify", target),
        ("mgr", "followup.call_back", target),
        ("mgr", "followup.close", target),
    ]
    rows = _outbox(any_hall_db, target)
    assert [(seq, kind) for seq, kind, _ in rows] == [
        (1, "complaint.recorded"),
        (2, "followup.verified"),
        (3, "followup.rectified"),
        (4, "followup.called_back"),
        (5, "followup.closed"),
    ]
    recorded = rows[0][2]
    assert recorded["channel"] == "hotline" and recorded["work_order"] == "GD-20261123-0042"
    assert recorded["contact_phone"] == "13912345678"  # the centre calls back on 12345's behalf
    assert all(p["source"] == hall_settings.hall.code for _, _, p in rows)
    assert rows[3][2]["outcome"] == "satisfied" and rows[4][2]["late"] is False


# ---------------------------------------------------------------------------- reports


def test_a_report_keeps_the_contact_in_full_and_lists_it_masked(
    any_hall_db: HallDatabase, loop: FollowupService
) -> None:
    item = loop.record_complaint(REPORT, actor="w1", window=3)
    assert (item.name_masked, item.phone_masked) == ("陈*明", "139****5678")
    assert item.real_name and item.kind is FollowupKind.COMPLAINT and item.window == 3
    assert item.matter_code == "350102-FC-001"
    with any_hall_db.read() as s:
        row = s.get(Followup, item.id)
        assert row is not None and row.contact_phone == "13912345678"
    # Nothing personal in the audit trail.
    with any_hall_db.read() as s:
        details = [a.detail for a in s.scalars(select(AuditLog))]
    assert "13912345678" not in repr(details) and "陈小明" not in repr(details)


def test_report_problems_name_their_fields() -> None:
    blank = ComplaintDraft(ComplaintSource.HOTLINE, " ", "", "")
    assert [p.field for p in complaint_problems(blank)] == [
        "work_order",
        "matter",
        "blocked",
        "phone",
    ]
    bad = dataclasses.replace(
        REPORT, source=ComplaintSource.WINDOW, work_order="GD-1234", phone="12345"
    )
    problems = complaint_problems(bad)
    assert [p.field for p in problems] == ["work_order", "phone"]
    assert "12345" in problems[0].message_zh and "11位" in problems[1].message_zh
    with pytest.raises(InvalidComplaint, match="工单号"):
        dataclasses.replace(REPORT, source=ComplaintSource.HOTLINE).checked()
    assert complaint_problems(REPORT) == []
    assert complaint_problems(dataclasses.replace(REPORT, phone="0591-87654321")) == []


def test_mask_phone() -> None:
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("0591-87654321") == "0591-****4321"
    assert mask_phone("12345") == "*****"


# ---------------------------------------------------------------------------- least privilege


def test_each_program_role_can_do_its_part_of_the_loop(
    pg_hall_db: HallDatabase, pg_schema_url: str, hall_settings: Settings, manual: ManualClock
) -> None:
    """The kiosk (append only) opens an item with a bad rating, a counter records a report,
    and the kiosk still cannot read either."""
    import uuid

    from sqlalchemy import make_url, text
    from sqlalchemy.exc import ProgrammingError

    from common.db.engine import make_engine
    from common.db.grants import APP_ROLES, apply_grants, drop_roles
    from common.manager.dashboard import DashboardReader

    QueueService(pg_hall_db, hall_settings, manual).sync_from_settings()
    ticket = _served(QueueService(pg_hall_db, hall_settings, manual))
    at_counter = _served(QueueService(pg_hall_db, hall_settings, manual))
    prefix = f"ow_{uuid.uuid4().hex[:8]}"
    passwords = {app: f"pw-{app}-{prefix}" for app in APP_ROLES}
    names = apply_grants(pg_hall_db.engine, prefix=prefix, passwords=passwords)
    dbs = {
        app: HallDatabase(
            make_engine(
                make_url(pg_schema_url)
                .set(username=names[app], password=passwords[app])
                .render_as_string(hide_password=False)
            )
        )
        for app in ("kiosk", "counter", "manager")
    }
    try:
        _bad(dbs["kiosk"], hall_settings, manual, ticket)
        FollowupService(dbs["counter"], hall_settings, manual).record_complaint(REPORT, actor="w1")
        _bad(dbs["counter"], hall_settings, manual, at_counter)  # the counter's rating view
        _, items = FollowupService(dbs["counter"], hall_settings, manual).items()
        assert sorted(i.kind.value for i in items) == ["complaint", "rating", "rating"]
        manager_queue = QueueService(dbs["manager"], hall_settings, manual)
        assert len(DashboardReader(manager_queue).ratings().bad) == 2
        with pytest.raises(ProgrammingError, match="permission denied"):
            with dbs["kiosk"].read() as s:
                s.execute(text("SELECT * FROM followup")).all()
    finally:
        for db in dbs.values():
            db.dispose()
        drop_roles(pg_hall_db.engine, prefix=prefix)


def test_the_dashboard_says_whether_each_bad_rating_is_followed_up(
    queue: QueueService,
    any_hall_db: HallDatabase,
    hall_settings: Settings,
    manual: ManualClock,
    loop: FollowupService,
) -> None:
    from common.manager.dashboard import DashboardReader

    first = _bad(any_hall_db, hall_settings, manual, _served(queue))
    second = _bad(any_hall_db, hall_settings, manual, _served(queue))
    (item, _) = sorted(loop.items()[1], key=lambda i: i.opened_at)
    loop.verify(item.id, "属实", actor="mgr")
    bad = DashboardReader(queue).ratings().bad
    assert [(b.id, b.followup, b.followup_overdue) for b in bad] == [
        (first, "verified", False),
        (second, "open", False),
    ]
