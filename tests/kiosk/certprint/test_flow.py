"""CertPrintFlow and ReceiptReprints without Qt: recorded ports, a hand-moved clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from common.devices.printer.status import PaperOutError, PrinterOfflineError
from common.queue.service import Holder
from common.selfservice.prints import HeldCertificate
from kiosk.certprint import (
    CertMessage,
    CertPrintFlow,
    CertPrompt,
    CertScreen,
    CertState,
    FindRequest,
    PrintRequest,
    ReceiptReprints,
    ReprintRequest,
    ReprintStatus,
)
from tests.kiosk.conftest import ManualClock

TODAY = dt.date(2026, 11, 23)
HOLDER = Holder("350102198001011233", "李晓明")
VALID = HeldCertificate("id-valid", "N1", "不动产权证书", "局", "李*明", TODAY, None)
EXPIRED = HeldCertificate(
    "id-old", "N2", "食品经营许可证", "局", "李*明", dt.date(2021, 1, 1), TODAY - dt.timedelta(1)
)


@dataclass
class Ports:
    states: list[CertState] = field(default_factory=list)
    finds: list[FindRequest] = field(default_factory=list)
    prints: list[PrintRequest] = field(default_factory=list)
    spoken: list[CertPrompt] = field(default_factory=list)
    left: int = 0

    def show_certificates(self, state: CertState) -> None:
        self.states.append(state)

    def find_certificates(self, request: FindRequest) -> None:
        self.finds.append(request)

    def print_certificate(self, request: PrintRequest) -> None:
        self.prints.append(request)

    def speak_cert(self, prompt: CertPrompt, state: CertState) -> None:
        self.spoken.append(prompt)

    def leave_certificates(self) -> None:
        self.left += 1


def screen(flow: CertPrintFlow) -> CertScreen:
    return flow.state.screen


def message(flow: CertPrintFlow) -> CertMessage:
    return flow.state.message


def _flow(output: str = "a4", voice: bool = False) -> tuple[CertPrintFlow, Ports, ManualClock]:
    ports, clock = Ports(), ManualClock()
    flow = CertPrintFlow(
        ports,
        idle_seconds=30,
        output=lambda: output,
        clock=clock,
        today=lambda: TODAY,
        voice_on=lambda: voice,
    )
    return flow, ports, clock


def _listed(flow: CertPrintFlow, ports: Ports) -> None:
    flow.open()
    flow.card_read(HOLDER, "李*明")
    flow.found(ports.finds[-1].request_id, [VALID, EXPIRED])
    assert flow.state.screen is CertScreen.LIST


def test_the_number_stays_out_of_the_state_and_the_logs() -> None:
    flow, ports, _ = _flow()
    _listed(flow, ports)
    assert HOLDER.id_number not in repr(flow.state) and HOLDER.name not in repr(flow.state)
    assert HOLDER.id_number not in repr(ports.finds[-1]) and HOLDER.id_number not in repr(flow)
    flow.choose(VALID.identifier)
    assert HOLDER.id_number not in repr(ports.prints[-1])
    assert ports.prints[-1].holder == HOLDER  # the port gets it, hidden from repr


def test_one_print_at_a_time_and_expired_refused() -> None:
    flow, ports, _ = _flow()
    _listed(flow, ports)
    flow.choose(EXPIRED.identifier)
    assert flow.state.message is CertMessage.EXPIRED and ports.prints == []
    flow.choose(VALID.identifier)
    flow.choose(VALID.identifier)  # a second tap while printing: ignored
    assert len(ports.prints) == 1 and screen(flow) is CertScreen.PRINTING
    flow.printed(ports.prints[0].request_id)
    flow.printed(ports.prints[0].request_id)  # a repeated answer changes nothing
    assert screen(flow) is CertScreen.DONE
    flow.back()  # 再打一份: back to the list, a new tap is a new print
    assert flow.state.screen is CertScreen.LIST


def test_failures_tell_the_citizen_and_nothing_is_retried() -> None:
    flow, ports, _ = _flow()
    _listed(flow, ports)
    flow.choose(VALID.identifier)
    flow.print_failed(ports.prints[-1].request_id, PaperOutError("tray"))
    assert (flow.state.screen, flow.state.message) == (CertScreen.LIST, CertMessage.PAPER_OUT)
    flow.choose(VALID.identifier)
    flow.print_failed(ports.prints[-1].request_id, PrinterOfflineError("off"))
    assert flow.state.message is CertMessage.PRINTER_OFFLINE
    assert len(ports.prints) == 2  # each a tap of the citizen's


def test_no_printer_no_certificates_and_an_expired_card() -> None:
    flow, ports, _ = _flow(output="")
    _listed(flow, ports)
    flow.choose(VALID.identifier)
    assert flow.state.message is CertMessage.NO_PRINTER and ports.prints == []
    flow.card_read(HOLDER, "李*明", valid_to=TODAY - dt.timedelta(1))
    assert message(flow) is CertMessage.CARD_EXPIRED and flow.state.certificates == ()
    flow.card_read(HOLDER, "李*明")
    flow.found(ports.finds[-1].request_id, [])
    assert (flow.state.screen, flow.state.message) == (CertScreen.FIND, CertMessage.NO_CERTIFICATES)


def test_card_removal_and_idle_clear_and_late_answers_are_dropped() -> None:
    flow, ports, clock = _flow()
    flow.open()
    flow.card_read(HOLDER, "李*明")
    flow.card_removed()  # lifted before the answer came
    flow.found(ports.finds[-1].request_id, [VALID])
    assert flow.state.screen is CertScreen.FIND and flow.state.certificates == ()
    _listed(flow, ports)
    flow.choose(VALID.identifier)
    flow.card_removed()  # lifted while printing: the job finishes, the list is gone
    assert screen(flow) is CertScreen.PRINTING
    flow.printed(ports.prints[-1].request_id)
    assert screen(flow) is CertScreen.DONE and flow.state.certificates == ()
    assert flow.state.holder_masked == ""
    clock.advance(21)
    flow.tick()
    assert not flow.state.active and ports.left == 1 and flow._holder is None


def test_voice_says_each_page() -> None:
    flow, ports, _ = _flow(voice=True)
    _listed(flow, ports)
    flow.choose(EXPIRED.identifier)
    flow.choose(VALID.identifier)
    flow.printed(ports.prints[-1].request_id)
    assert ports.spoken == [
        CertPrompt.FIND,
        CertPrompt.LIST,
        CertPrompt.MESSAGE,
        CertPrompt.PRINTING,
        CertPrompt.DONE,
    ]


@dataclass
class ReprintPorts:
    asked: list[ReprintRequest] = field(default_factory=list)
    shown: list[dict[str, ReprintStatus]] = field(default_factory=list)

    def reprint_receipt(self, request: ReprintRequest) -> None:
        self.asked.append(request)

    def show_reprints(self, statuses: dict[str, ReprintStatus]) -> None:
        self.shown.append(statuses)


def test_reprints_need_the_card_and_print_once_per_list() -> None:
    ports = ReprintPorts()
    reprints = ReceiptReprints(ports, available=lambda: True)
    reprints.request("N1", None)  # no card: nothing
    assert ports.asked == []
    reprints.request("N1", HOLDER)
    reprints.request("N2", HOLDER)  # busy: one at a time
    assert [r.number for r in ports.asked] == ["N1"]
    reprints.reprint_failed(ports.asked[0].request_id, PaperOutError("roll"))
    assert reprints.statuses["N1"] is ReprintStatus.PAPER_OUT
    reprints.request("N1", HOLDER)
    reprints.reprinted(ports.asked[-1].request_id)
    reprints.request("N1", HOLDER)  # printed: not again while the list is shown
    assert len(ports.asked) == 2 and reprints.statuses.get("N1") == ReprintStatus.PRINTED.value
    reprints.clear()
    assert reprints.statuses == {} and ports.shown[-1] == {}
    none = ReceiptReprints(ports, available=lambda: False)
    none.request("N1", HOLDER)
    assert none.statuses["N1"] is ReprintStatus.NO_PRINTER
