"""报表 (Reports): the manager picks a period and a grouping, sees the figures, exports a file.

The report is built and written on a worker thread of its own (:class:`TaskRunner`, one
thread), never on the GUI thread and never in the dashboard's queue of reads: a month of a busy
hall takes about a second to read and another to draw as PDF. The page shows one section at a
time (the same tables every export writes, ``common.reports.tables``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.config import Settings
from common.db.engine import HallDatabase
from common.qt.worker import TaskRunner
from common.reports.model import Period, Report, ReportBy
from common.reports.report import build_report
from common.reports.tables import (
    Cell,
    Table,
    display,
    english,
    note_english,
    report_tables,
    summary_lines,
)
from common.reports.writers import FORMATS, write_report
from counter.manager.words import t

__all__ = ["PRESETS", "ReportsPage", "preset_period"]

# (key, 中文, English)
PRESETS = (
    ("today", "今天", "Today"),
    ("week", "本周", "This week"),
    ("month", "本月", "This month"),
    ("last_month", "上月", "Last month"),
    ("year", "今年", "This year"),
    ("custom", "自定义", "Custom"),
)
_BY = (
    (ReportBy.SERVICE, "按业务", "By service"),
    (ReportBy.WINDOW, "按窗口", "By window"),
    (ReportBy.STAFF, "按人员", "By staff"),
    (ReportBy.MATTER, "按事项", "By matter"),
)

ChoosePath = Callable[[QWidget, str, str], str]
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def preset_period(key: str, today: dt.date) -> Period:
    """The hall days a preset means on ``today`` (a week starts on Monday)."""
    if key == "week":
        return Period(today - dt.timedelta(days=today.weekday()), today)
    if key == "month":
        return Period(today.replace(day=1), today)
    if key == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return Period(last.replace(day=1), last)
    if key == "year":
        return Period(today.replace(month=1, day=1), today)
    return Period(today, today)


def _ask_path(parent: QWidget, title: str, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested)
    return path


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class ReportsPage(QWidget):
    """Period, grouping, a preview of one section at a time, and export as PDF / XLSX / CSV.

    ``built(Report)`` after a report arrives, ``exported(Path)`` after a file is written.
    """

    built = Signal(object)
    exported = Signal(object)

    def __init__(
        self,
        db: HallDatabase,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
        english: bool = False,
        now: Callable[[], dt.datetime] | None = None,
        choose_path: ChoosePath | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportsPage")
        self.db, self.settings = db, settings
        # A thread of its own: a report must not hold up the dashboard's reads.
        self._runner = runner or TaskRunner(self)
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._choose_path = choose_path or _ask_path
        self.english = english
        self.report: Report | None = None
        self._tables: list[Table] = []
        self.busy = False

        self.preset = QComboBox()
        self.preset.setObjectName("reportPreset")
        for key, _zh, _en in PRESETS:
            self.preset.addItem("", key)
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.by = QComboBox()
        self.by.setObjectName("reportBy")
        for by, _zh, _en in _BY:
            self.by.addItem("", by.value)
        self.build_button = QPushButton()
        self.build_button.setObjectName("reportBuild")
        self.export_buttons = {fmt: QPushButton() for fmt in FORMATS}
        self.from_label, self.to_label = QLabel(), QLabel()
        controls = QHBoxLayout()
        controls.addWidget(self.preset)
        controls.addWidget(self.from_label)
        controls.addWidget(self.first)
        controls.addWidget(self.to_label)
        controls.addWidget(self.last)
        controls.addWidget(self.by)
        controls.addWidget(self.build_button)
        controls.addStretch(1)
        for button in self.export_buttons.values():
            controls.addWidget(button)

        self.summary = QLabel()
        self.summary.setObjectName("reportSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.section = QComboBox()
        self.section.setObjectName("reportSection")
        # Its items arrive with the first report: grow to them then, not at the first show.
        self.section.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.note = QLabel()
        self.note.setObjectName("reportNote")
        self.note.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setObjectName("reportTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.message = QLabel()
        self.message.setObjectName("reportMessage")
        pick = QHBoxLayout()
        pick.addWidget(self.section)
        pick.addWidget(self.note, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addLayout(pick)
        layout.addWidget(self.table, 1)

        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.first.dateChanged.connect(self._dates_edited)
        self.last.dateChanged.connect(self._dates_edited)
        self.build_button.clicked.connect(self.build)
        self.section.currentIndexChanged.connect(self._show_section)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _=False, fmt=fmt: self.ask_export(fmt))
        self._setting_dates = False
        self.preset.setCurrentIndex(2)  # 本月
        self._preset_changed()
        self.set_english(english)

    # ------------------------------------------------------------------ period

    def today(self) -> dt.date:
        return self._now().astimezone(self.settings.hall.tz).date()

    def period(self) -> Period:
        first, last = _pydate(self.first.date()), _pydate(self.last.date())
        return Period(min(first, last), max(first, last))

    def grouping(self) -> ReportBy:
        return ReportBy(self.by.currentData())

    def set_period(self, period: Period) -> None:
        """Show ``period`` (a custom one) in the date fields."""
        self._setting_dates = True
        self.first.setDate(_qdate(period.first))
        self.last.setDate(_qdate(period.last))
        self._setting_dates = False
        self.preset.setCurrentIndex(len(PRESETS) - 1)

    def _preset_changed(self) -> None:
        key = self.preset.currentData()
        if key == "custom":
            return
        period = preset_period(key, self.today())
        self._setting_dates = True
        self.first.setDate(_qdate(period.first))
        self.last.setDate(_qdate(period.last))
        self._setting_dates = False

    def _dates_edited(self) -> None:
        if not self._setting_dates:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(len(PRESETS) - 1)
            self.preset.blockSignals(False)

    # ------------------------------------------------------------------ work (on the worker)

    def _build_job(self) -> Callable[[], Report]:
        db, settings, period, by, now = (
            self.db,
            self.settings,
            self.period(),
            self.grouping(),
            self._now(),
        )
        return lambda: build_report(db, settings, period, by, now=now)

    def build(self) -> None:
        """Read the report for the chosen period and grouping (on the worker), then show it."""
        if self.busy:
            return
        self._set_busy(True, t(self.english, "正在统计…", "Reading the figures…"))
        self._runner.submit(self._build_job(), self._built, self._failed)

    def ask_export(self, fmt: str) -> None:
        """Ask where to save, then build (if the choice changed) and write on the worker."""
        if self.busy:
            return
        period = self.period()
        suggested = f"{self.settings.hall.name}报表_{period.first:%Y%m%d}-{period.last:%Y%m%d}"
        path = self._choose_path(
            self, t(self.english, "导出报表", "Export report"), f"{suggested}.{fmt}"
        )
        if path:
            self.export(Path(path), fmt)

    def export(self, path: Path, fmt: str) -> None:
        """Write the report of the chosen period and grouping to ``path`` (on the worker)."""
        if self.busy:
            return
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        current = self.report
        wanted = (self.period(), self.grouping())
        reuse = current is not None and (current.period, current.by) == wanted
        build = self._build_job()

        def job() -> tuple[Report, Path]:
            report = current if reuse and current is not None else build()
            write_report(report, path, fmt)
            return report, path

        def done(result: tuple[Report, Path]) -> None:
            if not shiboken6.isValid(self):
                return
            report, written = result
            if report is not self.report:
                self._built(report)
            self._set_busy(False, t(self.english, f"已导出：{written}", f"Exported: {written}"))
            self.exported.emit(written)

        self._set_busy(True, t(self.english, "正在导出…", "Exporting…"))
        self._runner.submit(job, done, self._failed)

    # ------------------------------------------------------------------ showing

    def _built(self, report: Report) -> None:
        if not shiboken6.isValid(self):
            return
        self.report = report
        self._show_report(report)
        self._set_busy(False, "")
        self.built.emit(report)

    def _show_report(self, report: Report) -> None:
        self._tables = report_tables(report)
        e = self.english
        empty = t(e, "（本期间没有记录）", " (nothing recorded)") if report.empty else ""
        first, last = report.period.first.isoformat(), report.period.last.isoformat()
        period = t(e, report.period.label, f"{first} to {last}" if first != last else first)
        # The headline figures four to a row, label above value, as on the PDF's first page.
        cells = [
            f"<td style='padding:2px 18px 2px 0'><span style='color:#555'>{escape(k)}</span>"
            f"<br><b>{escape(v)}</b></td>"
            for k, v in ((english(k) if e else k, v) for k, v in summary_lines(report))
        ]
        rows = "".join(
            "<tr>" + "".join(cells[i : i + 4]) + "</tr>" for i in range(0, len(cells), 4)
        )
        self.summary.setText(f"<b>{escape(period)}</b>{escape(empty)}<table>{rows}</table>")
        keep = self.section.currentIndex()
        self.section.blockSignals(True)
        self.section.clear()
        for table in self._tables:
            self.section.addItem(english(table.title) if e else table.title, table.key)
        self.section.setCurrentIndex(max(0, min(keep, len(self._tables) - 1)))
        self.section.blockSignals(False)
        self._show_section()

    def _show_section(self) -> None:
        index = self.section.currentIndex()
        if not 0 <= index < len(self._tables):
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.note.setText("")
            return
        table = self._tables[index]
        self.table.clear()
        self.table.setColumnCount(len(table.columns))
        e = self.english
        self.table.setHorizontalHeaderLabels(
            [english(c.title) if e else c.title for c in table.columns]
        )
        self.table.setRowCount(len(table.rows))
        for i, row in enumerate(table.rows):
            for j, (value, column) in enumerate(zip(row, table.columns, strict=True)):
                shown = display(value, column.kind)
                item = QTableWidgetItem(english(shown) if e and j < 2 else shown)
                if column.kind not in (Cell.TEXT, Cell.DATE):
                    item.setTextAlignment(_RIGHT)
                if table.has_total and i == len(table.rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j, item)
        self.note.setText(note_english(table) if e else table.note)

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self._set_busy(False, t(self.english, f"未能完成：{exc}", f"Could not finish: {exc}"))

    def _set_busy(self, busy: bool, message: str) -> None:
        self.busy = busy
        for widget in (self.build_button, *self.export_buttons.values()):
            widget.setEnabled(not busy)
        self.message.setText(message)

    def set_english(self, english: bool) -> None:
        self.english = e = english
        for i, (_key, zh, en) in enumerate(PRESETS):
            self.preset.setItemText(i, t(e, zh, en))
        for i, (_by, zh, en) in enumerate(_BY):
            self.by.setItemText(i, t(e, zh, en))
        self.from_label.setText(t(e, "从", "From"))
        self.to_label.setText(t(e, "至", "to"))
        self.build_button.setText(t(e, "统计", "Show"))
        for fmt, button in self.export_buttons.items():
            button.setText(t(e, f"导出 {fmt.upper()}…", f"Export {fmt.upper()}…"))
        if self.report is not None:
            self._show_report(self.report)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the worker is idle (closing the desk, tests)."""
        return self._runner.wait(msecs)
