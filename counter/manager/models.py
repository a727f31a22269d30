"""The desk's tables as models over the dashboard's plain rows (STYLE.md habit 9)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from common.intake.cases import WatchItem, WatchLevel
from common.manager.dashboard import BadRating, ServiceRow, WindowRow
from common.manager.followup import FollowupStep
from common.qt.table_model import RowTableModel
from counter.manager.words import duration, t

__all__ = ["BadRatingModel", "ServiceModel", "WatchModel", "WindowModel"]

_PAUSED = QColor("#b45309")
_CLOSED = QColor("#6b7280")
_BAD = QColor("#b91c1c")


class _Model(RowTableModel[Any]):
    """Shared: the language and the clock of "how long" columns."""

    def __init__(self, now: Callable[[], dt.datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.english = False
        self._now = now

    def set_english(self, english: bool) -> None:
        self.english = english
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Columns) - 1)
        self._rows_changed()

    def tick(self) -> None:
        """Time moved on: the "how long" cells read anew (no database read)."""
        self._rows_changed()


class WindowModel(_Model):
    """Windows: number, state (open / paused with reason / not staffed), who, ticket, how long."""

    class Columns(enum.IntEnum):
        WINDOW = 0
        STATE = 1
        STAFF = 2
        TICKET = 3
        SINCE = 4

    def show_rows(self, rows: Sequence[WindowRow]) -> None:
        self._update_rows(rows, key=lambda r: r.number)

    def header(self, column: enum.IntEnum) -> str | None:
        e = self.english
        return {
            self.Columns.WINDOW: t(e, "窗口", "Window"),
            self.Columns.STATE: t(e, "状态", "State"),
            self.Columns.STAFF: t(e, "人员", "Staff"),
            self.Columns.TICKET: t(e, "当前号", "Ticket"),
            self.Columns.SINCE: t(e, "已办理", "Serving for"),
        }[self.Columns(column)]

    def state(self, row: WindowRow) -> str:
        e = self.english
        if row.paused:
            return t(e, f"暂停：{row.pause_reason}", f"paused: {row.pause_reason}")
        if not row.staffed:
            return t(e, "无人", "not staffed")
        return t(e, "开放", "open")

    def cell(self, row: WindowRow, column: enum.IntEnum, role: int) -> Any:
        c = self.Columns(column)
        if role == Qt.ItemDataRole.DisplayRole:
            if c is self.Columns.WINDOW:
                return str(row.number)
            if c is self.Columns.STATE:
                return self.state(row)
            if c is self.Columns.STAFF:
                return row.staff or "—"
            if c is self.Columns.TICKET:
                return row.current or "—"
            return duration(row.current_since, self._now(), self.english) if row.current else "—"
        if role == Qt.ItemDataRole.ForegroundRole and c is self.Columns.STATE:
            if row.paused:
                return QBrush(_PAUSED)
            if not row.staffed:
                return QBrush(_CLOSED)
        if role == Qt.ItemDataRole.TextAlignmentRole and c is not self.Columns.STATE:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class ServiceModel(_Model):
    """Services: name, people waiting, the longest wait so far, the estimate a newcomer sees."""

    class Columns(enum.IntEnum):
        SERVICE = 0
        WAITING = 1
        LONGEST = 2
        ESTIMATE = 3

    def show_rows(self, rows: Sequence[ServiceRow]) -> None:
        self._update_rows(rows, key=lambda r: r.prefix)

    def header(self, column: enum.IntEnum) -> str | None:
        e = self.english
        return {
            self.Columns.SERVICE: t(e, "业务", "Service"),
            self.Columns.WAITING: t(e, "等候", "Waiting"),
            self.Columns.LONGEST: t(e, "最长等候", "Longest wait"),
            self.Columns.ESTIMATE: t(e, "预计等候", "Estimate"),
        }[self.Columns(column)]

    def cell(self, row: ServiceRow, column: enum.IntEnum, role: int) -> Any:
        c = self.Columns(column)
        e = self.english
        if role == Qt.ItemDataRole.DisplayRole:
            if c is self.Columns.SERVICE:
                name = f"{row.prefix}  {row.name_en if e and row.name_en else row.name}"
                paused = row.paused_en if e else row.paused_zh
                return f"{name} · {paused}" if paused else name
            if c is self.Columns.WAITING:
                return str(row.waiting)
            if c is self.Columns.LONGEST:
                return duration(row.longest_since, self._now(), e)
            return t(e, f"{row.estimate_minutes} 分钟", f"{row.estimate_minutes} min")
        if role == Qt.ItemDataRole.TextAlignmentRole and c is not self.Columns.SERVICE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and c is self.Columns.SERVICE and row.paused_zh:
            return QBrush(_PAUSED)
        return None


class BadRatingModel(_Model):
    """Today's bad ratings (差评): when, which window, the level, the reasons, call back?"""

    class Columns(enum.IntEnum):
        TIME = 0
        WINDOW = 1
        LEVEL = 2
        REASONS = 3
        FOLLOWUP = 4

    def __init__(
        self,
        now: Callable[[], dt.datetime],
        tz: dt.tzinfo,
        reason_words: dict[str, tuple[str, str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(now, parent)
        self._tz = tz
        self._reasons = reason_words

    def show_rows(self, rows: Sequence[BadRating]) -> None:
        self._update_rows(rows, key=lambda r: r.id)

    def header(self, column: enum.IntEnum) -> str | None:
        e = self.english
        return {
            self.Columns.TIME: t(e, "时间", "Time"),
            self.Columns.WINDOW: t(e, "窗口", "Window"),
            self.Columns.LEVEL: t(e, "评价", "Rating"),
            self.Columns.REASONS: t(e, "原因", "Reasons"),
            self.Columns.FOLLOWUP: t(e, "跟进", "Follow-up"),
        }[self.Columns(column)]

    def cell(self, row: BadRating, column: enum.IntEnum, role: int) -> Any:
        c = self.Columns(column)
        e = self.english
        if role == Qt.ItemDataRole.DisplayRole:
            if c is self.Columns.TIME:
                return row.at.astimezone(self._tz).strftime("%H:%M")
            if c is self.Columns.WINDOW:
                return "—" if row.window is None else str(row.window)
            if c is self.Columns.LEVEL:
                return (
                    t(e, "非常不满意", "very dissatisfied")
                    if row.level == 1
                    else t(e, "不满意", "dissatisfied")
                )
            if c is self.Columns.FOLLOWUP:
                return _followup_words(row, e)
            words = [t(e, *self._reasons.get(r, (r, r))) for r in row.reasons]
            if row.comment:
                words.append(f"“{row.comment}”")
            if row.callback:
                words.append(t(e, "（请回访）", "(call back)"))
            return "、".join(words) if not e else "; ".join(words)
        if role == Qt.ItemDataRole.ForegroundRole and c is self.Columns.LEVEL:
            return QBrush(_BAD)
        if role == Qt.ItemDataRole.ForegroundRole and c is self.Columns.FOLLOWUP:
            if row.followup_overdue or not row.followup:
                return QBrush(_BAD)
        return None


def _followup_words(row: BadRating, english: bool) -> str:
    """Whether a bad rating has been followed up: the step reached, overdue said in words."""
    if not row.followup:
        return t(english, "未跟进", "not followed up")
    step = FollowupStep(row.followup)
    words = step.label_en if english else step.label
    return words + t(english, "（超期）", " (overdue)") if row.followup_overdue else words


_LEVEL_WORDS = {
    WatchLevel.RED: ("红牌：已超期", "red: overdue", QColor("#b91c1c")),
    WatchLevel.REMINDER: ("明日到期", "due next working day", QColor("#c2410c")),
    WatchLevel.YELLOW: ("黄牌：临近期限", "yellow: due soon", QColor("#a16207")),
    WatchLevel.TOLERANCE_OVERDUE: ("容缺补正超期", "tolerated item overdue", QColor("#7c2d12")),
}


class WatchModel(_Model):
    """电子监察: flagged cases, most urgent first — flag, case number, matter, window, due date."""

    class Columns(enum.IntEnum):
        LEVEL = 0
        NUMBER = 1
        TITLE = 2
        WINDOW = 3
        DUE = 4

    def show_rows(self, rows: Sequence[WatchItem]) -> None:
        self._update_rows(rows, key=lambda r: r.number)

    def header(self, column: enum.IntEnum) -> str | None:
        e = self.english
        return {
            self.Columns.LEVEL: t(e, "标记", "Flag"),
            self.Columns.NUMBER: t(e, "办件编号", "Case"),
            self.Columns.TITLE: t(e, "事项", "Matter"),
            self.Columns.WINDOW: t(e, "窗口", "Window"),
            self.Columns.DUE: t(e, "期限", "Due"),
        }[self.Columns(column)]

    def cell(self, row: WatchItem, column: enum.IntEnum, role: int) -> Any:
        c = self.Columns(column)
        zh, en, colour = _LEVEL_WORDS[row.level]
        if role == Qt.ItemDataRole.DisplayRole:
            if c is self.Columns.LEVEL:
                return t(self.english, zh, en)
            if c is self.Columns.NUMBER:
                return row.number
            if c is self.Columns.TITLE:
                return row.title
            if c is self.Columns.WINDOW:
                return "—" if row.window is None else str(row.window)
            due = (
                row.supplement_deadline
                if row.level is WatchLevel.TOLERANCE_OVERDUE
                else row.promised_date
            )
            return "—" if due is None else due.isoformat()
        if role == Qt.ItemDataRole.ForegroundRole and c is self.Columns.LEVEL:
            return QBrush(colour)
        return None
