"""The hall wall display (叫号大屏): current call, recent calls, waiting counts, clock, notice.

Lays itself out for landscape (1920×1080, 3840×2160) or portrait (1080×1920) from its own size,
and scales every font from the shorter side, so the same window fits any of them. Queue events
arrive through a QueueEventBridge (already on the GUI thread); waiting counts are re-queried on
the TaskRunner, coalesced, never on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from common.config import Settings
from common.db.engine import DatabaseUnavailable
from common.db.models import EventKind
from common.manager.actions import latest_notice
from common.qt.i18n import fill
from common.qt.voice import Announcer, announcement_text
from common.qt.worker import TaskRunner
from common.queue.events import QueueEventRecord
from common.queue.no_show import hall_notices
from common.queue.service import QueueService, ServiceStatus
from kiosk.display.board import CallEntry, ColumnSpec, DisplayBoard, columns_for
from kiosk.display.models import RecentCallsModel, WaitingModel
from kiosk.display.ticker import NoticeTicker

__all__ = ["DisplayWindow", "Snapshot", "load_snapshot"]

log = logging.getLogger(__name__)

Snapshot = tuple[int, list[QueueEventRecord], list[ServiceStatus]]
_BACKLOG = 300
# Table headers ("号码", "等候人数" …) are read from across the hall like the rows under them:
# nine tenths of the rows' text size, not the six tenths that looked like footnotes on a wall.
HEADER_SCALE = 0.9
# A column title shrinks to stay on one line, down to this share of its full size, so that a
# long title ("公积金·税务·社保·社会事务" in portrait) never wraps and pushes its list down.
TITLE_MIN_SCALE = 0.55


def load_snapshot(queue: QueueService) -> Snapshot:
    """Start-up state (worker thread): last event id, today's recent events, waiting counts."""
    last = queue.last_event_id()
    rows = queue.events_after(max(0, last - _BACKLOG), _BACKLOG)
    events = [QueueEventRecord.from_row(r) for r in rows if r.id <= last]
    return last, events, queue.service_statuses()


def _table(name: str) -> QTableView:
    view = QTableView()
    _setup_table(view, name)
    return view


def _setup_table(view: QTableView, name: str) -> None:
    view.setObjectName(name)
    view.verticalHeader().hide()
    view.setShowGrid(False)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.horizontalHeader().setHighlightSections(False)


class _FittingTable(QTableView):
    """A table whose rows always fit its height: rows shrink (font too) rather than scroll.

    A wall display has no scroll bar to drag; on a short screen, or a window with a title bar,
    the last service used to be cut at the bottom."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.rows = 1
        self.row_height = 40
        self.font_px = 28.0
        self.family = ""
        _setup_table(self, name)
        # The header's own minimum follows its (unused, hidden) font: it must not overrule us.
        self.verticalHeader().setMinimumSectionSize(8)

    def fit(self, rows: int, row_height: int, font_px: float, family: str) -> None:
        self.rows, self.row_height, self.font_px, self.family = (
            max(1, rows),
            row_height,
            font_px,
            family,
        )
        self._apply()

    def _apply(self) -> None:
        room = self.viewport().height()
        height = max(8, min(self.row_height, room // self.rows) if room > 0 else self.row_height)
        font = QFont(self.family) if self.family else QFont(self.font())
        # The text keeps its proportion to the row (28 px text in a 40 px row at full size).
        font.setPixelSize(
            max(8, round(min(self.font_px, height * self.font_px / max(1, self.row_height))))
        )
        font.setBold(True)
        self.setFont(font)
        self.verticalHeader().setDefaultSectionSize(height)

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport, not the view: it also shrinks when the header grows with the font.
        if event.type() == QEvent.Type.Resize:
            self._apply()
        return super().viewportEvent(event)


class _Column(QFrame):
    """A display column: title, how many wait for it, its recent calls.

    The title is one line of fixed height (its full-size line), whatever its length: a title
    that wrapped made its column's list start lower than its neighbours'."""

    def __init__(self, spec: ColumnSpec, model: RecentCallsModel) -> None:
        super().__init__()
        self.setObjectName("displayColumn")
        # Equal columns whatever their content: the stretch factors decide, not size hints.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.spec = spec
        self.model = model
        self.title = QLabel()
        self.title.setObjectName("columnTitle")
        self.title.setWordWrap(False)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Its width comes from the column, never from the title's text.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.title_font = QFont()
        self.waiting = QLabel()
        self.waiting.setObjectName("columnWaiting")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view = _table("recentCalls")
        self.view.setModel(model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.waiting)
        layout.addWidget(self.view, 1)

    def set_title_font(self, font: QFont) -> None:
        """The full-size title font; the title keeps that line's height and shrinks to fit."""
        self.title_font = QFont(font)
        self.title.setFixedHeight(QFontMetrics(font).height())
        self.fit_title()

    def title_room(self) -> int:
        margins = self._layout.contentsMargins()
        return max(1, self.contentsRect().width() - margins.left() - margins.right())

    def fit_title(self) -> None:
        """Largest font from the full size down to TITLE_MIN_SCALE that keeps the title on one
        line.
        """
        full = self.title_font.pixelSize()
        if full <= 0:
            return
        room = self.title_room()
        font = QFont(self.title_font)
        text = self.title.text()
        px = full
        floor = max(8, round(full * TITLE_MIN_SCALE))
        while px > floor and QFontMetrics(font).horizontalAdvance(text) > room:
            px -= 1
            font.setPixelSize(px)
        self.title.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_title()


class DisplayWindow(QWidget):
    """The whole wall display. Wire ``on_queue_events`` / ``on_connection`` to a bridge."""

    call_shown = Signal(int)  # queue event id of a call now on screen (benchmarks, tests)
    counts_shown = Signal()
    ready = Signal(int)  # start-up state shown; follow events after this id

    def __init__(
        self,
        settings: Settings,
        queue: QueueService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        announcer: Announcer | None = None,
        now: Callable[[], dt.datetime] | None = None,
        font_family: str = "",
        english: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("displayWindow")
        self.settings = settings
        self.queue = queue
        self.runner = runner
        self.announcer = announcer
        self.english = english
        self._now = now or (lambda: dt.datetime.now(settings.hall.tz))
        self._family = font_family
        self.board = DisplayBoard()
        self.connected = True
        self.started = False
        self._portrait: bool | None = None
        self._unit = 1.0  # font scale from the shorter side (1080 px → 1), kept for re-polishing
        conf = settings.display

        # -- header -----------------------------------------------------------------------
        self.hall_name = QLabel(settings.hall.name_en if english else settings.hall.name)
        self.hall_name.setObjectName("hallName")
        self.offline = QLabel()
        self.offline.setObjectName("offlineIndicator")
        self.offline.hide()
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.header = QFrame()
        self.header.setObjectName("displayHeader")
        header = QHBoxLayout(self.header)
        header.addWidget(self.hall_name)
        header.addStretch(1)
        header.addWidget(self.offline)
        header.addSpacing(24)
        header.addWidget(self.clock)

        # -- the current call ---------------------------------------------------------------
        self.call_frame = QFrame()
        self.call_frame.setObjectName("callFrame")
        self.call_frame.setProperty("flash", "off")
        self.call_caption = QLabel()
        self.call_caption.setObjectName("callCaption")
        self.call_number = QLabel("—")
        self.call_number.setObjectName("callNumber")
        self.call_window = QLabel()
        self.call_window.setObjectName("callWindow")
        for label in (self.call_caption, self.call_number, self.call_window):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        call = QVBoxLayout(self.call_frame)
        call.addWidget(self.call_caption)
        call.addWidget(self.call_number, 1)
        call.addWidget(self.call_window)

        # -- columns of recent calls ----------------------------------------------------------
        self.specs = columns_for(settings)
        self.columns: list[_Column] = []
        self.columns_host = QWidget()
        self.columns_host.setObjectName("columnsHost")
        columns = QHBoxLayout(self.columns_host)
        columns.setContentsMargins(0, 0, 0, 0)
        for spec in self.specs:
            model = RecentCallsModel(
                conf.recent_calls, self, accept=spec.wants, window_text=self._window_text
            )
            column = _Column(spec, model)
            self.columns.append(column)
            columns.addWidget(column, 1)

        # -- waiting counts -------------------------------------------------------------------
        self.waiting_model = WaitingModel(self)
        self.waiting_model.english = english
        self.waiting_title = QLabel()
        self.waiting_title.setObjectName("sectionTitle")
        self.waiting_view = _FittingTable("waitingView")
        self.waiting_view.setModel(self.waiting_model)
        wh = self.waiting_view.horizontalHeader()
        # The figures' columns are sized for their widest text once per scale (_scale), not to
        # the contents: contents-sized columns were not widened when "—" became "15 分钟", and
        # the estimate was elided to "1 …".
        wh.setSectionResizeMode(WaitingModel.Columns.SERVICE, QHeaderView.ResizeMode.Stretch)
        wh.setSectionResizeMode(WaitingModel.Columns.WAITING, QHeaderView.ResizeMode.Fixed)
        wh.setSectionResizeMode(WaitingModel.Columns.ESTIMATE, QHeaderView.ResizeMode.Fixed)
        self.waiting_box = QFrame()
        self.waiting_box.setObjectName("waitingBox")
        wl = QVBoxLayout(self.waiting_box)
        wl.setContentsMargins(8, 8, 8, 8)
        wl.addWidget(self.waiting_title)
        wl.addWidget(self.waiting_view, 1)

        # -- notice -------------------------------------------------------------------------
        self.ticker = NoticeTicker()
        # The 过号 line follows the queue's rule whatever the TOML's notice says (one wording).
        self.ticker.set_notices(hall_notices(settings, conf.notice or None))
        # The hall manager's notice line goes first on the ticker ("" takes it down).
        self.manager_notice = ""

        self.body = QGridLayout()
        self.body.setSpacing(16)
        outer = QVBoxLayout(self)
        # The window's size is the screen's; fonts follow the size (resizeEvent), so the
        # layout must not refuse a smaller size because of the fonts of the previous one.
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.header)
        inner = QWidget()
        inner.setObjectName("displayBody")
        inner.setLayout(self.body)
        outer.addWidget(inner, 1)
        outer.addWidget(self.ticker)

        # -- timers -------------------------------------------------------------------------
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick_clock)
        self._clock_timer.start()
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(450)
        self._flash_timer.timeout.connect(self._flash_step)
        self._flash_until = 0.0
        self._flash_elapsed = 0.0
        # Waiting counts: a burst of events becomes one query; at most one query in flight.
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(300)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self._counts_in_flight = False
        self._counts_dirty = False
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(2000)
        self._retry_timer.timeout.connect(self.start)

        self.retranslate()
        self._tick_clock()
        self._relayout(portrait=False)

    # ------------------------------------------------------------------ text and layout

    def _window_text(self, number: int) -> str:
        return fill(self.tr("Window %1"), number)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("OneWindow hall display"))
        self.offline.setText("● " + self.tr("Connection lost — showing the last state"))
        self.waiting_title.setText(self.tr("Waiting"))
        for column in self.columns:
            column.title.setText(
                column.spec.title_en if self.english and column.spec.title_en else column.spec.title
            )
            column.fit_title()
            column.model.set_window_text(self._window_text)
        self._show_current()
        self._update_column_counts()
        self._size_figures(self.waiting_view.font_px)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        self._relayout(portrait=size.height() > size.width())
        self._scale(min(size.width(), size.height()) / 1080.0)
        super().resizeEvent(event)

    def _relayout(self, *, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for widget in (self.call_frame, self.columns_host, self.waiting_box):
            self.body.removeWidget(widget)
        for i in range(4):
            self.body.setRowStretch(i, 0)
            self.body.setColumnStretch(i, 0)
        if portrait:
            self.body.addWidget(self.call_frame, 0, 0)
            self.body.addWidget(self.columns_host, 1, 0)
            self.body.addWidget(self.waiting_box, 2, 0)
            self.body.setRowStretch(0, 5)
            self.body.setRowStretch(1, 6)
            self.body.setRowStretch(2, 6)
        else:
            self.body.addWidget(self.call_frame, 0, 0)
            self.body.addWidget(self.waiting_box, 1, 0)
            self.body.addWidget(self.columns_host, 0, 1, 2, 1)
            self.body.setColumnStretch(0, 7)
            self.body.setColumnStretch(1, 13)
            self.body.setRowStretch(0, 4)
            self.body.setRowStretch(1, 6)

    def _font(self, px: float, *, bold: bool = False) -> QFont:
        font = QFont(self._family) if self._family else QFont(self.font())
        font.setPixelSize(max(8, round(px)))
        font.setBold(bold)
        return font

    def _scale(self, u: float) -> None:
        """Fonts and row heights from the shorter side: 1080 px → u = 1."""
        margin = round(16 * u)
        self.body.setContentsMargins(margin, margin, margin, margin)
        self.body.setSpacing(margin)
        self.hall_name.setFont(self._font(46 * u, bold=True))
        self.clock.setFont(self._font(36 * u))
        self.offline.setFont(self._font(22 * u))
        self.header.setFixedHeight(round(96 * u))
        self._unit = u
        self._scale_call()
        self.waiting_title.setFont(self._font(34 * u, bold=True))
        rows = max(1, len(self.settings.services))
        # Every service must fit without scrolling: rows shrink when a hall has many services,
        # and again (_FittingTable) when the box is shorter than the rows at this scale.
        px = min(28 * u, 28 * u * 9 / rows)
        self._style_table(self.waiting_view, px, round(min(40 * u, 40 * u * 9 / rows)), rows)
        self.waiting_view.fit(rows, round(min(40 * u, 40 * u * 9 / rows)), px, self._family)
        self._size_figures(px)
        for column in self.columns:
            column.set_title_font(self._font(32 * u, bold=True))
            column.waiting.setFont(self._font(26 * u))
            self._style_table(
                column.view, 40 * u, round(62 * u), self.settings.display.recent_calls
            )
        self.ticker.setFont(self._font(34 * u))
        self.ticker.setFixedHeight(round(70 * u))

    def _scale_call(self) -> None:
        u = self._unit
        self.call_caption.setFont(self._font(40 * u))
        self.call_number.setFont(self._font(180 * u, bold=True))
        self.call_window.setFont(self._font(58 * u, bold=True))

    def _size_figures(self, px: float) -> None:
        """Width of the waiting and estimate columns: their widest text in the cell or header
        font.
        """
        cell = QFontMetrics(self._font(px, bold=True))
        head = QFontMetrics(self._font(px * HEADER_SCALE, bold=True))
        header = self.waiting_view.horizontalHeader()
        for column in (WaitingModel.Columns.WAITING, WaitingModel.Columns.ESTIMATE):
            widest = max(cell.horizontalAdvance(t) for t in self.waiting_model.widest_texts(column))
            width = max(widest, head.horizontalAdvance(self.waiting_model.header(column)))
            header.resizeSection(column, width + round(px))

    def _style_table(self, view: QTableView, px: float, row_height: int, rows: int) -> None:
        view.setFont(self._font(px, bold=True))
        # A styled ::section ignores setFont; the header's size has to come through the sheet.
        head_px = max(8, round(px * HEADER_SCALE))
        view.horizontalHeader().setStyleSheet(
            f"QHeaderView::section {{ font-size: {head_px}px; font-weight: bold; }}"
        )
        view.verticalHeader().setDefaultSectionSize(row_height)
        view.horizontalHeader().setFixedHeight(round(head_px * 1.6))

    def stop(self) -> None:
        """Stop every timer and wait for a query in flight (shutdown: a closed display must not
        query a dropped database)."""
        for timer in (self._clock_timer, self._flash_timer, self._counts_timer, self._retry_timer):
            timer.stop()
        self.runner.wait(5000)

    # ------------------------------------------------------------------ start-up

    def start(self) -> None:
        """Load the state to show (off the GUI thread); then follow events from there."""
        queue = self.queue
        self.runner.submit(
            lambda: load_snapshot(queue), self._snapshot_loaded, self._snapshot_failed
        )
        # Today's notice, if the manager broadcast one before this display started.
        self.runner.submit(lambda: latest_notice(queue), self.show_notice, lambda _e: None)

    def show_notice(self, text: str) -> None:
        """The manager's notice line, first on the ticker ("" takes it down)."""
        self.manager_notice = text
        lines = hall_notices(self.settings, self.settings.display.notice or None)
        self.ticker.set_notices([text, *lines] if text else lines)

    def _snapshot_loaded(self, snapshot: Snapshot) -> None:
        last, events, statuses = snapshot
        change = self.board.apply(events)
        self.board.last_event_id = max(self.board.last_event_id, last)
        for entry in change.calls:  # history: shown, not announced, not flashed
            for column in self.columns:
                column.model.add(entry)
        self._apply_counts(statuses)
        self._show_current()
        self._set_connected(True)
        self.started = True
        self.ready.emit(last)

    def _snapshot_failed(self, exc: BaseException) -> None:
        log.warning("display start-up: %s", exc)
        self._set_connected(False)
        self._retry_timer.start()

    # ------------------------------------------------------------------ events

    def on_queue_events(self, batch: Sequence[QueueEventRecord]) -> None:
        """Slot for QueueEventBridge.events (GUI thread)."""
        notices = [ev for ev in batch if ev.kind == EventKind.NOTICE]
        if notices:
            self.show_notice(str(notices[-1].data.get("text", "")))
        change = self.board.apply(batch)
        if change.new_day:
            for column in self.columns:
                column.model.clear()
        for entry in change.calls:
            # A call already finished, skipped or transferred in the same batch (a stray double
            # "next") served nobody: neither listed nor spoken, so no one walks to that window.
            if entry.event_id in change.ended:
                continue
            for column in self.columns:
                column.model.add(entry)
            if self.announcer is not None:
                self.announcer.announce(
                    announcement_text(
                        entry.number, entry.window, self.settings.display.voice_template
                    )
                )
        if change.calls:
            self._show_current()
            if self.board.current is not None:
                self._start_flash()
            for entry in change.calls:
                self.call_shown.emit(entry.event_id)
        if change.current_changed and self.board.current is None:
            # The called ticket was finished, skipped or transferred, or its window paused:
            # nobody is expected at that window any more, so the big call goes blank.
            self._stop_flash()
            self._show_current()
        if change.counts_changed or change.windows_changed or change.new_day:
            self.schedule_counts()

    def on_connection(self, connected: bool, _message: str = "") -> None:
        self._set_connected(connected)
        if connected:
            self.schedule_counts()

    def _set_connected(self, connected: bool) -> None:
        # Discreet: a small amber line in the header; the board keeps its last state.
        self.connected = connected
        self.offline.setVisible(not connected)

    # ------------------------------------------------------------------ counts

    def schedule_counts(self) -> None:
        if not self._counts_timer.isActive():
            self._counts_timer.start()

    def refresh_counts(self) -> None:
        if self._counts_in_flight:
            self._counts_dirty = True
            return
        self._counts_in_flight = True
        self.runner.submit(self.queue.service_statuses, self._counts_loaded, self._counts_failed)

    def _counts_loaded(self, statuses: list[ServiceStatus]) -> None:
        self._counts_in_flight = False
        self._apply_counts(statuses)
        if not self.connected:
            self._set_connected(True)
        self.counts_shown.emit()
        if self._counts_dirty:
            self._counts_dirty = False
            self.schedule_counts()

    def _counts_failed(self, exc: BaseException) -> None:
        self._counts_in_flight = False
        if isinstance(exc, DatabaseUnavailable):
            self._set_connected(False)
            self._counts_timer.start(2000)
        else:
            log.error("waiting counts failed: %s", exc)

    def _apply_counts(self, statuses: Sequence[ServiceStatus]) -> None:
        self.waiting_model.set_statuses(statuses)
        self._update_column_counts()

    def _update_column_counts(self) -> None:
        for column in self.columns:
            n = self.waiting_model.waiting_for(column.spec.services)
            column.waiting.setText(self.tr("%n waiting", "", n))

    # ------------------------------------------------------------------ the current call

    def _show_current(self) -> None:
        current: CallEntry | None = self.board.current
        if current is None:
            self.call_caption.setText(self.tr("Now calling"))
            self.call_number.setText("—")
            self.call_window.setText(self.tr("Please wait for your number"))
            return
        self.call_caption.setText(
            self.tr("Now calling") + ("  " + self.tr("(again)") if current.recall else "")
        )
        self.call_number.setText(current.number)
        self.call_window.setText(fill(self.tr("Please go to window %1"), current.window))

    def _start_flash(self) -> None:
        seconds = self.settings.display.flash_seconds
        if seconds <= 0:
            return
        self._flash_elapsed = 0.0
        self._flash_until = seconds * 1000
        self._set_flash("on")
        self._flash_timer.start()

    def _stop_flash(self) -> None:
        if self._flash_timer.isActive():
            self._flash_timer.stop()
            self._set_flash("off")

    def _flash_step(self) -> None:
        self._flash_elapsed += self._flash_timer.interval()
        if self._flash_elapsed >= self._flash_until:
            self._flash_timer.stop()
            self._set_flash("off")
            return
        self._set_flash("off" if self.call_frame.property("flash") == "on" else "on")

    def _set_flash(self, state: str) -> None:
        self.call_frame.setProperty("flash", state)
        for widget in (self.call_frame, self.call_caption, self.call_number, self.call_window):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        # Re-polishing under an application style sheet puts back the font each widget had when
        # it was first polished (the default, ~12 px), dropping what _scale() set with setFont;
        # so the call's fonts are set again, or the number shrinks at the first call and stays.
        self._scale_call()

    @property
    def flashing(self) -> bool:
        return self._flash_timer.isActive()

    # ------------------------------------------------------------------ clock

    def _tick_clock(self) -> None:
        now = self._now()
        if self.english:
            self.clock.setText(now.strftime("%a %d %b %Y  %H:%M:%S"))
        else:
            weekday = "一二三四五六日"[now.weekday()]
            self.clock.setText(
                f"{now.year}年{now.month}月{now.day}日 星期{weekday}  {now:%H:%M:%S}"
            )
