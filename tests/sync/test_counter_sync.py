"""The sync inside the counter: the worker's status reaches the GUI thread through the one bridge,
detach stops the worker thread, and the status bar shows backlog, oldest age and last success."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from common.clock import ManualClock
from common.db.engine import HallDatabase
from common.devices.idcard.reader import ReaderStatus
from common.qt.i18n import Translations
from common.qt.sync_status import QtSyncStatus
from common.queue.service import QueueService
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


def _bar(language: str) -> tuple[CounterStatusBar, Translations]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app, ("counter",))
    translations.set_language(language)
    return CounterStatusBar(), translations


def test_the_status_bar_shows_backlog_oldest_age_and_last_success(qtbot: QtBot) -> None:
    bar, _ = _bar("en")
    qtbot.addWidget(bar)
    pending = SyncStatus(
        backlog=12,
        oldest_unsent_at=NOW - dt.timedelta(minutes=47),
        parked=1,
        last_success_at=NOW - dt.timedelta(minutes=50),
        last_error="ConnectionError: refused",
    )
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
    bar, translations = _bar("zh_CN")
    qtbot.addWidget(bar)
    bar.set_reader(ReaderStatus.READY)
    bar.set_printer("ready")
    bar.set_sync(
        SyncStatus(
            backlog=12,
            oldest_unsent_at=NOW - dt.timedelta(minutes=47),
            parked=0,
            last_success_at=NOW - dt.timedelta(minutes=50),
            last_error="refused",
        ),
        NOW,
        TZ,
    )
    assert bar.texts["central"] == "中心同步：待上传 12 条，最早 47 分钟前，上次成功 09:40"
    bar.resize(1366, 36)
    bar.show()
    qtbot.waitExposed(bar)
    # ONEWINDOW_SCREENSHOTS=1 refreshes the committed picture; otherwise it goes to tmp.
    folder = (
        ROOT / "docs" / "screenshots" / "counter"
        if os.environ.get("ONEWINDOW_SCREENSHOTS")
        else tmp_path
    )
    out = folder / "counter-status-sync-pending.png"
    assert bar.grab().save(str(out))
    translations.set_language("en")  # the next tests read English


def test_the_counter_app_runs_the_worker_and_warns_the_manager_of_an_old_backlog(
    qtbot: QtBot,
    qapp: QApplication,
    hall: QueueService,
    manual: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from common.bootstrap import Hall
    from common.db.models import Role
    from common.staff import StaffView
    from counter.app import CounterApp, parse_args
    from counter.session import CounterSession

    # A row written days ago (the manual clock stands on 23 November) that cannot be sent: the
    # server's port refuses connections.
    add_rows(hall.db, manual, [("rating:1", 1)])
    settings = hall.settings.model_copy(
        update={
            "central": hall_settings(
                url="https://127.0.0.1:9", token="t", retries=1, timeout=1.0, interval=0.2
            ).central
        }
    )
    monkeypatch.setattr(CounterApp, "_open_reader", lambda self: None)
    monkeypatch.setattr(CounterApp, "_open_printer", lambda self: None)
    manager = StaffView(id=1, username="m1", display_name="王大厅", role=Role.MANAGER)
    monkeypatch.setattr(
        CounterApp,
        "login",
        lambda self, notice="": self.show_counter(CounterSession(manager, 1, "pc-1")) or True,
    )
    app = CounterApp(
        qapp,
        Hall(settings=settings, db=hall.db, queue=hall),
        parse_args(["--windowed", "--language", "en"]),
    )
    try:
        assert app.sync is not None
        assert app.login()
        window = app.window
        assert window is not None and window.device_alerts is not None
        bar, strip = window.status, window.device_alerts
        try:
            qtbot.waitUntil(lambda: "1 pending" in bar.texts["central"], timeout=20_000)
        except Exception:
            raise AssertionError(f"{bar.texts} {app.sync_status}") from None
        assert bar.central.property("level") == "error"
        qtbot.waitUntil(lambda: bool(strip.lines), timeout=20_000)
        assert strip.lines[0].startswith("Central server: sync not sent for too long")
        assert app.sync.worker.running
    finally:
        app.bridge.detach()
        if app.sync is not None:
            app.sync.detach()
        app._printer_timer.stop()
        app._heartbeat_timer.stop()
        qapp.aboutToQuit.disconnect(app._shutdown)
        intake = getattr(app, "intake", None)
        if intake is not None:
            intake.shutdown()
        app.runner.wait()  # the intake desk's reads land before its window goes
        qtbot.wait(10)
        window, app.window = app.window, None
        if window is not None:
            window.close()
            window.deleteLater()
        app.runner.wait()
        qtbot.wait(10)
        for obj in (app.runner, app.bridge, app._printer_timer, app._heartbeat_timer, app.sync):
            if obj is not None:
                obj.deleteLater()
        qtbot.wait(10)
    assert app.sync is not None and not app.sync.worker.running
