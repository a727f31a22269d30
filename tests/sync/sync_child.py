"""A sync client in its own process, for the SIGKILL tests: rounds of drain + follow against the
given server until the outbox is empty and the feed has nothing more, then exit 0.

``--fresh-keys`` swaps in a client that sends every retry with NEW idempotency keys (the bug the
fault test must catch).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
import uuid

import requests

from common.clock import DatabaseClock
from common.config import settings_from_dict
from common.contract import BatchResult, EventBatch, ItemResult
from common.db.engine import HallDatabase, make_engine
from common.sync.client import CentralUnavailable, HttpCentralClient, client_from_settings
from common.sync.worker import SyncWorker, read_status


class FreshKeyClient(HttpCentralClient):
    """BROKEN on purpose: a new idempotency key for every try of a batch."""

    def post_events(self, batch: EventBatch) -> BatchResult:
        for _ in range(self.retries):
            keys = {str(uuid.uuid4()): item.key for item in batch.items}
            rekeyed = EventBatch(
                hall=batch.hall,
                items=[
                    item.model_copy(update={"key": new})
                    for new, item in zip(keys, batch.items, strict=True)
                ],
            )
            try:
                r = self.session.post(
                    self.base + "/events",
                    data=rekeyed.model_dump_json(),
                    headers={"Content-Type": "application/json"},
                    timeout=self.timeout,
                )
            except requests.RequestException:
                continue
            if r.status_code != 200:
                continue
            result = BatchResult.model_validate(r.json())
            return BatchResult(
                results=[
                    ItemResult(key=keys[x.key], status=x.status, reason=x.reason)
                    for x in result.results
                ]
            )
        raise CentralUnavailable("fresh-key client gave up")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--hall-db", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--hall-code", default="350102")
    p.add_argument("--fresh-keys", action="store_true")
    p.add_argument("--max-rounds", type=int, default=400)
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = settings_from_dict(
        {
            "hall": {"secret": "test-secret-not-for-production", "code": args.hall_code},
            "central": {
                "url": args.url,
                "token": args.token,
                "ca_bundle": args.ca,
                "timeout": 1.0,
                "connect_timeout": 1.0,
                "retries": 2,
                "backoff_base": 0.05,
                "backoff_max": 0.3,
                "batch_size": args.batch,
            },
        }
    )
    db = HallDatabase(make_engine(args.hall_db), checkpoint_interval=None)
    if args.fresh_keys:
        c = settings.central
        client: HttpCentralClient = FreshKeyClient(
            c.url, c.token, verify=c.ca_bundle, connect_timeout=1.0, read_timeout=1.0, retries=2
        )
    else:
        client = client_from_settings(settings.central)
    worker = SyncWorker(db, client, settings, DatabaseClock())
    # Rows of a killed predecessor are leased for this long: short, so the test moves on.
    worker.drainer.lease = dt.timedelta(seconds=4)
    worker.drainer.backoff_max = 1.0
    try:
        for _ in range(args.max_rounds):
            report = worker.run_round()
            done = not report.error and report.followed.pages <= 1 and report.followed.applied == 0
            if done and read_status(db).backlog == 0:
                return 0
            if report.drained.claimed == 0 or report.error:
                time.sleep(0.2)  # rows leased by a killed predecessor, backing off, or no server
        return 3
    finally:
        worker.stop()
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
