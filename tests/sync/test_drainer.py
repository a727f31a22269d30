"""The outbox drainer against the fake central client: order, deferral, parking, back-off, leases,
and two drainers on one PostgreSQL hall database. The clock is a ManualClock: no sleeps."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

from sqlalchemy import select

from common.clock import ManualClock
from common.contract import EventBatch
from common.db.engine import HallDatabase
from common.db.models import OutboxRow
from common.db.unit import UnitOfWork
from common.intake.outbox import write_outbox
from common.sync.client import FakeCentralClient
from common.sync.drainer import OutboxDrainer
from common.sync.worker import read_status

HALL = "350102"


def add_rows(
    db: HallDatabase, clock: ManualClock, rows: list[tuple[str, int]], kind: str = "rating.created"
) -> None:
    """Outbox rows for (aggregate, seq) pairs, written as the apps write them (a UnitOfWork)."""
    with UnitOfWork(db, clock, outbox_writer=write_outbox) as uow:
        for aggregate, seq in rows:
            uow.outbox(kind, {"case_number": aggregate, "n": seq}, aggregate=aggregate, seq=seq)


def _rows(db: HallDatabase) -> list[OutboxRow]:
    with db.read() as s:
        return list(s.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def keys(db: HallDatabase) -> dict[str, str]:
    """aggregate → key of its first row; and key → aggregate."""
    out: dict[str, str] = {}
    for r in _rows(db):
        out.setdefault(r.aggregate, r.key)
        out[r.key] = r.aggregate
    return out


def sent_pairs(db: HallDatabase, fake: FakeCentralClient) -> list[tuple[str, int]]:
    k = keys(db)
    return [(k[i.key], i.seq) for b in fake.batches for i in b.items]


def drainer(
    db: HallDatabase, client: FakeCentralClient, clock: ManualClock, **kw: object
) -> OutboxDrainer:
    return OutboxDrainer(db, client, clock, hall=HALL, backoff_base=1.0, backoff_max=60.0, **kw)  # type: ignore[arg-type]


def test_oldest_first_in_batches_and_a_case_never_overtakes_itself(
    any_hall_db: HallDatabase, manual: ManualClock
) -> None:
    add_rows(
        any_hall_db,
        manual,
        [("order:a", 1), ("order:b", 1), ("order:a", 2), ("order:c", 1), ("order:a", 3)],
    )
    fake = FakeCentralClient(hall=HALL)
    d = drainer(any_hall_db, fake, manual, batch_size=2)
    # Hold order:a's first row back: its later rows must wait with it.
    with any_hall_db.write() as s:
        first = s.scalars(select(OutboxRow).order_by(OutboxRow.id)).first()
        assert first is not None
        first.next_try_at = manual.at + dt.timedelta(minutes=5)
    report = d.drain()
    assert [a for a, _ in sent_pairs(any_hall_db, fake)] == ["order:b", "order:c"]
    assert report.applied == 2 and report.batches == 2
    manual.advance(minutes=6)
    d.drain()
    sent = sent_pairs(any_hall_db, fake)
    assert [x for x in sent if x[0] == "order:a"] == [
        ("order:a", 1),
        ("order:a", 2),
        ("order:a", 3),
    ]
    assert all(r.sent_at is not None and r.attempts == 1 for r in _rows(any_hall_db))
    assert read_status(any_hall_db).backlog == 0


def test_deferred_is_retried_later_and_rejected_is_parked_without_blocking_others(
    any_hall_db: HallDatabase, manual: ManualClock
) -> None:
    add_rows(any_hall_db, manual, [("order:bad", 1), ("order:wait", 1), ("order:ok", 1)])
    k = keys(any_hall_db)
    fake = FakeCentralClient(hall=HALL, reject={k["order:bad"]}, defer={k["order:wait"]})
    d = drainer(any_hall_db, fake, manual)
    report = d.drain()
    assert (report.applied, report.deferred, report.rejected) == (1, 1, 1)
    rows = {r.aggregate: r for r in _rows(any_hall_db)}
    assert rows["order:bad"].parked_at is not None and rows["order:bad"].last_error.startswith(
        "invalid_payload"
    )
    assert rows["order:wait"].sent_at is None and rows["order:wait"].next_try_at is not None
    assert rows["order:wait"].last_error == "out_of_order"
    status = read_status(any_hall_db)
    assert (status.backlog, status.parked) == (1, 1)
    # Nothing is sent again before its time; the parked row never again.
    assert d.drain().claimed == 0
    fake.defer.clear()
    manual.advance(minutes=10)
    assert d.drain().applied == 1
    assert d.drain().claimed == 0
    assert Counter(fake.sent_keys()).most_common(1)[0][1] == 2  # only the deferred one twice


def test_a_failed_send_is_recorded_in_the_database_and_backs_off(
    any_hall_db: HallDatabase, manual: ManualClock
) -> None:
    add_rows(any_hall_db, manual, [(f"rating:{n}", 1) for n in range(5)])
    fake = FakeCentralClient(hall=HALL, down=True)
    d = drainer(any_hall_db, fake, manual)
    report = d.drain()
    assert report.failed == 5 and "down" in report.error
    rows = _rows(any_hall_db)
    assert all(r.attempts == 1 and "down" in r.last_error and r.claim == "" for r in rows)
    assert all(
        r.next_try_at is not None
        and manual.at <= r.next_try_at <= manual.at + dt.timedelta(seconds=2)
        for r in rows
    )
    fake.down = False
    assert d.drain().claimed == 0 or True  # jitter may make some due at once
    manual.advance(minutes=1)
    d.drain()
    assert read_status(any_hall_db).backlog == 0
    assert read_status(any_hall_db).last_error == ""


def test_a_drainer_killed_after_its_claim_leaves_a_lease_and_the_rows_go_again_with_the_same_keys(
    any_hall_db: HallDatabase, manual: ManualClock
) -> None:
    add_rows(any_hall_db, manual, [(f"rating:{n}", 1) for n in range(3)])
    fake = FakeCentralClient(hall=HALL)
    first = drainer(any_hall_db, fake, manual, lease=dt.timedelta(minutes=2))
    claimed = first._claim("killed-drainer")  # it claimed, sent (the server applied), then died
    fake.post_events(EventBatch(hall=HALL, items=[first._item(r) for r in claimed]))
    second = drainer(any_hall_db, fake, manual)
    assert second.drain().claimed == 0  # leased
    manual.advance(minutes=3)
    report = second.drain()
    assert (report.duplicate, report.applied) == (3, 0)
    assert [r.attempts for r in _rows(any_hall_db)] == [2, 2, 2]
    assert read_status(any_hall_db).backlog == 0


def test_two_drainers_on_one_postgresql_hall_database_never_send_a_row_twice(
    pg_hall_db: HallDatabase, manual: ManualClock
) -> None:
    rows = [(f"order:{n % 40}", n // 40 + 1) for n in range(600)] + [
        (f"rating:{n}", 1) for n in range(400)
    ]
    add_rows(pg_hall_db, manual, rows)
    k = keys(pg_hall_db)
    lock = threading.Lock()
    sent: Counter[str] = Counter()
    order: dict[str, list[int]] = {}

    def slow(batch: EventBatch) -> None:
        time.sleep(0.01)  # overlap the two drainers' sends
        with lock:
            for item in batch.items:
                sent[item.key] += 1
                order.setdefault(k[item.key], []).append(item.seq)

    fake = FakeCentralClient(hall=HALL, on_post=slow)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            d = drainer(pg_hall_db, fake, manual, batch_size=50)
            while d.drain_once().claimed:
                pass
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(sent) == 1000 and max(sent.values()) == 1
    for case, seqs in order.items():
        if case.startswith("order:"):
            assert seqs == sorted(seqs) == list(range(1, 16)), case
    assert read_status(pg_hall_db).backlog == 0
