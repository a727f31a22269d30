"""Two drainers at once on PostgreSQL: the same keys posted concurrently are applied once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from server.db.models import ReceivedEvent, ServerCase, ServerCaseEvent
from tests.server.conftest import Server, accept_event, step_event

pytestmark = pytest.mark.postgres


def test_the_same_batch_posted_by_four_threads_at_once_is_applied_once(pg_server: Server) -> None:
    server = pg_server
    items = []
    for n in range(30):
        number = f"C-{n}"
        items += [
            accept_event(number),
            step_event(number, 2, "start_review"),
            step_event(number, 3, "approve"),
        ]
    server.token()  # made before the threads
    answers: list[list[str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def drainer() -> None:
        try:
            start.wait()
            for _ in range(3):  # each drainer retries until every item is settled
                r = server.post_events(items)
                if r.status_code == 503:
                    continue
                assert r.status_code == 200, r.text
                statuses = [x["status"] for x in r.json()["results"]]
                answers.append(statuses)
                if "deferred" not in statuses:
                    break
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=drainer, name=f"drainer-{i}") for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    with server.sessions() as s:
        assert s.execute(select(func.count()).select_from(ServerCase)).scalar_one() == 30
        assert s.execute(select(func.count()).select_from(ServerCaseEvent)).scalar_one() == 90
        assert s.execute(select(func.count()).select_from(ReceivedEvent)).scalar_one() == 90
        assert set(s.scalars(select(ServerCase.state)).all()) == {"approved"}
    # Across all answers each item was "applied" exactly once.
    applied = [sum(1 for a in answers if a[i] == "applied") for i in range(len(items))]
    assert applied == [1] * len(items)
