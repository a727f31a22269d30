"""The hall manager's actions on the queue, each one audited unit of work (STYLE.md habit 4).

* pause / reopen a window with a reason (the window's own 暂停 / 恢复 writes the same
  ``paused`` / ``resumed`` events, so counters, displays and the dashboard follow as usual;
  the audit row says it was the manager, and why);
* broadcast a notice line to the kiosks and the hall display: a ``notice`` queue event (the
  stream every screen already follows), with an empty text to take the notice down;
* reassign a window's services and weights (a window may not be left with no service).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select, update

from common.db.models import EventKind, Service, Window, WindowService
from common.db.unit import UnitOfWork
from common.queue.errors import UnknownWindow
from common.queue.service import QueueService

__all__ = ["NOTICE_KIND", "NOTICE_MAX", "WINDOW_SERVICES_KIND", "ManagerActions"]

# Not an EventKind member yet: the kiosk and the display learn to show it in their own issues.
NOTICE_KIND = "notice"
NOTICE_MAX = 120  # one line on the display's ticker
# A window's services changed: every PC drops its queue cache (services and weights) at once.
WINDOW_SERVICES_KIND = "window_services"


class ManagerActions:
    """Pause, reopen, broadcast and reassign, as the manager ``actor``; every call is audited."""

    def __init__(self, queue: QueueService) -> None:
        self.queue = queue

    def _unit(self) -> UnitOfWork:
        return UnitOfWork(self.queue.db, self.queue.clock, tz=self.queue.settings.hall.tz)

    def _window(self, uow: UnitOfWork, number: int) -> Window:
        row = uow.session.scalars(select(Window).where(Window.number == number)).first()
        if row is None:
            raise UnknownWindow(str(number))
        return row

    def pause_window(self, window: int, reason: str, *, actor: str) -> None:
        """暂停 a window from the desk; the reason is shown on the window and in the audit."""
        reason = reason.strip()
        if not reason:
            raise ValueError("a pause needs a reason")
        with self._unit() as uow:
            row = self._window(uow, window)
            uow.session.execute(
                update(Window).where(Window.id == row.id).values(paused=True, pause_reason=reason)
            )
            uow.event(EventKind.PAUSED, window_number=window, reason=reason, by="manager")
            uow.audit(actor, "manager.pause", str(window), reason=reason)

    def reopen_window(self, window: int, reason: str, *, actor: str) -> None:
        """恢复 a window from the desk, saying why (a reopened window is given tickets again)."""
        reason = reason.strip()
        if not reason:
            raise ValueError("reopening a window needs a reason")
        with self._unit() as uow:
            row = self._window(uow, window)
            was = row.pause_reason
            uow.session.execute(
                update(Window).where(Window.id == row.id).values(paused=False, pause_reason="")
            )
            uow.event(EventKind.RESUMED, window_number=window, by="manager")
            uow.audit(actor, "manager.reopen", str(window), reason=reason, paused_for=was)

    def broadcast_notice(self, text: str, *, actor: str) -> str:
        """Show one line on the kiosks and the display (empty: take the notice down)."""
        line = " ".join(text.split())[:NOTICE_MAX]
        with self._unit() as uow:
            uow.event(NOTICE_KIND, text=line)
            uow.audit(actor, "manager.notice", "hall", text=line)
        return line

    def reassign_window(self, window: int, weights: Mapping[str, int], *, actor: str) -> None:
        """Give a window these services (prefix → weight ≥ 1); the next call obeys them.

        Counters drop their queue cache on the ``window_services`` event (counter.main_window);
        other programs pick the change up within the cache's lifetime (60 s).
        """
        wanted = {p: int(w) for p, w in weights.items() if int(w) > 0}
        if not wanted:
            raise ValueError("a window must serve at least one service")
        with self._unit() as uow:
            s = uow.session
            row = self._window(uow, window)
            ids = {
                p: i for p, i in s.execute(select(Service.prefix, Service.id).where(Service.active))
            }
            unknown = sorted(set(wanted) - set(ids))
            if unknown:
                raise ValueError(f"unknown services: {', '.join(unknown)}")
            by_id = {v: k for k, v in ids.items()}
            before = {
                by_id.get(ws.service_id, str(ws.service_id)): ws.weight for ws in row.services
            }
            # Delete, then insert: the new rows reuse the (window, service) keys of the old ones.
            s.execute(delete(WindowService).where(WindowService.window_id == row.id))
            s.add_all(
                WindowService(window_id=row.id, service_id=ids[p], weight=w)
                for p, w in wanted.items()
            )
            s.expire(row, ["services"])
            uow.event(WINDOW_SERVICES_KIND, window_number=window, services=wanted)
            uow.audit(actor, "manager.reassign", str(window), before=before, after=wanted)
        self.queue.cache.invalidate()
