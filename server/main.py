"""``create_app(settings)``: the FastAPI application (no engine at import time).

``app_from_env`` is the factory uvicorn's worker processes call (``onewindow-server serve
--workers N``); the CLI hands the settings over in the environment.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from sqlalchemy import Engine

from common.contract import API_PREFIX, CONTRACT_VERSION, MAX_BODY_BYTES
from server.db.engine import make_engine, make_sessionmaker
from server.deps import NotLoggedIn
from server.limits import BodyLimit
from server.routers import appointments, backoffice, cases, catalog, changes, events, health
from server.settings import ServerSettings, settings_from_env

__all__ = ["app_from_env", "create_app"]

log = logging.getLogger(__name__)


def create_app(settings: ServerSettings, *, engine: Engine | None = None) -> FastAPI:
    """The server for ``settings``; ``engine`` lets a test share one it made itself."""
    app = FastAPI(
        title="OneWindow central server",
        version=CONTRACT_VERSION,
        description="一窗通中心服务端: hall sync (events in, change feed out), catalog, "
        "back office. "
        "Wire types: common/contract.py; promises: docs/SYNC.md.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    engine = engine or make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    for module in (events, changes, catalog, cases, appointments, health):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(backoffice.router)
    app.add_exception_handler(NotLoggedIn, backoffice.login_redirect)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    return app


def app_from_env() -> FastAPI:
    """The app of one uvicorn worker process (settings from ``ONEWINDOW_SERVER_*``)."""
    # A worker started by uvicorn's supervisor did not run main(): give the server's own loggers
    # a handler too (uvicorn configures only its own).
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    return create_app(settings_from_env())
