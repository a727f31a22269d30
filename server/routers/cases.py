"""``GET /api/v1/cases/{case_number}``: the server's view of one of the hall's cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select

from common.contract import CaseStatus, DeviceRole, ErrorBody
from server.db.models import ServerCase
from server.deps import DbSession, require_role
from server.security import DeviceView

router = APIRouter(tags=["cases"])


@router.get(
    "/cases/{case_number}",
    response_model=CaseStatus,
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 404: {"model": ErrorBody}},
)
def get_case(
    case_number: str,
    s: DbSession,
    device: Annotated[DeviceView, Depends(require_role(DeviceRole.COUNTER))],
) -> CaseStatus:
    with s.begin():
        # Another hall's case is looked up under this hall and so is simply not found.
        case = s.scalars(
            select(ServerCase).where(
                ServerCase.hall == device.hall, ServerCase.case_number == case_number
            )
        ).first()
        if case is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such case for this hall")
        return CaseStatus(
            case_number=case.case_number,
            hall=case.hall,
            state=case.state,
            last_seq=case.last_seq,
            area=case.area,
            updated_at=case.updated_at,
        )
