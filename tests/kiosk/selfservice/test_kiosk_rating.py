"""评价 from the kiosk without a screen: today's finished tickets by number or by card, one rating
per service whichever device takes it first (the counter's rules, common.intake.rating)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from common.clock import ManualClock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import OutboxRow, Rating
from common.intake.rating import (
    AlreadyRated,
    InvalidRating,
    RatingDraft,
    RatingLevel,
    RatingService,
)
from common.queue.service import Holder, QueueService
from common.selfservice.rating import KioskRatings, NothingToRate
from tests.conftest import MONDAY_9AM

HOLDER = Holder("350102198805141236", "李晓明")
OTHER = Holder("110102194803020024", "王秀英")


@pytest.fixture
def hall(
    any_hall_db: HallDatabase, settings: Settings
) -> tuple[QueueService, KioskRatings, RatingService]:
    clock = ManualClock(MONDAY_9AM)
    queue = QueueService(any_hall_db, settings, clock)
    queue.sync_from_settings()
    return (
        queue,
        KioskRatings(any_hall_db, settings, clock),
        RatingService(any_hall_db, settings, clock),
    )


def served(queue: QueueService, holder: Holder | None = None) -> str:
    number = queue.issue("A", holder=holder, source="kiosk").number
    assert queue.call_next(1) is not None
    queue.finish(1)
    return number


def test_a_finished_ticket_is_rated_once_by_number_or_by_card(
    hall, any_hall_db: HallDatabase
) -> None:  # type: ignore[no-untyped-def]
    queue, kiosk, _ = hall
    day = MONDAY_9AM.date()
    mine = served(queue, HOLDER)
    theirs = served(queue, OTHER)
    waiting = queue.issue("A", source="kiosk").number
    with pytest.raises(NothingToRate):
        kiosk.by_ticket(waiting, day)  # not served yet
    assert [s.number for s in kiosk.of_holder(HOLDER.id_number, day)] == [mine]
    service = kiosk.by_ticket(mine.lower(), day)
    assert service.window == 1 and service.service_name
    view = kiosk.rate(service, RatingLevel.VERY_SATISFIED)
    assert view.service_key == f"ticket:{service.ticket_id}"
    with pytest.raises(NothingToRate):
        kiosk.by_ticket(mine, day)  # rated: not offered again
    assert kiosk.of_holder(HOLDER.id_number, day) == []
    with pytest.raises(AlreadyRated):
        kiosk.rate(service, RatingLevel.SATISFIED)  # a second try with the old offer
    with any_hall_db.read() as s:
        rows = s.scalars(select(Rating)).all()
        assert [(r.channel, r.level) for r in rows] == [("kiosk", 5)]
        assert s.scalars(select(OutboxRow).where(OutboxRow.event_type == "rating.created")).one()
    assert kiosk.by_ticket(theirs, day).number == theirs


def test_the_counter_rated_first_so_the_kiosk_is_refused(hall) -> None:  # type: ignore[no-untyped-def]
    queue, kiosk, counter = hall
    day = MONDAY_9AM.date()
    number = served(queue)
    offered = kiosk.by_ticket(number, day)
    counter.rate(
        RatingDraft(
            level=RatingLevel.SATISFIED, ticket_id=offered.ticket_id, channel="counter", window=1
        )
    )
    with pytest.raises(AlreadyRated):
        kiosk.rate(offered, RatingLevel.VERY_DISSATISFIED, ("waiting",))


def test_bad_rating_needs_a_reason_as_at_the_counter(hall) -> None:  # type: ignore[no-untyped-def]
    queue, kiosk, _ = hall
    offered = kiosk.by_ticket(served(queue), MONDAY_9AM.date())
    with pytest.raises(InvalidRating):
        kiosk.rate(offered, RatingLevel.DISSATISFIED)
    assert kiosk.rate(offered, RatingLevel.DISSATISFIED, ("waiting", "slow")).reasons == (
        "waiting",
        "slow",
    )


@pytest.mark.parametrize("typed", ["", "A", "1", "AA01", "A00001", "' or 1=1"])
def test_nonsense_numbers_find_nothing(hall, typed: str) -> None:  # type: ignore[no-untyped-def]
    _, kiosk, _ = hall
    with pytest.raises(NothingToRate):
        kiosk.by_ticket(typed, MONDAY_9AM.date())


def test_the_kiosk_role_rates_but_reads_no_rating(
    pg_hall_db: HallDatabase,
    pg_schema_url: str,  # type: ignore[no-untyped-def]
    settings: Settings,
) -> None:
    import uuid

    from sqlalchemy import make_url, text
    from sqlalchemy.exc import ProgrammingError

    from common.db.engine import make_engine
    from common.db.grants import APP_ROLES, apply_grants, drop_roles

    clock = ManualClock(MONDAY_9AM)
    owner_queue = QueueService(pg_hall_db, settings, clock)
    owner_queue.sync_from_settings()
    number = served(owner_queue)
    prefix = f"ow_{uuid.uuid4().hex[:8]}"
    passwords = {app: f"pw-{app}-{prefix}" for app in APP_ROLES}
    names = apply_grants(pg_hall_db.engine, prefix=prefix, passwords=passwords)
    url = make_url(pg_schema_url).set(username=names["kiosk"], password=passwords["kiosk"])
    kiosk_db = HallDatabase(make_engine(url.render_as_string(hide_password=False)))
    try:
        kiosk = KioskRatings(kiosk_db, settings, clock)
        offered = kiosk.by_ticket(number, MONDAY_9AM.date())
        kiosk.rate(offered, RatingLevel.DISSATISFIED, ("waiting",))
        with pytest.raises(AlreadyRated):
            kiosk.rate(offered, RatingLevel.SATISFIED)
        for sql in (
            "SELECT comment FROM rating",
            "SELECT level FROM rating",
            "SELECT payload FROM outbox",
        ):
            with pytest.raises(ProgrammingError, match="permission denied"), kiosk_db.read() as s:
                s.execute(text(sql)).all()
    finally:
        kiosk_db.dispose()
        drop_roles(pg_hall_db.engine, prefix=prefix)
    with pg_hall_db.read() as s:
        assert s.execute(text("SELECT channel, level FROM rating")).all() == [("kiosk", 2)]
