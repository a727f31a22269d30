"""The print queue: waits through offline / paper out, never drops or duplicates a job."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from common.devices.printer.fake import FakePrinter
from common.devices.printer.jobs import PrintJob
from common.devices.printer.layouts import Layout, Paper, Text
from common.devices.printer.queue import PrintEvent, PrintEventKind, PrintQueue
from common.devices.printer.status import PaperOutError, PrinterOfflineError, PrinterState


def _jobs(n: int) -> list[PrintJob]:
    return [
        PrintJob(
            title=f"ticket A{i:03d}",
            data=b"\x1b@A%03d" % i,
            layout=Layout(f"ticket A{i:03d}", Paper(58), (Text(f"A{i:03d}", 5),)),
        )
        for i in range(1, n + 1)
    ]


def test_offline_and_paper_out_mid_queue_inline() -> None:
    """Deterministic: the test drives the queue step by step (no thread)."""
    printer = FakePrinter()
    queue = PrintQueue(printer)
    events: list[PrintEvent] = []
    queue.add_listener(events.append)
    jobs = _jobs(6)
    for job in jobs:
        queue.submit(job)

    assert queue.process_once() and queue.process_once()
    printer.go_offline()
    assert not queue.process_once() and not queue.process_once()
    printer.run_out_of_paper()
    assert not queue.process_once()
    assert queue.printer_status.state is PrinterState.PAPER_OUT
    printer.come_back()
    assert queue.process_once()
    printer.fail_next_sends(1)  # status says ready but the cable drops during the send
    assert not queue.process_once()
    while queue.process_once():
        pass

    assert printer.printed_ids == [j.job_id for j in jobs]
    assert queue.pending_jobs() == []
    kinds = [e.kind for e in events]
    assert kinds.count(PrintEventKind.PRINTED) == 6
    assert PrintEventKind.WAITING in kinds and PrintEventKind.FAILED in kinds
    states = [e.status.state for e in events if e.kind is PrintEventKind.STATUS]
    assert PrinterState.OFFLINE in states and PrinterState.PAPER_OUT in states


def test_offline_and_paper_out_mid_queue_with_worker_thread() -> None:
    printer = FakePrinter()
    queue = PrintQueue(printer, retry_interval=0.01)
    jobs = _jobs(8)
    third_printed = threading.Event()

    def on_event(event: PrintEvent) -> None:
        if event.kind is PrintEventKind.PRINTED and event.job_id == jobs[2].job_id:
            printer.go_offline()  # right after job 3, from the worker thread
            third_printed.set()

    queue.add_listener(on_event)
    with queue:
        for job in jobs:
            queue.submit(job)
        assert third_printed.wait(5)
        assert not printer.wait_printed(4, timeout=0.1)  # nothing prints while offline
        printer.run_out_of_paper()
        assert not printer.wait_printed(4, timeout=0.1)
        assert len(queue.pending_jobs()) == 5
        printer.come_back()
        queue.retry_now()
        assert queue.wait_idle(5)
    assert printer.printed_ids == [j.job_id for j in jobs]  # all, in order, once each
    assert printer.attempts >= len(jobs)


def test_submitting_the_same_job_twice_prints_it_once() -> None:
    printer = FakePrinter()
    queue = PrintQueue(printer)
    job = _jobs(1)[0]
    queue.submit(job)
    queue.submit(job)
    while queue.process_once():
        pass
    queue.submit(job)  # already printed: still ignored
    assert not queue.process_once()
    assert printer.printed_ids == [job.job_id]
    assert queue.is_printed(job.job_id)


def test_spool_survives_a_crash(tmp_path: Path) -> None:
    printer = FakePrinter(state=PrinterState.PAPER_OUT)
    first = PrintQueue(printer, spool_dir=tmp_path)
    jobs = _jobs(3)
    for job in jobs:
        first.submit(job)
    assert not first.process_once()
    assert len(list(tmp_path.glob("*.job"))) == 3
    del first  # "crash": nothing was printed

    printer.come_back()
    second = PrintQueue(printer, spool_dir=tmp_path)
    assert [j.job_id for j in second.pending_jobs()] == [j.job_id for j in jobs]
    assert second.pending_jobs()[0].layout == jobs[0].layout  # the PNG printer can redraw it
    while second.process_once():
        pass
    assert printer.printed_ids == [j.job_id for j in jobs]
    assert list(tmp_path.glob("*.job")) == []


def test_unreadable_spool_file_is_moved_aside(tmp_path: Path) -> None:
    (tmp_path / "000000000001-bad.job").write_text("{not json", encoding="utf-8")
    queue = PrintQueue(FakePrinter(), spool_dir=tmp_path)
    assert queue.pending_jobs() == []
    assert (tmp_path / "000000000001-bad.bad").exists()


def test_unknown_status_prints_by_default_and_can_be_refused() -> None:
    printer = FakePrinter(state=PrinterState.UNKNOWN)
    assert PrintQueue(printer).submit(_jobs(1)[0])
    strict = PrintQueue(printer, print_when_unknown=False)
    strict.submit(_jobs(1)[0])
    assert not strict.process_once()


def test_a_failing_listener_does_not_stop_printing() -> None:
    printer = FakePrinter()
    queue = PrintQueue(printer)

    def broken(event: PrintEvent) -> None:
        raise RuntimeError("screen gone")

    queue.add_listener(broken)
    queue.submit(_jobs(1)[0])
    assert queue.process_once()


def test_fake_printer_raises_typed_errors() -> None:
    printer = FakePrinter()
    job = _jobs(1)[0]
    printer.run_out_of_paper()
    with pytest.raises(PaperOutError):
        printer.send(job)
    printer.go_offline()
    with pytest.raises(PrinterOfflineError):
        printer.send(job)
    assert printer.printed == []
