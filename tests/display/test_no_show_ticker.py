"""The display's ticker says the queue's 过号 rule, not a fixed line (hall trial, issue 15)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from common.qt.worker import TaskRunner
from common.queue.no_show import no_show_notice
from common.queue.service import QueueService
from kiosk.display.window import DisplayWindow
from tests.conftest import make_settings


def test_the_ticker_says_the_rule(qtbot: QtBot, hall: QueueService) -> None:
    for rule in ("requeue", "drop"):
        settings = make_settings(queue={"no_show_rule": rule})
        window = DisplayWindow(settings, hall, TaskRunner(inline=True))
        qtbot.addWidget(window)
        text = window.ticker._text
        assert no_show_notice(settings.queue).zh in text
        assert text.count("过号") == (1 if rule == "drop" else 2)  # one line: "过号…；再次过号…"
        assert ("过号请到取号机重新排队" in text) is False
