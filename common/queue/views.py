"""What the queue hands out: plain, frozen values that screens, printers and tests share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from common.db.models import Priority, TicketStatus
from common.people import mask_name
from common.queue.policy import ClosedReason

__all__ = ["Holder", "ServiceStatus", "TicketView", "WindowStatus"]


@dataclass(frozen=True)
class Holder:
    """Who a ticket is for, from the ID card. Only a masked name and a keyed hash are stored."""

    id_number: str
    name: str
    birth_date: dt.date | None = None

    def __repr__(self) -> str:  # never the full number, even in a traceback
        return f"Holder({mask_name(self.name)!r})"


@dataclass(frozen=True)
class TicketView:
    """A ticket as screens and printers see it (no personal data beyond the masked name)."""

    id: int
    number: str
    prefix: str
    service_name: str
    service_name_en: str
    priority: Priority
    green_reason: str
    status: TicketStatus
    issued_at: dt.datetime
    hall_day: dt.date
    window_number: int | None
    called_at: dt.datetime | None
    call_count: int
    holder_masked: str
    transferred_from: str
    people_ahead: int = 0
    estimated_wait_minutes: int = 0
    appointment_slot: str = ""  # 预约签到: the booked slot ("10:00-10:30"), for screen and paper

    def waited(self, now: dt.datetime) -> dt.timedelta:
        return (self.called_at or now) - self.issued_at


@dataclass(frozen=True)
class ServiceStatus:
    """Waiting count and estimated wait for one service, and whether it is open now."""

    prefix: str
    name: str
    name_en: str
    general: bool
    waiting: int
    estimated_wait_minutes: int
    open: bool
    closed_reason_zh: str
    closed_reason_en: str
    id_card: str
    issued_today: int
    daily_cap: int
    # Why it is closed, for decisions (the kiosk tells "full" from "closed" by this, not by text).
    closed_reason: ClosedReason | None = None


@dataclass(frozen=True)
class WindowStatus:
    """A window's state for its counter screen."""

    number: int
    name: str
    paused: bool
    pause_reason: str
    services: dict[str, int]
    current: TicketView | None
