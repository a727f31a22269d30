"""The one declarative base every hall table is mapped on, and the column types they share.

Models live in one module per area (``queue``, ``staff``, ``stations``, ``audit``; the catalog
and cases add theirs) over this base, so ``Base.metadata`` is the whole schema once
:mod:`common.db.models` is imported. Alembic migrations (``common/db/migrations``) are the only
way the schema reaches a database; ``tests/common/db/test_migrations.py`` fails when the models
and the migrations disagree.

Datetimes are stored as naive UTC (SQLite has no time zone type) and come back aware, through
:class:`UTCDateTime`; the hall's own calendar day is stored separately as ``hall_day``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Enum, MetaData, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

__all__ = ["NAMING", "Base", "UTCDateTime", "str_enum"]

# Stable constraint names so migrations can alter them on both engines.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, naive UTC stored, aware UTC out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the hall database; use an aware one")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime, dict[str, Any]: JSON}


def str_enum(e: type[enum.StrEnum], name: str, length: int = 16) -> Enum:
    """A column type for a StrEnum, stored as its plain string values."""
    # Stored as plain strings (no native PG enum) so adding a value is a code change only.
    return Enum(
        e,
        name=name,
        native_enum=False,
        length=length,
        values_callable=lambda x: [m.value for m in x],
    )
