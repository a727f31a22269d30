"""Regenerate the manager's desk screenshots.

python docs/screenshots/counter/manager/make_screenshots.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from common.qt.pyside_compat import protect_singletons

    protect_singletons()
    from PySide6.QtWidgets import QApplication

    from common.clock import ManualClock
    from common.config import settings_from_dict
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.db.models import Role
    from common.intake.calendar import HallCalendar
    from common.intake.cases import CaseService
    from common.qt.theme import apply_theme
    from common.qt.worker import TaskRunner
    from common.queue.service import QueueService
    from common.staff import StaffView
    from counter.manager.demo import seed_morning
    from counter.manager.desk import ManagerDesk
    from counter.session import CounterSession

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    out = Path(__file__).resolve().parent
    tz = dt.timezone(dt.timedelta(hours=8))
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
        clock = ManualClock(dt.datetime(2026, 11, 23, 8, 30, tzinfo=tz))
        queue = QueueService(db, settings, clock)
        queue.sync_from_settings()
        seed_morning(queue, clock, until=dt.time(10, 47))
        manager = StaffView(99, "mgr", "周敏", Role.MANAGER)
        session = CounterSession(manager, 1, "counter-1")
        cases = CaseService(db, settings, clock, HallCalendar())
        for english, tag in ((False, "zh"), (True, "en")):
            for width, height in ((1366, 768), (1920, 1080)):
                desk = ManagerDesk(
                    queue,
                    session,
                    cases=cases,
                    runner=TaskRunner(inline=True),
                    english=english,
                    hall_name=settings.hall.name,
                    now=lambda: clock.at,
                )
                desk.resize(width, height)
                desk.show()
                desk.start()
                desk.view.window_view.selectRow(4)
                if width == 1920:  # the other tab: 电子监察
                    desk.view.lists.setCurrentIndex(1)
                for _ in range(5):
                    app.processEvents()
                desk.grab().save(str(out / f"dashboard-{width}x{height}-{tag}.png"))
                if width == 1366:
                    services = [
                        (sv.prefix, sv.name_en if english else sv.name)
                        for sv in desk.board.services or ()
                    ]
                    current = dict(queue.window_status(5).services)
                    dialog = desk.reassign_dialog(5, services, current)
                    dialog.show()
                    dialog.resize(
                        dialog.sizeHint()
                    )  # adjustSize caps at 2/3 of the offscreen screen
                    for _ in range(3):
                        app.processEvents()
                    dialog.grab().save(str(out / f"reassign-{tag}.png"))
                    dialog.close()
                desk.stop()
                desk.close()
                desk.deleteLater()
                app.processEvents()
        db.dispose()


if __name__ == "__main__":
    main()
