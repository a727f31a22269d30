"""Appointments for the check-in tests: the demo catalog loaded, a 不动产 matter booked through
the same function as ``onewindow appointment book``."""

from __future__ import annotations

import datetime as dt

from common.catalog.store import load_catalog
from common.clock import Clock
from common.config import Settings
from common.db.engine import HallDatabase
from common.selfservice.checkin import book_appointment
from tests.kiosk.selfservice.cases import catalog

MATTER_NAME = "二手房转移登记"  # area 不动产: its tickets go to queue D in the demo settings


def matter_code() -> str:
    return next(m.code for m in catalog().matters.values() if m.name == MATTER_NAME)


def load_demo_catalog(db: HallDatabase) -> None:
    load_catalog(db, catalog(), actor="test", source="demo.toml")


def book(
    db: HallDatabase,
    settings: Settings,
    clock: Clock,
    id_number: str,
    day: dt.date,
    slot: str,
    *,
    name: str = "",
) -> int:
    appointment_id, _ = book_appointment(
        db,
        settings,
        clock,
        matter_code=matter_code(),
        day=day,
        slot=slot,
        id_number=id_number,
        name=name,
        phone="13800138000",
        actor="test",
    )
    return appointment_id
