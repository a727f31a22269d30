"""The print queue: one worker thread per printer that never loses or duplicates a job.

Rules, in the order they matter:

* A job leaves the queue only after :meth:`TicketPrinter.send` returned, i.e. the connection
  accepted every byte. Offline, paper out, an unreachable printer or a failed send keep the job
  at the head; the worker waits ``retry_interval`` (or until :meth:`PrintQueue.retry_now`) and
  tries again. Jobs print in submission order; a stuck head holds back the rest, because a
  hall prints tickets in number order.
* Job ids make submission idempotent: a second ``submit`` of the same id is ignored, whether
  the first is still pending or already printed.
* With a ``spool_dir`` every pending job is also a file, written before ``submit`` returns and
  removed after printing, so a crash or power cut does not lose it; the next start prints it.
  Across a crash the guarantee is at-least-once (a job printed just before the crash, whose
  file was not yet removed, prints again) — a duplicate ticket is better than a lost one.
* Status changes and job events go to plain-Python listeners. They are called on the thread
  that caused them (mostly the worker): a Qt adapter must re-emit them as signals
  (``common/qt``) and never touch widgets from the callback.

Tests can skip the thread entirely and drive :meth:`PrintQueue.process_once` (STYLE.md 8).
"""

from __future__ import annotations

import collections
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from common.devices.printer.connections import TicketPrinter
from common.devices.printer.jobs import PrintJob
from common.devices.printer.status import PrinterError, PrinterState, PrinterStatus

__all__ = ["PrintEvent", "PrintEventKind", "PrintQueue", "PrintQueueListener"]

log = logging.getLogger(__name__)


class PrintEventKind(StrEnum):
    """What happened; ``STATUS`` is a change of the printer's state without a job."""

    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    WAITING = "waiting"  # the head job waits for the printer (offline, paper out …)
    FAILED = "failed"  # a send failed; the job stays queued and will be retried
    STATUS = "status"


@dataclass(frozen=True)
class PrintEvent:
    """One queue event for screens and the hall manager.

    Plain data, safe to pass across threads.
    """

    kind: PrintEventKind
    printer: str
    status: PrinterStatus
    pending: int
    job_id: str | None = None
    title: str = ""
    message: str = ""


PrintQueueListener = Callable[[PrintEvent], None]


class PrintQueue:
    """A FIFO of :class:`PrintJob` s for one :class:`TicketPrinter`, with retry and a spool folder.

    Use ``start()`` / ``stop()`` (or ``with PrintQueue(...) as q:``) in the apps; tests may call
    :meth:`process_once` instead of starting the thread.
    """

    def __init__(
        self,
        printer: TicketPrinter,
        *,
        spool_dir: Path | None = None,
        retry_interval: float = 2.0,
        print_when_unknown: bool = True,
    ) -> None:
        self.printer = printer
        self.retry_interval = retry_interval
        # Files, device nodes and the Windows spooler cannot report status; refusing to print
        # on "unknown" would make them useless. A failed send still keeps the job.
        self.print_when_unknown = print_when_unknown
        self._spool = spool_dir
        self._jobs: collections.deque[tuple[PrintJob, Path | None]] = collections.deque()
        self._done: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._listeners: list[PrintQueueListener] = []
        self._cond = threading.Condition()
        self._process_lock = threading.Lock()  # one send at a time, even with process_once
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._poked = False
        self._status = PrinterStatus(PrinterState.UNKNOWN, "not asked yet")
        self._seq = 0
        if spool_dir is not None:
            spool_dir.mkdir(parents=True, exist_ok=True)
            self._recover()

    # -- public API ----------------------------------------------------------------------------
    def add_listener(self, listener: PrintQueueListener) -> Callable[[], None]:
        """Subscribe; returns a function that unsubscribes."""
        with self._cond:
            self._listeners.append(listener)

        def remove() -> None:
            with self._cond:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def submit(self, job: PrintJob) -> str:
        """Queue ``job`` (persisted first when spooling) and return its id.

        Duplicates are ignored.
        """
        with self._cond:
            if job.job_id in self._done or any(j.job_id == job.job_id for j, _ in self._jobs):
                log.info("print job %s submitted twice; ignored", job.job_id)
                return job.job_id
            path = self._write_spool(job) if self._spool is not None else None
            self._jobs.append((job, path))
            self._poked = True
            self._cond.notify_all()
            pending = len(self._jobs)
        self._publish(PrintEventKind.QUEUED, job, pending)
        return job.job_id

    def pending_jobs(self) -> list[PrintJob]:
        """Jobs not yet printed, oldest first (the head is the one being tried)."""
        with self._cond:
            return [j for j, _ in self._jobs]

    @property
    def printer_status(self) -> PrinterStatus:
        """The last status read from the printer."""
        with self._cond:
            return self._status

    def is_printed(self, job_id: str) -> bool:
        with self._cond:
            return job_id in self._done

    def retry_now(self) -> None:
        """Wake the worker at once, e.g. after staff loaded a new roll."""
        with self._cond:
            self._poked = True
            self._cond.notify_all()

    def start(self) -> None:
        with self._cond:
            if self._thread is not None:
                return
            self._stopping = False
            self._thread = threading.Thread(
                target=self._run, name=f"print-{self.printer.name}", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the current send; unprinted jobs stay queued (and spooled)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is pending; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._jobs, timeout)

    def __enter__(self) -> PrintQueue:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def process_once(self) -> bool:
        """Try the head job once: ask status, send if the printer can take it.

        Returns True if a job printed. Never raises for printer trouble (it becomes an event).
        """
        with self._process_lock:
            with self._cond:
                if not self._jobs:
                    return False
                job, path = self._jobs[0]
            status = self.printer.status()
            self._set_status(status)
            ok = status.state.can_print or (
                status.state is PrinterState.UNKNOWN and self.print_when_unknown
            )
            if not ok:
                self._publish(PrintEventKind.WAITING, job, message=str(status))
                return False
            self._publish(PrintEventKind.PRINTING, job)
            try:
                self.printer.send(job)
            except PrinterError as exc:
                self._set_status(PrinterStatus(exc.state, str(exc)))
                self._publish(PrintEventKind.FAILED, job, message=str(exc))
                return False
            except Exception as exc:  # a bug in a driver must not kill the worker or the job
                log.exception("printer %s: unexpected error", self.printer.name)
                self._publish(PrintEventKind.FAILED, job, message=f"{type(exc).__name__}: {exc}")
                return False
            with self._cond:
                head, _ = self._jobs.popleft()
                assert head.job_id == job.job_id  # only this method removes jobs
                self._done[job.job_id] = None
                while len(self._done) > 10_000:  # remember enough ids for idempotency, bounded
                    self._done.popitem(last=False)
                pending = len(self._jobs)
                self._cond.notify_all()
            if path is not None:
                try:
                    path.unlink()
                except OSError:
                    log.warning("could not remove spooled job %s", path)
            self._publish(PrintEventKind.PRINTED, job, pending)
            return True

    # -- worker --------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stopping or bool(self._jobs))
                if self._stopping:
                    return
                self._poked = False
            if self.process_once():
                continue
            with self._cond:
                # Printer trouble: wait, but wake early for stop(), retry_now() or a new job.
                self._cond.wait_for(lambda: self._stopping or self._poked, self.retry_interval)

    # -- internals -----------------------------------------------------------------------------
    def _set_status(self, status: PrinterStatus) -> None:
        with self._cond:
            changed = status.state is not self._status.state
            self._status = status
        if changed:
            self._publish(PrintEventKind.STATUS, None, message=str(status))

    def _publish(
        self,
        kind: PrintEventKind,
        job: PrintJob | None,
        pending: int | None = None,
        message: str = "",
    ) -> None:
        with self._cond:
            listeners = list(self._listeners)
            if pending is None:
                pending = len(self._jobs)
            status = self._status
        event = PrintEvent(
            kind=kind,
            printer=self.printer.name,
            status=status,
            pending=pending,
            job_id=job.job_id if job else None,
            title=job.title if job else "",
            message=message,
        )
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("print queue listener failed")

    def _write_spool(self, job: PrintJob) -> Path:
        assert self._spool is not None
        self._seq += 1
        path = self._spool / f"{self._seq:012d}-{job.job_id}.job"
        fd, tmp = tempfile.mkstemp(dir=self._spool, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(job.to_json())
            fh.flush()
            os.fsync(fh.fileno())  # the point of spooling is surviving a power cut
        os.replace(tmp, path)
        return path

    def _recover(self) -> None:
        assert self._spool is not None
        for stale in self._spool.glob("*.tmp"):
            stale.unlink(missing_ok=True)  # half-written before a crash: submit never returned
        for path in sorted(self._spool.glob("*.job")):
            try:
                job = PrintJob.from_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError):
                log.error("unreadable spooled print job %s; moved aside", path)
                path.replace(path.with_suffix(".bad"))
                continue
            self._seq = max(self._seq, int(path.name.split("-", 1)[0]))
            self._jobs.append((job, path))
        if self._jobs:
            log.warning("recovered %d unprinted job(s) from %s", len(self._jobs), self._spool)
