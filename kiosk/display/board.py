"""What the hall display shows, as plain state (no Qt): the calls and the paused windows.

:class:`DisplayBoard` folds queue events into the board. It keeps a bounded history, so a
display that runs for weeks holds the same amount of state after 10 calls as after 100,000.

The big "now calling" call is the last call whose citizen is still being called: once that
ticket is finished, skipped or transferred at its window, or the window pauses, the board
shows no current call rather than sending people to a window that no longer expects them.
"""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from common.config import DisplayColumn, Settings
from common.db.models import EventKind
from common.queue.events import CALL_KINDS, COUNT_KINDS, QueueEventRecord

# Kinds that end a window's current ticket: after one of these nobody is called to that window.
END_KINDS: frozenset[EventKind] = frozenset(
    {EventKind.FINISHED, EventKind.NO_SHOW, EventKind.REQUEUED, EventKind.TRANSFERRED}
)

__all__ = ["END_KINDS", "BoardChange", "CallEntry", "ColumnSpec", "DisplayBoard", "columns_for"]


@dataclass(frozen=True)
class CallEntry:
    """A call (or recall) shown on the board and announced."""

    event_id: int
    number: str
    window: int
    prefix: str
    recall: bool
    at: dt.datetime


@dataclass
class BoardChange:
    """What one batch of events changed, for the widgets to apply."""

    calls: list[CallEntry] = field(default_factory=list)  # in event order, to show and announce
    counts_changed: bool = False
    windows_changed: bool = False
    new_day: bool = False
    current_changed: bool = False  # the "now calling" call changed or was cleared
    # Event ids of calls in ``calls`` that ended (finished, skipped, transferred, paused) within
    # the same batch: a call nobody was served for — neither listed, spoken nor flashed.
    ended: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class ColumnSpec:
    """A display column: its title and which calls and services belong to it."""

    title: str
    title_en: str
    services: frozenset[str]  # prefixes whose waiting counts the column sums (all if empty)
    windows: frozenset[int]  # windows whose calls it lists (by service if empty)

    def wants(self, call: CallEntry) -> bool:
        if self.windows:
            return call.window in self.windows
        return not self.services or call.prefix in self.services


def columns_for(settings: Settings) -> list[ColumnSpec]:
    """The configured columns, or a sensible default; unknown prefixes / windows are errors."""
    conf = settings.display
    prefixes = {s.prefix for s in settings.services}
    windows = {w.number for w in settings.windows}
    configured: list[DisplayColumn] = list(conf.columns)
    specs: list[ColumnSpec] = []
    for i, col in enumerate(configured):
        bad_p = set(col.services) - prefixes
        bad_w = set(col.windows) - windows
        if bad_p or bad_w:
            from common.config import ConfigError

            what = ", ".join(sorted(bad_p) + [str(w) for w in sorted(bad_w)])
            raise ConfigError(f"display.columns[{i}]: unknown service or window {what}")
        if conf.layout == "windows":
            served = {p for w in settings.windows if w.number in col.windows for p in w.services}
            specs.append(
                ColumnSpec(col.title, col.title_en, frozenset(served), frozenset(col.windows))
            )
        else:
            specs.append(ColumnSpec(col.title, col.title_en, frozenset(col.services), frozenset()))
    if specs:
        return specs
    if conf.layout == "windows":
        numbers = sorted(windows)
        for start in range(0, len(numbers), 4):
            group = numbers[start : start + 4]
            served = {p for w in settings.windows if w.number in group for p in w.services}
            title = f"{group[0]}–{group[-1]}号窗口" if len(group) > 1 else f"{group[0]}号窗口"
            title_en = f"Windows {group[0]}–{group[-1]}" if len(group) > 1 else f"Window {group[0]}"
            specs.append(ColumnSpec(title, title_en, frozenset(served), frozenset(group)))
        return specs
    return [ColumnSpec("最近叫号", "Recent calls", frozenset(), frozenset())]


class DisplayBoard:
    """Folds queue events into the current call, recent calls and paused windows.

    ``calls`` is the history (what the recent-calls lists show); ``current`` is the call still
    in force, or ``None`` once its ticket left the window or the window paused.
    """

    def __init__(self, keep: int = 40) -> None:
        self.calls: collections.deque[CallEntry] = collections.deque(maxlen=keep)
        self.paused: dict[int, str] = {}
        self.hall_day: dt.date | None = None
        self.last_event_id = 0
        self.current: CallEntry | None = None

    def _end_current(
        self, change: BoardChange, window: int | None, number: str | None = None
    ) -> None:
        """Clear the current call if it is ``number`` at ``window`` (any number when None)."""
        current = self.current
        if current is None or window != current.window:
            return
        if number is not None and number != current.number:
            return
        self.current = None
        change.current_changed = True

    def apply(self, events: Iterable[QueueEventRecord]) -> BoardChange:
        change = BoardChange()
        open_calls: dict[int, CallEntry] = {}  # window → its call in this batch
        for e in events:
            if e.id <= self.last_event_id:
                continue  # delivered twice (a reconnect re-read): never announce twice
            self.last_event_id = e.id
            if self.hall_day is None or e.hall_day > self.hall_day:
                if self.hall_day is not None:
                    change.new_day = True
                    change.calls.clear()
                self.hall_day = e.hall_day
                self.calls.clear()
                self.paused.clear()
                if self.current is not None:
                    self.current = None
                    change.current_changed = True
            elif e.hall_day < self.hall_day:
                continue
            if e.kind in COUNT_KINDS:
                change.counts_changed = True
            if e.kind in CALL_KINDS and e.window_number is not None and e.number:
                recalled = e.kind == EventKind.RECALLED
                entry = CallEntry(e.id, e.number, e.window_number, e.service_prefix, recalled, e.at)
                self.calls.append(entry)
                self.current = entry
                change.calls.append(entry)
                change.current_changed = True
                open_calls[entry.window] = entry
            elif e.kind in END_KINDS:
                self._end_current(change, e.window_number, e.number)
                call = open_calls.get(e.window_number) if e.window_number is not None else None
                if call is not None and call.number == e.number:
                    change.ended.add(call.event_id)
            elif e.kind == EventKind.PAUSED and e.window_number is not None:
                self.paused[e.window_number] = str(e.data.get("reason", ""))
                change.windows_changed = True
                self._end_current(change, e.window_number)
                if e.window_number in open_calls:
                    change.ended.add(open_calls[e.window_number].event_id)
            elif e.kind == EventKind.RESUMED and e.window_number is not None:
                self.paused.pop(e.window_number, None)
                change.windows_changed = True
        return change
