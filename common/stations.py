"""The hall's stations and their devices: what each PC's printer and reader last reported.

Not queue work: a kiosk publishes its printer's state here and the hall manager's counter shows
the devices that need someone (设备告警). A change of state is also put on the queue event stream
(kind ``device``) so the manager's counter hears about it without polling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from common.clock import Clock, DatabaseClock
from common.db.engine import HallDatabase
from common.db.models import DeviceStatus, EventKind
from common.db.unit import UnitOfWork

__all__ = ["DeviceAlert", "DeviceStatusStore"]


@dataclass(frozen=True)
class DeviceAlert:
    """A device that needs the hall manager (设备告警): a kiosk printer out of paper, offline …

    ``since`` is when the device last reported (aware UTC); ``message`` is the device's own
    detail, for the manager, never for citizens.
    """

    station: str
    device: str
    state: str
    message: str
    since: dt.datetime


class DeviceStatusStore:
    """Device states per station, written through the unit of work with the hall's clock."""

    def __init__(
        self, db: HallDatabase, clock: Clock | None = None, *, tz: dt.tzinfo | None = None
    ) -> None:
        self.db = db
        self.clock: Clock = clock or DatabaseClock()
        self.tz = tz  # the hall's zone: the event's hall day

    def record(
        self,
        station: str,
        device: str,
        state: str,
        message: str = "",
        *,
        needs_attention: bool = False,
    ) -> None:
        """Publish a device's state (printer out of paper …) for the hall manager."""
        with UnitOfWork(self.db, self.clock, tz=self.tz or dt.UTC) as uow:
            s = uow.session
            row = s.scalars(
                select(DeviceStatus).where(
                    DeviceStatus.station == station, DeviceStatus.device == device
                )
            ).first()
            changed = row is None or row.state != state or row.needs_attention != needs_attention
            if row is None:
                row = DeviceStatus(station=station, device=device)
                s.add(row)
            row.state, row.message, row.updated_at, row.needs_attention = (
                state,
                message,
                uow.now,
                needs_attention,
            )
            if changed:
                uow.event(
                    EventKind.DEVICE,
                    station=station,
                    device=device,
                    state=state,
                    attention=needs_attention,
                )

    def alerts(self) -> list[DeviceAlert]:
        """Devices whose last report needs attention, oldest first (the manager's alert strip)."""
        with self.db.read() as s:
            rows = s.scalars(
                select(DeviceStatus)
                .where(DeviceStatus.needs_attention.is_(True))
                .order_by(DeviceStatus.updated_at, DeviceStatus.id)
            )
            return [
                DeviceAlert(r.station, r.device, r.state, r.message or "", r.updated_at)
                for r in rows
            ]
