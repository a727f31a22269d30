"""SelfServiceFlow without a screen: the rules of 办件查询's pages, time moved by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from common.db.engine import DatabaseUnavailable
from common.intake.lookup import CaseNotFound, CaseProgress
from common.intake.qrtag import case_payload
from common.intake.words import CaseState
from common.queue.service import Holder
from kiosk.selfservice import (
    KEYPAD_TRIES,
    LookupKind,
    LookupRequest,
    SelfMessage,
    SelfPrompt,
    SelfScreen,
    SelfServiceFlow,
    SelfServiceState,
)
from tests.conftest import make_settings
from tests.kiosk.conftest import ManualClock

FULL_ID = "350102198805141236"
TODAY = dt.date(2026, 11, 23)


@dataclass
class Ports:
    states: list[SelfServiceState] = field(default_factory=list)
    requests: list[LookupRequest] = field(default_factory=list)
    spoken: list[SelfPrompt] = field(default_factory=list)
    left: int = 0

    def show_self_service(self, state: SelfServiceState) -> None:
        self.states.append(state)

    def lookup(self, request: LookupRequest) -> None:
        self.requests.append(request)

    def speak_self(self, prompt: SelfPrompt, state: SelfServiceState) -> None:
        self.spoken.append(prompt)

    def leave_self_service(self) -> None:
        self.left += 1


def progress(number: str = "350102-20261123-0001") -> CaseProgress:
    return CaseProgress(
        number, ("个体工商户设立登记",), CaseState.IN_REVIEW, TODAY, None, (), None, 3, "", "", ""
    )


def make(voice: bool = False) -> tuple[SelfServiceFlow, Ports, ManualClock]:
    ports, clock = Ports(), ManualClock()
    flow = SelfServiceFlow(
        make_settings(kiosk={"idle_seconds": 30}),
        ports,
        clock=clock,
        today=lambda: TODAY,
        voice_on=lambda: voice,
    )
    return flow, ports, clock


def test_the_full_id_number_stays_in_the_request_and_out_of_every_state_and_repr() -> None:
    flow, ports, _ = make()
    flow.open_lookup()
    flow.card_read(Holder(FULL_ID, "李晓明"), "李*明")
    request = ports.requests[-1]
    assert request.kind is LookupKind.HOLDER and request.id_number == FULL_ID
    assert FULL_ID not in repr(request)
    flow.found(request.request_id, [progress()])
    assert all(FULL_ID not in repr(s) and "李晓明" not in repr(s) for s in ports.states)
    assert flow.state.screen is SelfScreen.CASES and flow.state.holder_masked == "李*明"


def test_a_late_answer_after_the_card_left_is_dropped() -> None:
    flow, ports, _ = make()
    flow.open_lookup(Holder(FULL_ID, "李晓明"), "李*明")
    request = ports.requests[-1]
    flow.card_removed()
    assert flow.state.screen is SelfScreen.LOOKUP and flow.state.holder_masked == ""
    flow.found(request.request_id, [progress()])
    assert flow.state.cases == () and flow.state.screen is SelfScreen.LOOKUP


def test_idle_leaves_and_forgets_and_results_stay_long_enough_to_read() -> None:
    flow, ports, clock = make()
    flow.open_lookup()
    flow.scanned(case_payload("350102-20261123-0001", "test-secret-not-for-production"))
    flow.found(ports.requests[-1].request_id, [progress()])
    clock.advance(31)
    flow.tick()
    assert flow.state.screen is SelfScreen.CASES  # 45 s at least on the answer
    clock.advance(15)
    flow.tick()
    assert not flow.state.active and flow.state.cases == () and ports.left == 1


def test_keypad_misses_lock_for_a_minute_and_a_hit_resets_the_count() -> None:
    flow, ports, clock = make()
    flow.open_lookup()

    def attempt(answer: BaseException | None) -> None:
        flow.open_keypad()
        for ch in "202611230001":
            flow.key(ch)
        flow.choose_field("phone")
        for ch in "12345":  # the fifth digit is ignored
            flow.key(ch)
        assert flow.state.phone_typed == "1234"
        flow.submit()
        request = ports.requests[-1]
        assert request.kind is LookupKind.NUMBER and "1234" not in repr(request)
        if answer is None:
            flow.found(request.request_id, [progress()])
        else:
            flow.lookup_failed(request.request_id, answer)

    for _ in range(KEYPAD_TRIES - 1):
        attempt(CaseNotFound())
    assert flow.state.message is SelfMessage.NOT_FOUND and flow.state.tries_left == 1
    attempt(None)
    assert flow.state.screen is SelfScreen.CASES
    for _ in range(KEYPAD_TRIES):
        attempt(CaseNotFound())
    assert flow.state.message is SelfMessage.LOCKED
    sent = len(ports.requests)
    flow.submit()
    assert len(ports.requests) == sent  # locked: nothing is asked
    clock.advance(61)
    flow.open_keypad()
    assert flow.state.message is SelfMessage.NONE and flow.state.tries_left == KEYPAD_TRIES


def test_no_cases_expired_card_and_database_down_are_said_plainly_with_voice_in_elderly_mode() -> (
    None
):
    flow, ports, _ = make(voice=True)
    flow.open_lookup()
    assert ports.spoken == [SelfPrompt.LOOKUP]
    flow.card_read(Holder(FULL_ID, "李晓明"), "李*明")
    flow.found(ports.requests[-1].request_id, [])
    assert flow.state.message is SelfMessage.NO_CASES and flow.state.holder_masked == ""
    flow.card_read(Holder(FULL_ID, "李晓明"), "李*明", valid_to=dt.date(2020, 1, 1))
    assert flow.state.message is SelfMessage.CARD_EXPIRED
    flow.scanned(case_payload("x", "test-secret-not-for-production"))
    flow.lookup_failed(ports.requests[-1].request_id, DatabaseUnavailable("down"))
    assert flow.state.message is SelfMessage.DATABASE and flow.state.screen is SelfScreen.LOOKUP
    assert ports.spoken.count(SelfPrompt.MESSAGE) == 3


def test_the_kiosk_window_does_not_import_the_case_engine_before_its_first_lookup() -> None:
    # common.intake.cases brings the catalog and the PostgreSQL dialect: ~0.1 s of cold start.
    import subprocess
    import sys

    code = (
        "import sys, kiosk.window; "
        "print('common.intake.cases' in sys.modules, 'common.catalog' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.split() == ["False", "False"]
