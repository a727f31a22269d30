"""What screens read from the queue: service statuses, a window's state, waiting lists, events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select

from common.db.models import QueueEvent, Service, ServiceCounter, Ticket, TicketStatus, Window
from common.queue.context import QueueContext
from common.queue.errors import UnknownWindow
from common.queue.policy import closure, full_closure, paused_closure
from common.queue.views import ServiceStatus, TicketView, WindowStatus

__all__ = ["QueueReads"]


class QueueReads:
    """Read-only queries, each in one read transaction."""

    def __init__(self, ctx: QueueContext) -> None:
        self.ctx = ctx

    def service_statuses(self) -> list[ServiceStatus]:
        """Per service: waiting, estimated wait, open or why not — for kiosk tiles and displays."""
        ctx = self.ctx
        with ctx.db.read() as s:
            now, day = ctx.now(s)
            counts: dict[int, int] = {
                sid: n
                for sid, n in s.execute(
                    select(Ticket.service_id, func.count(Ticket.id))
                    .where(Ticket.hall_day == day, Ticket.status == TicketStatus.WAITING)
                    .group_by(Ticket.service_id)
                )
            }
            issued: dict[int, int] = {
                sid: n
                for sid, n in s.execute(
                    select(ServiceCounter.service_id, ServiceCounter.last_seq).where(
                        ServiceCounter.hall_day == day
                    )
                )
            }
            result = []
            for sv in s.scalars(select(Service).where(Service.active).order_by(Service.sort_order)):
                closed = closure(ctx.settings, ctx.service_settings(sv.prefix), now)
                if closed is None and sv.paused:
                    closed = paused_closure(sv.pause_reason)
                done = issued.get(sv.id, 0)
                if closed is None and done >= sv.daily_cap:
                    closed = full_closure()
                waiting = int(counts.get(sv.id, 0))
                result.append(
                    ServiceStatus(
                        prefix=sv.prefix,
                        name=sv.name,
                        name_en=sv.name_en,
                        general=sv.general,
                        waiting=waiting,
                        estimated_wait_minutes=ctx.estimate(s, sv.id, day, waiting),
                        open=closed is None,
                        closed_reason_zh=closed.zh if closed else "",
                        closed_reason_en=closed.en if closed else "",
                        id_card=sv.id_card,
                        issued_today=done,
                        daily_cap=sv.daily_cap,
                        closed_reason=closed.reason if closed else None,
                    )
                )
            return result

    def window_status(self, window: int) -> WindowStatus:
        ctx = self.ctx
        with ctx.db.read() as s:
            _now, day = ctx.now(s)
            win = ctx.cache.window(s, window, day)  # today's reassignment, if any
            row = s.execute(
                select(Window.number, Window.name, Window.paused, Window.pause_reason).where(
                    Window.id == win.id
                )
            ).first()
            if row is None:
                raise UnknownWindow(str(window))
            services = ctx.cache.services(s)
            current = s.scalars(ctx.stmts.current, {"wid": win.id}).first()
            return WindowStatus(
                number=row.number,
                name=row.name,
                paused=row.paused,
                pause_reason=row.pause_reason,
                services={services[sid].prefix: weight for sid, weight in win.weights.items()},
                current=ctx.view(s, current, services, window_number=row.number)
                if current
                else None,
            )

    def waiting(self, prefixes: Sequence[str] | None = None, limit: int = 500) -> list[TicketView]:
        """Waiting tickets in queue order (for counter lists and diagnostics)."""
        ctx = self.ctx
        with ctx.db.read() as s:
            _now, day = ctx.now(s)
            services = ctx.cache.services(s)
            q = select(Ticket).where(Ticket.hall_day == day, Ticket.status == TicketStatus.WAITING)
            if prefixes is not None:
                ids = [i for i, sv in services.items() if sv.prefix in prefixes]
                q = q.where(Ticket.service_id.in_(ids))
            rows = s.scalars(q.order_by(Ticket.queue_key, Ticket.id).limit(limit))
            return [ctx.view(s, t, services) for t in rows]

    def ticket(self, number: str, day: dt.date | None = None) -> TicketView | None:
        """Look a ticket up by its number on a hall day (default today)."""
        ctx = self.ctx
        with ctx.db.read() as s:
            if day is None:
                _now, day = ctx.now(s)
            t = s.scalars(
                select(Ticket).where(Ticket.hall_day == day, Ticket.number == number)
            ).first()
            return ctx.view(s, t) if t else None

    def events_after(self, last_id: int, limit: int = 500) -> list[QueueEvent]:
        """Queue events with id > last_id, oldest first (detached rows, safe to pass around)."""
        with self.ctx.db.read() as s:
            return list(
                s.scalars(
                    select(QueueEvent)
                    .where(QueueEvent.id > last_id)
                    .order_by(QueueEvent.id)
                    .limit(limit)
                )
            )

    def last_event_id(self) -> int:
        with self.ctx.db.read() as s:
            return int(s.scalar(select(func.max(QueueEvent.id))) or 0)
