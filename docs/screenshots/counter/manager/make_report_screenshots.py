"""Screenshots of 报表 on the manager's desk (1920×1080 and 1366×768, zh and en) and the first
page of a PDF report (pdftoppm), from a generated month of the demo hall.

python docs/screenshots/counter/manager/make_report_screenshots.py
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
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
    from common.qt.theme import apply_theme
    from common.qt.worker import TaskRunner
    from common.queue.service import QueueService
    from common.reports.generate import Volume, generate
    from common.reports.model import Period, ReportBy
    from common.reports.report import build_report
    from common.reports.writers import write_pdf
    from common.staff import StaffView
    from counter.manager.desk import ManagerDesk
    from counter.session import CounterSession

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    shots = ROOT / "docs" / "screenshots"
    tz = dt.timezone(dt.timedelta(hours=8))
    settings = settings_from_dict(
        {
            "hours": [["00:00", "23:59:59"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "s", "name": "鼓楼区政务服务中心"},
        }
    )
    october = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    now = dt.datetime(2026, 11, 10, 10, 0, tzinfo=tz)

    def settle(n: int = 5) -> None:
        for _ in range(n):
            app.processEvents()

    with tempfile.TemporaryDirectory() as tmp:
        db = HallDatabase(make_engine(f"sqlite:///{tmp}/hall.db"))
        upgrade(db.engine)
        clock = ManualClock(now)
        queue = QueueService(db, settings, clock)
        queue.sync_from_settings()
        generate(
            db,
            first_day=dt.date(2026, 9, 20),
            days=50,
            volume=Volume(400, 220, 320, stale_open=1 / 400),
            tz=tz,
            today=now.date(),
        )
        # The PDF's first page.
        report = build_report(db, settings, october, ReportBy.SERVICE, now=now)
        pdf = Path(tmp) / "report.pdf"
        write_pdf(report, pdf)
        out = shots / "reports"
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(out / "report-pdf-page1")],
            check=True,
        )  # fmt: skip

        session = CounterSession(StaffView(99, "mgr", "周敏", Role.MANAGER), 1, "counter-1")
        for english, tag in ((False, "zh"), (True, "en")):
            for width, height in ((1366, 768), (1920, 1080)):
                desk = ManagerDesk(
                    queue,
                    session,
                    runner=TaskRunner(inline=True),
                    english=english,
                    hall_name=settings.hall.name,
                    now=lambda: clock.at,
                )
                desk.resize(width, height)
                desk.show()
                desk.tabs.setCurrentWidget(desk.reports_page)
                page = desk.reports_page
                page.preset.setCurrentIndex(3)  # 上月
                page.build()
                page.wait()
                for _ in range(50):
                    settle()
                    if page.report is not None:
                        break
                settle()
                desk.grab().save(
                    str(shots / "counter" / "manager" / f"reports-{width}x{height}-{tag}.png")
                )
                desk.stop()
                desk.close()
                desk.deleteLater()
                settle()
        db.dispose()


if __name__ == "__main__":
    main()
