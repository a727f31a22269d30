"""``POST /api/v1/events``: a hall's batch of outbox rows (counter tokens only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.exc import DBAPIError

from common.contract import BatchResult, DeviceRole, ErrorBody, EventBatch
from server.deps import DbSession, Settings, require_role
from server.events import apply_batch
from server.security import DeviceView

router = APIRouter(tags=["events"])


@router.post(
    "/events",
    response_model=BatchResult,
    responses={
        401: {"model": ErrorBody},
        403: {"model": ErrorBody},
        413: {"model": ErrorBody},
        503: {"model": ErrorBody},
    },
    summary="Upload a batch of events (idempotent by key, per-case order by seq)",
)
def post_events(
    batch: EventBatch,
    s: DbSession,
    settings: Settings,
    device: Annotated[DeviceView, Depends(require_role(DeviceRole.COUNTER))],
) -> BatchResult:
    if batch.hall != device.hall:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the batch's hall is not this token's hall")
    try:
        with s.begin():
            results = apply_batch(
                s,
                device.hall,
                batch.items,
                settings.clock(),
                postgresql=s.get_bind().dialect.name == "postgresql",
            )
    except DBAPIError as exc:
        # A deadlock between two drainers, a serialization failure, the database restarting:
        # nothing of this batch was committed; the hall sends it again.
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "database busy, send again",
            headers={"Retry-After": "1"},
        ) from exc
    return BatchResult(results=results)
