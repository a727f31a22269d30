"""``GET /api/v1/changes``: the hall's change feed after a cursor (counter tokens only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from common.contract import MAX_CHANGES_LIMIT, ChangeFeed, DeviceRole, ErrorBody
from server.deps import DbSession, require_role
from server.feed import read_changes
from server.security import DeviceView

router = APIRouter(tags=["changes"])


@router.get(
    "/changes",
    response_model=ChangeFeed,
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}},
)
def get_changes(
    s: DbSession,
    device: Annotated[DeviceView, Depends(require_role(DeviceRole.COUNTER))],
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_CHANGES_LIMIT)] = 200,
) -> ChangeFeed:
    with s.begin():
        return read_changes(s, device.hall, after, limit)
