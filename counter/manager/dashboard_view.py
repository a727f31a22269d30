"""The live dashboard (实时看板): tiles, the window and service tables, charts, bad ratings.

It only renders a :class:`~common.manager.dashboard.Dashboard`; reading it and deciding when is
:class:`counter.manager.desk.ManagerDesk`'s job. Each group is drawn only when it was read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from common.intake.rating import BAD_REASONS
from common.manager.dashboard import Dashboard, Figure
from counter.manager.charts import FlowChart, RatingsChart, WaitingChart
from counter.manager.models import BadRatingModel, ServiceModel, WatchModel, WindowModel
from counter.manager.table_view import row_table
from counter.manager.words import duration, minutes, percent, t

__all__ = ["DashboardView", "Tile"]


class Tile(QFrame):
    """One figure: a caption, a big value, a small line under it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerTile")
        self.setProperty("tile", name)
        self.caption = QLabel()
        self.caption.setObjectName("managerTileCaption")
        self.value = QLabel("—")
        self.value.setObjectName("managerTileValue")
        self.detail = QLabel()
        self.detail.setObjectName("managerTileDetail")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        for label in (self.caption, self.value, self.detail):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)

    def set_alert(self, alert: bool) -> None:
        if self.property("alert") != alert:
            self.setProperty("alert", alert)
            self.style().unpolish(self)
            self.style().polish(self)


class DashboardView(QWidget):
    """Tiles across the top; windows, services and the waiting curve; flow, ratings, 差评."""

    TILES = (
        "issued",
        "served",
        "no_show",
        "waiting",
        "wait",
        "service",
        "satisfaction",
        "cases",
        "watch",
        "devices",
        "sync",
    )

    def __init__(
        self,
        tz: dt.tzinfo,
        now: Callable[[], dt.datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("managerDashboard")
        self.english = False
        self.board = Dashboard()
        self._tz = tz
        self._now = now
        self.tiles = {name: Tile(name) for name in self.TILES}
        tiles = QGridLayout()
        tiles.setSpacing(6)
        for i, name in enumerate(self.TILES):
            tiles.addWidget(self.tiles[name], 0, i)

        self.windows = WindowModel(now, self)
        self.services = ServiceModel(now, self)
        reasons = {key: (zh, en) for key, zh, en in BAD_REASONS}
        self.bad_ratings = BadRatingModel(now, tz, reasons, self)
        self.window_view = row_table(self.windows, WindowModel.Columns.STATE)
        self.window_view.setObjectName("managerWindows")
        self.service_view = row_table(self.services, ServiceModel.Columns.SERVICE)
        self.service_view.setObjectName("managerServices")
        self.bad_view = row_table(self.bad_ratings, BadRatingModel.Columns.REASONS)
        self.bad_view.setObjectName("managerBadRatings")
        self.watch = WatchModel(now, self)
        self.watch_view = row_table(self.watch, WatchModel.Columns.TITLE)
        self.watch_view.setObjectName("managerWatch")
        # 差评 and 电子监察 share the corner: both are lists the manager follows up.
        self.lists = QTabWidget()
        self.lists.setObjectName("managerLists")
        self.lists.addTab(self.bad_view, "")
        self.lists.addTab(self.watch_view, "")
        self.waiting_chart = WaitingChart(tz)
        self.flow_chart = FlowChart()
        self.ratings_chart = RatingsChart()
        self.windows_title, self.services_title = QLabel(), QLabel()
        for label in (self.windows_title, self.services_title):
            label.setObjectName("managerSectionTitle")

        def boxed(title: QLabel, body: QWidget) -> QVBoxLayout:
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(title)
            box.addWidget(body, 1)
            return box

        middle = QHBoxLayout()
        middle.addLayout(boxed(self.windows_title, self.window_view), 5)
        middle.addLayout(boxed(self.services_title, self.service_view), 4)
        middle.addWidget(self.waiting_chart, 5)
        bottom = QHBoxLayout()
        bottom.addWidget(self.flow_chart, 5)
        bottom.addWidget(self.ratings_chart, 4)
        bottom.addWidget(self.lists, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tiles)
        layout.addLayout(middle, 3)
        layout.addLayout(bottom, 2)
        self.set_english(False)

    # ------------------------------------------------------------------ language

    def set_english(self, english: bool) -> None:
        self.english = english
        e = english
        captions = {
            "issued": t(e, "今日取号", "Issued today"),
            "served": t(e, "已办结", "Served"),
            "no_show": t(e, "过号", "No-show"),
            "waiting": t(e, "正在等候", "Waiting now"),
            "wait": t(e, "平均等候", "Mean wait"),
            "service": t(e, "平均办理", "Mean service"),
            "satisfaction": t(e, "好评率", "Positive rate"),
            "cases": t(e, "今日受理", "Cases today"),
            "watch": t(e, "红牌 / 黄牌", "Red / yellow"),
            "devices": t(e, "设备告警", "Device alerts"),
            "sync": t(e, "待同步", "Unsent"),
        }
        for name, tile in self.tiles.items():
            tile.caption.setText(captions[name])
        self.windows_title.setText(t(e, "窗口", "Windows"))
        self.services_title.setText(t(e, "业务等候", "Queues"))
        self._list_titles()
        for model in (self.windows, self.services, self.bad_ratings, self.watch):
            model.set_english(e)
        for chart in (self.waiting_chart, self.flow_chart, self.ratings_chart):
            chart.set_english(e)
        self.show_board(self.board, self.board.read)

    # ------------------------------------------------------------------ figures

    def show_board(self, board: Dashboard, groups: set[Figure] | None = None) -> None:
        """Draw ``groups`` of ``board`` (default: every group it has read)."""
        self.board = board
        e = self.english
        groups = board.read if groups is None else groups
        tiles = self.tiles
        if Figure.TOTALS in groups and board.totals is not None and board.flow is not None:
            tot = board.totals
            tiles["issued"].value.setText(str(tot.issued))
            tiles["served"].value.setText(str(tot.served))
            tiles["no_show"].value.setText(str(tot.no_show))
            rate = tot.no_show / tot.issued if tot.issued else None
            tiles["no_show"].detail.setText(
                t(e, f"过号率 {percent(rate)}", f"rate {percent(rate)}")
            )
            tiles["waiting"].value.setText(str(tot.waiting))
            tiles["wait"].value.setText(minutes(tot.wait_mean, e))
            tiles["wait"].detail.setText(f"P90 {minutes(tot.wait_p90, e)}")
            tiles["service"].value.setText(minutes(tot.service_mean, e))
            tiles["service"].detail.setText(f"P90 {minutes(tot.service_p90, e)}")
            flow = board.flow
            self.waiting_chart.show_curve(flow.waiting_curve)
            self.flow_chart.show_flow(flow.hours, flow.arrivals, flow.served)
        if Figure.WINDOWS in groups and board.windows is not None:
            self.windows.show_rows(board.windows)
            self.window_view.horizontalHeader().resizeSections()
            open_count = sum(w.open for w in board.windows)
            paused = sum(w.paused for w in board.windows)
            self.windows_title.setText(
                t(
                    e,
                    f"窗口（开放 {open_count}，暂停 {paused}）",
                    f"Windows ({open_count} open, {paused} paused)",
                )
            )
        if Figure.SERVICES in groups and board.services is not None:
            self.services.show_rows(board.services)
            self.service_view.horizontalHeader().resizeSections()
            oldest = min((s.longest_since for s in board.services if s.longest_since), default=None)
            if board.totals is None:
                tiles["waiting"].value.setText(str(sum(s.waiting for s in board.services)))
            tiles["waiting"].detail.setText(
                t(
                    e,
                    f"最长 {duration(oldest, self._now(), e)}",
                    f"longest {duration(oldest, self._now(), e)}",
                )
            )
        if Figure.RATINGS in groups and board.ratings is not None:
            r = board.ratings
            tiles["satisfaction"].value.setText(percent(r.satisfaction))
            tiles["satisfaction"].detail.setText(
                t(e, f"{r.total} 条评价，差评 {len(r.bad)}", f"{r.total} ratings, {len(r.bad)} bad")
            )
            tiles["satisfaction"].set_alert(bool(r.bad))
            self.ratings_chart.show_ratings(r.by_level)
            self.bad_ratings.show_rows(r.bad)
            # Rows inserted into an empty view do not resize "to contents" columns by themselves.
            self.bad_view.horizontalHeader().resizeSections()
            self._list_titles()
        if Figure.CASES in groups and board.cases is not None:
            c = board.cases
            accepted = c.by_decision.get("accept", 0) + c.by_decision.get(
                "accept_with_tolerance", 0
            )
            tiles["cases"].value.setText(str(sum(c.by_decision.values())))
            tiles["cases"].detail.setText(
                t(
                    e,
                    f"受理 {accepted}，补正 {c.by_decision.get('correction_required', 0)}"
                    f"，不予 {c.by_decision.get('reject', 0)}",
                    f"{accepted} accepted, "
                    f"{c.by_decision.get('correction_required', 0)} to correct,"
                    f" {c.by_decision.get('reject', 0)} refused",
                )
            )
            tiles["watch"].value.setText(f"{c.red} / {c.yellow + c.reminder}")
            tiles["watch"].detail.setText(
                t(e, f"容缺到期 {c.tolerated_due}", f"{c.tolerated_due} tolerated due")
            )
            tiles["watch"].set_alert(c.red > 0)
            self.watch.show_rows(c.watch)
            self.watch_view.horizontalHeader().resizeSections()
            self._list_titles()
        if Figure.DEVICES in groups and board.devices is not None:
            alerts = board.devices.alerts
            tiles["devices"].value.setText(str(len(alerts)))
            tiles["devices"].detail.setText(
                "、".join(f"{a[0]} {a[1]}" for a in alerts[:2])
                if alerts
                else t(e, "正常", "all fine")
            )
            tiles["devices"].setToolTip("\n".join(f"{a[0]}: {a[1]} {a[2]} {a[3]}" for a in alerts))
            tiles["devices"].set_alert(bool(alerts))
        if Figure.SYNC in groups and board.sync is not None:
            s = board.sync
            tiles["sync"].value.setText(str(s.unsent))
            age = duration(s.oldest_unsent_at, self._now(), e) if s.unsent else "—"
            detail = t(e, f"最早 {age}", f"oldest {age}")
            if s.parked:
                detail += t(e, f"，拒收 {s.parked}", f", {s.parked} refused")
            tiles["sync"].detail.setText(detail)
            tiles["sync"].set_alert(bool(s.parked))

    def _list_titles(self) -> None:
        e = self.english
        bad, watch = self.bad_ratings.rowCount(), self.watch.rowCount()
        self.lists.setTabText(0, t(e, f"今日差评（{bad}）", f"Bad ratings today ({bad})"))
        self.lists.setTabText(1, t(e, f"电子监察（{watch}）", f"Case watch ({watch})"))

    def tick(self) -> None:
        """A minute passed: "how long" figures move on without a database read."""
        self.windows.tick()
        self.services.tick()
        self.show_board(self.board, {Figure.SERVICES, Figure.SYNC} & self.board.read)
