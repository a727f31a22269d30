"""The sync worker: drain the outbox, follow the change feed, report status — on a thread of its
own inside the counter app, or in the foreground for ``onewindow sync``.

Qt-free: status goes to a plain listener (``on_status``); ``common.qt.bridge`` re-emits it as a
signal on the GUI thread (STYLE.md habit 3). The thread has its own sessions (each unit of work
opens one), every network call has a time-out, and :meth:`SyncWorker.stop` wakes and joins it,
so the counter stops it on ``aboutToQuit`` and tests leave no thread behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from common.clock import Clock
from common.config import Settings
from common.db.engine import DatabaseUnavailable, HallDatabase
from common.db.models import OutboxRow, SyncCursor
from common.intake.cases import CaseService
from common.sync.client import CentralClient, backoff_delay
from common.sync.drainer import DrainReport, OutboxDrainer
from common.sync.feed import FeedFollower, FollowReport

__all__ = ["RoundReport", "SyncStatus", "SyncWorker", "read_status"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    """What the counter's status bar and the manager's alert strip show about the sync.

    ``backlog``: outbox rows not yet accepted by the server; ``oldest_unsent_at``: when the oldest
    of them was written; ``parked``: rows the server refused for good (the manager must look);
    ``last_success_at``: the last exchange that worked; ``last_error``: the last failure's text.
    """

    backlog: int
    oldest_unsent_at: dt.datetime | None
    parked: int
    last_success_at: dt.datetime | None
    last_error: str
    configured: bool = True
    running: bool = False

    def oldest_age(self, now: dt.datetime) -> dt.timedelta | None:
        return (
            None
            if self.oldest_unsent_at is None
            else max(dt.timedelta(0), now - self.oldest_unsent_at)
        )

    def overdue(self, now: dt.datetime, threshold: dt.timedelta) -> bool:
        """The oldest unsent row is older than the hall's alert threshold."""
        age = self.oldest_age(now)
        return age is not None and age > threshold


def read_status(db: HallDatabase, *, configured: bool = True, running: bool = False) -> SyncStatus:
    """One read of the sync's state from the hall database (cheap: indexed counts)."""
    with db.read() as s:
        backlog, oldest = s.execute(
            select(func.count(), func.min(OutboxRow.created_at)).where(
                OutboxRow.sent_at.is_(None), OutboxRow.parked_at.is_(None)
            )
        ).one()
        parked = s.scalar(select(func.count()).where(OutboxRow.parked_at.is_not(None))) or 0
        rows = s.execute(
            select(SyncCursor.last_success_at, SyncCursor.last_error, SyncCursor.last_error_at)
        ).all()
    successes = [r.last_success_at for r in rows if r.last_success_at is not None]
    errors = sorted(
        (r.last_error_at, r.last_error)
        for r in rows
        if r.last_error and r.last_error_at is not None
    )
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)  # min() over the column bypasses the type on SQLite
    return SyncStatus(
        backlog=int(backlog or 0),
        oldest_unsent_at=oldest,
        parked=int(parked),
        last_success_at=max(successes) if successes else None,
        last_error=errors[-1][1] if errors else "",
        configured=configured,
        running=running,
    )


@dataclass
class RoundReport:
    """One round: the outbox drained as far as it would go, then the feed followed."""

    drained: DrainReport
    followed: FollowReport

    @property
    def error(self) -> str:
        return self.drained.error or self.followed.error


class SyncWorker:
    """Runs rounds until stopped; after a failed round it backs off (bounded, with jitter)."""

    def __init__(
        self,
        db: HallDatabase,
        client: CentralClient,
        settings: Settings,
        clock: Clock,
        *,
        cases: CaseService | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        central = settings.central
        self.db = db
        self.client = client
        self.settings = settings
        self.on_status = on_status
        self.rng = rng or random.Random()
        self.interval = central.interval
        self.backoff_base = central.backoff_base
        self.backoff_max = central.backoff_max
        # The lease outlasts one POST with all its retries and back-off sleeps.
        lease = (
            central.retries
            * (central.connect_timeout + central.timeout + min(central.backoff_max, 30.0))
            + 30
        )
        self.drainer = OutboxDrainer(
            db,
            client,
            clock,
            hall=settings.hall.code,
            batch_size=central.batch_size,
            lease=dt.timedelta(seconds=lease),
            backoff_base=central.backoff_base,
            backoff_max=central.backoff_max,
            rng=self.rng,
        )
        self.follower = FeedFollower(
            db,
            client,
            cases or CaseService(db, settings, clock),
            clock,
            page_size=central.batch_size,
        )
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0

    # ------------------------------------------------------------------ one round

    def run_round(self) -> RoundReport:
        """Drain until nothing is ready, then follow the feed to its end; publish the status."""
        drained = DrainReport()
        followed = FollowReport()
        try:
            drained = self.drainer.drain()
            followed = self.follower.follow()
        except DatabaseUnavailable as exc:
            # The hall database is away (a PostgreSQL restart): the next round tries again.
            drained.error = drained.error or f"hall database: {exc}"
        report = RoundReport(drained, followed)
        self.failures = self.failures + 1 if report.error else 0
        self.publish()
        return report

    def status(self) -> SyncStatus:
        return read_status(self.db, running=self.running)

    def publish(self) -> None:
        if self.on_status is None:
            return
        try:
            self.on_status(self.status())
        except DatabaseUnavailable:
            pass

    # ------------------------------------------------------------------ the thread

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def next_delay(self) -> float:
        if not self.failures:
            return self.interval
        return max(
            self.interval,
            backoff_delay(self.failures, self.backoff_base, self.backoff_max, self.rng),
        )

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="onewindow-sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Start the next round now (a case was just accepted)."""
        self._wake.set()

    def request_stop(self) -> None:
        """Ask the loop to end after the current call (safe from a signal handler)."""
        self._stop.set()
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the current call (each call has a time-out) and join the thread."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("the sync worker did not stop within %.0f s", timeout)
            else:
                self._thread = None
        self.client.close()

    def run_forever(self) -> None:
        """The foreground loop of ``onewindow sync`` (stopped by :meth:`stop` or Ctrl+C)."""
        self._run()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = self.run_round()
                if report.error:
                    log.info("sync round: %s", report.error)
            except Exception:  # never let the thread die silently: log, back off, go on
                log.exception("sync round failed")
                self.failures += 1
            self._wake.wait(self.next_delay())
            self._wake.clear()
