"""The sync inside the counter: the worker's status reaches the GUI thread through the one bridge,
detach stops the worker thread, and the status bar shows backlog, oldest age and last success."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.devices.idcard.reader import ReaderStatus
from common.qt.i18n import Translations
from common.qt.sync_status import QtSyncStatus
from common.sync.client import FakeCentralClient
from common.sync.worker import SyncStatus, SyncWorker
from counter.status_bar import CounterStatusBar
from tests.sync.conftest import HALL, hall_settings
from tests.sync.test_drainer import add_rows

ROOT = Path(__file__).resolve().parents[2]
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)


def test_the_worker_reports_on_the_gui_thread_and_stops_on_detach(
    qtbot: QtBot, hall_db: HallDatabase, manual: ManualClock
) -> None:
    add_rows(hall_db, manual, [(f"rating:{n}", 1) for n in range(3)])
    fake = FakeCentralClient(hall=HALL)
    worker = SyncWorker(hall_db, fake, hall_settings(), manual)
    bridge = QtSyncStatus(worker)
    seen: list[tuple[SyncStatus, bool]] = []
    bridge.status_changed.connect(
        lambda s: seen.append((s, threading.current_thread() is threading.main_thread()))
    )
    with qtbot.waitSignal(bridge.status_changed, timeout=5000):
        bridge.attach()
    assert worker.running
    qtbot.waitUntil(lambda: any(s.backlog == 0 for s, _ in seen), timeout=5000)
    assert all(on_gui for _, on_gui in seen)
    assert len(fake.applied) == 3
    bridge.detach()
    assert not worker.running


def _bar(language: str) -> CounterStatusBar:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    Translations(app, ("counter",)).set_language(language)
    return CounterStatusBar()


def test_the_status_bar_shows_backlog_oldest_age_and_last_success(qtbot: QtBot) -> None:
    bar = _bar("en")
    qtbot.addWidget(bar)
    pending = SyncStatus(backlog=12, oldest_unsent_at=NOW - dt.timedelta(minutes=47), parked=1,
                         last_success_at=NOW - dt.timedelta(minutes=50), last_error="ConnectionError: refused")
    bar.set_sync(pending, NOW, TZ)
    assert bar.texts["central"] == "Central sync: 12 pending, oldest 47 min, last success 09:40"
    assert bar.central.property("level") == "error"
    assert "Refused by the server: 1" in bar.central.toolTip()
    bar.set_sync(SyncStatus(0, None, 0, NOW, ""), NOW, TZ)
    assert bar.texts["central"] == "Central sync: up to date (10:30)"
    assert bar.central.property("level") == "ok"
    bar.set_sync(SyncStatus(0, None, 0, None, "", configured=False), NOW, TZ)
    assert bar.central.property("level") == "off"


def test_the_status_bar_in_chinese_and_its_screenshot(qtbot: QtBot, tmp_path: Path) -> None:
    from common.qt.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    bar = _bar("zh_CN")
    qtbot.addWidget(bar)
    bar.set_reader(ReaderStatus.READY)
    bar.set_printer("ready")
    bar.set_sync(SyncStatus(backlog=12, oldest_unsent_at=NOW - dt.timedelta(minutes=47), parked=0,
                            last_success_at=NOW - dt.timedelta(minutes=50), last_error="refused"), NOW, TZ)
    assert bar.texts["central"] == "中心同步：待上传 12 条，最早 47 分钟前，上次成功 09:40"
    bar.resize(1366, 36)
    bar.show()
    qtbot.waitExposed(bar)
    # ONEWINDOW_SCREENSHOTS=1 refreshes the committed picture; otherwise it goes to tmp.
    folder = ROOT / "docs" / "screenshots" / "counter" if os.environ.get("ONEWINDOW_SCREENSHOTS") else tmp_path
    out = folder / "counter-status-sync-pending.png"
    assert bar.grab().save(str(out))
    Translations(app, ("counter",)).set_language("en")
