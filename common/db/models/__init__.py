"""The hall database schema (SQLAlchemy 2.x typed models), one module per area over one base.

``from common.db.models import X`` keeps working for every model; importing this package
registers every table on :data:`Base.metadata` (Alembic's ``env.py`` and the migration test rely
on that). A new area (the catalog, cases) adds its module here and to the imports below.
"""

from __future__ import annotations

from common.db.models.audit import AuditLog
from common.db.models.base import NAMING, Base, UTCDateTime, str_enum
from common.db.models.cases import (
    Case,
    CaseClockStop,
    CaseCounter,
    CaseMaterial,
    CaseTransition,
    OutboxRow,
)
from common.db.models.catalog import CatalogEntry, CatalogVersion, MatterVersion
from common.db.models.followup import Followup, FollowupStepRow
from common.db.models.prints import KioskPrint, PrintKind
from common.db.models.queue import (
    EventKind,
    Priority,
    QueueEvent,
    Service,
    ServiceCounter,
    ServiceTime,
    Ticket,
    TicketStatus,
)
from common.db.models.ratings import Rating
from common.db.models.staff import Role, Staff, StaffWindow
from common.db.models.stations import DeviceStatus, Window, WindowService, WindowServiceDay
from common.db.models.sync import AppliedChange, HallAppointment, HallCertificate, SyncCursor

__all__ = [
    "NAMING",
    "AppliedChange",
    "AuditLog",
    "Base",
    "Case",
    "CaseClockStop",
    "CaseCounter",
    "CaseMaterial",
    "CaseTransition",
    "CatalogEntry",
    "CatalogVersion",
    "DeviceStatus",
    "EventKind",
    "Followup",
    "FollowupStepRow",
    "HallAppointment",
    "HallCertificate",
    "KioskPrint",
    "MatterVersion",
    "OutboxRow",
    "PrintKind",
    "Priority",
    "QueueEvent",
    "Rating",
    "Role",
    "Service",
    "ServiceCounter",
    "ServiceTime",
    "Staff",
    "StaffWindow",
    "SyncCursor",
    "Ticket",
    "TicketStatus",
    "UTCDateTime",
    "Window",
    "WindowService",
    "WindowServiceDay",
    "str_enum",
]
