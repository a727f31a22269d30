"""Sync fixtures: a throw-away CA (trustme), the REAL central server run by uvicorn over HTTPS on
loopback in a subprocess (SQLite file or PostgreSQL), a fault proxy in front of it, and a hall
database with its case service."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import trustme
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from common.catalog.loader import DEMO_CATALOG, load_catalog_file
from common.catalog.model import Catalog
from common.clock import ManualClock
from common.config import Settings
from common.contract import DeviceRole
from common.db.engine import HallDatabase
from common.intake.applicant import Applicant, ApplicantType, Person
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseDraft, CaseService
from common.intake.checklist import SharedData, build_checklist
from common.intake.words import CaseAction, MaterialMark
from common.people import check_character
from tests.conftest import MONDAY_9AM, make_settings

ROOT = Path(__file__).resolve().parents[2]
HALL = "350102"
PASSWORD = "correct-horse-9"
APPLICANT_ID = "35010219800101123" + check_character("35010219800101123")  # invented


# ---------------------------------------------------------------------- TLS


@dataclass
class Tls:
    """A throw-away CA with one certificate for 127.0.0.1/localhost, as files and contexts."""

    ca: trustme.CA
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cafile=str(self.ca_file))
        return ctx


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert_file = folder / "server.pem"
    key_file = folder / "server.key"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    for extra in cert.cert_chain_pems[1:]:
        extra.write_to_path(str(cert_file), append=True)
    cert.private_key_pem.write_to_path(str(key_file))
    return Tls(ca, ca_file, cert_file, key_file)


# ---------------------------------------------------------------------- the live server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """``onewindow-server serve`` in a subprocess, over HTTPS on loopback."""

    database_url: str
    tls: Tls
    log_file: Path
    workers: int = 1
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    engine: Engine | None = None
    tokens: dict[tuple[str, DeviceRole], str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def prepare(self) -> None:
        """Migrate, load the catalog, add the back-office users (in this process)."""
        from server.catalog import load_catalog_path
        from server.db.engine import make_engine
        from server.db.migrate import upgrade
        from server.security import add_user

        self.engine = make_engine(self.database_url)
        upgrade(self.engine)
        with self.sessions().begin() as s:
            now = dt.datetime.now(dt.UTC)
            load_catalog_path(s, DEMO_CATALOG, now)
            add_user(
                s,
                "reviewer",
                PASSWORD,
                role="backoffice",
                area="不动产",
                display_name="李审批",
                now=now,
            )

    def sessions(self) -> sessionmaker[Session]:
        from server.db.engine import make_sessionmaker

        assert self.engine is not None
        return make_sessionmaker(self.engine)

    def token(self, hall: str = HALL, role: DeviceRole = DeviceRole.COUNTER) -> str:
        from server.security import add_device

        if (hall, role) not in self.tokens:
            with self.sessions().begin() as s:
                self.tokens[(hall, role)] = add_device(s, hall, role, dt.datetime.now(dt.UTC))
        return self.tokens[(hall, role)]

    def start(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT)
        out = self.log_file.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.app",
                "--database",
                self.database_url,
                "serve",
                "--no-upgrade",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--ssl-certfile",
                str(self.tls.cert_file),
                "--ssl-keyfile",
                str(self.tls.key_file),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_file.read_text()[-2000:]}")
            try:
                r = requests.get(
                    self.url + "/api/v1/health", verify=str(self.tls.ca_file), timeout=2
                )
                if r.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """SIGKILL the server and its workers (the whole process group)."""
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)
            self.proc = None

    def stop(self) -> None:
        # SIGKILL, not SIGTERM: uvicorn's graceful shutdown waits for idle keep-alive
        # connections, and everything the server answered is committed anyway.
        self.kill()
        if self.engine is not None:
            self.engine.dispose()

    # ------------------------------------------------------------------ back office internals

    def act(self, case_number: str, *actions: CaseAction, opinion: str = "") -> None:
        """Back-office decisions through the server's own code (``server.backoffice.act``)."""
        from server.backoffice import act
        from server.db.models import BackofficeUser, ServerCase
        from server.security import UserView

        with self.sessions().begin() as s:
            user = s.scalars(
                select(BackofficeUser).where(BackofficeUser.username == "reviewer")
            ).one()
            view = UserView(user.id, user.username, user.display_name, user.role, user.area)
            case = s.scalars(select(ServerCase).where(ServerCase.case_number == case_number)).one()
            for action in actions:
                act(s, view, case.id, action, opinion, dt.datetime.now(dt.UTC))

    def issue_certificate(self, case_number: str) -> None:
        from server.backoffice import issue_certificate
        from server.db.models import BackofficeUser, ServerCase
        from server.security import UserView
        from server.settings import ServerSettings

        with self.sessions().begin() as s:
            user = s.scalars(
                select(BackofficeUser).where(BackofficeUser.username == "reviewer")
            ).one()
            view = UserView(user.id, user.username, user.display_name, user.role, user.area)
            case = s.scalars(select(ServerCase).where(ServerCase.case_number == case_number)).one()
            issue_certificate(
                s,
                view,
                case.id,
                ServerSettings(database_url=self.database_url),
                dt.datetime.now(dt.UTC),
            )


def live_server(
    url: str, tls: Tls, tmp_path: Path, workers: int = 1
) -> Generator[LiveServer, None, None]:
    server = LiveServer(url, tls, tmp_path / f"server-{free_port()}.log", workers=workers)
    server.prepare()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server_sqlite(tls: Tls, tmp_path: Path) -> Iterator[LiveServer]:
    yield from live_server(f"sqlite:///{(tmp_path / 'central.db').as_posix()}", tls, tmp_path)


@dataclass
class Pair:
    """A live server and a hall database on the same engine kind."""

    server: LiveServer
    db: HallDatabase
    kind: str


@pytest.fixture(params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, tls: Tls, tmp_path: Path) -> Iterator[Pair]:
    """The server and the hall both on SQLite files, or both on PostgreSQL (own schemas)."""
    if request.param == "sqlite":
        url = f"sqlite:///{(tmp_path / 'central.db').as_posix()}"
        db: HallDatabase = request.getfixturevalue("hall_db")
    else:
        url = request.getfixturevalue("pg_schema_url")
        db = _pg_hall(request)
    for server in live_server(url, tls, tmp_path):
        yield Pair(server, db, request.param)


def pg_schema(request: pytest.FixtureRequest) -> str:
    """Another fresh PostgreSQL schema for this test (the fixture ``pg_schema_url`` gives one;
    a hall and a server, or several halls, need one each)."""
    import uuid

    from sqlalchemy import create_engine, text

    from tests.conftest import _pg_or_skip

    base = _pg_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"

    def admin(sql: str) -> None:
        engine = create_engine(
            base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as c:
            c.execute(text(sql))
        engine.dispose()

    admin(f'CREATE SCHEMA "{schema}"')
    request.addfinalizer(lambda: admin(f'DROP SCHEMA "{schema}" CASCADE'))
    sep = "&" if "?" in base else "?"
    return (
        f"{base}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
        f"&application_name={schema}"
    )


def _pg_hall(request: pytest.FixtureRequest) -> HallDatabase:
    from tests.conftest import _open

    url = pg_schema(request)
    db = _open(url)
    request.addfinalizer(db.dispose)  # runs before the schema is dropped (LIFO)
    return db


# ---------------------------------------------------------------------- the hall


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog_file(ROOT / "resources" / "catalog" / "demo.toml")


def draft(catalog: Catalog) -> CaseDraft:
    """A complete 二手房转移登记 (area 不动产 on the server): accepted at once."""
    matter = next(m for m in catalog.matters.values() if m.name == "二手房转移登记")
    checklist = build_checklist([matter], shared=SharedData(id_card=True))
    for item in checklist.items:
        if item.mark is None:
            mark = (
                MaterialMark.NOT_APPLICABLE if item.not_applicable_when else MaterialMark.RECEIVED
            )
            checklist = checklist.mark(item.key, mark)
    person = Person.checked("林晓燕", APPLICANT_ID, phone="13800138000")
    return CaseDraft(
        checklist,
        Applicant(ApplicantType.NATURAL_PERSON, person),
        window=1,
        catalog_version=catalog.version,
    )


def hall_settings(server: LiveServer | None = None, **central: Any) -> Settings:
    section: dict[str, Any] = {
        "timeout": 2.0,
        "connect_timeout": 1.0,
        "retries": 2,
        "backoff_base": 0.05,
        "backoff_max": 0.5,
        "interval": 0.2,
        "batch_size": 100,
    }
    if server is not None:
        section.update(url=server.url, token=server.token(), ca_bundle=str(server.tls.ca_file))
    section.update(central)
    return make_settings(central=section)


@pytest.fixture
def manual() -> ManualClock:
    return ManualClock(MONDAY_9AM)


@pytest.fixture
def hall_cases(any_hall_db: HallDatabase, manual: ManualClock) -> CaseService:
    return CaseService(any_hall_db, make_settings(), manual, HallCalendar())
