"""The real driver over real pseudo-terminals against the simulator (no mocks)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from common.devices.idcard import (
    SAMPLE_PROFILES,
    CardType,
    IdentityCard,
    ReaderConnection,
    ReaderGoneError,
    ReaderStatus,
    ReaderTimeoutError,
    SerialCardReader,
)
from common.devices.idcard.errors import CardReadError, ChecksumError, NoContentError
from common.devices.idcard.protocol import Command
from common.devices.idcard.simulator import Fault, ReaderSimulator

from .helpers import wait_for

SimFactory = Callable[..., ReaderSimulator]


class Recorder:
    """Collects a reader's events (they arrive on its worker thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.cards: list[IdentityCard] = []
        self.statuses: list[tuple[ReaderStatus, str]] = []

    def card_read(self, card: IdentityCard) -> None:
        with self.lock:
            self.cards.append(card)

    def reader_status(self, status: ReaderStatus, message: str) -> None:
        with self.lock:
            self.statuses.append((status, message))

    def seen(self, status: ReaderStatus) -> int:
        with self.lock:
            return sum(1 for s, _ in self.statuses if s == status)

    def last(self) -> ReaderStatus | None:
        with self.lock:
            return self.statuses[-1][0] if self.statuses else None

    # Predicates for wait_for that bind their count now (a lambda in a loop would not).

    def has_cards(self, n: int) -> Callable[[], bool]:
        return lambda: len(self.cards) == n

    def has_seen(self, status: ReaderStatus, n: int) -> Callable[[], bool]:
        return lambda: self.seen(status) == n


def make_reader(
    port: str,
    *,
    timeout: float = 0.5,
    fingerprint: bool = False,
    removal_misses: int = 2,
    gone_after_timeouts: int = 3,
    today: Callable[[], dt.date] = dt.date.today,
) -> tuple[SerialCardReader, Recorder]:
    reader = SerialCardReader(
        port,
        poll_interval=0.02,
        timeout=timeout,
        reconnect_interval=0.05,
        fingerprint=fingerprint,
        removal_misses=removal_misses,
        gone_after_timeouts=gone_after_timeouts,
        today=today,
    )
    recorder = Recorder()
    reader.add_listener(recorder)
    return reader, recorder


# --- end to end at 115200 baud (paced like the wire) ------------------------------------------


@pytest.mark.parametrize("key", list(SAMPLE_PROFILES))
def test_every_card_type_end_to_end_at_115200(sim_factory: SimFactory, key: str) -> None:
    sim = sim_factory(pace=True)
    sim.place_card(key)
    with ReaderConnection(sim.port, baudrate=115200, timeout=2.0) as conn:
        assert conn.find_card()
        assert conn.select_card() == SAMPLE_PROFILES[key].serial
        card = conn.read_card()
    expected = SAMPLE_PROFILES[key].to_card()
    assert card == expected
    assert card.photo == SAMPLE_PROFILES[key].photo and len(card.photo) == 1024
    assert card.additional_addresses == SAMPLE_PROFILES[key].additional_addresses
    # find, select, read and the additional address went over the wire in that order.
    assert sim.commands[-4:] == [
        Command.FIND_CARD,
        Command.SELECT_CARD,
        Command.READ_TEXT_PHOTO,
        Command.READ_ADDITIONAL_ADDRESS,
    ]


def test_all_four_card_types_through_the_worker(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=True)
    reader, rec = make_reader(sim.port)
    reader.start()
    try:
        for n, key in enumerate(("resident", "hmt", "foreign2017", "foreign2023"), start=1):
            sim.place_card(key)
            assert wait_for(rec.has_cards(n)), key
        assert [c.card_type for c in rec.cards] == [
            CardType.RESIDENT,
            CardType.HMT_RESIDENCE_PERMIT,
            CardType.FOREIGN_PERMANENT_2017,
            CardType.FOREIGN_PERMANENT_2023,
        ]
    finally:
        reader.stop()


# --- the connection ---------------------------------------------------------------------------


def test_sam_id_status_and_no_card(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=False)
    with ReaderConnection(sim.port) as conn:
        assert conn.sam_id() == "05.02-20230101-0012345678-0087654321"
        assert conn.sam_status() == 0x90
        conn.reset_sam()
        assert conn.find_card() is False
        with pytest.raises(CardReadError):
            conn.command(Command.READ_ADDITIONAL_ADDRESS)  # no card selected: 41
        sim.place_card("resident")
        assert conn.find_card()
        conn.select_card()
        with pytest.raises(NoContentError):
            conn.command(Command.READ_ADDITIONAL_ADDRESS)  # 91: this card has none
        assert conn.read_card().additional_addresses == ()  # and read_card treats 91 as "none"


def test_fingerprint_read(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=False)
    for key, size in (("resident", 1024), ("moved", 512), ("foreign2017", 0)):
        sim.place_card(key)
        with ReaderConnection(sim.port) as conn:
            assert conn.find_card()
            conn.select_card()
            card = conn.read_card(fingerprint=True)
        assert card.fingerprint is not None and len(card.fingerprint) == size
        assert card == SAMPLE_PROFILES[key].to_card()


def test_faults_surface_as_typed_errors(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=False)
    sim.place_card("resident")
    with ReaderConnection(sim.port, timeout=0.3) as conn:
        sim.set_fault(Fault.BAD_CHECKSUM, count=1)
        with pytest.raises(ChecksumError):
            conn.find_card()
        sim.set_fault(Fault.SILENT, count=1)
        with pytest.raises(ReaderTimeoutError):
            conn.find_card()
        sim.set_fault(Fault.GARBAGE, count=1)
        assert conn.find_card()  # garbage and a false preamble before the frame: resynchronised
        sim.set_fault(Fault.NO_CARD, count=1)
        assert not conn.find_card()
        conn.select_card()
        sim.set_fault(Fault.READ_FAIL, count=1)
        with pytest.raises(CardReadError):
            conn.read_card()
        sim.set_fault(Fault.TRUNCATED, count=1)
        with pytest.raises(ReaderTimeoutError):
            conn.find_card()
        assert conn.find_card()  # the next answer is whole again
    sim.unplug()
    with pytest.raises(ReaderGoneError):
        ReaderConnection(sim.port).open()


# --- the worker -------------------------------------------------------------------------------


def test_one_card_placed_once_is_reported_once(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=False)
    reader, rec = make_reader(sim.port)
    reader.start()
    try:
        assert wait_for(lambda: rec.seen(ReaderStatus.NO_CARD) == 1)
        sim.place_card("resident")
        assert wait_for(lambda: len(rec.cards) == 1)
        polls = len(sim.commands)
        assert wait_for(
            lambda: len(sim.commands) > polls + 30
        )  # many more polls with it lying there
        assert len(rec.cards) == 1
        # A different card without a removal in between is a new placement.
        sim.place_card("elderly")
        assert wait_for(lambda: len(rec.cards) == 2)
        sim.remove_card()
        assert wait_for(lambda: rec.seen(ReaderStatus.CARD_REMOVED) == 1)
        sim.place_card("elderly")  # the same card again after removal: reported again
        assert wait_for(lambda: len(rec.cards) == 3)
        assert [c.masked_number for c in rec.cards] == [
            "3501**********1236",
            "1101**********0024",
            "1101**********0024",
        ]
        assert rec.seen(ReaderStatus.NO_CARD) == 2
    finally:
        reader.stop()
    assert not reader.is_running and rec.last() == ReaderStatus.STOPPED


def test_a_second_program_cannot_open_a_reader_in_use(sim_factory: SimFactory) -> None:
    # Hall trial: a kiosk and a counter on one PC both opened one port; their commands
    # interleaved ("unknown reader status 0x9F"). The second open is now refused, by name.
    sim = sim_factory(pace=False)
    sim.place_card("resident")
    with ReaderConnection(sim.port, timeout=0.5) as first:
        second = ReaderConnection(sim.port, timeout=0.5)
        with pytest.raises(ReaderGoneError) as err:
            second.open()
        assert sim.port in err.value.message_en and "lock" in err.value.message_en
        assert first.find_card()  # the first program is undisturbed
    with ReaderConnection(sim.port, timeout=0.5) as again:  # free once the first has closed it
        assert again.find_card()


@pytest.mark.parametrize(
    ("fault", "command"),
    [(Fault.BAD_CHECKSUM, Command.SELECT_CARD), (Fault.READ_FAIL, Command.READ_TEXT_PHOTO)],
)
def test_a_card_that_failed_to_read_and_left_is_reported_gone(
    sim_factory: SimFactory, fault: Fault, command: Command
) -> None:
    # Under load the trial saw select fail (the card was moving) and then the card leave: the
    # status stayed "read failed" for ever, because "no card" had been reported before the
    # card came and was not said again. The kiosk's card screen kept "读卡失败".
    sim = sim_factory(pace=False)
    reader, rec = make_reader(sim.port)
    reader.start()
    try:
        assert wait_for(lambda: rec.seen(ReaderStatus.NO_CARD) == 1)
        sim.set_fault(fault, command=command)
        sim.place_card("resident")
        assert wait_for(lambda: rec.seen(ReaderStatus.READ_FAILED) >= 1)
        sim.remove_card()
        sim.clear_fault()
        assert wait_for(lambda: rec.last() == ReaderStatus.NO_CARD)
        assert rec.seen(ReaderStatus.NO_CARD) == 2 and rec.cards == []
        # The card that never read is still said to have left, so a listener holding anything
        # of it (the kiosk's visitor) need not read removal into a bare "no card".
        assert rec.seen(ReaderStatus.CARD_REMOVED) == 1
    finally:
        reader.stop()


def test_flicker_of_no_card_does_not_double_report(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=False)
    reader, rec = make_reader(sim.port, removal_misses=2)
    reader.start()
    try:
        sim.place_card("resident")
        assert wait_for(lambda: len(rec.cards) == 1)
        sim.set_fault(Fault.NO_CARD, count=1, command=Command.FIND_CARD)  # one missed find
        assert wait_for(lambda: sim._fault is Fault.NONE)
        n = len(sim.commands)
        assert wait_for(lambda: len(sim.commands) > n + 20)
        assert len(rec.cards) == 1 and rec.seen(ReaderStatus.CARD_REMOVED) == 0
    finally:
        reader.stop()


def test_statuses_are_distinct(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=False)
    reader, rec = make_reader(sim.port, today=lambda: dt.date(2026, 11, 23))
    reader.start()
    try:
        assert wait_for(lambda: rec.seen(ReaderStatus.NO_CARD) == 1)
        sim.set_fault(Fault.READ_FAIL, count=1, command=Command.READ_TEXT_PHOTO)
        sim.place_card("resident")
        assert wait_for(lambda: len(rec.cards) == 1)  # failed once, then read on the next poll
        assert rec.seen(ReaderStatus.READ_FAILED) == 1
        failed = next(m for s, m in rec.statuses if s == ReaderStatus.READ_FAILED)
        assert "0x41" in failed
        sim.place_card("expired")
        assert wait_for(lambda: rec.seen(ReaderStatus.CARD_EXPIRED) == 1)
        assert rec.cards[-1].is_expired(dt.date(2026, 11, 23))  # flagged and still delivered
        sim.remove_card()
        assert wait_for(lambda: rec.seen(ReaderStatus.CARD_REMOVED) == 1)
        sim.unplug()
        assert wait_for(lambda: rec.seen(ReaderStatus.READER_GONE) == 1)
        kinds = {s for s, _ in rec.statuses}
        assert {
            ReaderStatus.NO_CARD,
            ReaderStatus.CARD_REMOVED,
            ReaderStatus.READ_FAILED,
            ReaderStatus.READER_GONE,
        } <= kinds
    finally:
        reader.stop()


def test_corrupted_reads_recover_and_report_once(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=False)
    reader, rec = make_reader(sim.port)
    reader.start()
    try:
        for fault in (Fault.BAD_CHECKSUM, Fault.GARBAGE, Fault.TRUNCATED):
            sim.remove_card()
            assert wait_for(lambda: reader.status == ReaderStatus.NO_CARD)
            n = len(rec.cards)
            sim.set_fault(fault, count=1, command=Command.READ_TEXT_PHOTO)
            sim.place_card("hmt")
            assert wait_for(rec.has_cards(n + 1)), fault
        assert len(rec.cards) == 3
    finally:
        reader.stop()


def test_silent_reader_is_reported_gone_then_recovers(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=False)
    reader, rec = make_reader(sim.port, timeout=0.1, gone_after_timeouts=2)
    reader.start()
    try:
        assert wait_for(lambda: rec.seen(ReaderStatus.NO_CARD) == 1)
        sim.set_fault(Fault.SILENT)
        assert wait_for(lambda: rec.seen(ReaderStatus.READER_GONE) == 1)
        sim.clear_fault()
        sim.place_card("foreign2017")
        assert wait_for(lambda: len(rec.cards) == 1)
    finally:
        reader.stop()


def test_unplug_replug_recovers_without_restart(sim_factory: SimFactory, tmp_path: Path) -> None:
    sim = sim_factory(pace=False, link_path=tmp_path / "ttyREADER")
    reader, rec = make_reader(str(tmp_path / "ttyREADER"))
    reader.start()
    try:
        sim.place_card("resident")
        assert wait_for(lambda: len(rec.cards) == 1)
        for cycle in range(2):
            sim.unplug()
            assert wait_for(rec.has_seen(ReaderStatus.READER_GONE, cycle + 1))
            sim.replug()
            # A new pty (the kernel may reuse the pts number); the driver finds it by the link.
            assert sim.plugged and Path(sim.port).resolve() == Path(sim.tty_name)
            sim.place_card("foreign2023" if cycle == 0 else "hmt")
            assert wait_for(rec.has_cards(cycle + 2))
        assert rec.seen(ReaderStatus.READY) >= 3
        assert reader.is_running
    finally:
        reader.stop()


def test_missing_port_at_start_then_appears(tmp_path: Path) -> None:
    link = tmp_path / "later"
    reader, rec = make_reader(str(link))
    reader.start()
    try:
        assert wait_for(lambda: rec.seen(ReaderStatus.READER_GONE) == 1)
        with ReaderSimulator(link_path=link, pace=False) as sim:
            sim.place_card("elderly")
            assert wait_for(lambda: len(rec.cards) == 1)
            reader.stop()
    finally:
        reader.stop()


def test_stop_is_prompt_even_while_waiting_on_a_silent_reader(sim_factory: SimFactory) -> None:
    import time

    sim = sim_factory(pace=False)
    sim.set_fault(Fault.SILENT)
    reader, _ = make_reader(sim.port, timeout=10.0)
    reader.start()
    time.sleep(0.1)
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 1.0
    assert not reader.is_running


def test_no_full_number_reaches_the_logs(
    sim_factory: SimFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sim = sim_factory(pace=False)
    reader, rec = make_reader(sim.port, fingerprint=True)
    reader.start()
    try:
        keys = list(SAMPLE_PROFILES) * 3
        for n, key in enumerate(keys, start=1):
            if n % 4 == 0:
                sim.set_fault(Fault.GARBAGE, count=1, command=Command.READ_TEXT_PHOTO_FINGERPRINT)
            if n % 5 == 0:
                sim.set_fault(Fault.READ_FAIL, count=1, command=Command.READ_TEXT_PHOTO_FINGERPRINT)
            sim.place_card(key)
            assert wait_for(rec.has_cards(n)), key
            sim.remove_card()
            assert wait_for(lambda: reader.status == ReaderStatus.NO_CARD)
    finally:
        reader.stop()
    assert len(rec.cards) == len(keys)
    logged = caplog.text + "".join(repr(r.args) + r.getMessage() for r in caplog.records)
    assert "card read" in logged  # the reads were logged, masked
    for profile in SAMPLE_PROFILES.values():
        assert profile.number not in logged
        assert profile.name not in logged
        assert profile.number[:6] + "*" in logged or profile.number[:4] + "*" in logged


def test_slow_bytes_are_waited_for_within_the_timeout(sim_factory: SimFactory) -> None:
    sim = sim_factory(pace=False)
    sim.place_card("resident")
    with ReaderConnection(sim.port, timeout=0.5) as conn:
        sim.set_fault(Fault.SLOW, count=1, command=Command.FIND_CARD)
        assert conn.find_card()  # 15 bytes at a tenth of 115200 baud: ~13 ms, in time
        conn.select_card()
        sim.set_fault(Fault.SLOW, count=1, command=Command.READ_TEXT_PHOTO)
        with pytest.raises(ReaderTimeoutError):
            conn.read_card()  # 1295 bytes would take ~1.1 s: the 0.5 s time-out fires
