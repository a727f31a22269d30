"""Issuing a number (取号): the kiosk's hot path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select

from common.db.models import EventKind, Priority, Service, TicketStatus
from common.db.unit import UnitOfWork
from common.people import age_at, hash_id_number, mask_name
from common.queue.context import QueueContext
from common.queue.errors import (
    DailyCapReached,
    IdCardRequired,
    PerIdLimitReached,
    ServiceClosed,
    UnknownService,
)
from common.queue.lookup import general_service
from common.queue.policy import closure, estimate_minutes, paused_closure
from common.queue.views import Holder, TicketView

__all__ = ["Issuer"]


class Issuer:
    """Gives out numbers: one unit of work per ticket, the (service, day) counter row as lock."""

    def __init__(self, ctx: QueueContext) -> None:
        self.ctx = ctx

    def general_prefix(self) -> str:
        """The general queue's prefix (一键取号)."""
        general = general_service(self.ctx.settings.services)
        if general is None:
            raise UnknownService("no general queue configured")
        return general.prefix

    def issue(
        self,
        prefix: str | None = None,
        *,
        holder: Holder | None = None,
        priority: Priority = Priority.NORMAL,
        green_reason: str = "",
        appointment_at: dt.datetime | None = None,
        source: str = "",
        within: Callable[[UnitOfWork, int], None] | None = None,
    ) -> TicketView:
        """See :meth:`common.queue.service.QueueService.issue`."""
        ctx = self.ctx
        prefix = prefix or self.general_prefix()
        conf = ctx.service_settings(prefix)
        if priority is Priority.APPOINTMENT and appointment_at is None:
            raise ValueError("an appointment ticket needs appointment_at")
        stmts = ctx.stmts
        with ctx.unit() as uow:
            s, now, day = uow.session, uow.now, uow.day
            service = ctx.cache.service(s, prefix)
            closed = closure(ctx.settings, conf, now)
            if closed is not None:
                raise ServiceClosed(prefix, reason=closed.reason, zh=closed.zh, en=closed.en)
            if service.id_card == "required" and holder is None:
                raise IdCardRequired(prefix)
            id_hash = None
            masked = ""
            if holder is not None:
                id_hash = hash_id_number(holder.id_number, ctx.secret())
                masked = mask_name(holder.name)
                # Checked before the counter lock is taken, to keep that lock short. Two kiosks
                # reading the same card in the same millisecond could both pass; a card cannot
                # be on two readers at once.
                if service.per_id_daily_limit:
                    taken = int(
                        s.execute(
                            stmts.per_id_taken, {"day": day, "id_hash": id_hash, "sid": service.id}
                        ).scalar()
                        or 0
                    )
                    if taken >= service.per_id_daily_limit:
                        raise PerIdLimitReached(
                            prefix,
                            zh=f"您今天已在该业务取号 {taken} 次，已达上限",
                            en=f"You have already taken {taken} tickets for this service today",
                        )
                if (
                    priority is Priority.NORMAL
                    and holder.birth_date is not None
                    and age_at(holder.birth_date, day) >= ctx.settings.queue.green_channel_age
                ):
                    priority, green_reason = Priority.GREEN, "elderly"
            # One statement creates or bumps the (service, day) row and returns the new value; on
            # PostgreSQL its row lock serialises kiosks issuing for the same service. A refusal
            # below rolls it back with the rest of the unit, so numbers stay gap-free.
            got = s.execute(stmts.next_seq, {"sid": service.id, "day": day}).scalar_one_or_none()
            if got is None:  # 暂停取号 by the hall manager
                why = s.scalar(select(Service.pause_reason).where(Service.id == service.id))
                paused = paused_closure(why or "")
                raise ServiceClosed(prefix, reason=paused.reason, zh=paused.zh, en=paused.en)
            seq = int(got)
            if seq > service.daily_cap:
                raise DailyCapReached(f"{prefix}: cap {service.daily_cap}")
            number = f"{prefix}{seq:03d}"
            green_reason = green_reason if priority is Priority.GREEN else ""
            ticket_id = int(
                s.execute(
                    stmts.insert_ticket,
                    {
                        "hall_day": day,
                        "issue_service_id": service.id,
                        "service_id": service.id,
                        "seq": seq,
                        "number": number,
                        "priority": priority,
                        "green_reason": green_reason,
                        "appointment_at": appointment_at,
                        "issued_at": now,
                        "queue_key": now,
                        "status": TicketStatus.WAITING,
                        "holder_masked": masked,
                        "id_hash": id_hash,
                        "source": source,
                        "call_count": 0,
                        "requeue_count": 0,
                        "passed_over": 0,
                        "transferred_from": "",
                    },
                ).scalar_one()
            )
            uow.event(
                EventKind.ISSUED,
                ticket_id=ticket_id,
                number=number,
                service_prefix=prefix,
                priority=priority.value,
            )
            if within is not None:
                # The caller's own write in the ticket's transaction (预约签到 marks the
                # appointment): both commit or neither, and a refusal rolls the number back.
                within(uow, ticket_id)
            q = ctx.settings.queue
            params = {
                "day": day,
                "sid": service.id,
                "key": now,
                "tid": ticket_id,
                "n": q.recent_services,
            }
            # People ahead and the estimate, in one statement. On SQLite inside the unit: the
            # write lock is held anyway and a second transaction would cost more than the read.
            # On PostgreSQL after the commit: the counter row stays locked only for the
            # statements that must be atomic with the number.
            row = (
                None if ctx.db.is_postgresql else s.execute(stmts.ahead_and_estimate, params).one()
            )
        if row is None:
            with ctx.db.read() as s:
                row = s.execute(stmts.ahead_and_estimate, params).one()
        ahead = int(row.ahead)
        wait = estimate_minutes(ahead, row.mean, int(row.windows or 0), q.default_service_minutes)
        return TicketView(
            id=ticket_id,
            number=number,
            prefix=prefix,
            service_name=service.name,
            service_name_en=service.name_en,
            priority=priority,
            green_reason=green_reason,
            status=TicketStatus.WAITING,
            issued_at=now,
            hall_day=day,
            window_number=None,
            called_at=None,
            call_count=0,
            holder_masked=masked,
            transferred_from="",
            people_ahead=ahead,
            estimated_wait_minutes=wait,
        )
