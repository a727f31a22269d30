"""The dashboard's charts, drawn with pyqtgraph (MIT; see docs/DECISIONS.md "Hall manager's desk").

Each chart keeps its plot items and changes their data on an update (``setData`` / ``setOpts``),
so a live refresh never rebuilds the scene. The x axis is the hall's clock in hours (9.25 is
09:15), labelled by hand, so no chart depends on the PC's own time zone.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

# Before the import: pyqtgraph must never pick another Qt binding installed on the same PC.
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from counter.manager.words import t

__all__ = ["FlowChart", "RatingsChart", "WaitingChart"]

_INK = "#374151"
_ARRIVED = "#2563eb"
_SERVED = "#16a34a"
_WAITING = "#ea580c"
# 非常满意 … 非常不满意, best first, as on the rating view.
_LEVEL_COLOURS = {5: "#15803d", 4: "#22c55e", 3: "#a3a3a3", 2: "#f97316", 1: "#b91c1c"}
_LEVEL_WORDS = {
    5: ("非常满意", "very sat."),
    4: ("满意", "satisfied"),
    3: ("基本满意", "fair"),
    2: ("不满意", "dissat."),
    1: ("非常不满意", "very dissat."),
}


class _Chart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A white plot with the counter's ink, no mouse panning (a dashboard, not an analysis tool)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.english = False
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        item.showGrid(x=False, y=True, alpha=0.25)
        font = QFont()
        font.setPointSize(9)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(_INK))
            axis.setTextPen(pg.mkPen(_INK))
            axis.setTickFont(font)
        self.setMinimumHeight(150)

    def _title(self, text: str) -> None:
        self.getPlotItem().setTitle(text, color=_INK, size="10pt")

    def _hour_ticks(self, first: int, last: int) -> None:
        step = 1 if last - first <= 10 else 2
        ticks = [(float(h), f"{h:02d}:00") for h in range(first, last + 1, step)]
        self.getPlotItem().getAxis("bottom").setTicks([ticks])


class WaitingChart(_Chart):
    """People waiting over the day, every 15 minutes (the curve a manager watches grow)."""

    def __init__(self, tz: dt.tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.curve = self.plot(
            [],
            [],
            pen=pg.mkPen(_WAITING, width=2),
            fillLevel=0,
            brush=pg.mkBrush(QColor(234, 88, 12, 50)),
        )
        self.points: tuple[tuple[float, int], ...] = ()
        self.set_english(False)

    def set_english(self, english: bool) -> None:
        self.english = english
        self._title(t(english, "等候人数（全天）", "People waiting over the day"))

    def show_curve(self, curve: Sequence[tuple[dt.datetime, int]]) -> None:
        points = tuple((self._hours(m), n) for m, n in curve)
        self.points = points
        self.curve.setData([p[0] for p in points], [p[1] for p in points])
        if points:
            first, last = int(points[0][0]), int(points[-1][0]) + 1
            self._hour_ticks(first, last)
            self.setXRange(first, last, padding=0.02)
            self.setYRange(0, max(5, max(n for _x, n in points) * 1.15), padding=0)

    def _hours(self, moment: dt.datetime) -> float:
        local = moment.astimezone(self._tz)
        return local.hour + local.minute / 60 + local.second / 3600


class FlowChart(_Chart):
    """Arrivals (issued) against served (办结) per hour: is the hall keeping up?"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.legend = self.getPlotItem().addLegend(offset=(-10, 5), labelTextColor=_INK)
        self.arrived = pg.BarGraphItem(x=[], height=[], width=0.38, brush=_ARRIVED, pen=None)
        self.served = pg.BarGraphItem(x=[], height=[], width=0.38, brush=_SERVED, pen=None)
        self.addItem(self.arrived)
        self.addItem(self.served)
        self.hours: tuple[int, ...] = ()
        self.set_english(False)

    def set_english(self, english: bool) -> None:
        self.english = english
        self._title(t(english, "每小时取号与办结", "Arrivals and served per hour"))
        self.legend.clear()
        self.legend.addItem(self.arrived, t(english, "取号", "arrived"))
        self.legend.addItem(self.served, t(english, "办结", "served"))

    def show_flow(
        self, hours: Sequence[int], arrivals: Sequence[int], served: Sequence[int]
    ) -> None:
        self.hours = tuple(hours)
        self.arrived.setOpts(x=[h + 0.3 for h in hours], height=list(arrivals))
        self.served.setOpts(x=[h + 0.7 for h in hours], height=list(served))
        if hours:
            # Each hour's pair of bars sits over its label: "09:00" names 09:00–10:00.
            step = 1 if len(hours) <= 10 else 2
            ticks = [(h + 0.5, f"{h:02d}:00") for h in hours[::step]]
            self.getPlotItem().getAxis("bottom").setTicks([ticks])
            self.setXRange(hours[0], hours[-1] + 1, padding=0.02)
            top = max([*arrivals, *served, 4])
            self.setYRange(0, top * 1.3, padding=0)


class RatingsChart(_Chart):
    """Today's ratings per level, best first, coloured from green to red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars = pg.BarGraphItem(
            x=[1, 2, 3, 4, 5],
            height=[0] * 5,
            width=0.6,
            brushes=[_LEVEL_COLOURS[level] for level in (5, 4, 3, 2, 1)],
            pen=None,
        )
        self.addItem(self.bars)
        self.counts: tuple[int, ...] = (0,) * 5
        self.setXRange(0.4, 5.6, padding=0)
        self.set_english(False)

    def set_english(self, english: bool) -> None:
        self.english = english
        self._title(t(english, "今日评价", "Ratings today"))
        ticks = [
            (float(i), t(english, *_LEVEL_WORDS[level]))
            for i, level in enumerate((5, 4, 3, 2, 1), start=1)
        ]
        self.getPlotItem().getAxis("bottom").setTicks([ticks])

    def show_ratings(self, by_level: dict[int, int]) -> None:
        self.counts = tuple(by_level.get(level, 0) for level in (5, 4, 3, 2, 1))
        self.bars.setOpts(height=list(self.counts))
        self.setYRange(0, max(4, max(self.counts)) * 1.2, padding=0)
