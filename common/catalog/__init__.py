"""The matter catalog (事项目录): matters, materials, bundles (一件事), their file and search.

Qt-free: the counter, the sync worker and the central server share it.
"""

from __future__ import annotations

from common.catalog.loader import (
    DEMO_CATALOG,
    catalog_from_dict,
    load_catalog_file,
    parse_catalog_text,
)
from common.catalog.model import (
    Area,
    Bundle,
    CaseType,
    Catalog,
    CatalogError,
    CrossArea,
    Fee,
    Material,
    MaterialForm,
    Matter,
    MatterType,
    SharedSource,
    SharedSourceKind,
    UnknownBundle,
    UnknownMatter,
)

__all__ = [
    "DEMO_CATALOG",
    "Area",
    "Bundle",
    "CaseType",
    "Catalog",
    "CatalogError",
    "CrossArea",
    "Fee",
    "Material",
    "MaterialForm",
    "Matter",
    "MatterType",
    "SharedSource",
    "SharedSourceKind",
    "UnknownBundle",
    "UnknownMatter",
    "catalog_from_dict",
    "load_catalog_file",
    "parse_catalog_text",
]
