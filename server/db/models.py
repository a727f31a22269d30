"""The central server's tables (SQLAlchemy 2.x, its own metadata and Alembic migrations).

Nothing here is shared with the hall database: the server keeps what it needs from the hall's
events (cases by hall and case number, their history, ratings and prints), its devices and
back-office users, the change feed and the catalog it serves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "AuditRow",
    "BackofficeUser",
    "Base",
    "CatalogRow",
    "Certificate",
    "Device",
    "FeedChange",
    "FeedCounter",
    "HallRecord",
    "ReceivedEvent",
    "ServerAppointment",
    "ServerCase",
    "ServerCaseEvent",
    "UtcDateTime",
    "WebSession",
]


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every database (SQLite hands back naive values otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of the server's tables."""

    type_annotation_map = {  # noqa: RUF012  (SQLAlchemy reads it from the class)
        dt.datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Device(Base):
    """A device token: one hall, one role; only the SHA-256 of the token is stored."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    hall: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(64), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class BackofficeUser(Base):
    """A department's member of staff (后台审批人员), limited to one area (板块)."""

    __tablename__ = "backoffice_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    area: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column()


class WebSession(Base):
    """A back-office login: the cookie holds a random token, the table its SHA-256 and the
    session's CSRF token."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("backoffice_user.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column()
    expires_at: Mapped[dt.datetime] = mapped_column()


class ServerCase(Base):
    """A hall's case as the server knows it; ``last_seq`` is the last hall event applied."""

    __tablename__ = "server_case"
    __table_args__ = (
        UniqueConstraint("hall", "case_number"),
        Index("ix_case_area_state", "area", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hall: Mapped[str] = mapped_column(String(32))
    case_number: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(32))
    last_seq: Mapped[int] = mapped_column(Integer)
    area: Mapped[str] = mapped_column(String(16), default="")
    title: Mapped[str] = mapped_column(String(400), default="")
    # The creating event's national case-data fields (applicant in full: personal data).
    data: Mapped[dict[str, Any]] = mapped_column()
    materials: Mapped[list[Any]] = mapped_column()
    accepted_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column()


class ServerCaseEvent(Base):
    """One transition of a server case, from the hall's events or from the back office."""

    __tablename__ = "server_case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("server_case.id"), index=True)
    origin: Mapped[str] = mapped_column(String(16))  # hall | backoffice
    hall_seq: Mapped[int | None] = mapped_column(Integer, default=None)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    state_code: Mapped[str] = mapped_column(String(32), default="")
    handler: Mapped[str] = mapped_column(String(64), default="")
    opinion: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column()


class ReceivedEvent(Base):
    """An idempotency key: the first body's hash and the first answer, stored in the same
    transaction as the event's effect (so a key exists if and only if its effect does)."""

    __tablename__ = "received_event"

    key: Mapped[str] = mapped_column(String(36), primary_key=True)
    hall: Mapped[str] = mapped_column(String(32))
    type: Mapped[str] = mapped_column(String(64))
    case_number: Mapped[str] = mapped_column(String(64), default="")
    seq: Mapped[int] = mapped_column(Integer)
    body_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime] = mapped_column()


class HallRecord(Base):
    """An event without a case state (a rating, a certificate print), kept as received."""

    __tablename__ = "hall_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(36), unique=True)
    hall: Mapped[str] = mapped_column(String(32), index=True)
    type: Mapped[str] = mapped_column(String(64))
    case_number: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[dict[str, Any]] = mapped_column()
    at: Mapped[dt.datetime] = mapped_column()


class Certificate(Base):
    """An e-certificate issued by the back office for a case."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("server_case.id"), index=True)
    identifier: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    issuer_name: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[dt.date] = mapped_column()
    valid_until: Mapped[dt.date | None] = mapped_column(default=None)
    issued_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column()


class ServerAppointment(Base):
    """A booking from the online channel (full data here; the feed carries it masked)."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    hall: Mapped[str] = mapped_column(String(32), index=True)
    matter_code: Mapped[str] = mapped_column(String(64))
    day: Mapped[dt.date] = mapped_column()
    slot: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[dt.datetime] = mapped_column()


class FeedCounter(Base):
    """The change feed's one-row position counter. Every writing transaction updates it as its
    last statement: the row lock, held to commit, hands out positions in commit order."""

    __tablename__ = "feed_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_position: Mapped[int] = mapped_column(BigInteger)


class FeedChange(Base):
    """One change-feed item; ``position`` comes from :class:`FeedCounter` (never a sequence)."""

    __tablename__ = "feed_change"
    __table_args__ = (Index("ix_feed_hall_position", "hall", "position"),)

    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hall: Mapped[str] = mapped_column(String(32))
    type: Mapped[str] = mapped_column(String(32))
    case_number: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[dict[str, Any]] = mapped_column()
    at: Mapped[dt.datetime] = mapped_column()


class CatalogRow(Base):
    """A catalog version the server has served; exactly one is current."""

    __tablename__ = "catalog"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    document: Mapped[dict[str, Any]] = mapped_column()
    current: Mapped[bool] = mapped_column(Boolean, default=False)
    loaded_at: Mapped[dt.datetime] = mapped_column()


class AuditRow(Base):
    """Who did what in the back office (logins, decisions, views of full personal data)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
