"""End to end against the real server (uvicorn, HTTPS on loopback, SQLite and PostgreSQL):
accept at the hall → the server has the case → the back office decides → the hall's case is
ready for delivery; TLS is verified; the hall keeps working offline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import requests
import trustme
from sqlalchemy import func, select

from common.catalog.model import Catalog
from common.clock import ManualClock
from common.contract import DeviceRole
from common.db.engine import HallDatabase
from common.db.models import AppliedChange, HallCertificate, OutboxRow
from common.documents.pdf import certificate_pdf
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseService
from common.intake.words import CaseAction, CaseState
from common.sync.client import (
    CentralRefused,
    CentralUnavailable,
    HttpCentralClient,
    client_from_settings,
)
from common.sync.feed import certificate_data
from common.sync.worker import SyncWorker, read_status
from tests.sync.conftest import HALL, LiveServer, Pair, Tls, draft, hall_settings, live_server


def _server_case(server: LiveServer, number: str) -> tuple[str, int]:
    from server.db.models import ServerCase

    with server.sessions().begin() as s:
        case = s.scalars(select(ServerCase).where(ServerCase.case_number == number)).one()
        return case.state, case.last_seq


def test_accept_approve_in_back_office_and_the_case_comes_back_ready(
    pair: Pair, manual: ManualClock, catalog: Catalog
) -> None:
    any_server, any_hall_db = pair.server, pair.db
    settings = hall_settings(any_server)
    cases = CaseService(any_hall_db, settings, manual, HallCalendar())
    client = client_from_settings(settings.central)
    worker = SyncWorker(any_hall_db, client, settings, manual, cases=cases)
    try:
        view = cases.accept(draft(catalog), actor="w1")
        assert read_status(any_hall_db).backlog == 1
        round1 = worker.run_round()
        assert (round1.drained.applied, round1.error) == (1, "")
        assert round1.followed.applied == 1  # the server's catalog version (for every hall)
        assert _server_case(any_server, view.number) == ("accepted", 1)
        # The server's own case view, through the API with the hall's token.
        seen = client.session.get(f"{any_server.url}/api/v1/cases/{view.number}", timeout=5).json()
        assert seen["state"] == "accepted"

        any_server.act(
            view.number, CaseAction.START_REVIEW, CaseAction.APPROVE, CaseAction.MARK_READY
        )
        any_server.issue_certificate(view.number)
        round2 = worker.run_round()
        assert round2.followed.applied == 4 and round2.followed.skipped == 0
        assert cases.case(view.number).state is CaseState.READY_FOR_DELIVERY
        history = cases.history(view.number)
        assert [h.action for h in history] == [
            CaseAction.ACCEPT,
            CaseAction.START_REVIEW,
            CaseAction.APPROVE,
            CaseAction.MARK_READY,
        ]
        assert [h.seq for h in history] == [1, 2, 3, 4]
        assert history[-1].actor == "central:李审批"
        with any_hall_db.read() as s:
            # The centre's changes wrote no outbox rows: the server must not hear them back.
            assert s.scalar(select(func.count()).select_from(OutboxRow)) == 1
            cert = s.scalars(select(HallCertificate)).one()
            assert cert.case_number == view.number and cert.holder_masked == "林*燕"
        pdf = certificate_pdf(certificate_data(any_hall_db, cert.identifier))
        assert pdf.startswith(b"%PDF")

        # Delivery at the window is the hall's own change: seq 2 on the server, applied in order.
        from tests.sync.conftest import APPLICANT_ID

        cases.deliver(view.number, actor="w1", method="window", card_number=APPLICANT_ID)
        round3 = worker.run_round()
        assert round3.drained.applied == 1
        assert _server_case(any_server, view.number) == ("delivered", 2)
        # A round with nothing new changes nothing (the cursor holds).
        assert worker.run_round().followed.applied == 0
        with any_hall_db.read() as s:
            outcomes = s.execute(
                select(AppliedChange.type, AppliedChange.outcome).order_by(AppliedChange.position)
            ).all()
            assert [tuple(o) for o in outcomes] == [("catalog.version", "applied")] + [
                ("case.status", "applied")
            ] * 3 + [("certificate.issued", "applied")]
        status = read_status(any_hall_db)
        assert (status.backlog, status.parked, status.last_error) == (0, 0, "")
        assert status.last_success_at is not None
    finally:
        worker.stop()


def test_an_unverified_or_wrong_certificate_is_refused(server_sqlite: LiveServer, tls: Tls) -> None:
    token = server_sqlite.token()
    # The system's CA bundle does not know the throw-away CA.
    with pytest.raises(CentralRefused, match="TLS"):
        HttpCentralClient(server_sqlite.url, token, retries=1).health()
    other = trustme.CA()
    with other.cert_pem.tempfile() as other_ca, pytest.raises(CentralRefused, match="TLS"):
        HttpCentralClient(server_sqlite.url, token, verify=other_ca, retries=1).health()
    # The right CA works; plain HTTP to the TLS port does not.
    assert (
        HttpCentralClient(server_sqlite.url, token, verify=str(tls.ca_file)).health().status == "ok"
    )
    with pytest.raises(CentralUnavailable):
        HttpCentralClient(server_sqlite.url.replace("https", "http"), token, retries=1).health()


def test_a_wrong_token_or_a_kiosk_token_is_refused_not_retried(
    server_sqlite: LiveServer, tls: Tls
) -> None:
    calls: list[float] = []
    client = HttpCentralClient(
        server_sqlite.url, "ow_wrong", verify=str(tls.ca_file), sleep=calls.append
    )
    with pytest.raises(CentralRefused) as refused:
        client.changes(0, 10)
    assert refused.value.status == 401 and calls == []
    kiosk = HttpCentralClient(
        server_sqlite.url, server_sqlite.token(HALL, DeviceRole.KIOSK), verify=str(tls.ca_file)
    )
    with pytest.raises(CentralRefused) as refused:
        kiosk.changes(0, 10)
    assert refused.value.status == 403


def test_offline_the_hall_keeps_accepting_and_the_backlog_drains_when_the_server_returns(
    tls: Tls, tmp_path: Path, hall_db: HallDatabase, manual: ManualClock, catalog: Catalog
) -> None:
    any_hall_db = hall_db
    gen = live_server(f"sqlite:///{(tmp_path / 'central.db').as_posix()}", tls, tmp_path)
    server = next(gen)
    try:
        settings = hall_settings(server)
        server.stop()  # down for the whole offline part
        cases = CaseService(any_hall_db, settings, manual, HallCalendar())
        worker = SyncWorker(
            any_hall_db, client_from_settings(settings.central), settings, manual, cases=cases
        )
        numbers = []
        for _ in range(20):
            numbers.append(cases.accept(draft(catalog), actor="w1").number)
            report = worker.run_round()
            assert report.error  # the server is away; the acceptance is not
            manual.advance(minutes=3)
        status = read_status(any_hall_db)
        assert status.backlog == 20 and status.last_success_at is None and status.last_error
        assert status.overdue(manual.at, dt.timedelta(minutes=30))
        server.start()
        manual.advance(hours=1)  # past every row's back-off
        report = worker.run_round()
        assert report.error == "" and report.drained.applied == 20
        assert read_status(any_hall_db).backlog == 0
        for n in numbers:
            assert _server_case(server, n) == ("accepted", 1)
        worker.stop()
    finally:
        gen.close()


def test_health_answers_over_tls(server_sqlite: LiveServer, tls: Tls) -> None:
    r = requests.get(server_sqlite.url + "/api/v1/health", verify=str(tls.ca_file), timeout=5)
    assert r.json()["status"] == "ok"
