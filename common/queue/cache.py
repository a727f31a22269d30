"""The queue's one cache: services and window weights, which change only with the hall's settings.

Issuing and calling read them on every action; they change when ``sync_from_settings`` runs (this
process: :meth:`QueueCache.invalidate`) or when another PC runs it (picked up within ``ttl``
seconds). What changes during the day — a window's pause, tickets, counters — is never cached.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.db.models import Service, Window, WindowService, WindowServiceDay
from common.queue.errors import UnknownService, UnknownWindow

__all__ = ["CacheSnapshot", "QueueCache", "ServiceInfo", "WindowInfo"]


@dataclass(frozen=True)
class ServiceInfo:
    """A service row as the hot paths need it."""

    id: int
    prefix: str
    name: str
    name_en: str
    daily_cap: int
    id_card: str
    per_id_daily_limit: int
    active: bool = True


@dataclass(frozen=True)
class WindowInfo:
    """A window's id and the weight of each service it serves ({service id: weight})."""

    id: int
    number: int
    weights: dict[int, int]


@dataclass(frozen=True)
class CacheSnapshot:
    """Everything the cache holds, read together and replaced together."""

    loaded: float
    by_id: dict[int, ServiceInfo]
    by_prefix: dict[str, ServiceInfo]  # active services only
    windows: dict[int, WindowInfo] = field(default_factory=dict)
    # 调整窗口业务 for one hall day: (window number, day) → the weights that replace the
    # configured ones on that day only (common.manager.actions.reassign_window).
    day_windows: dict[tuple[int, dt.date], WindowInfo] = field(default_factory=dict)


class QueueCache:
    """Services and windows, re-read at most every ``ttl`` seconds (``monotonic`` is injectable).

    Thread-safe: a snapshot is built whole and swapped in with one assignment, so a reader sees
    the old one or the new one, never half of each.
    """

    def __init__(self, ttl: float = 60.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._monotonic = monotonic
        self._snapshot: CacheSnapshot | None = None
        self._lock = threading.Lock()
        self.loads = 0  # how many times the database was read (for tests)

    def invalidate(self) -> None:
        """Forget everything; the next read goes to the database (after sync_from_settings)."""
        self._snapshot = None

    def snapshot(self, s: Session, *, refresh: bool = False) -> CacheSnapshot:
        snap = self._snapshot
        if refresh or snap is None or self._monotonic() - snap.loaded > self.ttl:
            snap = self._load(s)
        return snap

    def _load(self, s: Session) -> CacheSnapshot:
        services = {
            sv.id: ServiceInfo(
                sv.id,
                sv.prefix,
                sv.name,
                sv.name_en,
                sv.daily_cap,
                sv.id_card,
                sv.per_id_daily_limit,
                sv.active,
            )
            for sv in s.scalars(select(Service))
        }
        windows = {
            int(wid): WindowInfo(int(wid), int(n), {})
            for wid, n in s.execute(select(Window.id, Window.number))
        }
        by_win = {w.id: w for w in windows.values()}
        for wid, sid, weight in s.execute(
            select(WindowService.window_id, WindowService.service_id, WindowService.weight)
        ):
            by_win[int(wid)].weights[int(sid)] = int(weight)
        # A handful of rows: the manager's reassignment drops those of earlier days.
        day_windows: dict[tuple[int, dt.date], WindowInfo] = {}
        for wid, day, sid, weight in s.execute(
            select(
                WindowServiceDay.window_id,
                WindowServiceDay.hall_day,
                WindowServiceDay.service_id,
                WindowServiceDay.weight,
            )
        ):
            base = by_win.get(int(wid))
            if base is not None:
                info = day_windows.setdefault(
                    (base.number, day), WindowInfo(base.id, base.number, {})
                )
                info.weights[int(sid)] = int(weight)
        snap = CacheSnapshot(
            loaded=self._monotonic(),
            by_id=services,
            by_prefix={sv.prefix: sv for sv in services.values() if sv.active},
            windows={w.number: w for w in windows.values()},
            day_windows=day_windows,
        )
        with self._lock:
            self._snapshot = snap
            self.loads += 1
        return snap

    def services(self, s: Session) -> dict[int, ServiceInfo]:
        """Every service by id, inactive ones too (old tickets still name them)."""
        return self.snapshot(s).by_id

    def service(self, s: Session, prefix: str) -> ServiceInfo:
        """An active service by prefix; a prefix not known yet re-reads once before refusing."""
        info = self.snapshot(s).by_prefix.get(prefix)
        if info is None:
            info = self.snapshot(s, refresh=True).by_prefix.get(prefix)
        if info is None:
            raise UnknownService(prefix)
        return info

    def window(self, s: Session, number: int, day: dt.date | None = None) -> WindowInfo:
        """A window by number; a number not known yet re-reads once before refusing.

        With ``day`` (the hall day), the window's services and weights of that day: the
        manager's reassignment for the day if there is one, else the configured ones.
        """
        snap = self.snapshot(s)
        info = snap.windows.get(number)
        if info is None:
            snap = self.snapshot(s, refresh=True)
            info = snap.windows.get(number)
        if info is None:
            raise UnknownWindow(str(number))
        if day is not None:
            return snap.day_windows.get((number, day), info)
        return info
