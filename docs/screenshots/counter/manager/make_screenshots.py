"""Regenerate the manager's desk screenshots.

python docs/screenshots/counter/manager/make_screenshots.py
"""

from __future__ import annotations

import datetime as dt

from shotkit import (
    OUT,
    SIZES,
    TZ,
    close_desk,
    demo_hall,
    demo_settings,
    manager_session,
    open_desk,
    settle,
    start_app,
)


def main() -> None:
    start_app()
    from common.intake.calendar import HallCalendar
    from common.intake.cases import CaseService
    from counter.manager.demo import seed_morning

    settings = demo_settings()
    with demo_hall(settings, dt.datetime(2026, 11, 23, 8, 30, tzinfo=TZ)) as hall:
        queue, clock = hall.queue, hall.clock
        seed_morning(queue, clock, until=dt.time(10, 47))
        session = manager_session()
        cases = CaseService(hall.db, settings, clock, HallCalendar())
        for english, tag in ((False, "zh"), (True, "en")):
            for width, height in SIZES:
                desk = open_desk(
                    hall, session, settings, (width, height), english=english, cases=cases
                )
                desk.start()
                desk.view.window_view.selectRow(4)
                if width == 1920:  # the other tab: 电子监察
                    desk.view.lists.setCurrentIndex(1)
                settle()
                desk.grab().save(str(OUT / f"dashboard-{width}x{height}-{tag}.png"))
                if width == 1366:
                    services = [
                        (sv.prefix, sv.name_en if english else sv.name)
                        for sv in desk.board.services or ()
                    ]
                    current = dict(queue.window_status(5).services)
                    dialog = desk.reassign_dialog(5, services, current)
                    dialog.show()
                    # Not adjustSize: it caps at 2/3 of the offscreen screen.
                    dialog.resize(dialog.sizeHint())
                    settle(3)
                    dialog.grab().save(str(OUT / f"reassign-{tag}.png"))
                    dialog.close()
                close_desk(desk)


if __name__ == "__main__":
    main()
