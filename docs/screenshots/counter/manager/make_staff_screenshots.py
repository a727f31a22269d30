"""Screenshots of 人员管理, a paused service on the dashboard, and the manager's notice line on
the kiosk and the wall display (zh and en).

python docs/screenshots/counter/manager/make_staff_screenshots.py
"""

from __future__ import annotations

import datetime as dt

import shotkit as kit


def main() -> None:
    app = kit.start_app()
    from common.db.models import Role
    from common.intake.calendar import HallCalendar
    from common.intake.cases import CaseService
    from common.manager.actions import ManagerActions
    from common.manager.staffing import StaffAdmin
    from common.qt.i18n import Translations
    from common.qt.theme import apply_theme, cjk_family
    from common.qt.worker import TaskRunner
    from common.staff import authenticate
    from counter.manager.demo import seed_morning
    from kiosk.display.window import DisplayWindow
    from kiosk.window import KioskWindow

    settings = kit.demo_settings()
    with kit.demo_hall(settings, dt.datetime(2026, 11, 23, 8, 30, tzinfo=kit.TZ)) as hall:
        db, queue, clock = hall.db, hall.queue, hall.clock
        seed_morning(queue, clock, until=dt.time(10, 47))
        admin = StaffAdmin(db, clock, tz=kit.TZ)
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
        session = kit.manager_session()
        cases = CaseService(db, settings, clock, HallCalendar())
        for english, tag in ((False, "zh"), (True, "en")):
            for width, height in kit.SIZES:
                desk = kit.open_desk(
                    hall, session, settings, (width, height), english=english, cases=cases
                )
                desk.start()
                rows = desk.view.services.rows()
                paused = next(i for i, r in enumerate(rows) if r.paused_zh)
                desk.view.service_view.selectRow(paused)
                kit.settle()
                desk.grab().save(str(kit.OUT / f"service-paused-{width}x{height}-{tag}.png"))
                desk.tabs.setCurrentWidget(desk.staff_page)
                desk.staff_page.select("li.na")
                kit.settle()
                desk.grab().save(str(kit.OUT / f"staff-{width}x{height}-{tag}.png"))
                if width == 1366:
                    dialog = desk.staff_page.add_dialog()
                    dialog.username.setText("zhang.wei")
                    dialog.display_name.setText("张伟")
                    dialog.password.setText("zhang")
                    dialog.boxes[2].setChecked(True)
                    dialog.show()
                    dialog.resize(dialog.sizeHint())
                    kit.settle(3)
                    dialog.grab().save(str(kit.OUT / f"staff-add-{tag}.png"))
                    dialog.close()
                    # 调整业务 now says "today only" and has 恢复原配置 (this script's part).
                    kit.save_reassign_dialog(desk, queue, english, kit.OUT / f"reassign-{tag}.png")
                kit.close_desk(desk)

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
                kit.settle(8)
                kiosk.grab().save(str(kit.SHOTS / "kiosk" / f"notice-{shape}-{tag}.png"))
                if english:
                    kiosk._toggle_language()
                kiosk.shutdown()
                kiosk.close()
                kiosk.deleteLater()
                kit.settle()

        apply_theme(app, "display")
        for english, tag in ((False, "zh"), (True, "en")):
            display = DisplayWindow(
                settings,
                queue,
                TaskRunner(inline=True),
                english=english,
                now=lambda: clock.at.astimezone(kit.TZ),
                font_family=cjk_family(),
            )
            display.resize(1920, 1080)
            display.show()
            display.start()
            kit.settle(8)
            display.grab().save(str(kit.SHOTS / "display" / f"notice-1920x1080-{tag}.png"))
            display.stop()
            display.close()
            display.deleteLater()
            kit.settle()


if __name__ == "__main__":
    main()
