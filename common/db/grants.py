"""Least privilege on a PostgreSQL hall database: one role per kind of program.

DESIGN.md "Security and privacy": full names and ID numbers live only in the case tables, and
the kiosk and the display — unattended, in the public part of the hall — cannot read them. Each
program connects as its own role (``onewindow_kiosk``, ``onewindow_counter`` …); this module
creates the roles and grants each exactly the tables its work needs. ``onewindow db grants``
runs it; run it again after every ``db upgrade`` (new tables get no privileges until then).

The roles are created NOLOGIN (group roles) unless a password is given, so a hall can either
log in as them directly or make its own login users members of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine

__all__ = ["APP_ROLES", "RoleGrants", "apply_grants", "drop_roles", "role_name"]

# window_service_day: today's reassignments replace a window's configured services (0015).
_QUEUE_READ = ("service", "service_time", "window", "window_service", "window_service_day")
_CASES = ("intake_case", "case_material", "case_transition", "case_clock_stop", "case_counter")
_CATALOG = ("catalog_version", "matter_version", "catalog_entry")
# What the sync worker keeps (common.sync); the counter runs the worker in-app.
_SYNC = ("sync_cursor", "sync_applied_change", "hall_certificate", "hall_appointment")
# Ratings and the follow-up loop (bad ratings, 办不成事 reports): a counter rates, records
# reports and, for the manager, follows them up (common.manager.followup).
_FOLLOWUP = ("rating", "followup", "followup_step")


@dataclass(frozen=True)
class RoleGrants:
    """What one kind of program may do: tables it reads, tables it writes, tables it appends to."""

    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()  # SELECT, INSERT, UPDATE, DELETE
    append: tuple[str, ...] = ()  # INSERT only (audit rows): it cannot read what others wrote
    # Functions it may call: narrow, masked read paths owned by the migrating role (0010).
    execute: tuple[str, ...] = ()
    # Columns it may read of tables it otherwise only appends to (table, columns).
    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()


APP_ROLES: Mapping[str, RoleGrants] = {
    # Issues numbers and reports its devices; reads no staff, no case, no applicant.
    "kiosk": RoleGrants(
        read=(*_QUEUE_READ, *_CATALOG),
        write=("ticket", "service_counter", "queue_event", "device_status"),
        # 评价 at the kiosk: a rating and its outbox row, appended; of the ratings it reads only
        # which services are rated (one per service), never a level, comment or phone call-back.
        # A bad rating opens a follow-up in the same transaction: appended too, never read.
        append=("audit_log", "rating", "outbox", "followup"),
        # (INSERT … RETURNING id needs the id column.)
        columns=(
            ("rating", ("id", "service_key")),
            ("audit_log", ("id",)),
            ("outbox", ("id",)),
            ("followup", ("id",)),
        ),
        # 办件查询: masked progress of one holder's or one number's cases, never the tables.
        # 证照打印 / 补打回执: the holder's certificates, their own case's receipt facts, and a
        # print record with its outbox row — each through its function (migration 0012).
        execute=(
            "onewindow_kiosk_progress",
            "onewindow_kiosk_certificates",
            "onewindow_kiosk_receipt",
            "onewindow_kiosk_record_print",
            # 预约签到: one holder's appointments of today, and marking one checked in (0013).
            "onewindow_kiosk_appointments",
            "onewindow_kiosk_checkin",
            # 评价 of a hand-over: the holder's cases handed over today (0013).
            "onewindow_kiosk_handovers",
            # ... and one case handed over today, by its receipt's QR code (0017).
            "onewindow_kiosk_handover_of_case",
        ),
    ),
    # Shows and speaks calls: reads the queue, reports its voice and screen.
    "display": RoleGrants(read=(*_QUEUE_READ, "ticket", "queue_event"), write=("device_status",)),
    # Window staff: the queue desk, logins and window claims, intake.
    "counter": RoleGrants(
        # staff_window: the windows a member of staff may sit at, checked at the window claim.
        read=(*_QUEUE_READ, *_CATALOG, "staff_window"),
        write=(
            "ticket",
            "service_counter",
            "queue_event",
            "device_status",
            "staff",
            "window",
            *_CASES,
            "outbox",
            *_SYNC,
            *_FOLLOWUP,
        ),
        append=("audit_log",),
        # A one-row INSERT fetches the new id (RETURNING id): without it every audited action
        # of a counter connected as this role was refused on PostgreSQL.
        columns=(("audit_log", ("id",)),),
    ),
    # The hall manager: everything a counter does, plus services, staff and the audit trail.
    "manager": RoleGrants(
        read=("audit_log", "kiosk_print"),
        write=(
            "service",
            "service_time",
            "window",
            "window_service",
            "window_service_day",
            "ticket",
            "service_counter",
            "queue_event",
            "device_status",
            "staff",
            "staff_window",
            *_CASES,
            "outbox",
            *_CATALOG,
            *_SYNC,
            *_FOLLOWUP,
        ),
    ),
    # The sync worker: drains the outbox, applies back-office changes and catalog versions.
    "sync": RoleGrants(
        read=("ticket",),
        write=(*_CASES, "outbox", *_CATALOG, *_SYNC),
        append=("audit_log",),
        columns=(("audit_log", ("id",)),),
    ),
}


def role_name(prefix: str, app: str) -> str:
    return f"{prefix}_{app}"


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum() or not name[0].isalpha():
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def apply_grants(
    engine: Engine, *, prefix: str = "onewindow", passwords: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Create (or update) the app roles and grant them their tables in the current schema.

    ``passwords`` maps an app (``kiosk``) to a login password; apps without one get a NOLOGIN
    role. Returns app → role name. Idempotent: privileges are revoked and granted afresh.
    """
    if engine.dialect.name != "postgresql":
        raise ValueError(
            "roles and grants are for a PostgreSQL hall database; a SQLite file has none"
        )
    passwords = passwords or {}
    names: dict[str, str] = {}
    with engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        tables = set(
            conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
            ).scalars()
        )
        functions = set(
            conn.execute(
                text(
                    "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE n.nspname = :s"
                ),
                {"s": schema},
            ).scalars()
        )
        for app, grants in APP_ROLES.items():
            role = role_name(prefix, app)
            names[app] = role
            r = _ident(role)
            exists = conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).first()
            if exists is None:
                conn.execute(text(f"CREATE ROLE {r} NOLOGIN"))
            if app in passwords:
                # The password is a bound literal in a utility statement: quote it as PostgreSQL
                # does.
                quoted = conn.execute(
                    text("SELECT quote_literal(:p)"), {"p": passwords[app]}
                ).scalar_one()
                conn.execute(text(f"ALTER ROLE {r} LOGIN PASSWORD {quoted}"))
            s = _ident(schema)
            conn.execute(text(f"GRANT USAGE ON SCHEMA {s} TO {r}"))
            conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}"))
            conn.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {s} FROM {r}"))
            conn.execute(text(f"GRANT SELECT ON {s}.alembic_version TO {r}"))
            for table, cols in grants.columns:
                if table in tables:
                    names_sql = ", ".join(_ident(c) for c in cols)
                    conn.execute(text(f"GRANT SELECT ({names_sql}) ON {s}.{_ident(table)} TO {r}"))
            for function in grants.execute:
                if function in functions:
                    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {s}.{_ident(function)} TO {r}"))
            for table in grants.read:
                if table in tables:
                    conn.execute(text(f"GRANT SELECT ON {s}.{_ident(table)} TO {r}"))
            for table in grants.write:
                if table in tables:
                    conn.execute(
                        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {s}.{_ident(table)} TO {r}")
                    )
            for table in grants.append:
                if table in tables:
                    conn.execute(text(f"GRANT INSERT ON {s}.{_ident(table)} TO {r}"))
            if grants.write or grants.append:
                conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {r}"))
    return names


def drop_roles(engine: Engine, *, prefix: str = "onewindow") -> None:
    """Revoke the app roles' privileges in the current schema and drop the roles."""
    with engine.begin() as conn:
        s = _ident(conn.execute(text("SELECT current_schema()")).scalar_one())
        for app in APP_ROLES:
            role = role_name(prefix, app)
            if (
                conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
                is None
            ):
                continue
            r = _ident(role)
            conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}"))
            conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}"))
            conn.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {s} FROM {r}"))
            conn.execute(text(f"REVOKE ALL ON SCHEMA {s} FROM {r}"))
            conn.execute(text(f"DROP ROLE {r}"))
