"""Regenerate the manager's desk screenshots.

python docs/screenshots/counter/manager/make_screenshots.py
"""

from __future__ import annotations

import datetime as dt

import shotkit as kit


def main() -> None:
    kit.start_app()
    from common.intake.calendar import HallCalendar
    from common.intake.cases import CaseService
    from counter.manager.demo import seed_morning

    settings = kit.demo_settings()
    with kit.demo_hall(settings, dt.datetime(2026, 11, 23, 8, 30, tzinfo=kit.TZ)) as hall:
        queue, clock = hall.queue, hall.clock
        seed_morning(queue, clock, until=dt.time(10, 47))
        session = kit.manager_session()
        cases = CaseService(hall.db, settings, clock, HallCalendar())
        for english, tag in ((False, "zh"), (True, "en")):
            for width, height in kit.SIZES:
                desk = kit.open_desk(
                    hall, session, settings, (width, height), english=english, cases=cases
                )
                desk.start()
                desk.view.window_view.selectRow(4)
                if width == 1920:  # the other tab: 电子监察
                    desk.view.lists.setCurrentIndex(1)
                kit.settle()
                desk.grab().save(str(kit.OUT / f"dashboard-{width}x{height}-{tag}.png"))
                if width == 1366:
                    kit.save_reassign_dialog(desk, queue, english, kit.OUT / f"reassign-{tag}.png")
                kit.close_desk(desk)


if __name__ == "__main__":
    main()
