"""The catalog in the hall database: load a version, read the current one, read an old matter.

* :func:`load_catalog` stores a catalog as a new version in one unit of work. Loading the same
  content again is a no-op (the content digest is unique); loading the content of an older
  version makes that version current again. A matter version already stored is immutable: a
  new file that changes a matter's definition without raising its ``version`` is refused
  (cases accepted under that version would silently change).
* :func:`current_catalog` reads the current version back; :func:`current_catalog_version` is
  the cheap check a counter uses to know when to rebuild its search index.
* :func:`matter_version` reads any stored matter version, current or not: the one a case was
  accepted under.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.catalog.model import Bundle, Catalog, CatalogError, Matter, UnknownMatter
from common.clock import Clock, DatabaseClock
from common.db.engine import HallDatabase
from common.db.models import CatalogEntry, CatalogVersion, MatterVersion
from common.db.unit import UnitOfWork

__all__ = [
    "LoadResult",
    "current_catalog",
    "current_catalog_version",
    "load_catalog",
    "matter_version",
]


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_catalog` did."""

    version: str  # the version now current
    created: bool  # a new catalog version row was written
    reactivated: bool  # an older version with the same content became current again
    matters: int
    bundles: int
    new_matter_versions: int  # matter versions stored for the first time


def load_catalog(
    db: HallDatabase,
    catalog: Catalog,
    *,
    clock: Clock | None = None,
    actor: str = "system",
    source: str = "",
) -> LoadResult:
    """Store ``catalog`` as the current version (idempotent for the same content).

    Two PCs loading at the same moment: on PostgreSQL the second meets a unique constraint
    (digest, version, activation or a matter version) and tries once more, now seeing the first
    one's rows (SQLite takes the write lock up front, so there the second simply waits).
    """
    clock = clock or DatabaseClock()
    try:
        return _load(db, catalog, clock, actor, source)
    except IntegrityError:
        return _load(db, catalog, clock, actor, source)


def _load(db: HallDatabase, catalog: Catalog, clock: Clock, actor: str, source: str) -> LoadResult:
    with UnitOfWork(db, clock) as uow:
        s = uow.session
        current = _current_row(s)
        if current is not None and current.digest == catalog.digest:
            return LoadResult(
                current.version, False, False, current.matter_count, current.bundle_count, 0
            )
        same = s.scalars(
            select(CatalogVersion).where(CatalogVersion.digest == catalog.digest)
        ).one_or_none()
        if same is not None:
            same.activation = _next_activation(s)
            same.activated_at = uow.now
            uow.audit(actor, "catalog.activate", same.version, source=source)
            return LoadResult(same.version, False, True, same.matter_count, same.bundle_count, 0)
        if s.scalars(
            select(CatalogVersion.id).where(CatalogVersion.version == catalog.version)
        ).first():
            raise CatalogError(
                f"catalog version {catalog.version} is already stored with other content; "
                "give the changed catalog a new version"
            )
        stored = {
            (row.code, row.version): row.digest
            for row in s.execute(
                select(MatterVersion.code, MatterVersion.version, MatterVersion.digest)
            )
        }
        for m in catalog.matters.values():
            digest = stored.get((m.code, m.version))
            if digest is not None and digest != m.digest():
                raise CatalogError(
                    f"catalog {catalog.version}: matter {m.code} ({m.name}): version: "
                    f"version {m.version} is already stored with another definition; "
                    "raise the matter's version when changing it (cases keep the old one)"
                )
        row = CatalogVersion(
            version=catalog.version,
            name=catalog.name,
            digest=catalog.digest,
            source=source[:200],
            loaded_at=uow.now,
            loaded_by=actor[:64],
            activation=_next_activation(s),
            activated_at=uow.now,
            matter_count=len(catalog.matters),
            bundle_count=len(catalog.bundles),
            bundles=[b.to_json() for b in catalog.bundles.values()],
        )
        s.add(row)
        s.flush()
        new = [
            MatterVersion(
                code=m.code,
                version=m.version,
                name=m.name,
                area=m.area.value,
                digest=m.digest(),
                definition=m.to_json(),
                first_catalog_id=row.id,
            )
            for m in catalog.matters.values()
            if (m.code, m.version) not in stored
        ]
        s.add_all(new)
        s.flush()
        s.add_all(
            CatalogEntry(
                catalog_id=row.id, position=i, matter_code=m.code, matter_version=m.version
            )
            for i, m in enumerate(catalog.matters.values())
        )
        uow.audit(
            actor,
            "catalog.load",
            catalog.version,
            source=source,
            matters=len(catalog.matters),
            bundles=len(catalog.bundles),
            new_matter_versions=len(new),
        )
        return LoadResult(
            catalog.version, True, False, len(catalog.matters), len(catalog.bundles), len(new)
        )


def current_catalog_version(db: HallDatabase) -> str | None:
    """The current catalog's version string (one indexed row), or None before any load."""
    with db.read() as s:
        row = _current_row(s)
        return None if row is None else row.version


def current_catalog(db: HallDatabase) -> Catalog | None:
    """The current catalog, read back from the hall database; None before any load."""
    with db.read() as s:
        row = _current_row(s)
        if row is None:
            return None
        definitions = s.scalars(
            select(MatterVersion.definition)
            .join(
                CatalogEntry,
                (CatalogEntry.matter_code == MatterVersion.code)
                & (CatalogEntry.matter_version == MatterVersion.version),
            )
            .where(CatalogEntry.catalog_id == row.id)
            .order_by(CatalogEntry.position)
        ).all()
        version, name, bundles = row.version, row.name, list(row.bundles)
    try:
        matters = [Matter.model_validate(d) for d in definitions]
        bundle_models = [Bundle.model_validate(b) for b in bundles]
    except ValidationError as exc:
        raise CatalogError(
            f"stored catalog {version} cannot be read: {exc.errors()[0]['msg']}"
        ) from None
    return Catalog(
        version=version,
        name=name,
        matters={m.code: m for m in matters},
        bundles={b.code: b for b in bundle_models},
    )


def matter_version(db: HallDatabase, code: str, version: str) -> Matter:
    """A stored matter version, current or not (the one a case was accepted under)."""
    with db.read() as s:
        definition = s.scalars(
            select(MatterVersion.definition).where(
                MatterVersion.code == code, MatterVersion.version == version
            )
        ).one_or_none()
    if definition is None:
        raise UnknownMatter(code, version)
    return Matter.model_validate(definition)


def _current_row(s: Session) -> CatalogVersion | None:
    return s.scalars(
        select(CatalogVersion).order_by(CatalogVersion.activation.desc()).limit(1)
    ).first()


def _next_activation(s: Session) -> int:
    # Inside the write transaction (SQLite: BEGIN IMMEDIATE); on PostgreSQL two loads racing
    # for the same number meet the unique constraint and the second fails, nothing half-written.
    return int(s.scalar(select(func.coalesce(func.max(CatalogVersion.activation), 0))) or 0) + 1
