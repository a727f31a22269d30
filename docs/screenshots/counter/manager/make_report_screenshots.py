"""Screenshots of 报表 on the manager's desk (1920×1080 and 1366×768, zh and en) and the first
page of a PDF report (pdftoppm), from a generated month of the demo hall.

python docs/screenshots/counter/manager/make_report_screenshots.py
"""

from __future__ import annotations

import datetime as dt
import subprocess

import shotkit as kit


def main() -> None:
    kit.start_app()
    from common.reports.generate import Volume, generate
    from common.reports.model import Period, ReportBy
    from common.reports.report import build_report
    from common.reports.writers import write_pdf

    settings = kit.demo_settings(name="鼓楼区政务服务中心")
    october = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    now = dt.datetime(2026, 11, 10, 10, 0, tzinfo=kit.TZ)

    with kit.demo_hall(settings, now) as hall:
        db = hall.db
        generate(
            db,
            first_day=dt.date(2026, 9, 20),
            days=50,
            volume=Volume(400, 220, 320, stale_open=1 / 400),
            tz=kit.TZ,
            today=now.date(),
        )
        # The PDF's first page.
        report = build_report(db, settings, october, ReportBy.SERVICE, now=now)
        pdf = hall.tmp / "report.pdf"
        write_pdf(report, pdf)
        out = kit.SHOTS / "reports"
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(out / "report-pdf-page1")],
            check=True,
        )  # fmt: skip

        session = kit.manager_session()
        for english, tag in ((False, "zh"), (True, "en")):
            for width, height in kit.SIZES:
                desk = kit.open_desk(hall, session, settings, (width, height), english=english)
                desk.tabs.setCurrentWidget(desk.reports_page)
                page = desk.reports_page
                page.preset.setCurrentIndex(3)  # 上月
                page.build()
                page.wait()
                for _ in range(50):
                    kit.settle()
                    if page.report is not None:
                        break
                kit.settle()
                desk.grab().save(str(kit.OUT / f"reports-{width}x{height}-{tag}.png"))
                kit.close_desk(desk)


if __name__ == "__main__":
    main()
