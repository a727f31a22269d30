"""The hall manager's actions on the queue, each one audited unit of work (STYLE.md habit 4).

* pause / reopen a window with a reason (the window's own 暂停 / 恢复 writes the same
  ``paused`` / ``resumed`` events, so counters, displays and the dashboard follow as usual;
  the audit row says it was the manager, and why);
* pause / reopen a service (暂停取号) with a short reason: the kiosk gives no new number for it
  and shows the reason on its tile; tickets already taken are still called (DECISIONS.md);
* broadcast a notice line to the kiosks and the hall display: a ``notice`` queue event (the
  stream every screen already follows), with an empty text to take the notice down; a screen
  that starts reads today's latest one (:func:`latest_notice`);
* reassign a window's services and weights for the rest of the hall day (a window may not be
  left with no service): rows in ``window_service_day`` for today replace its configured ones,
  and the next day has none, so the configured services come back by themselves.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select, update

from common.db.models import (
    EventKind,
    QueueEvent,
    Service,
    Window,
    WindowService,
    WindowServiceDay,
)
from common.db.unit import UnitOfWork
from common.queue.errors import UnknownService, UnknownWindow
from common.queue.service import QueueService

__all__ = [
    "NOTICE_KIND",
    "NOTICE_MAX",
    "PAUSE_REASON_MAX",
    "WINDOW_SERVICES_KIND",
    "ManagerActions",
    "latest_notice",
]

NOTICE_KIND = EventKind.NOTICE
NOTICE_MAX = 120  # one line on the display's ticker
# A paused service's reason is the short word on the kiosk's tile ("系统维护", "人员不足").
PAUSE_REASON_MAX = 16
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

    def pause_service(self, prefix: str, reason: str, *, actor: str) -> None:
        """暂停取号: the kiosk gives no new number for ``prefix`` and shows ``reason`` on its tile.

        Tickets already taken are still called: the citizens holding them were promised a turn.
        """
        reason = " ".join(reason.split())[:PAUSE_REASON_MAX]
        if not reason:
            raise ValueError("a pause needs a reason")
        with self._unit() as uow:
            sid = uow.session.scalar(select(Service.id).where(Service.prefix == prefix))
            if sid is None:
                raise UnknownService(prefix)
            uow.session.execute(
                update(Service).where(Service.id == sid).values(paused=True, pause_reason=reason)
            )
            uow.event(EventKind.SERVICE_PAUSED, service_prefix=prefix, reason=reason)
            uow.audit(actor, "manager.service-pause", prefix, reason=reason)

    def reopen_service(self, prefix: str, *, actor: str) -> None:
        """恢复取号 for a paused service."""
        with self._unit() as uow:
            row = uow.session.execute(
                select(Service.id, Service.pause_reason).where(Service.prefix == prefix)
            ).first()
            if row is None:
                raise UnknownService(prefix)
            uow.session.execute(
                update(Service).where(Service.id == row.id).values(paused=False, pause_reason="")
            )
            uow.event(EventKind.SERVICE_RESUMED, service_prefix=prefix)
            uow.audit(actor, "manager.service-reopen", prefix, paused_for=row.pause_reason)

    def reassign_window(self, window: int, weights: Mapping[str, int], *, actor: str) -> None:
        """Give a window these services (prefix → weight ≥ 1) for the rest of the hall day.

        The next call obeys them; the next hall day the window serves its configured services
        again. Counters drop their queue cache on the ``window_services`` event
        (counter.main_window); other programs pick the change up within the cache's lifetime.
        """
        wanted = {p: int(w) for p, w in weights.items() if int(w) > 0}
        if not wanted:
            raise ValueError("a window must serve at least one service")
        with self._unit() as uow:
            s, day = uow.session, uow.day
            row = self._window(uow, window)
            ids = {
                p: i for p, i in s.execute(select(Service.prefix, Service.id).where(Service.active))
            }
            unknown = sorted(set(wanted) - set(ids))
            if unknown:
                raise ValueError(f"unknown services: {', '.join(unknown)}")
            by_id = {v: k for k, v in ids.items()}
            today = {
                sid: w
                for sid, w in s.execute(
                    select(WindowServiceDay.service_id, WindowServiceDay.weight).where(
                        WindowServiceDay.window_id == row.id, WindowServiceDay.hall_day == day
                    )
                )
            } or {ws.service_id: ws.weight for ws in row.services}
            before = {by_id.get(sid, str(sid)): w for sid, w in today.items()}
            # Today's rows replace the window's; earlier days' rows are dead and go (the cache
            # reads the whole table).
            s.execute(
                delete(WindowServiceDay).where(
                    (WindowServiceDay.window_id == row.id) | (WindowServiceDay.hall_day < day)
                )
            )
            s.add_all(
                WindowServiceDay(window_id=row.id, hall_day=day, service_id=ids[p], weight=w)
                for p, w in wanted.items()
            )
            uow.event(WINDOW_SERVICES_KIND, window_number=window, services=wanted, day=str(day))
            uow.audit(
                actor, "manager.reassign", str(window), before=before, after=wanted, day=str(day)
            )
        self.queue.cache.invalidate()

    def restore_window(self, window: int, *, actor: str) -> None:
        """Undo today's reassignment: the window serves its configured services again."""
        with self._unit() as uow:
            row = self._window(uow, window)
            uow.session.execute(
                delete(WindowServiceDay).where(
                    WindowServiceDay.window_id == row.id, WindowServiceDay.hall_day == uow.day
                )
            )
            uow.event(WINDOW_SERVICES_KIND, window_number=window, services={}, day=str(uow.day))
            uow.audit(actor, "manager.reassign-undone", str(window), day=str(uow.day))
        self.queue.cache.invalidate()

    def configured_weights(self, window: int) -> dict[str, int]:
        """The window's services as configured (what it serves again tomorrow)."""
        with self.queue.db.read() as s:
            rows = s.execute(
                select(Service.prefix, WindowService.weight)
                .join(Service, Service.id == WindowService.service_id)
                .join(Window, Window.id == WindowService.window_id)
                .where(Window.number == window)
            )
            return {p: int(w) for p, w in rows}


def latest_notice(queue: QueueService) -> str:
    """Today's notice line (the last ``notice`` event of the hall day; "" when none or taken
    down), for a kiosk or display that starts in the middle of the day (ix_queue_event_kind)."""
    with queue.db.read() as s:
        day = queue.hall_day_of(queue.clock.now(queue.db, s))
        data = s.scalar(
            select(QueueEvent.data)
            .where(QueueEvent.hall_day == day, QueueEvent.kind == EventKind.NOTICE.value)
            .order_by(QueueEvent.id.desc())
            .limit(1)
        )
    return str((data or {}).get("text", ""))
