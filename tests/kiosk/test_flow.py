"""The kiosk flow as a plain state machine: no Qt, no database, time moved by hand."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from common.db.engine import DatabaseUnavailable
from common.db.models import Priority
from common.devices.idcard.reader import ReaderStatus
from common.devices.printer.status import PrinterState
from common.queue.errors import PerIdLimitReached, ServiceClosed
from common.queue.service import Holder, TicketView
from kiosk.flow import KioskFlow, NoticeKind, PrintState, Prompt, Screen
from tests.conftest import make_settings
from tests.kiosk.conftest import ManualClock, RecordingPorts, status

TODAY = dt.date(2026, 11, 23)
# Invented people with valid GB 11643 check characters (tests/common/test_sample_id_numbers.py).
ELDER = Holder("110102194803020024", "王秀英", dt.date(1948, 3, 2))
YOUNG = Holder("350102198805141236", "李晓明", dt.date(1988, 5, 14))


def ticket(
    number: str = "A001", priority: Priority = Priority.NORMAL, reason: str = ""
) -> TicketView:
    from common.db.models import TicketStatus

    return TicketView(
        id=1,
        number=number,
        prefix=number[0],
        service_name="综合受理",
        service_name_en="General intake",
        priority=priority,
        green_reason=reason,
        status=TicketStatus.WAITING,
        issued_at=dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC),
        hall_day=TODAY,
        window_number=None,
        called_at=None,
        call_count=0,
        holder_masked="",
        transferred_from="",
        people_ahead=3,
        estimated_wait_minutes=6,
    )


def make_flow(ports: RecordingPorts, clock: ManualClock, **kiosk: object) -> KioskFlow:
    services = [
        {"prefix": "A", "name": "综合受理", "name_en": "General intake", "general": True},
        {
            "prefix": "B",
            "name": "不动产",
            "name_en": "Real estate",
            "id_card": "required",
            "per_id_daily_limit": 1,
        },
        {"prefix": "C", "name": "税务", "name_en": "Taxation", "id_card": "none"},
    ]
    windows = [{"number": 1, "services": {"A": 1, "B": 1, "C": 1}}]
    settings = make_settings(
        services=services,
        windows=windows,
        kiosk={"idle_seconds": 30, "ticket_show_seconds": 10, **kiosk},
    )
    flow = KioskFlow(settings, ports, clock=clock, today=lambda: TODAY)
    flow.start()
    flow.services_loaded(
        [
            status("A", general=True),
            status("B", id_card="required"),
            status("C", id_card="none"),
            status(
                "D", open_=False, reason=("午间休息，13:30 恢复办理", "Break; reopens at 13:30")
            ),
        ]
    )
    return flow


@pytest.fixture
def flow(ports: RecordingPorts, manual_clock: ManualClock) -> KioskFlow:
    return make_flow(ports, manual_clock)


def test_flow_imports_no_qt() -> None:
    # The flow is the Qt-free half (STYLE.md habit 2); importing it must not pull PySide6 in.
    import subprocess

    code = (
        "import sys, kiosk.flow; "
        "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_one_tap_issues_general_ticket_and_prints(flow: KioskFlow, ports: RecordingPorts) -> None:
    flow.tap_service(None)
    assert flow.state.screen is Screen.ISSUING
    request = ports.issued[-1]
    assert request.prefix is None and request.holder is None and request.priority is Priority.NORMAL
    flow.issued(request.request_id, ticket())
    assert flow.state.screen is Screen.TICKET
    assert flow.state.print_state is PrintState.PRINTING
    assert ports.printed[-1].number == "A001"
    flow.ticket_printed("A001")
    assert flow.state.print_state is PrintState.PRINTED


def test_ticket_shows_for_configured_time_then_home(
    flow: KioskFlow, ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    flow.tap_service(None)
    flow.issued(ports.issued[-1].request_id, ticket())
    assert flow.state.seconds_left == 10
    manual_clock.advance(9.5)
    flow.tick()
    assert flow.state.screen is Screen.TICKET
    manual_clock.advance(1)
    flow.tick()
    assert flow.state.screen is Screen.HOME and flow.state.ticket is None


def test_required_card_waits_for_card_then_issues_with_holder(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.tap_service("B")
    assert flow.state.screen is Screen.CARD and flow.state.card_required
    assert not ports.issued
    flow.reader_status(ReaderStatus.READ_FAILED, "读卡失败")
    assert flow.state.card_problem is ReaderStatus.READ_FAILED
    flow.card_read(YOUNG, "李*明")
    assert flow.state.screen is Screen.ISSUING
    assert ports.issued[-1].holder == YOUNG and ports.issued[-1].prefix == "B"
    assert YOUNG.id_number not in repr(flow.state)


def test_card_on_home_is_used_by_the_next_tap_and_flags_elderly(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.card_read(ELDER, "王*英")
    assert flow.state.holder_masked == "王*英" and flow.state.holder_green
    flow.tap_service(None)
    assert ports.issued[-1].holder == ELDER
    flow.issued(ports.issued[-1].request_id, ticket(priority=Priority.GREEN, reason="elderly"))
    # The card was for that ticket; nothing of the holder stays for the next visitor.
    assert flow.state.holder_masked == "" and not flow.state.holder_green


def test_service_without_card_ignores_card(flow: KioskFlow, ports: RecordingPorts) -> None:
    flow.card_read(YOUNG, "李*明")
    flow.tap_service("C")
    assert ports.issued[-1].holder is None


def test_closed_service_explains_without_issuing(flow: KioskFlow, ports: RecordingPorts) -> None:
    flow.tap_service("D")
    assert flow.state.screen is Screen.NOTICE
    assert flow.state.notice is not None and flow.state.notice.kind is NoticeKind.CLOSED
    assert "13:30" in flow.state.notice.message_zh
    assert not ports.issued


def test_refusal_from_queue_becomes_notice(flow: KioskFlow, ports: RecordingPorts) -> None:
    flow.tap_service("B")
    flow.card_read(YOUNG, "李*明")
    flow.issue_failed(
        ports.issued[-1].request_id,
        PerIdLimitReached("B", zh="您今天已在该业务取号 1 次，已达上限"),
    )
    notice = flow.state.notice
    assert notice is not None and notice.kind is NoticeKind.PER_ID_LIMIT and notice.limit == 1
    flow.tap_service("A")  # taps on other screens are ignored
    assert len(ports.issued) == 1
    flow.cancel()
    assert flow.state.screen is Screen.HOME


def test_closed_between_refresh_and_tap(flow: KioskFlow, ports: RecordingPorts) -> None:
    flow.tap_service(None)
    flow.issue_failed(
        ports.issued[-1].request_id,
        ServiceClosed("A", zh="今日办理时间已结束", en="Closed for today"),
    )
    assert flow.state.notice is not None and flow.state.notice.kind is NoticeKind.CLOSED
    assert flow._next_refresh == 0.0  # the tiles are refreshed at once


def test_staff_green_channel_needs_pin(flow: KioskFlow, ports: RecordingPorts) -> None:
    flow.tap_green()
    assert flow.state.screen is Screen.GREEN
    assert not flow.confirm_green("disabled", "0000")
    assert flow.state.pin_error and flow.state.screen is Screen.GREEN
    assert flow.confirm_green("disabled", "2468")
    assert flow.state.screen is Screen.HOME and flow.state.green_reason == "disabled"
    flow.tap_service(None)
    assert (
        ports.issued[-1].priority is Priority.GREEN and ports.issued[-1].green_reason == "disabled"
    )
    flow.issued(ports.issued[-1].request_id, ticket(priority=Priority.GREEN, reason="disabled"))
    assert flow.state.green_reason == ""


def test_pin_locks_after_repeated_failures(flow: KioskFlow, manual_clock: ManualClock) -> None:
    flow.admin_request()
    for _ in range(5):
        assert not flow.admin_pin("1111")
    assert flow.state.pin_locked
    assert not flow.admin_pin("2468")  # even the right PIN, while locked
    manual_clock.advance(25)
    flow.touch()
    manual_clock.advance(25)
    flow.touch()
    manual_clock.advance(15)
    flow.tick()
    assert not flow.state.pin_locked
    if flow.state.screen is not Screen.ADMIN_PIN:
        flow.admin_request()
    assert flow.admin_pin("2468")
    assert flow.state.screen is Screen.ADMIN


def test_admin_exit_reprint_and_settings(flow: KioskFlow, ports: RecordingPorts) -> None:
    flow.tap_service(None)
    flow.issued(ports.issued[-1].request_id, ticket())
    flow.done()
    flow.admin_exit()
    assert not ports.exited  # not without the PIN
    flow.admin_request()
    flow.admin_pin("2468")
    flow.admin_reprint("A001")
    assert [t.number for t in ports.printed] == ["A001", "A001"]
    flow.admin_update(idle_seconds=120)
    assert flow.kiosk.idle_seconds == 120
    flow.admin_exit()
    assert ports.exited


def test_idle_reset_clears_visitor_data_and_choices(
    flow: KioskFlow, ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    flow.card_read(YOUNG, "李*明")
    flow.set_language("en")
    flow.toggle_elderly()
    assert flow.state.language == "en" and flow.state.elderly and flow.state.holder_masked
    manual_clock.advance(29)
    flow.tick()
    assert flow.state.holder_masked  # not yet
    manual_clock.advance(2)
    flow.tick()
    assert flow.state.screen is Screen.HOME
    assert (
        flow.state.holder_masked == "" and flow.state.language == "zh_CN" and not flow.state.elderly
    )
    assert ports.modes[-1] == ("zh_CN", False)
    flow.tap_service(None)
    assert ports.issued[-1].holder is None


def test_idle_on_card_screen_goes_home(flow: KioskFlow, manual_clock: ManualClock) -> None:
    flow.tap_service("B")
    manual_clock.advance(20)
    flow.touch()  # the visitor is searching their bag
    manual_clock.advance(20)
    flow.tick()
    assert flow.state.screen is Screen.CARD
    manual_clock.advance(11)
    flow.tick()
    assert flow.state.screen is Screen.HOME


def test_voice_only_in_elderly_mode_by_default(flow: KioskFlow, ports: RecordingPorts) -> None:
    flow.tap_service("B")
    assert ports.spoken == []
    flow.cancel()
    flow.toggle_elderly()
    flow.tap_service("B")
    assert ports.spoken == [Prompt.WELCOME, Prompt.PLACE_CARD]


def test_database_down_retries_then_recovers(
    flow: KioskFlow, ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    flow.tap_service(None)
    first = ports.issued[-1]
    flow.issue_failed(first.request_id, DatabaseUnavailable("database is locked"))
    assert flow.state.db_down and flow.state.retrying and flow.state.screen is Screen.ISSUING
    manual_clock.advance(2.1)
    flow.tick()
    second = ports.issued[-1]
    assert second.attempt == 2 and second.request_id == first.request_id
    flow.issued(second.request_id, ticket())
    assert flow.state.screen is Screen.TICKET and not flow.state.db_down


def test_database_down_too_long_gives_notice_and_banner(
    flow: KioskFlow, ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    flow.tap_service(None)
    for _ in range(3):
        flow.issue_failed(ports.issued[-1].request_id, DatabaseUnavailable("down"))
        manual_clock.advance(2.1)
        flow.tick()
    assert flow.state.screen is Screen.NOTICE and flow.state.notice is not None
    assert flow.state.notice.kind is NoticeKind.DATABASE and flow.state.db_down
    # One plain sentence, not "请稍候，请稍后再试" twice over.
    assert flow.state.notice.message_zh.count("稍") == 1
    refreshes = ports.refreshes
    flow.services_failed(DatabaseUnavailable("down"))
    manual_clock.advance(2.1)
    flow.tick()
    assert ports.refreshes == refreshes + 1  # polled faster while down
    flow.services_loaded([status("A", general=True)])
    assert not flow.state.db_down


def test_printer_trouble_keeps_number_longer_and_alerts_once(
    flow: KioskFlow, ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    flow.tap_service(None)
    flow.issued(ports.issued[-1].request_id, ticket())
    flow.printer_state(PrinterState.PAPER_OUT, "paper roll end sensor")
    flow.printer_state(PrinterState.PAPER_OUT, "paper roll end sensor")
    assert flow.state.print_state is PrintState.TROUBLE
    assert ports.reports == [(PrinterState.PAPER_OUT, "paper roll end sensor", True)]
    assert Prompt.PRINTER_TROUBLE not in ports.spoken  # voice is for elderly mode
    manual_clock.advance(15)
    flow.tick()
    assert flow.state.screen is Screen.TICKET  # longer than ticket_show_seconds
    flow.tap_reprint()
    assert ports.retries == 1
    flow.printer_state(PrinterState.READY)
    assert ports.reports[-1] == (PrinterState.READY, "", False)
    assert flow.state.print_state is PrintState.PRINTING
    flow.ticket_printed("A001")
    assert flow.state.print_state is PrintState.PRINTED


def test_issuing_with_printer_already_down_shows_guidance_at_once(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.printer_state(PrinterState.OFFLINE, "cover open")
    flow.tap_service(None)
    flow.issued(ports.issued[-1].request_id, ticket())
    assert flow.state.print_state is PrintState.TROUBLE
    assert ports.printed  # still queued: it prints when the printer is back


def test_late_ticket_is_still_shown(
    flow: KioskFlow, ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    flow.tap_service(None)
    request = ports.issued[-1]
    manual_clock.advance(21)
    flow.tick()
    assert flow.state.screen is Screen.NOTICE
    flow.issued(request.request_id, ticket())
    assert flow.state.screen is Screen.TICKET and ports.printed


def test_next_visitor_card_on_ticket_screen_starts_fresh(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.tap_service(None)
    flow.issued(ports.issued[-1].request_id, ticket())
    flow.card_read(ELDER, "王*英")
    assert flow.state.screen is Screen.HOME and flow.state.holder_masked == "王*英"


EXPIRED_ON = dt.date(2014, 8, 1)


def test_expired_card_on_home_is_refused_and_not_used(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.card_read(YOUNG, "李*明")  # an earlier visitor's card, still held
    flow.card_read(ELDER, "王*英", valid_to=EXPIRED_ON)
    flow.reader_status(
        ReaderStatus.CARD_EXPIRED, "证件已于2014-08-01过期 / card expired on 2014-08-01"
    )
    assert flow.state.screen is Screen.NOTICE and flow.state.notice is not None
    assert flow.state.notice.kind is NoticeKind.CARD_EXPIRED
    assert flow.state.notice.message_zh == "证件已过期，请到服务台办理"
    assert "expired" in flow.state.notice.message_en
    assert flow.state.holder_masked == "" and not flow.state.holder_green
    flow.cancel()
    flow.tap_service(None)
    # Neither the expired card (nor its 70+ green channel) nor the earlier card is used.
    assert ports.issued[-1].holder is None and ports.issued[-1].priority is Priority.NORMAL


def test_expired_card_on_card_screen_says_so_and_waits(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.tap_service("B")
    flow.card_read(YOUNG, "李*明", valid_to=EXPIRED_ON)
    flow.reader_status(ReaderStatus.CARD_EXPIRED)
    assert flow.state.screen is Screen.CARD and flow.state.card_problem is ReaderStatus.CARD_EXPIRED
    assert not ports.issued and flow.state.holder_masked == ""
    flow.reader_status(ReaderStatus.CARD_REMOVED)
    flow.reader_status(ReaderStatus.NO_CARD)
    flow.card_read(YOUNG, "李*明", valid_to=dt.date(2030, 1, 1))  # a valid card now
    assert ports.issued[-1].holder == YOUNG and ports.issued[-1].prefix == "B"


def test_card_still_valid_today_is_accepted(flow: KioskFlow, ports: RecordingPorts) -> None:
    flow.card_read(YOUNG, "李*明", valid_to=TODAY)  # the last valid day
    assert flow.state.screen is Screen.HOME and flow.state.holder_masked == "李*明"


def test_expired_status_without_date_still_drops_the_card(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.card_read(YOUNG, "李*明")
    flow.reader_status(ReaderStatus.CARD_EXPIRED)
    assert flow.state.screen is Screen.NOTICE and flow.state.holder_masked == ""
    flow.cancel()
    flow.tap_service(None)
    assert ports.issued[-1].holder is None


def test_removed_card_is_forgotten(
    flow: KioskFlow, ports: RecordingPorts, manual_clock: ManualClock
) -> None:
    flow.card_read(ELDER, "王*英")
    assert flow.state.holder_masked == "王*英" and flow.state.seconds_left > 0
    flow.reader_status(ReaderStatus.CARD_REMOVED)
    flow.reader_status(ReaderStatus.NO_CARD)
    assert flow.state.holder_masked == "" and not flow.state.holder_green
    assert flow.state.seconds_left == 0  # nothing of a visitor left to time out
    flow.tap_service(None)  # the next citizen
    assert ports.issued[-1].holder is None and ports.issued[-1].priority is Priority.NORMAL


def test_removal_while_issuing_does_not_change_the_ticket(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.card_read(ELDER, "王*英")
    flow.tap_service(None)
    flow.reader_status(ReaderStatus.CARD_REMOVED)
    assert flow.state.screen is Screen.ISSUING
    flow.issued(ports.issued[-1].request_id, ticket(priority=Priority.GREEN, reason="elderly"))
    assert flow.state.screen is Screen.TICKET and flow.state.holder_masked == ""


def test_card_left_on_reader_after_done_asks_to_place_again(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.card_read(YOUNG, "李*明")
    flow.tap_service(None)
    flow.issued(ports.issued[-1].request_id, ticket())
    flow.done()
    assert flow.state.holder_masked == ""
    flow.tap_service("B")  # the card still lies there; the reader will not report it again
    assert flow.state.screen is Screen.CARD and flow.state.card_left_on_reader
    flow.reader_status(ReaderStatus.CARD_REMOVED)
    flow.reader_status(ReaderStatus.NO_CARD)
    assert not flow.state.card_left_on_reader and flow.state.card_problem is None
    flow.card_read(YOUNG, "李*明")
    assert ports.issued[-1].holder == YOUNG and ports.issued[-1].prefix == "B"


def test_card_read_while_busy_counts_as_left_on_reader(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    flow.tap_green()
    flow.card_read(YOUNG, "李*明")  # ignored on the staff screen
    flow.cancel()
    assert flow.state.holder_masked == ""
    flow.tap_service("B")
    assert flow.state.card_left_on_reader


def test_fresh_card_screen_does_not_ask_to_lift(flow: KioskFlow) -> None:
    flow.reader_status(ReaderStatus.NO_CARD)
    flow.tap_service("B")
    assert flow.state.screen is Screen.CARD and not flow.state.card_left_on_reader


def test_a_full_tile_is_told_by_its_reason_not_its_text(
    flow: KioskFlow, ports: RecordingPorts
) -> None:
    import dataclasses

    from common.queue.policy import ClosedReason

    # The English text of a full service in another wording (a translation fix, a hall's own
    # message) must not turn "full" into "closed": the decision is the typed reason.
    full = dataclasses.replace(
        status("E", open_=False, reason=("今日号已取完", "All numbers for today are taken")),
        closed_reason=ClosedReason.FULL,
    )
    closed = dataclasses.replace(
        status(
            "F", open_=False, reason=("今日号源已发完", "No more numbers for this service today")
        ),
        closed_reason=ClosedReason.CLOSED_FOR_TODAY,
    )
    flow.services_loaded([status("A", general=True), full, closed])
    flow.tap_service("E")
    assert flow.state.notice is not None and flow.state.notice.kind is NoticeKind.FULL
    flow.cancel()
    flow.tap_service("F")
    assert flow.state.notice is not None and flow.state.notice.kind is NoticeKind.CLOSED
    assert not ports.issued
