"""``GET /api/v1/health``: up, and the database answers (no token)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from common.contract import Health
from server.deps import DbSession, Settings

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health(s: DbSession, settings: Settings) -> Health | JSONResponse:
    now = settings.clock()
    try:
        with s.begin():
            s.execute(text("SELECT 1"))
    except SQLAlchemyError:
        body = Health(status="degraded", database="unavailable", server_time=now)
        return JSONResponse(body.model_dump(mode="json"), status_code=503)
    return Health(server_time=now)
