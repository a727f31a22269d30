"""Server fixtures: a migrated server database (SQLite file, and PostgreSQL in its own schema),
an app built by ``create_app`` with a manual clock, TestClient, device tokens and cases."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from common.catalog.loader import DEMO_CATALOG
from common.contract import DeviceRole
from server.catalog import load_catalog_path
from server.db.engine import make_engine, make_sessionmaker
from server.db.migrate import upgrade
from server.main import create_app
from server.security import add_device, add_user
from server.settings import ServerSettings

T0 = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in the halls' zone
HALL = "350102"
OTHER_HALL = "350103"
# A real-estate matter of the demo catalog (area 不动产).
MATTER = {"code": "", "version": "1", "name": ""}
PASSWORD = "correct-horse-9"


@dataclass
class ManualClock:
    now: dt.datetime = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)


@dataclass
class Server:
    """A server app on one database, with its tokens."""

    engine: Engine
    sessions: sessionmaker[Session]
    settings: ServerSettings
    clock: ManualClock
    client: TestClient
    tokens: dict[tuple[str, DeviceRole], str] = field(default_factory=dict)

    def token(self, role: DeviceRole = DeviceRole.COUNTER, hall: str = HALL) -> str:
        if (hall, role) not in self.tokens:
            with self.sessions.begin() as s:
                self.tokens[(hall, role)] = add_device(s, hall, role, self.clock())
        return self.tokens[(hall, role)]

    def auth(self, role: DeviceRole = DeviceRole.COUNTER, hall: str = HALL) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, hall)}"}

    def post_events(self, items: list[dict[str, Any]], hall: str = HALL, **kw: Any) -> Any:
        return self.client.post(
            "/api/v1/events",
            json={"hall": hall, "items": items},
            headers=self.auth(hall=hall),
            **kw,
        )


def real_estate_matter() -> dict[str, str]:
    import tomllib

    doc = tomllib.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    m = next(m for m in doc["matters"] if m["area"] == "不动产")
    return {"code": m["code"], "version": m["version"], "name": m["name"]}


def accept_event(
    number: str,
    *,
    hall: str = HALL,
    key: str | None = None,
    name: str = "张三丰",
    id_number: str = "110101199003078515",
    action: str = "accept",
) -> dict[str, Any]:
    """A ``case.accept`` outbox row as the hall's CaseService writes it."""
    to_state = {"accept": "accepted", "accept_with_tolerance": "accepted_with_tolerance"}[action]
    return {
        "key": key or str(uuid.uuid4()),
        "type": f"case.{action}",
        "case_number": number,
        "seq": 1,
        "at": T0.isoformat(),
        "payload": {
            "case_number": number,
            "source": hall,
            "matters": [real_estate_matter()],
            "applicant": {
                "type": 1,
                "name": name,
                "certificate_type": "111",
                "certificate_number": id_number,
                "phone": "13800138000",
                "organisation": "",
                "credit_code": "",
            },
            "accepted_at": T0.isoformat(),
            "promised_date": "2026-11-30",
            "materials": [
                {"key": "id_card", "name": "身份证", "mark": "shared", "form": "原件", "copies": 1},
                {
                    "key": "contract",
                    "name": "不动产买卖合同",
                    "mark": "received",
                    "form": "原件",
                    "copies": 1,
                },
                {
                    "key": "tax",
                    "name": "完税证明",
                    "mark": "tolerated",
                    "form": "复印件",
                    "copies": 1,
                },
            ],
            "process": {
                "action": action,
                "state_code": "已受理",
                "from_state": "draft",
                "to_state": to_state,
                "handler": "window3",
                "opinion": "",
                "at": T0.isoformat(),
                "detail": {},
            },
        },
    }


def step_event(
    number: str, seq: int, action: str, *, hall: str = HALL, key: str | None = None, **detail: Any
) -> dict[str, Any]:
    return {
        "key": key or str(uuid.uuid4()),
        "type": f"case.{action}",
        "case_number": number,
        "seq": seq,
        "at": T0.isoformat(),
        "payload": {
            "case_number": number,
            "source": hall,
            "process": {"action": action, "handler": "window3", "opinion": "", "detail": detail},
        },
    }


def _server(url: str) -> Iterator[Server]:
    engine = make_engine(url)
    upgrade(engine)
    clock = ManualClock()
    settings = ServerSettings(database_url=url, clock=clock)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as s:
        load_catalog_path(s, DEMO_CATALOG, clock())
        add_user(
            s,
            "reviewer",
            PASSWORD,
            role="backoffice",
            area="不动产",
            display_name="李审批",
            now=clock(),
        )
        add_user(
            s,
            "approver",
            PASSWORD,
            role="approver",
            area="不动产",
            display_name="王科长",
            now=clock(),
        )
        add_user(
            s, "tax", PASSWORD, role="backoffice", area="税务", display_name="赵税务", now=clock()
        )
    app = create_app(settings, engine=engine)
    with TestClient(app, base_url="http://testserver") as client:
        yield Server(engine, sessions, settings, clock, client)
    engine.dispose()


@pytest.fixture
def server_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'server.db').as_posix()}"


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A server on SQLite and on PostgreSQL (each test its own schema)."""
    fixture = "server_sqlite_url" if request.param == "sqlite" else "pg_schema_url"
    yield from _server(request.getfixturevalue(fixture))


@pytest.fixture
def sqlite_server(server_sqlite_url: str) -> Iterator[Server]:
    yield from _server(server_sqlite_url)


@pytest.fixture
def pg_server(pg_schema_url: str) -> Iterator[Server]:
    yield from _server(pg_schema_url)
