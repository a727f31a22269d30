"""The catalog in the hall database: versions, idempotent loads, old matter versions readable."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest
from sqlalchemy import func, select

from common.catalog import (
    DEMO_CATALOG,
    CatalogError,
    UnknownMatter,
    catalog_from_dict,
    load_catalog_file,
)
from common.catalog.store import (
    current_catalog,
    current_catalog_version,
    load_catalog,
    matter_version,
)
from common.clock import FixedClock
from common.db.engine import HallDatabase
from common.db.models import AuditLog, CatalogVersion, MatterVersion

SECOND_HAND = "000172003000-350102000000-000-113501021318609168-1-00"


def _demo(catalog_version: str = "2026.11-demo.1", **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(tomllib.loads(DEMO_CATALOG.read_text(encoding="utf-8")))
    data["catalog"]["version"] = catalog_version
    house = next(m for m in data["matters"] if m["code"] == SECOND_HAND)
    house.update(changes)
    return data


def test_load_and_read_back(any_hall_db: HallDatabase, clock: FixedClock) -> None:
    assert current_catalog(any_hall_db) is None and current_catalog_version(any_hall_db) is None
    catalog = load_catalog_file(DEMO_CATALOG)
    result = load_catalog(any_hall_db, catalog, clock=clock, actor="admin", source="demo.toml")
    assert (result.created, result.version, result.matters, result.bundles) == (
        True,
        catalog.version,
        26,
        2,
    )
    assert result.new_matter_versions == 26
    back = current_catalog(any_hall_db)
    assert back is not None and back.digest == catalog.digest and back.version == catalog.version
    assert list(back.matters) == list(catalog.matters)  # the file's order
    assert back.matter(SECOND_HAND) == catalog.matter(SECOND_HAND)
    assert back.bundles == catalog.bundles
    assert current_catalog_version(any_hall_db) == catalog.version
    with any_hall_db.read() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "catalog.load")).one()
    assert (audit.actor, audit.target) == ("admin", catalog.version)


def test_same_content_is_no_new_version(any_hall_db: HallDatabase, clock: FixedClock) -> None:
    catalog = load_catalog_file(DEMO_CATALOG)
    load_catalog(any_hall_db, catalog, clock=clock)
    again = load_catalog(any_hall_db, catalog_from_dict(_demo("relabelled")), clock=clock)
    assert (again.created, again.reactivated, again.version) == (False, False, catalog.version)
    with any_hall_db.read() as s:
        assert s.scalar(select(func.count()).select_from(CatalogVersion)) == 1
        assert s.scalar(select(func.count()).select_from(MatterVersion)) == 26


def test_new_version_keeps_old_matter_versions_readable(
    any_hall_db: HallDatabase, clock: FixedClock
) -> None:
    load_catalog(any_hall_db, load_catalog_file(DEMO_CATALOG), clock=clock)
    v2 = catalog_from_dict(_demo("2027.01", version="5", promised_days=2))
    result = load_catalog(any_hall_db, v2, clock=clock)
    assert result.created and result.new_matter_versions == 1
    assert current_catalog_version(any_hall_db) == "2027.01"
    current = current_catalog(any_hall_db)
    assert current is not None and current.matter(SECOND_HAND).promised_days == 2
    # A case accepted under version 4 still reads version 4.
    old = matter_version(any_hall_db, SECOND_HAND, "4")
    assert (old.version, old.promised_days) == ("4", 1)
    assert matter_version(any_hall_db, SECOND_HAND, "5").promised_days == 2
    with pytest.raises(UnknownMatter, match="version 9"):
        matter_version(any_hall_db, SECOND_HAND, "9")
    # Loading the first content again makes it current without a new row.
    back = load_catalog(any_hall_db, load_catalog_file(DEMO_CATALOG), clock=clock)
    assert back.reactivated and back.version == "2026.11-demo.1"
    assert current_catalog_version(any_hall_db) == "2026.11-demo.1"
    with any_hall_db.read() as s:
        assert s.scalar(select(func.count()).select_from(CatalogVersion)) == 2


def test_changing_a_matter_without_a_new_version_is_refused(
    any_hall_db: HallDatabase, clock: FixedClock
) -> None:
    load_catalog(any_hall_db, load_catalog_file(DEMO_CATALOG), clock=clock)
    sneaky = catalog_from_dict(_demo("2027.01", promised_days=2))  # still version "4"
    with pytest.raises(
        CatalogError, match=r"matter .* \(二手房转移登记\): version: version 4 is already stored"
    ):
        load_catalog(any_hall_db, sneaky, clock=clock)
    assert current_catalog_version(any_hall_db) == "2026.11-demo.1"
    with any_hall_db.read() as s:
        assert s.scalar(select(func.count()).select_from(CatalogVersion)) == 1


def test_same_catalog_version_with_other_content_is_refused(
    any_hall_db: HallDatabase, clock: FixedClock
) -> None:
    load_catalog(any_hall_db, load_catalog_file(DEMO_CATALOG), clock=clock)
    with pytest.raises(CatalogError, match="already stored with other content"):
        load_catalog(
            any_hall_db, catalog_from_dict(_demo(version="5", promised_days=2)), clock=clock
        )


def test_two_loads_at_once_make_one_version(any_hall_db: HallDatabase, clock: FixedClock) -> None:
    import threading

    catalog = load_catalog_file(DEMO_CATALOG)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def load() -> None:
        try:
            barrier.wait()
            load_catalog(any_hall_db, catalog, clock=clock)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with any_hall_db.read() as s:
        assert s.scalar(select(func.count()).select_from(CatalogVersion)) == 1
        assert s.scalar(select(func.count()).select_from(MatterVersion)) == 26
