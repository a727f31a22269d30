"""``POST /api/v1/appointments``: the online booking channel (backoffice device tokens of the
hall, or of hall ``*``: the central booking site)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status

from common.contract import AppointmentRequest, ChangeItem, ChangeType, DeviceRole, ErrorBody
from common.people import mask_name
from server.db.models import ServerAppointment
from server.deps import DbSession, Settings, require_role
from server.feed import ALL_HALLS, NewChange, append_changes
from server.security import DeviceView

router = APIRouter(tags=["appointments"])


@router.post(
    "/appointments",
    response_model=ChangeItem,
    status_code=status.HTTP_201_CREATED,
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}},
)
def book(
    booking: AppointmentRequest,
    s: DbSession,
    settings: Settings,
    device: Annotated[DeviceView, Depends(require_role(DeviceRole.BACKOFFICE))],
) -> ChangeItem:
    if device.hall not in (booking.hall, ALL_HALLS):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this token books only for its own hall")
    now = settings.clock()
    with s.begin():
        row = ServerAppointment(
            hall=booking.hall,
            matter_code=booking.matter_code,
            day=booking.day,
            slot=booking.slot,
            name=booking.name,
            id_number=booking.id_number.upper(),
            phone=booking.phone,
            created_at=now,
        )
        s.add(row)
        s.flush()
        payload = {
            "appointment_id": row.id,
            "matter_code": booking.matter_code,
            "day": booking.day.isoformat(),
            "slot": booking.slot,
            "name_masked": mask_name(booking.name),
            "phone_masked": booking.phone[:3] + "****" + booking.phone[-4:]
            if len(booking.phone) >= 7
            else "",
            # The booking's ID number goes to its own hall's feed only (counter tokens of that
            # hall, over TLS); the hall keeps just its keyed hash (HMAC with the hall's secret) to
            # match the card read at check-in. An unkeyed hash here could be reversed by trying
            # every birth date and sequence number.
            "id_number": booking.id_number.upper(),
        }
        (position,) = append_changes(
            s, [NewChange(ChangeType.APPOINTMENT_BOOKED, booking.hall, now, payload=payload)]
        )
    return ChangeItem(
        position=position,
        type=ChangeType.APPOINTMENT_BOOKED,
        hall=booking.hall,
        at=now,
        payload=payload,
    )
