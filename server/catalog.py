"""The catalog the server serves (``onewindow-server catalog load FILE``, ``GET /catalog``).

The file is validated with the halls' own loader (:func:`common.catalog.catalog_from_dict`) and
stored as the parsed document, so a hall rebuilds exactly the same :class:`Catalog` from the
wire. The document's digest is the ETag; loading the same content again changes nothing. A new
version is announced to every hall on the change feed (``catalog.version``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from common.catalog.loader import catalog_from_dict
from common.contract import CatalogDocument, ChangeType
from server.db.models import CatalogRow
from server.feed import ALL_HALLS, NewChange, append_changes

__all__ = [
    "area_lookup",
    "current_catalog",
    "document_digest",
    "load_catalog_document",
    "load_catalog_path",
]


def load_catalog_path(
    s: Session, path: Path | str, now: dt.datetime
) -> tuple[CatalogDocument, bool]:
    document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return load_catalog_document(s, document, now, source=Path(path).name)


def load_catalog_document(
    s: Session, document: dict[str, Any], now: dt.datetime, *, source: str = "catalog"
) -> tuple[CatalogDocument, bool]:
    """Store ``document`` as the current catalog; returns it and whether it was new."""
    catalog = catalog_from_dict(document, source=source)  # CatalogError names the matter and field
    digest = document_digest(document)
    existing = s.scalars(select(CatalogRow).where(CatalogRow.digest == digest)).first()
    if existing is not None and existing.current:
        return _doc(existing), False
    s.execute(update(CatalogRow).values(current=False))
    if existing is None:
        existing = CatalogRow(
            version=catalog.version, digest=digest, document=document, loaded_at=now
        )
        s.add(existing)
    existing.current = True
    append_changes(
        s,
        [
            NewChange(
                ChangeType.CATALOG_VERSION,
                ALL_HALLS,
                now,
                payload={"version": catalog.version, "digest": digest},
            )
        ],
    )
    return _doc(existing), True


def document_digest(document: dict[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON: the version line counts, unlike the content
    digest of :class:`~common.catalog.model.Catalog` (a hall must see a new version number)."""
    canonical = json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _doc(row: CatalogRow) -> CatalogDocument:
    return CatalogDocument(version=row.version, digest=row.digest, document=row.document)


def current_catalog(s: Session) -> CatalogDocument | None:
    row = s.scalars(select(CatalogRow).where(CatalogRow.current)).first()
    return None if row is None else _doc(row)


def area_lookup(s: Session) -> Callable[[list[dict[str, Any]]], str]:
    """A function giving a case's area (板块) from its matters, by the current catalog.

    A case of several areas (一件事 across areas) goes to its first matter's area; a matter the
    catalog does not know leaves the area empty (the back office lists it under 未分类).
    """
    row = s.scalars(select(CatalogRow).where(CatalogRow.current)).first()
    by_code: dict[str, str] = {}
    if row is not None:
        for m in row.document.get("matters", []):
            if isinstance(m, dict) and "code" in m:
                by_code[str(m["code"])] = str(m.get("area", ""))

    def area(matters: list[dict[str, Any]]) -> str:
        for m in matters:
            if isinstance(m, dict) and str(m.get("code")) in by_code:
                return by_code[str(m.get("code"))]
        return ""

    return area
