"""A window's actions on the queue (叫号, 重呼, 过号, 转移, 办结, 暂停 / 恢复), one unit each."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, update

from common.db.models import EventKind, Ticket, TicketStatus, Window
from common.db.unit import UnitOfWork
from common.queue.cache import ServiceInfo, WindowInfo
from common.queue.context import QueueContext
from common.queue.errors import (
    IllegalTransfer,
    NoCurrentTicket,
    QueueError,
    UnknownWindow,
    WindowPaused,
)
from common.queue.policy import longest_weighted_wait, overtaken, pass_over_capped, requeue_key
from common.queue.statements import call_read_sqlite
from common.queue.views import TicketView

__all__ = ["MAX_CLAIM_ATTEMPTS", "CallRead", "Desk"]

MAX_CLAIM_ATTEMPTS = 20
# Calls ended within seconds were mistakes or no-shows, not service; they would drag the
# estimated wait towards zero.
MIN_SERVICE_SECONDS = 5.0


@dataclass
class CallRead:
    """What call_next reads before it decides: the window's state and the candidate tickets."""

    paused: bool
    current: Any | None  # the window's current ticket (a row with the ticket's columns)
    heads: list[Any]  # the next-in-line of each of the window's services that has anyone waiting
    prioritised: Any | None  # the first due appointment or green-channel ticket


class _LostRace(Exception):
    """Another window claimed the chosen ticket first: roll this attempt back and try again."""


class Desk:
    """The counter's actions on the queue. Thread-safe: keeps no state between calls."""

    def __init__(self, ctx: QueueContext) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------------ calling

    def call_next(self, window: int, *, actor: str = "") -> TicketView | None:
        """See :meth:`common.queue.service.QueueService.call_next`."""
        for _attempt in range(MAX_CLAIM_ATTEMPTS):
            try:
                with self.ctx.unit() as uow:
                    return self._call_once(uow, window, actor)
            except _LostRace:
                continue
        raise QueueError("could not claim a ticket; too much contention")

    def rehearse_call(self, window: int) -> None:
        """Run a whole call_next for ``window``, writes included, and roll it back (warm-up)."""
        with UnitOfWork(
            self.ctx.db, self.ctx.clock, tz=self.ctx.settings.hall.tz, rollback=True
        ) as uow:
            self._call_once(uow, window, "warm-up")

    def _read_for_call(self, uow: UnitOfWork, win: WindowInfo) -> CallRead:
        """Everything call_next decides on, in one statement (see common.queue.statements)."""
        ctx, s = self.ctx, uow.session
        sids = sorted(win.weights)
        params: dict[str, Any] = {
            "wid": win.id,
            "day": uow.day,
            "due": uow.now + dt.timedelta(minutes=ctx.settings.queue.appointment_early_minutes),
        }
        if ctx.db.is_postgresql:
            stmt = ctx.stmts.call_read_pg
            params["sids"] = sids
        else:
            stmt = call_read_sqlite(len(sids))
            params |= {f"s{i}": sid for i, sid in enumerate(sids)}
        rows = s.execute(stmt, params).all()
        if not rows:
            raise UnknownWindow(str(win.number))
        read = CallRead(bool(rows[0].paused), None, [], None)
        for row in rows:
            if row.role == "head":
                read.heads.append(row)
            elif row.role == "prio":
                read.prioritised = row
            elif row.role == "current":
                read.current = row
        return read

    def _call_once(self, uow: UnitOfWork, window: int, actor: str) -> TicketView | None:
        ctx, s, now = self.ctx, uow.session, uow.now
        win = ctx.cache.window(s, window, uow.day)  # today's reassignment, if any
        read = self._read_for_call(uow, win)
        if read.paused:
            raise WindowPaused(str(window))
        services = ctx.cache.services(s)
        # The call order (DESIGN.md "Queue"): a head passed over max_pass_over times (no-one waits
        # forever), then due appointments, then green channel, then the longest weighted wait.
        chosen = (
            pass_over_capped(read.heads, ctx.settings.queue.max_pass_over)
            or read.prioritised
            or longest_weighted_wait(read.heads, win.weights, now)
        )
        # 过号 fairness: the next-in-line of each of this window's services that queued before
        # the called ticket was passed over once. Counting only heads keeps this a handful of
        # rows however long the queues, and is what "passed over" means to the citizen: it was
        # their turn and someone else went.
        over = overtaken(read.heads, chosen) if chosen is not None else []
        if ctx.db.is_postgresql:
            if read.current is not None or chosen is not None:
                claimed = s.execute(
                    ctx.stmts.call_write_pg,
                    {
                        "now": now,
                        "finish_id": read.current.id if read.current is not None else -1,
                        "over": over,
                        "wid": win.id,
                        "tid": chosen.id if chosen is not None else -1,
                    },
                ).scalar_one()
                if chosen is not None and claimed != 1:
                    raise _LostRace
            if read.current is not None:
                self._finished(uow, read.current, window, actor, services)
        else:
            if read.current is not None:
                s.execute(ctx.stmts.finish, {"tid": read.current.id, "now": now})
                self._finished(uow, read.current, window, actor, services)
            if chosen is not None:
                result = s.execute(ctx.stmts.claim, {"tid": chosen.id, "wid": win.id, "now": now})
                claimed = cast(CursorResult[Any], result).rowcount
                if claimed != 1:
                    raise _LostRace
                if over:
                    s.execute(ctx.stmts.pass_over, {"over": over})
        if chosen is None:
            return None
        prefix = services[chosen.service_id].prefix
        uow.event(
            EventKind.CALLED,
            ticket_id=chosen.id,
            number=chosen.number,
            service_prefix=prefix,
            window_number=window,
            priority=str(chosen.priority),
        )
        uow.audit(actor, "call", chosen.number, window=window)
        view = ctx.view(s, chosen, services, window_number=window)
        return dataclasses.replace(view, status=TicketStatus.CALLED, called_at=now, call_count=1)

    def _finished(
        self, uow: UnitOfWork, t: Any, window: int, actor: str, services: dict[int, ServiceInfo]
    ) -> None:
        """What finishing a ticket writes besides its status: service time, event, audit."""
        now = uow.now
        if t.called_at is not None and (now - t.called_at).total_seconds() >= MIN_SERVICE_SECONDS:
            uow.session.execute(
                self.ctx.stmts.insert_service_time,
                {
                    "service_id": t.service_id,
                    "hall_day": uow.day,
                    "seconds": (now - t.called_at).total_seconds(),
                },
            )
        uow.event(
            EventKind.FINISHED,
            ticket_id=t.id,
            number=t.number,
            service_prefix=services[t.service_id].prefix,
            window_number=window,
        )
        uow.audit(actor, "finish", t.number, window=window)

    # ------------------------------------------------------------------ the current ticket

    def _require_current(self, uow: UnitOfWork, window: int) -> tuple[WindowInfo, Ticket]:
        win = self.ctx.cache.window(uow.session, window)
        current = uow.session.scalars(self.ctx.stmts.current, {"wid": win.id}).first()
        if current is None:
            raise NoCurrentTicket(str(window))
        return win, current

    def recall(self, window: int, *, actor: str = "") -> TicketView:
        """重呼: announce the current ticket again."""
        with self.ctx.unit() as uow:
            win, t = self._require_current(uow, window)
            t.call_count += 1
            services = self.ctx.cache.services(uow.session)
            uow.event(
                EventKind.RECALLED,
                ticket_id=t.id,
                number=t.number,
                service_prefix=services[t.service_id].prefix,
                window_number=win.number,
                count=t.call_count,
            )
            uow.audit(actor, "recall", t.number, window=win.number)
            return self.ctx.view(uow.session, t, services, window_number=win.number)

    def skip(self, window: int, *, actor: str = "") -> TicketView:
        """过号: the citizen did not come. Re-queued behind the next N, or ended (hall rule)."""
        rule = self.ctx.settings.queue
        with self.ctx.unit() as uow:
            s, now = uow.session, uow.now
            win, t = self._require_current(uow, window)
            services = self.ctx.cache.services(s)
            if rule.no_show_rule == "requeue" and t.requeue_count < rule.max_requeues:
                behind = (
                    list(
                        s.scalars(
                            self.ctx.stmts.requeue_behind,
                            {"day": uow.day, "sid": t.service_id, "n": rule.requeue_after},
                        )
                    )
                    if rule.requeue_after
                    else []
                )
                key = requeue_key(t.queue_key, behind, rule.requeue_after, now)
                t.status, t.window_id, t.queue_key = TicketStatus.WAITING, None, key
                t.requeue_count += 1
                t.passed_over = 0
                kind = EventKind.REQUEUED
            else:
                t.status, t.finished_at = TicketStatus.NO_SHOW, now
                kind = EventKind.NO_SHOW
            uow.event(
                kind,
                ticket_id=t.id,
                number=t.number,
                service_prefix=services[t.service_id].prefix,
                window_number=win.number,
            )
            uow.audit(actor, "skip", t.number, window=win.number, outcome=str(kind))
            return self.ctx.view(s, t, services)

    def transfer(self, window: int, to_prefix: str, *, actor: str = "") -> TicketView:
        """Send the current ticket to another service's queue, keeping its place by issue time."""
        with self.ctx.unit() as uow:
            s = uow.session
            win, t = self._require_current(uow, window)
            target = self.ctx.cache.service(s, to_prefix)
            services = self.ctx.cache.services(s)
            source = services[t.service_id]
            if target.id == t.service_id:
                raise IllegalTransfer(
                    to_prefix, zh="已在该业务队列中", en="Already in that service's queue"
                )
            t.transferred_from = source.prefix
            t.service_id, t.status, t.window_id, t.called_at = (
                target.id,
                TicketStatus.WAITING,
                None,
                None,
            )
            t.passed_over = 0
            uow.event(
                EventKind.TRANSFERRED,
                ticket_id=t.id,
                number=t.number,
                service_prefix=target.prefix,
                window_number=win.number,
                source=source.prefix,
            )
            uow.audit(actor, "transfer", t.number, window=win.number, to=target.prefix)
            return self.ctx.view(s, t, services)

    def finish(self, window: int, *, actor: str = "") -> TicketView:
        """办结: the window is done with its current ticket."""
        with self.ctx.unit() as uow:
            win, t = self._require_current(uow, window)
            t.status, t.finished_at = TicketStatus.FINISHED, uow.now
            services = self.ctx.cache.services(uow.session)
            self._finished(uow, t, win.number, actor, services)
            return self.ctx.view(uow.session, t, services, window_number=win.number)

    # ------------------------------------------------------------------ pause

    def pause(self, window: int, reason: str, *, actor: str = "") -> None:
        """暂停服务 with a reason (break, meeting …); a paused window is given no tickets."""
        if not reason.strip():
            raise ValueError("a pause needs a reason")
        self._set_paused(window, True, reason.strip(), actor)

    def resume(self, window: int, *, actor: str = "") -> None:
        self._set_paused(window, False, "", actor)

    def _set_paused(self, window: int, paused: bool, reason: str, actor: str) -> None:
        with self.ctx.unit() as uow:
            win = self.ctx.cache.window(uow.session, window)
            uow.session.execute(
                update(Window).where(Window.id == win.id).values(paused=paused, pause_reason=reason)
            )
            if paused:
                uow.event(EventKind.PAUSED, window_number=win.number, reason=reason)
                uow.audit(actor, "pause", str(win.number), reason=reason)
            else:
                uow.event(EventKind.RESUMED, window_number=win.number)
                uow.audit(actor, "resume", str(win.number))
