"""A follow-up's outbox rows reach the real central server (uvicorn, HTTPS on loopback) and are
kept there as records: a bad rating's opening, a 办不成事 report and each step."""

from __future__ import annotations

from sqlalchemy import select

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.intake.rating import RatingDraft, RatingLevel, RatingService
from common.manager.followup import (
    CallbackOutcome,
    ComplaintDraft,
    ComplaintSource,
    FollowupService,
)
from common.queue.service import QueueService
from common.sync.client import client_from_settings
from common.sync.worker import SyncWorker, read_status
from tests.conftest import MONDAY_9AM
from tests.sync.conftest import HALL, LiveServer, hall_settings, server_sqlite, tls

__all__ = ["server_sqlite", "tls"]  # the sync suite's fixtures, used here


def test_follow_up_rows_reach_the_server_and_are_stored_as_records(
    server_sqlite: LiveServer, hall_db: HallDatabase
) -> None:
    from server.db.models import HallRecord

    clock = ManualClock(MONDAY_9AM)
    settings = hall_settings(server_sqlite)
    queue = QueueService(hall_db, settings, clock)
    queue.sync_from_settings()
    ticket = queue.issue("A")
    queue.call_next(1, actor="w1")
    queue.finish(1, actor="w1")
    RatingService(hall_db, settings, clock).rate(
        RatingDraft(RatingLevel.DISSATISFIED, ticket_id=ticket.id, window=1, reasons=("slow",))
    )
    loop = FollowupService(hall_db, settings, clock)
    report = loop.record_complaint(
        ComplaintDraft(
            ComplaintSource.HOTLINE,
            "企业开办",
            "营业执照和刻章要跑两个窗口",
            "13912345678",
            work_order="GD-2026-0001",
        ),
        actor="w2",
        window=2,
    )
    loop.verify(report.id, "属实", actor="mgr")
    loop.rectify(report.id, "刻章并入综合窗口", actor="mgr")
    loop.call_back(report.id, CallbackOutcome.SATISFIED, "满意", actor="mgr")
    loop.close(report.id, "办结", actor="mgr")

    worker = SyncWorker(hall_db, client_from_settings(settings.central), settings, clock)
    try:
        drained = worker.run_round().drained
        assert (drained.applied, drained.rejected) == (7, 0)
    finally:
        worker.stop()
    assert read_status(hall_db).backlog == 0
    with server_sqlite.sessions().begin() as s:
        records = s.execute(
            select(HallRecord.type, HallRecord.payload)
            .where(HallRecord.hall == HALL)
            .order_by(HallRecord.id)
        ).all()
    types = [t for t, _ in records]
    assert sorted(types) == sorted(
        [
            "rating.created",
            "followup.opened",
            "complaint.recorded",
            "followup.verified",
            "followup.rectified",
            "followup.called_back",
            "followup.closed",
        ]
    )
    by_type = {t: p for t, p in records}
    assert by_type["complaint.recorded"]["work_order"] == "GD-2026-0001"
    assert by_type["followup.closed"]["followup_id"] == report.id
    assert by_type["followup.opened"]["rating_id"] is not None
