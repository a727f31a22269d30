"""报表 page: the report is read and written on a worker thread, shows the same figures as the
report itself, exports each format, and sits in the manager's desk as a tab."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

import counter.manager.reports_view as reports_view
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Role
from common.qt.worker import TaskRunner
from common.queue.service import FixedClock, QueueService
from common.reports.generate import SMALL_MONTH, generate
from common.reports.model import Period, Report, ReportBy
from common.staff import StaffView
from counter.manager.desk import ManagerDesk
from counter.manager.reports_view import ReportsPage, preset_period
from counter.session import CounterSession

NOW = dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)
OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture
def month(hall: QueueService, hall_db: HallDatabase, settings: Settings) -> HallDatabase:
    generate(
        hall_db,
        first_day=dt.date(2026, 10, 1),
        days=31,
        volume=SMALL_MONTH,
        tz=settings.hall.tz,
        today=NOW.date(),
    )
    return hall_db


def text(item: Any) -> str:
    assert item is not None
    return str(item.text())


def test_presets() -> None:
    today = dt.date(2026, 11, 12)  # a Thursday
    assert preset_period("today", today) == Period(today, today)
    assert preset_period("week", today) == Period(dt.date(2026, 11, 9), today)
    assert preset_period("month", today) == Period(dt.date(2026, 11, 1), today)
    assert preset_period("last_month", today) == Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert preset_period("year", today) == Period(dt.date(2026, 1, 1), today)


def test_build_runs_on_a_worker_and_shows_the_report(
    qtbot: QtBot,
    month: HallDatabase,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[int] = []
    real = reports_view.build_report  # type: ignore[attr-defined]  # patched below

    def recording(*args: Any, **kwargs: Any) -> Report:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(reports_view, "build_report", recording)
    saved = tmp_path / "十月"
    page = ReportsPage(month, settings, now=lambda: NOW, choose_path=lambda *_: str(saved))
    qtbot.addWidget(page)
    page.show()
    assert page.period() == Period(dt.date(2026, 11, 1), dt.date(2026, 11, 10))  # 本月
    page.set_period(OCTOBER)
    page.by.setCurrentIndex(1)  # 按窗口
    with qtbot.waitSignal(page.built, timeout=10000) as signal:
        page.build_button.click()
        assert not page.build_button.isEnabled()  # busy while the worker reads
    report: Report = signal.args[0]
    assert threads and threads[0] != threading.get_ident()
    assert report.period == OCTOBER and report.by is ReportBy.WINDOW
    assert page.build_button.isEnabled()
    # The table shows the tickets section: one row per window and the total, as in the report.
    table = page.table
    assert table.rowCount() == len(report.tickets.rows) + 1
    assert text(table.horizontalHeaderItem(1)) == "窗口"
    last = table.rowCount() - 1
    assert text(table.item(last, 1)) == "全厅合计"
    assert text(table.item(last, 2)) == f"{report.tickets.total.issued:,}"
    assert f"{report.tickets.total.issued:,}" in page.summary.text()
    page.section.setCurrentIndex(1)  # 好差评
    assert text(table.horizontalHeaderItem(8)) == "满意率" and "非常满意 + 满意" in page.note.text()

    # Export: the same report (no second read), written on the worker, suffix added.
    with qtbot.waitSignal(page.exported, timeout=10000) as exported:
        page.export_buttons["xlsx"].click()
    written: Path = exported.args[0]
    assert written == tmp_path / "十月.xlsx" and written.stat().st_size > 0
    assert len(threads) == 1
    # A changed period is read again before writing.
    page.set_period(Period(dt.date(2026, 10, 1), dt.date(2026, 10, 7)))
    with qtbot.waitSignal(page.exported, timeout=10000):
        page.export_buttons["csv"].click()
    assert len(threads) == 2 and page.report is not None
    assert page.report.period.last == dt.date(2026, 10, 7)
    assert (tmp_path / "十月.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    page.set_english(True)
    assert page.build_button.text() == "Show"
    # The screen in English (the exported documents stay Chinese).
    page.section.setCurrentIndex(0)
    assert text(table.horizontalHeaderItem(2)) == "Issued"
    assert text(table.item(table.rowCount() - 1, 1)) == "Whole hall"
    assert page.section.itemText(1) == "Ratings (好差评)"
    page.section.setCurrentIndex(1)
    assert "Satisfaction" in page.note.text()
    assert "Issued / served / no-show" in page.summary.text()
    page.wait()


def test_the_desk_has_a_reports_tab(qtbot: QtBot, hall: QueueService) -> None:
    clock = hall.clock
    assert isinstance(clock, FixedClock)
    manager = StaffView(id=9, username="manager", display_name="王经理", role=Role.MANAGER)
    desk = ManagerDesk(
        hall, CounterSession(manager, 1), runner=TaskRunner(inline=True), now=lambda: clock.at
    )
    qtbot.addWidget(desk)
    titles = [desk.tabs.tabText(i) for i in range(desk.tabs.count())]
    assert "报表" in titles
    assert desk.tabs.widget(titles.index("报表")) is desk.reports_page
    desk.set_english(True)
    assert desk.tabs.tabText(titles.index("报表")) == "Reports"
    desk.stop()
