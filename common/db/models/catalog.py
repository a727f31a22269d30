"""The matter catalog in the hall database: catalog versions and the matter versions they hold.

A case keeps the (matter code, matter version) it was accepted under, so a matter version, once
stored, is never changed or deleted: loading a new catalog adds rows and moves "current", and a
case accepted under last year's 二手房转移登记 still reads last year's materials and limits.
Written by :func:`common.catalog.store.load_catalog` only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base

__all__ = ["CatalogEntry", "CatalogVersion", "MatterVersion"]


class CatalogVersion(Base):
    """One loaded catalog version. The current one is the most recently activated."""

    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # SHA-256 of the content (matters, bundles, name): loading the same content again is a no-op.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    loaded_at: Mapped[dt.datetime] = mapped_column()
    loaded_by: Mapped[str] = mapped_column(String(64), default="")
    # Reloading an older version's content makes it current again without a new row: the
    # current version is the highest activation number (not a timestamp: clocks tie and jump).
    activation: Mapped[int] = mapped_column(Integer, unique=True)
    activated_at: Mapped[dt.datetime] = mapped_column()
    matter_count: Mapped[int] = mapped_column(Integer)
    bundle_count: Mapped[int] = mapped_column(Integer)
    bundles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class MatterVersion(Base):
    """One version of one matter's definition (JSON of :class:`common.catalog.Matter`).

    Immutable once stored."""

    __tablename__ = "matter_version"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column()
    # The catalog version this matter version first arrived with.
    first_catalog_id: Mapped[int] = mapped_column(ForeignKey("catalog_version.id"))


class CatalogEntry(Base):
    """Which matter version a catalog version holds, in the file's order."""

    __tablename__ = "catalog_entry"
    __table_args__ = (
        ForeignKeyConstraint(
            ["matter_code", "matter_version"],
            ["matter_version.code", "matter_version.version"],
        ),
    )

    catalog_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_version.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_code: Mapped[str] = mapped_column(String(64))
    matter_version: Mapped[str] = mapped_column(String(32))
