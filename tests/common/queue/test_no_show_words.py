"""过号: the counter, the ticket and the display say the same rule, the TOML's
(hall trial, issue 15).

The trial: the counter said "A002 未到，已重新排队" while the ticket and the display told citizens
to take a new number at the kiosk.
"""

from __future__ import annotations

import pytest

from common.db.models import TicketStatus
from common.queue.no_show import hall_notices, no_show_notice, skip_outcome
from common.queue.printout import ticket_data
from common.queue.service import FixedClock, QueueService
from tests.conftest import make_settings


def test_requeue_rule_ticket_says_no_new_number_is_needed(hall: QueueService) -> None:
    ticket = hall.issue("A")
    notice = ticket_data(hall.settings, ticket).notice
    assert hall.settings.queue.no_show_rule == "requeue"
    lines = [line for line in notice if "过号" in line]
    assert lines == ["过号顺延3位重新排队，限一次，无需重新取号；再次过号请到取号机重新取号"]


def test_drop_rule_ticket_says_take_a_new_number() -> None:
    settings = make_settings(queue={"no_show_rule": "drop"})
    assert [line for line in hall_notices(settings) if "过号" in line] == [
        "过号作废，请到取号机重新取号"
    ]


def test_a_hall_notice_line_about_no_shows_is_replaced_by_the_rule() -> None:
    settings = make_settings(
        hall={"secret": "s", "notice": ["过号请到取号机重新排队", "请保管好随身物品"]}
    )
    assert hall_notices(settings) == (no_show_notice(settings.queue).zh, "请保管好随身物品")


@pytest.mark.parametrize("rule", ["requeue", "drop"])
def test_counter_and_citizen_words_agree_with_what_skip_does(
    rule: str, hall: QueueService, clock: FixedClock
) -> None:
    hall = QueueService(hall.db, make_settings(queue={"no_show_rule": rule}), clock)
    hall.issue("A")
    hall.call_next(1)
    skipped = hall.skip(1)
    requeued = skipped.status is TicketStatus.WAITING
    assert requeued is (rule == "requeue")
    counter = skip_outcome(hall.settings.queue, skipped.number, requeued=requeued)
    citizen = no_show_notice(hall.settings.queue)
    if requeued:
        assert "无需重新取号" in counter.zh and "无需重新取号" in citizen.zh
        assert "no new ticket needed" in counter.en
    else:
        assert "重新取号" in counter.zh and "重新取号" in citizen.zh
        assert "重新排队" not in counter.zh and "重新排队" not in citizen.zh
