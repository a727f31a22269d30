"""Four stray F1s at a counter put one call on the hall display, never a call nobody served
(hall trial, issue 15: the display showed A008 and then A009 within 140 ms)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from common.queue.service import QueueService
from tests.counter.test_call_panel import FakePrompts
from tests.display.test_display import Rig, said


def test_four_quick_call_nexts_announce_one_call(qtbot: QtBot, hall: QueueService) -> None:
    rig = Rig(qtbot, hall)
    for _ in range(4):
        hall.issue("A")
    panel = rig.counter(3)
    prompts = FakePrompts(confirm=False)  # the clerk did not mean it: the dialog's default, No
    panel.prompts = prompts
    panel.refresh()
    for _ in range(4):
        panel.call_next()
        rig.sync()
    qtbot.waitUntil(lambda: not rig.announcer.busy, timeout=2000)
    assert rig.speaker.spoken == [said("A001", 3)]
    assert [e.number for e in rig.window.columns[0].model.entries()] == ["A001"]
    assert rig.window.call_number.text() == "A001"
    assert len(prompts.confirms) == 3
