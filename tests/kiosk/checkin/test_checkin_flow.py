"""CheckinFlow without a screen: recorded ports, a hand-moved clock. Late answers, time-outs,
queue refusals, card removal while a check-in is on its way, and what is said aloud."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from common.db.engine import DatabaseUnavailable
from common.queue.errors import ServiceClosed
from common.queue.policy import ClosedReason
from common.queue.service import Holder, TicketView
from common.selfservice.checkin import (
    AppointmentState,
    CheckinRefused,
    HolderAppointments,
    NoAppointment,
    TodayAppointment,
)
from kiosk.checkin import (
    CheckinFlow,
    CheckinMessage,
    CheckinPrompt,
    CheckinRequest,
    CheckinScreen,
    CheckinState,
    pick_appointment,
)
from tests.conftest import MONDAY_9AM, make_settings
from tests.kiosk.conftest import ManualClock

FULL_ID = "35010219800101123X"  # deliberately invalid: never reaches a database here
HOLDER = Holder(FULL_ID, "林晓燕")


@dataclass
class Ports:
    states: list[CheckinState] = field(default_factory=list)
    finds: list[CheckinRequest] = field(default_factory=list)
    checkins: list[CheckinRequest] = field(default_factory=list)
    spoken: list[CheckinPrompt] = field(default_factory=list)
    tickets: list[TicketView] = field(default_factory=list)
    left: int = 0

    def show_checkin(self, state: CheckinState) -> None:
        self.states.append(state)

    def find_appointments(self, request: CheckinRequest) -> None:
        self.finds.append(request)

    def check_in(self, request: CheckinRequest) -> None:
        self.checkins.append(request)

    def speak_checkin(self, prompt: CheckinPrompt, state: CheckinState) -> None:
        self.spoken.append(prompt)

    def ticket_issued(self, ticket: TicketView) -> None:
        self.tickets.append(ticket)

    def leave_checkin(self) -> None:
        self.left += 1


def appointment(slot: tuple[int, int], *, number: str = "") -> TodayAppointment:
    starts = MONDAY_9AM.replace(hour=slot[0], minute=slot[1])
    return TodayAppointment(
        id=slot[0],
        matter_code="M",
        matter_name="二手房转移登记",
        slot=f"{starts:%H:%M}-{starts + dt.timedelta(minutes=30):%H:%M}",
        starts=starts,
        ends=starts + dt.timedelta(minutes=30),
        opens=starts - dt.timedelta(minutes=30),
        closes=starts + dt.timedelta(minutes=30),
        prefix="D",
        ticket_number=number,
        checked_in=bool(number),
    )


def make(voice: bool = False) -> tuple[CheckinFlow, Ports, ManualClock]:
    ports, clock = Ports(), ManualClock()
    settings = make_settings(kiosk={"idle_seconds": 30})
    return CheckinFlow(settings, ports, clock=clock, voice_on=lambda: voice), ports, clock


def said(flow: CheckinFlow) -> CheckinMessage:
    return flow.state.message


def ticket() -> TicketView:
    from common.db.models import Priority, TicketStatus

    return TicketView(
        1, "D001", "D", "不动产", "Real estate", Priority.APPOINTMENT, "", TicketStatus.WAITING,
        MONDAY_9AM, MONDAY_9AM.date(), None, None, 0, "林*燕", "",
    )  # fmt: skip


def test_the_open_appointment_is_shown_first_and_the_holder_never_in_the_state() -> None:
    today = HolderAppointments(
        (appointment((8, 0)), appointment((11, 0)), appointment((9, 0))), MONDAY_9AM
    )
    shown, state = pick_appointment(today)
    assert (shown.id, state) == (9, AppointmentState.OPEN)
    flow, ports, _ = make()
    flow.open()
    flow.card_read(HOLDER, "林*燕")
    assert ports.finds[-1].id_number == FULL_ID and FULL_ID not in repr(ports.finds[-1])
    flow.found(ports.finds[-1].request_id, today)
    assert flow.state.screen is CheckinScreen.APPOINTMENT and flow.can_check_in
    assert all(FULL_ID not in repr(s) and "林晓燕" not in repr(s) for s in ports.states)
    flow.tap_check_in()
    flow.tap_check_in()  # a double tap sends one check-in
    assert len(ports.checkins) == 1 and ports.checkins[0].appointment_id == 9
    flow.card_removed()  # lifted while the check-in is on its way: its ticket still shows
    flow.checked_in(ports.checkins[0].request_id, ticket())
    assert [t.number for t in ports.tickets] == ["D001"] and not flow.state.active


def test_late_answers_time_outs_and_refusals() -> None:
    flow, ports, clock = make(voice=True)
    flow.open()
    assert ports.spoken == [CheckinPrompt.FIND]
    flow.card_read(HOLDER, "林*燕")
    first = ports.finds[-1].request_id
    flow.card_removed()  # gone before the answer: the answer is dropped
    flow.found(first, HolderAppointments((appointment((9, 0)),), MONDAY_9AM))
    assert flow.state.screen is CheckinScreen.FIND and flow.state.appointment is None
    flow.card_read(HOLDER, "林*燕")
    flow.failed(ports.finds[-1].request_id, NoAppointment())
    assert said(flow) is CheckinMessage.NO_APPOINTMENT
    flow.card_read(HOLDER, "林*燕")
    flow.failed(ports.finds[-1].request_id, DatabaseUnavailable("down"))
    assert said(flow) is CheckinMessage.DATABASE
    flow.card_read(HOLDER, "林*燕")
    clock.advance(21)
    flow.tick()  # no answer in 20 s: say so rather than spin
    assert said(flow) is CheckinMessage.ERROR
    # The queue refuses the ticket (closed): its own words, and nothing is half done.
    flow.card_read(HOLDER, "林*燕")
    flow.found(ports.finds[-1].request_id, HolderAppointments((appointment((9, 0)),), MONDAY_9AM))
    flow.tap_check_in()
    closed = ServiceClosed("D", reason=ClosedReason.CLOSED_FOR_TODAY, zh="已停止取号", en="Closed")
    flow.failed(ports.checkins[-1].request_id, closed)
    assert said(flow) is CheckinMessage.REFUSED
    assert flow.state.refusal == ("已停止取号", "Closed")
    # Checked in meanwhile at another kiosk: the number issued there.
    flow.card_read(HOLDER, "林*燕")
    flow.found(ports.finds[-1].request_id, HolderAppointments((appointment((9, 0)),), MONDAY_9AM))
    flow.tap_check_in()
    taken = appointment((9, 0), number="D007")
    flow.failed(ports.checkins[-1].request_id, CheckinRefused(AppointmentState.CHECKED_IN, taken))
    assert flow.state.status is AppointmentState.CHECKED_IN
    assert flow.state.appointment is not None and flow.state.appointment.ticket_number == "D007"
    assert CheckinPrompt.APPOINTMENT in ports.spoken and CheckinPrompt.MESSAGE in ports.spoken
    # Idle: home.
    clock.advance(31)
    flow.tick()
    assert not flow.state.active and ports.left == 1
