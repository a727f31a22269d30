"""The task runner: results come back on the GUI thread, and never to a widget already gone."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from common.qt.worker import TaskRunner


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[tuple[int, bool]] = []
    runner.submit(
        lambda: 42,
        lambda r: seen.append((r, threading.current_thread() is threading.main_thread())),
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(42, True)]
    assert runner.wait()


def test_a_result_for_a_deleted_widget_is_dropped(qtbot: QtBot) -> None:
    """A list left before its rows arrived: the old runner called setText on a deleted QLabel."""
    runner = TaskRunner()
    label = QLabel()
    gate = threading.Event()
    errors: list[BaseException] = []
    runner.submit(lambda: (gate.wait(5), "rows")[1], label.setText, errors.append)
    label.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(label), timeout=5000)
    gate.set()
    assert runner.wait()
    qtbot.wait(50)  # let the queued delivery run
    assert errors == [] and not runner.busy
