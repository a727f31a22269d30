"""Regenerate the counter screenshots: python docs/screenshots/counter/make_screenshots.py"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from common.qt.pyside_compat import protect_singletons

    protect_singletons()
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QApplication

    from common.config import settings_from_dict
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.db.models import Role
    from common.devices.idcard.fake import FakeCardReader
    from common.devices.idcard.reader import ReaderStatus
    from common.qt.i18n import Translations
    from common.qt.idcard import QtCardReader
    from common.qt.theme import apply_theme
    from common.qt.worker import TaskRunner
    from common.queue.service import FixedClock, Holder, QueueService
    from common.staff import StaffView
    from counter.call_panel import confirm_call_next_box
    from counter.login_dialog import LoginDialog
    from counter.main_window import CounterWindow
    from counter.session import CounterSession

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    Translations(app, ("counter",)).set_language("zh_CN")
    out = Path(__file__).resolve().parent
    at = dt.datetime(2026, 11, 23, 10, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    settings = settings_from_dict(
        {
            "hours": [["00:00", "23:59:59"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "s"},
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        db = HallDatabase(make_engine(f"sqlite:///{tmp}/hall.db"))
        upgrade(db.engine)
        clock = FixedClock(at - dt.timedelta(minutes=25))
        queue = QueueService(db, settings, clock)
        queue.sync_from_settings()
        queue.issue("A", holder=Holder("11010519491231002X", "张三丰", dt.date(1949, 12, 31)))
        for prefix in "ADDEAAB":
            clock.advance(minutes=2)
            queue.issue(prefix)
        clock.advance(minutes=10)
        queue.call_next(3, actor="w3")
        clock.advance(minutes=3)

        windows = [(w.number, w.name) for w in settings.windows]
        login = LoginDialog(
            lambda u, p: None,  # type: ignore[arg-type,return-value]
            windows,
            TaskRunner(inline=True),
            hall_name=settings.hall.name,
            preselect=3,
        )
        login.username.setText("w3")
        login.password.setText("window3")
        login.show()
        login.adjustSize()
        for _ in range(3):
            app.processEvents()
        login.grab().save(str(out / "counter-login.png"))

        def open_counter(staff: StaffView, number: int) -> CounterWindow:
            window = CounterWindow(
                queue,
                CounterSession(staff, number),
                TaskRunner(inline=True),
                hall_name=settings.hall.name,
                now=lambda: at,
            )
            window.resize(1366, 768)
            window.show()
            window.start()
            window.status.set_printer("ready")
            return window

        def settle() -> None:
            for _ in range(5):
                app.processEvents()

        window = open_counter(
            StaffView(id=3, username="w3", display_name="赵丽", role=Role.WINDOW), 3
        )
        fake = FakeCardReader()
        reader = QtCardReader(fake)  # the same bridge the app uses
        reader.card_read.connect(window.on_card)
        reader.reader_status.connect(window.on_reader_status)
        reader.attach()
        fake.place_card("elderly")
        settle()
        window.grab().save(str(out / "counter-call-panel.png"))

        # F1 again seconds after the call: the guard asks, No is the default (issue 15).
        box = confirm_call_next_box(window.call_panel, "A001", 4)
        box.show()
        settle()
        shot = window.grab()
        dialog = box.grab()
        painter = QPainter(shot)
        painter.fillRect(shot.rect(), QColor(0, 0, 0, 60))  # the modal shade a desktop draws
        painter.drawPixmap(
            (shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2, dialog
        )
        painter.end()
        shot.save(str(out / "counter-confirm-call-next.png"))
        box.close()

        # 过号 in the words of the hall's rule ([queue] no_show_rule), as on the ticket and display.
        window.call_panel.skip()
        settle()
        window.grab().save(str(out / "counter-skip-message.png"))
        reader.detach()
        window.close()

        # The hall manager at window 1: two kiosks report printer trouble (设备告警).
        clock.at = at - dt.timedelta(minutes=6)
        queue.record_device_status(
            "kiosk-1", "printer", "paper_out", "paper end sensor", needs_attention=True
        )
        clock.at = at - dt.timedelta(minutes=2)
        queue.record_device_status(
            "kiosk-2", "printer", "offline", "cover open", needs_attention=True
        )
        clock.at = at
        manager = StaffView(id=9, username="manager", display_name="王经理", role=Role.MANAGER)
        window = open_counter(manager, 1)
        window.status.set_reader(ReaderStatus.STOPPED, "")
        settle()
        window.grab().save(str(out / "counter-manager-device-alerts.png"))
        window.close()
        db.dispose()
    print("wrote", out)


if __name__ == "__main__":
    main()
