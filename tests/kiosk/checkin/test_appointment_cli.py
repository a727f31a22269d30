"""``onewindow appointment book / list`` on a real SQLite file: the hall keeps the keyed hash and
masked name only, refuses a wrong ID number, slot or matter with a clear exit, and the card then
finds the booking at the kiosk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from common.bootstrap import open_hall
from common.cli import main
from common.clock import ManualClock
from common.db.models import HallAppointment
from common.intake.cases import CaseService
from common.people import check_character
from common.queue.service import QueueService
from common.selfservice.checkin import KioskCheckins
from tests.common.cli.test_cli import _config
from tests.kiosk.checkin.booking import matter_code

HOLDER_ID = "35010219800101123" + check_character("35010219800101123")  # invented


def test_book_and_list_keep_no_id_number_and_the_kiosk_finds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(_config(tmp_path))
    assert main(["--config", cfg, "seed-demo"]) == 0
    hall = open_hall(cfg)
    try:
        with hall.db.read() as s:
            today = hall.queue.clock.now(hall.db, s).astimezone(hall.settings.hall.tz).date()
    finally:
        hall.close()
    book = ["--config", cfg, "appointment", "book", "--matter", matter_code()]
    when = ["--day", today.isoformat(), "--slot", "00:00-23:59"]
    capsys.readouterr()
    assert main([*book, *when, "--id-number", HOLDER_ID, "--name", "林晓燕"]) == 0
    assert "已预约 / booked: #1 二手房转移登记" in capsys.readouterr().out
    assert main(["--config", cfg, "appointment", "list"]) == 0
    out = capsys.readouterr().out
    assert "1 个预约" in out and "林*燕" in out and "未签到" in out
    assert HOLDER_ID not in out and "林晓燕" not in out
    # Refusals: a wrong check digit, a slot that ends before it starts, an unknown matter.
    wrong = HOLDER_ID[:-1] + ("0" if HOLDER_ID[-1] != "0" else "1")  # deliberately invalid
    assert main([*book, *when, "--id-number", wrong]) == 2
    assert "身份证号码无效" in capsys.readouterr().err
    bad_slot = ["--day", today.isoformat(), "--slot", "10:30-10:00"]
    assert main([*book, *bad_slot, "--id-number", HOLDER_ID]) == 2
    unknown = ["--config", cfg, "appointment", "book", "--matter", "NO-SUCH"]
    assert main([*unknown, *when, "--id-number", HOLDER_ID]) == 2
    assert "目录中没有该事项" in capsys.readouterr().err
    hall = open_hall(cfg)
    try:
        with hall.db.read() as s:
            (row,) = s.scalars(select(HallAppointment)).all()
        cases = CaseService(hall.db, hall.settings, hall.queue.clock)
        # The same keyed hash the change feed stores; a negative id no central booking takes.
        assert row.holder_hash == cases.holder_hash(HOLDER_ID) and row.central_id < 0
        assert row.name_masked == "林*燕" and HOLDER_ID not in repr(row.detail)
        # At noon of the booked day, not the wall clock: at 23:59 in the hall the 00:00–23:59
        # slot is over and the check-in is rightly refused as late.
        noon = dt.datetime.combine(today, dt.time(12), tzinfo=hall.settings.hall.tz)
        checkins = KioskCheckins(QueueService(hall.db, hall.settings, ManualClock(noon)))
        (found,) = checkins.of_holder(HOLDER_ID).appointments
        ticket = checkins.check_in(HOLDER_ID, "林晓燕", found.id)
    finally:
        hall.close()
    assert main(["--config", cfg, "appointment", "list"]) == 0
    assert f"已签到 {ticket.number}" in capsys.readouterr().out
