"""预约签到 from the kiosk: the card holder's appointments of today, and the check-in that turns
one into a ticket tagged 预约 (Qt-free; the kiosk's flow is :mod:`kiosk.checkin`).

Rules (DESIGN.md "Queue", DECISIONS.md "Appointment check-in"):

* Appointments arrive through the change feed (``appointment.booked``) or are booked in the
  hall database by ``onewindow appointment book`` (the demo); either way the hall keeps only
  the holder's keyed hash, and the kiosk finds them by the hash of the card on the reader.
* Check-in is open from ``[queue] checkin_early_minutes`` before the slot starts until
  ``[queue] appointment_late_minutes`` after it ends. Earlier: "come back after HH:MM"; later:
  "take an ordinary number". The rule is checked again, on the database's clock, inside the
  check-in's own transaction.
* The ticket has priority ``appointment`` and ``appointment_at`` = the slot's start, so
  ``call_next`` calls it before anyone else from ``appointment_early_minutes`` before the slot.
  Its service is the one whose area (板块) is the matter's, else the general queue.
* One check-in per appointment: the ticket and the mark on the appointment are written in one
  transaction, and the mark is only set where none was (two kiosks: one wins, the other's
  number is rolled back). A second try is :class:`CheckinRefused` (``ALREADY``) carrying the
  number issued the first time.

On PostgreSQL the kiosk role reads and marks appointments only through two SECURITY DEFINER
functions (migration 0013); on SQLite (one PC) the same is plain SQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select, text, update
from sqlalchemy.orm import Session

from common.clock import Clock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import HallAppointment, MatterVersion, Priority, Ticket
from common.db.unit import UnitOfWork
from common.people import hash_id_number, mask_name, normalize_id_number
from common.queue.lookup import general_service
from common.queue.service import Holder, QueueService, TicketView

__all__ = [
    "APPOINTMENTS_FUNCTION",
    "CHECKIN_FUNCTION",
    "AppointmentState",
    "CheckinRefused",
    "KioskCheckins",
    "NoAppointment",
    "TodayAppointment",
    "UnknownMatter",
    "book_appointment",
    "parse_slot",
]

APPOINTMENTS_FUNCTION = "onewindow_kiosk_appointments"
CHECKIN_FUNCTION = "onewindow_kiosk_checkin"
log = logging.getLogger(__name__)
_SLOT = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class AppointmentState(enum.StrEnum):
    """Where an appointment stands against the hall's check-in rule at one moment."""

    OPEN = "open"  # check in now
    EARLY = "early"  # check-in opens at ``opens``
    LATE = "late"  # past the slot (and its grace): take an ordinary number
    CHECKED_IN = "checked_in"  # done; ``ticket_number`` is the ticket


class NoAppointment(LookupError):
    """The card's holder has no appointment here today."""


class CheckinRefused(Exception):
    """Check-in refused by the rule (``EARLY``, ``LATE``) or because it happened (``CHECKED_IN``:
    ``appointment.ticket_number`` is the number issued then)."""

    def __init__(self, state: AppointmentState, appointment: TodayAppointment) -> None:
        self.state, self.appointment = state, appointment
        super().__init__(f"check-in refused: {state.value}")


def parse_slot(slot: str) -> tuple[dt.time, dt.time]:
    """``"10:00-10:30"`` → (10:00, 10:30); ValueError for anything else (or an empty slot)."""
    m = _SLOT.match(slot.strip())
    if m is None:
        raise ValueError(f"a slot is written HH:MM-HH:MM, not {slot!r}")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    start, end = dt.time(h1, m1), dt.time(h2, m2)
    if end <= start:
        raise ValueError(f"the slot {slot!r} ends before it starts")
    return start, end


@dataclass(frozen=True)
class TodayAppointment:
    """One appointment as the kiosk may show it: no name, no phone, no ID number."""

    id: int
    matter_code: str
    matter_name: str
    slot: str  # "10:00-10:30"
    starts: dt.datetime  # aware, in the hall's zone
    ends: dt.datetime
    opens: dt.datetime  # check-in opens (starts − checkin_early_minutes)
    closes: dt.datetime  # check-in closes (ends + appointment_late_minutes)
    prefix: str  # the queue its ticket goes to
    ticket_number: str = ""  # once checked in
    checked_in: bool = False

    def state_at(self, now: dt.datetime) -> AppointmentState:
        if self.checked_in:
            return AppointmentState.CHECKED_IN
        if now < self.opens:
            return AppointmentState.EARLY
        if now > self.closes:
            return AppointmentState.LATE
        return AppointmentState.OPEN

    @property
    def slot_text(self) -> str:
        """The slot as the citizen reads it: 10:00–10:30."""
        return self.slot.replace("-", "–")


@dataclass(frozen=True)
class HolderAppointments:
    """A holder's appointments of today and the database's "now" they were judged at."""

    appointments: tuple[TodayAppointment, ...]
    now: dt.datetime

    def state(self, appointment: TodayAppointment) -> AppointmentState:
        return appointment.state_at(self.now)


class KioskCheckins:
    """Finds today's appointments of a card and checks one in through the queue."""

    def __init__(self, queue: QueueService) -> None:
        self.queue = queue
        self.db, self.settings = queue.db, queue.settings
        self._secret: str | None = None

    def _hash(self, id_number: str) -> str:
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        return hash_id_number(normalize_id_number(id_number), self._secret)

    # ------------------------------------------------------------------ reads

    def of_holder(self, id_number: str) -> HolderAppointments:
        """The card holder's appointments of the hall day, judged at the database's now;
        :class:`NoAppointment` when there are none."""
        holder_hash = self._hash(id_number)
        with self.db.read() as s:
            now = self.queue.clock.now(self.db, s)
            day = now.astimezone(self.settings.hall.tz).date()
            found = tuple(
                appointment
                for row in self._rows(s, holder_hash, day)
                if (appointment := self._appointment(s, row, day)) is not None
            )
        if not found:
            raise NoAppointment()
        return HolderAppointments(found, now)

    def _rows(self, s: Session, holder_hash: str, day: dt.date) -> list[dict[str, Any]]:
        if self.db.is_postgresql:
            stmt = text(f"SELECT * FROM {APPOINTMENTS_FUNCTION}(:h, :d)")
            return [dict(r) for r in s.execute(stmt, {"h": holder_hash, "d": day}).mappings()]
        a = HallAppointment
        query = (
            select(
                a.id,
                a.matter_code,
                a.slot,
                a.checked_in_at,
                Ticket.number.label("ticket_number"),
            )
            .outerjoin(Ticket, Ticket.id == a.ticket_id)
            .where(a.holder_hash == holder_hash, a.day == day)
            .order_by(a.slot, a.id)
            .limit(20)
        )
        return [dict(r) for r in s.execute(query).mappings()]

    def _appointment(
        self, s: Session, row: dict[str, Any], day: dt.date
    ) -> TodayAppointment | None:
        tz = self.settings.hall.tz
        q = self.settings.queue
        try:
            start, end = parse_slot(str(row["slot"]))
        except ValueError:
            # A slot the kiosk cannot read must not hide the holder's other appointments.
            log.warning("appointment %s has an unreadable slot; not offered", row["id"])
            return None
        starts = dt.datetime.combine(day, start, tzinfo=tz)
        ends = dt.datetime.combine(day, end, tzinfo=tz)
        name, prefix = self._matter(s, str(row["matter_code"]))
        return TodayAppointment(
            id=int(row["id"]),
            matter_code=str(row["matter_code"]),
            matter_name=name,
            slot=str(row["slot"]),
            starts=starts,
            ends=ends,
            opens=starts - dt.timedelta(minutes=q.checkin_early_minutes),
            closes=ends + dt.timedelta(minutes=q.appointment_late_minutes),
            prefix=prefix,
            ticket_number=str(row["ticket_number"] or ""),
            checked_in=row["checked_in_at"] is not None,
        )

    def _matter(self, s: Session, code: str) -> tuple[str, str]:
        """The matter's name, and the prefix of the service of its area (else the general
        queue's)."""
        row = s.execute(
            select(MatterVersion.name, MatterVersion.area)
            .where(MatterVersion.code == code)
            .order_by(MatterVersion.version.desc())
            .limit(1)
        ).first()
        name, area = (str(row[0]), str(row[1])) if row is not None else (code, "")
        services = self.settings.services
        for service in services:
            if area and service.area == area:
                return name, service.prefix
        general = general_service(services)
        return name, general.prefix if general is not None else services[0].prefix

    # ------------------------------------------------------------------ the check-in

    def check_in(
        self, id_number: str, name: str, appointment_id: int, *, source: str = ""
    ) -> TicketView:
        """Issue the 预约 ticket of this holder's appointment and mark it checked in, in one
        transaction. :class:`CheckinRefused` (early, late, checked in already) or
        :class:`NoAppointment` (not this holder's, not today's); queue refusals as from
        :meth:`QueueService.issue`."""
        holder_hash = self._hash(id_number)
        today = self.of_holder(id_number)
        appointment = next((a for a in today.appointments if a.id == appointment_id), None)
        if appointment is None:
            raise NoAppointment()
        state = today.state(appointment)
        if state is not AppointmentState.OPEN:
            raise CheckinRefused(state, appointment)

        def mark(uow: UnitOfWork, ticket_id: int) -> None:
            # The rule once more on the transaction's own clock, then the mark where none was.
            again = appointment.state_at(uow.now)
            if again is not AppointmentState.OPEN:
                raise CheckinRefused(again, appointment)
            if not self._mark(uow, appointment.id, holder_hash, ticket_id):
                raise _Taken()
            uow.audit(source or "kiosk", "appointment.checked_in", str(appointment.id))

        try:
            ticket = self.queue.issue(
                appointment.prefix,
                holder=Holder(id_number=id_number, name=name),
                priority=Priority.APPOINTMENT,
                appointment_at=appointment.starts,
                source=source,
                within=mark,
            )
        except _Taken:
            # Another kiosk (or a double tap) was first: its number, not a second one.
            again = next(
                (a for a in self.of_holder(id_number).appointments if a.id == appointment.id),
                appointment,
            )
            raise CheckinRefused(AppointmentState.CHECKED_IN, again) from None
        return dataclasses.replace(ticket, appointment_slot=appointment.slot)

    def _mark(self, uow: UnitOfWork, appointment_id: int, holder_hash: str, ticket_id: int) -> bool:
        s = uow.session
        if self.db.is_postgresql:
            at = uow.now.astimezone(dt.UTC).replace(tzinfo=None)
            return bool(
                s.execute(
                    text(f"SELECT {CHECKIN_FUNCTION}(:id, :h, :t, :at)"),
                    {"id": appointment_id, "h": holder_hash, "t": ticket_id, "at": at},
                ).scalar()
            )
        table: Table = HallAppointment.__table__  # type: ignore[assignment]
        done = s.execute(
            update(table)
            .where(
                table.c.id == appointment_id,
                table.c.holder_hash == holder_hash,
                table.c.checked_in_at.is_(None),
            )
            .values(checked_in_at=uow.now, ticket_id=ticket_id)
        )
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]


class _Taken(Exception):
    """The appointment was checked in by someone else meanwhile (rolls the new ticket back)."""


class UnknownMatter(LookupError):
    """The matter code is not in the hall's catalog."""


def _mask_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else ""


def book_appointment(
    db: HallDatabase,
    settings: Settings,
    clock: Clock,
    *,
    matter_code: str,
    day: dt.date,
    slot: str,
    id_number: str,
    name: str = "",
    phone: str = "",
    actor: str = "admin",
) -> tuple[int, str]:
    """Book an appointment by hand (``onewindow appointment book``; demos and tests): stores
    what the change feed stores — the keyed hash, masked name and phone — with a negative
    ``central_id`` that no booking from the centre can take. Returns (id, matter name)."""
    parse_slot(slot)
    with db.read() as s:
        matter = s.scalar(
            select(MatterVersion.name).where(MatterVersion.code == matter_code).limit(1)
        )
    if matter is None:
        raise UnknownMatter(matter_code)
    with UnitOfWork(db, clock, tz=settings.hall.tz) as uow:
        s = uow.session
        lowest = s.scalar(select(func.min(HallAppointment.central_id))) or 0
        row = HallAppointment(
            central_id=min(lowest, 0) - 1,
            matter_code=matter_code,
            day=day,
            slot=slot,
            holder_hash=hash_id_number(normalize_id_number(id_number), settings.hall_secret()),
            name_masked=mask_name(name) if name else "",
            phone_masked=_mask_phone(phone),
            position=0,
            received_at=uow.now,
            detail={"matter_code": matter_code, "booked_by": actor},
        )
        s.add(row)
        s.flush()
        uow.audit(actor, "appointment.booked", str(row.id), day=day.isoformat())
        return row.id, str(matter)
