"""Ratings (好差评): the rules without a screen, the citizen's view, and the counter window that
asks for one after a finished ticket and links the ticket it serves to the case it accepts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from common.catalog.model import Catalog
from common.db.models import Case, OutboxRow, Priority, Rating, Role
from common.intake.rating import (
    AlreadyRated,
    Dimension,
    InvalidRating,
    RatingDraft,
    RatingLevel,
    RatingService,
    outbox_backlog,
)
from common.intake.words import MaterialMark
from common.qt.worker import TaskRunner
from common.queue.service import Holder, QueueService
from common.staff import StaffView
from counter.intake.rating_view import RatingView
from counter.session import Action, CounterSession
from tests.counter.intake.conftest import Desk, MakeDesk


def test_bad_rating_needs_a_reason(make_desk: MakeDesk) -> None:
    ratings: RatingService = make_desk().ratings
    with pytest.raises(InvalidRating):
        ratings.rate(RatingDraft(RatingLevel.VERY_DISSATISFIED, ticket_id=None, case_number="X"))
    with pytest.raises(InvalidRating) as err:
        RatingDraft(RatingLevel.DISSATISFIED, case_number="X", reasons=("other",)).checked(
            dimensions_asked=False
        )
    assert "其他" in err.value.message_zh
    ok = RatingDraft(RatingLevel.DISSATISFIED, case_number="X", reasons=("waiting",), callback=True)
    assert ok.checked(dimensions_asked=False).callback
    # A good rating keeps no reasons and no call back; dimensions only where the hall asks.
    good = RatingDraft(
        RatingLevel.SATISFIED,
        case_number="X",
        reasons=("waiting",),
        callback=True,
        dimensions={Dimension.ATTITUDE: RatingLevel.SATISFIED},
    ).checked(dimensions_asked=False)
    assert good.reasons == () and not good.callback and good.dimensions == {}


def test_one_rating_per_service_with_its_outbox_row(make_desk: MakeDesk) -> None:
    desk: Desk = make_desk()
    before = outbox_backlog(desk.cases.db)
    view = desk.ratings.rate(
        RatingDraft(
            RatingLevel.VERY_DISSATISFIED,
            case_number="H-1",
            reasons=("attitude",),
            comment="态度不好",
            callback=True,
            window=1,
        ),
        staff="w1",
    )
    with pytest.raises(AlreadyRated):
        desk.ratings.rate(RatingDraft(RatingLevel.VERY_SATISFIED, case_number="H-1"))
    with desk.cases.db.read() as s:
        rows = s.scalars(select(Rating)).all()
        outbox = s.scalars(select(OutboxRow).where(OutboxRow.event_type == "rating.created")).all()
    assert [(r.level, r.reasons, r.callback) for r in rows] == [(1, ["attitude"], True)]
    assert [(o.aggregate, o.seq) for o in outbox] == [(f"rating:{view.id}", 1)]
    assert outbox[0].payload["reasons"] == ["attitude"] and outbox[0].payload["level"] == 1
    # The rating and, a 差评 being followed up, its follow-up's opening (followup.opened).
    assert outbox_backlog(desk.cases.db) == before + 2


def test_rating_view_bad_rating_with_reason(qtbot: QtBot, make_desk: MakeDesk) -> None:
    desk: Desk = make_desk()
    view = desk.widget.ask_rating(case_number="H-2")
    assert view is not None
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.level_buttons[RatingLevel.DISSATISFIED], Qt.MouseButton.LeftButton)
    assert view.pages.currentIndex() == 1  # asks why
    qtbot.mouseClick(view.submit, Qt.MouseButton.LeftButton)
    assert "原因" in view.note.text()  # no reason yet: not saved
    view.reason_boxes["waiting"].setChecked(True)
    view.callback.setChecked(True)
    view.comment.setText("等了四十分钟")
    # The staff cannot leave the citizen's page.
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    view.close()
    assert view.isVisible()
    with qtbot.waitSignal(view.finished, timeout=5000) as finished:
        qtbot.mouseClick(view.submit, Qt.MouseButton.LeftButton)
    assert finished.args == ["rated"]
    with desk.cases.db.read() as s:
        row = s.scalars(select(Rating)).one()
    assert (row.service_key, row.level, row.reasons, row.comment, row.callback) == (
        "handover:H-2",
        2,
        ["waiting"],
        "等了四十分钟",
        True,
    )


def test_rating_dimensions_where_the_hall_asks(qtbot: QtBot, make_desk: MakeDesk) -> None:
    desk: Desk = make_desk(dimensions=True)
    view = desk.widget.ask_rating(ticket_id=None, case_number="H-3")
    assert view is not None
    qtbot.addWidget(view)
    qtbot.mouseClick(view.level_buttons[RatingLevel.SATISFIED], Qt.MouseButton.LeftButton)
    assert view.pages.currentIndex() == 2
    qtbot.mouseClick(
        view.dimension_buttons[(Dimension.ATTITUDE, RatingLevel.VERY_SATISFIED)],
        Qt.MouseButton.LeftButton,
    )
    with qtbot.waitSignal(view.finished, timeout=5000):
        qtbot.mouseClick(view.submit, Qt.MouseButton.LeftButton)
    with desk.cases.db.read() as s:
        assert s.scalars(select(Rating.dimensions)).one() == {"attitude": 5}


def test_rating_view_times_out(qtbot: QtBot) -> None:
    saved: list[RatingDraft] = []
    view = RatingView(saved.append, TaskRunner(inline=True), ticket_id=7, timeout_s=1)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.finished, timeout=4000) as finished:
        pass
    assert finished.args == ["timeout"] and saved == []


def test_finish_asks_for_a_rating_and_the_case_links_the_ticket(
    qtbot: QtBot, hall: QueueService, make_desk: MakeDesk, catalog: Catalog
) -> None:
    from counter.main_window import CounterWindow

    desk: Desk = make_desk()  # for its services
    services = desk.widget.services
    hall.issue("A", holder=Holder("11010519491231002X", "张三丰"), priority=Priority.NORMAL)
    staff = StaffView(id=1, username="w1", display_name="李晓梅", role=Role.WINDOW)
    window = CounterWindow(hall, CounterSession(staff, 1), TaskRunner(inline=True), intake=services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.start()
    window.call_panel.flow.press(Action.CALL_NEXT)
    ticket = window.call_panel.flow.state.current
    assert ticket is not None
    intake = window.intake_desk
    assert intake is not None and intake.flow.state.ticket_id == ticket.id
    intake.flow.set_field("name", "张三丰")
    intake.flow.set_field("number", "11010519491231002X")
    code = next(m.code for m in catalog.matters.values() if m.name == "二手房转移登记")
    intake.flow.pick("matter", code)
    intake.flow.mark_rest(MaterialMark.RECEIVED)
    intake.flow.accept()
    saved = intake.flow.state.saved
    assert saved is not None and saved.ticket_number == ticket.number
    with desk.cases.db.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(Case).where(Case.ticket_id == ticket.id)) == 1
        )
    window.call_panel.flow.press(Action.FINISH)
    rating = intake.rating
    assert rating is not None and rating.ticket_id == ticket.id
    with qtbot.waitSignal(rating.finished, timeout=5000):
        qtbot.mouseClick(
            rating.level_buttons[RatingLevel.VERY_SATISFIED], Qt.MouseButton.LeftButton
        )
    with desk.cases.db.read() as s:
        assert s.scalars(select(Rating.service_key)).all() == [f"ticket:{ticket.id}"]
    # No central server in this hall: the central-sync slot still counts what waits (case + rating).
    qtbot.waitUntil(lambda: "2 waiting" in window.status.central.text(), timeout=3000)
