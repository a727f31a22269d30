"""证照打印 and 补打回执 in the kiosk window connected as the kiosk's own PostgreSQL role: the
list, the print and its record, and the reprint go through the kiosk functions only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url, select

from common.clock import FixedClock, ManualClock
from common.db.engine import HallDatabase, make_engine
from common.db.grants import APP_ROLES, apply_grants, drop_roles
from common.db.models import KioskPrint, OutboxRow, PrintKind
from common.devices.a4 import FakeA4Printer
from common.devices.idcard.card import parse_card
from common.devices.idcard.profiles import SAMPLE_PROFILES, encode_text_block
from common.devices.printer.fake import FakePrinter
from common.devices.printer.jobs import PrintJobBuilder
from common.devices.printer.queue import PrintQueue
from common.qt.worker import TaskRunner
from common.queue.service import QueueService
from kiosk.certprint import CertScreen, ReprintStatus
from kiosk.printing import TicketPrinting
from kiosk.selfservice import SelfScreen
from kiosk.window import KioskWindow
from tests.conftest import MONDAY_9AM
from tests.kiosk.certprint.seed import seed_certificates
from tests.kiosk.selfservice.test_lookup_window import settings

RESIDENT = SAMPLE_PROFILES["resident"]


@pytest.fixture
def kiosk_db(pg_hall_db: HallDatabase, pg_schema_url: str) -> Iterator[HallDatabase]:
    prefix = f"ow_{uuid.uuid4().hex[:8]}"
    passwords = {app: f"pw-{app}-{prefix}" for app in APP_ROLES}
    names = apply_grants(pg_hall_db.engine, prefix=prefix, passwords=passwords)
    url = (
        make_url(pg_schema_url)
        .set(username=names["kiosk"], password=passwords["kiosk"])
        .render_as_string(hide_password=False)
    )
    db = HallDatabase(make_engine(url))
    yield db
    db.dispose()
    drop_roles(pg_hall_db.engine, prefix=prefix)


def test_print_and_reprint_as_the_kiosk_role(
    qtbot: QtBot, pg_hall_db: HallDatabase, kiosk_db: HallDatabase
) -> None:
    hall = settings()
    certs = seed_certificates(
        pg_hall_db, hall, ManualClock(MONDAY_9AM), RESIDENT.number, RESIDENT.name, MONDAY_9AM.date()
    )
    QueueService(pg_hall_db, hall, FixedClock(MONDAY_9AM)).sync_from_settings()  # as the owner
    device = FakePrinter()
    queue = PrintQueue(device, retry_interval=0.05)
    window = KioskWindow(
        hall,
        QueueService(kiosk_db, hall, FixedClock(MONDAY_9AM)),
        station="kiosk-pg",
        printing=TicketPrinting(hall, PrintJobBuilder(hall.printer), queue),
        runner=TaskRunner(inline=True),
        print_runner=TaskRunner(inline=True),
        today=lambda: MONDAY_9AM.date(),
        apply_styles=False,
        a4=FakeA4Printer(),
    )
    qtbot.addWidget(window)
    from common.qt.print_events import QtPrintEvents

    events = QtPrintEvents(queue, window)
    events.print_event.connect(window.on_print_event)
    events.attach()
    queue.start()
    try:
        card = parse_card(encode_text_block(RESIDENT))
        window.open_self_service("certificates")
        window.on_card(card)
        flow = window.certificates.flow
        assert flow.state.screen is CertScreen.LIST
        assert [c.identifier for c in flow.state.certificates] == [certs.valid, certs.expired]
        flow.choose(certs.valid)
        assert window.certificates.flow.state.screen is CertScreen.DONE
        flow.done()
        window.open_self_service()
        window.on_card(card)
        assert window.selfservice.flow.state.screen is SelfScreen.CASES
        reprints = window.certificates.reprints
        reprints.request(certs.cases.tolerated, window.selfservice.flow.card_holder)
        qtbot.waitUntil(
            lambda: reprints.statuses.get(certs.cases.tolerated) is ReprintStatus.PRINTED,
            timeout=5000,
        )
        with pg_hall_db.read() as s:
            done = [(p.kind, p.reference, p.output) for p in s.scalars(select(KioskPrint))]
            events_out = list(
                s.scalars(
                    select(OutboxRow.event_type)
                    .where(OutboxRow.aggregate.like("print:%"))
                    .order_by(OutboxRow.id)
                )
            )
        assert done == [
            (PrintKind.CERTIFICATE, certs.valid, "a4"),
            (PrintKind.RECEIPT, certs.cases.tolerated, "slip"),
        ]
        assert events_out == ["certificate.printed", "receipt.reprinted"]
    finally:
        events.detach()
        queue.stop()
        window.shutdown()
        window.close()
