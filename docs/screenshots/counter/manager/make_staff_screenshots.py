"""Screenshots of 人员管理, a paused service on the dashboard, and the manager's notice line on
the kiosk and the wall display (zh and en).

python docs/screenshots/counter/manager/make_staff_screenshots.py
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
    from common.manager.actions import ManagerActions
    from common.manager.staffing import StaffAdmin
    from common.qt.i18n import Translations
    from common.qt.theme import apply_theme, cjk_family
    from common.qt.worker import TaskRunner
    from common.queue.service import QueueService
    from common.staff import StaffView, authenticate
    from counter.manager.demo import seed_morning
    from counter.manager.desk import ManagerDesk
    from counter.session import CounterSession
    from kiosk.display.window import DisplayWindow
    from kiosk.window import KioskWindow

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    shots = ROOT / "docs" / "screenshots"
    tz = dt.timezone(dt.timedelta(hours=8))
    settings = settings_from_dict(
        {
            "hours": [["00:00", "23:59:59"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "s"},
        }
    )

    def settle(n: int = 5) -> None:
        for _ in range(n):
            app.processEvents()

    with tempfile.TemporaryDirectory() as tmp:
        db = HallDatabase(make_engine(f"sqlite:///{tmp}/hall.db"))
        upgrade(db.engine)
        clock = ManualClock(dt.datetime(2026, 11, 23, 8, 30, tzinfo=tz))
        queue = QueueService(db, settings, clock)
        queue.sync_from_settings()
        seed_morning(queue, clock, until=dt.time(10, 47))
        admin = StaffAdmin(db, clock, tz=tz)
        admin.add_staff("mgr", "周敏", "Zhou2026min", role=Role.MANAGER, actor="system")
        admin.add_staff("li.na", "李娜", "Temp2026a", windows=[3, 4], actor="mgr")
        admin.add_staff("chen.gang", "陈刚", "Temp2026b", windows=[7], actor="mgr")
        admin.set_locked("chen.gang", True, actor="mgr")
        admin.add_staff("he.jing", "何静", "Temp2026c", actor="mgr")
        admin.set_windows("w2", [2, 5], actor="mgr")
        for _ in range(5):
            try:
                authenticate(db, "w6", "nope", clock=clock)
            except Exception:
                pass
        actions = ManagerActions(queue)
        actions.pause_service("F", "系统维护", actor="mgr")
        actions.broadcast_notice("公积金系统维护，暂停取号，预计 14:00 恢复", actor="mgr")
        session = CounterSession(StaffView(99, "mgr", "周敏", Role.MANAGER), 1, "counter-1")
        cases = CaseService(db, settings, clock, HallCalendar())
        out = shots / "counter" / "manager"
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
                rows = desk.view.services.rows()
                paused = next(i for i, r in enumerate(rows) if r.paused_zh)
                desk.view.service_view.selectRow(paused)
                settle()
                desk.grab().save(str(out / f"service-paused-{width}x{height}-{tag}.png"))
                desk.tabs.setCurrentWidget(desk.staff_page)
                desk.staff_page.select("li.na")
                settle()
                desk.grab().save(str(out / f"staff-{width}x{height}-{tag}.png"))
                if width == 1366:
                    dialog = desk.staff_page.add_dialog()
                    dialog.username.setText("zhang.wei")
                    dialog.display_name.setText("张伟")
                    dialog.password.setText("zhang")
                    dialog.boxes[2].setChecked(True)
                    dialog.show()
                    dialog.resize(dialog.sizeHint())
                    settle(3)
                    dialog.grab().save(str(out / f"staff-add-{tag}.png"))
                    dialog.close()
                    # 调整业务 now says "today only" and has 恢复原配置 (this script's part).
                    services = [
                        (sv.prefix, sv.name_en if english else sv.name)
                        for sv in desk.board.services or ()
                    ]
                    current = dict(queue.window_status(5).services)
                    reassign = desk.reassign_dialog(5, services, current)
                    reassign.show()
                    reassign.resize(reassign.sizeHint())
                    settle(3)
                    reassign.grab().save(str(out / f"reassign-{tag}.png"))
                    reassign.close()
                desk.stop()
                desk.close()
                desk.deleteLater()
                settle()

        # The kiosk's home with the notice and the paused service, portrait and landscape.
        translations = Translations(app, ("kiosk",))
        for english, tag in ((False, "zh"), (True, "en")):
            for shape, size in (("portrait", (1080, 1920)), ("landscape", (1920, 1080))):
                kiosk = KioskWindow(
                    settings,
                    queue,
                    translations=translations,
                    runner=TaskRunner(inline=True),
                    print_runner=TaskRunner(inline=True),
                    today=lambda: clock.at.date(),
                )
                kiosk.resize(*size)
                kiosk.show()
                kiosk.start()
                if english:
                    kiosk._toggle_language()
                settle(8)
                kiosk.grab().save(str(shots / "kiosk" / f"notice-{shape}-{tag}.png"))
                if english:
                    kiosk._toggle_language()
                kiosk.shutdown()
                kiosk.close()
                kiosk.deleteLater()
                settle()

        apply_theme(app, "display")
        for english, tag in ((False, "zh"), (True, "en")):
            display = DisplayWindow(
                settings,
                queue,
                TaskRunner(inline=True),
                english=english,
                now=lambda: clock.at.astimezone(tz),
                font_family=cjk_family(),
            )
            display.resize(1920, 1080)
            display.show()
            display.start()
            settle(8)
            display.grab().save(str(shots / "display" / f"notice-1920x1080-{tag}.png"))
            display.stop()
            display.close()
            display.deleteLater()
            settle()
        db.dispose()


if __name__ == "__main__":
    main()
