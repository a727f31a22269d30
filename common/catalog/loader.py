"""Reading a catalog file (TOML) into a :class:`~common.catalog.model.Catalog`.

The file a hall edits (``resources/catalog/demo.toml`` is the demo)::

    [catalog]
    version = "2026.11"
    name = "示范区政务服务事项目录"

    [[matters]]
    code = "..."            # opaque
    name = "二手房转移登记"
    area = "不动产"
    type = "行政确认"        # or the code, 7
    ...
    [[matters.materials]]
    key = "property_certificate"
    name = "不动产权属证书"
    form = "原件"
    key_item = true

    [[bundles]]
    code = "..."
    matters = ["...", "..."]

A bad file is refused with **one** message naming the matter and the field, e.g.
``catalog demo.toml: matter 0001…-1-00 (二手房转移登记): materials[2].form: must be 原件,
复印件 or 电子``
— the first problem found, so a hall fixes one thing at a time and is never shown a wall.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from common.catalog.model import Bundle, Catalog, CatalogError, Matter

__all__ = ["DEMO_CATALOG", "catalog_from_dict", "load_catalog_file", "parse_catalog_text"]

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "demo.toml"

_TOP_KEYS = {"catalog", "matters", "bundles"}


def load_catalog_file(path: Path | str) -> Catalog:
    """Read and validate a catalog file; :class:`CatalogError` naming the matter and field."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"catalog {file.name}: cannot be read: {exc}") from None
    return parse_catalog_text(text, source=file.name)


def parse_catalog_text(text: str, *, source: str = "catalog") -> Catalog:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"catalog {source}: not valid TOML: {exc}") from None
    return catalog_from_dict(data, source=source)


def catalog_from_dict(data: Mapping[str, Any], *, source: str = "catalog") -> Catalog:
    """Validate a parsed catalog document, matter by matter, then the cross references."""

    def fail(where: str, message: str) -> CatalogError:
        return CatalogError(
            f"catalog {source}: {where}: {message}" if where else f"catalog {source}: {message}"
        )

    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise fail(unknown[0], "unknown key (misspelt?) / 未知的配置项")
    header = data.get("catalog")
    if not isinstance(header, Mapping):
        raise fail("[catalog]", "missing (needs version and name)")
    for key in sorted(set(header) - {"version", "name"}):
        raise fail(f"catalog.{key}", "unknown key (misspelt?) / 未知的配置项")
    version = header.get("version")
    if not isinstance(version, str) or not version.strip():
        raise fail("catalog.version", "required, a non-empty string")
    name = header.get("name", "")
    if not isinstance(name, str):
        raise fail("catalog.name", "must be a string")

    raw_matters = data.get("matters", [])
    if not isinstance(raw_matters, list) or not raw_matters:
        raise fail("matters", "the catalog needs at least one [[matters]] entry")
    matters: dict[str, Matter] = {}
    where_defined: dict[str, int] = {}
    for i, raw in enumerate(raw_matters):
        label = _label("matter", i, raw, "matters")
        if not isinstance(raw, Mapping):
            raise fail(label, "must be a table")
        try:
            matter = Matter.model_validate(raw)
        except ValidationError as exc:
            raise fail(label, _first_error(exc)) from None
        if matter.code in matters:
            raise fail(
                label,
                f"code: appears twice (matters[{where_defined[matter.code]}] and matters[{i}])",
            )
        matters[matter.code] = matter
        where_defined[matter.code] = i

    raw_bundles = data.get("bundles", [])
    if not isinstance(raw_bundles, list):
        raise fail("bundles", "must be an array of tables ([[bundles]])")
    bundles: dict[str, Bundle] = {}
    for i, raw in enumerate(raw_bundles):
        label = _label("bundle", i, raw, "bundles")
        if not isinstance(raw, Mapping):
            raise fail(label, "must be a table")
        try:
            bundle = Bundle.model_validate(raw)
        except ValidationError as exc:
            raise fail(label, _first_error(exc)) from None
        if bundle.code in bundles or bundle.code in matters:
            raise fail(label, "code: already used by another matter or bundle")
        for j, code in enumerate(bundle.matters):
            if code not in matters:
                raise fail(label, f"matters[{j}]: unknown matter {code!r}")
        members = [matters[c] for c in bundle.matters]
        for j, key in enumerate(bundle.shared):
            askers = [m for m in members if any(mat.key == key for mat in m.materials)]
            if len(askers) < 2:
                raise fail(
                    label, f"shared[{j}]: {key!r} is not asked by two or more of its matters"
                )
        if bundle.promised_days > max(m.statutory_days for m in members):
            raise fail(label, "promised_days: more than the longest statutory limit of its matters")
        bundles[bundle.code] = bundle

    return Catalog(version=version.strip(), name=name, matters=matters, bundles=bundles)


def _label(kind: str, index: int, raw: object, array: str) -> str:
    """``matter CODE (NAME)`` when the entry says who it is, else ``matters[3]``."""
    if isinstance(raw, Mapping):
        code, name = raw.get("code"), raw.get("name")
        if isinstance(code, str) and code:
            return f"{kind} {code} ({name})" if isinstance(name, str) and name else f"{kind} {code}"
        if isinstance(name, str) and name:
            return f"{array}[{index}] ({name})"
    return f"{array}[{index}]"


def _first_error(exc: ValidationError) -> str:
    """The first pydantic error as ``field.path: message`` in the hall's words."""
    err = exc.errors()[0]
    key = ""
    for part in err["loc"]:
        if isinstance(part, int):
            key += f"[{part}]"
        elif "[" in str(part) or str(part) in {"function-after", "function-before"}:
            continue  # pydantic's branch labels, never written by the user
        else:
            key += f".{part}" if key else str(part)
    message = err["msg"].removeprefix("Value error, ")
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        message = "unknown key (misspelt?) / 未知的配置项"
    elif kind == "missing":
        message = "required / 必填"
    elif kind == "enum" and "expected" in ctx:
        message = "must be " + str(ctx["expected"]).replace("'", "")
    elif kind == "greater_than_equal":
        message = f"must be ≥ {ctx.get('ge')}"
    elif kind == "less_than_equal":
        message = f"must be ≤ {ctx.get('le')}"
    elif kind == "string_pattern_mismatch":
        message = f"{err.get('input')!r} is not allowed here (pattern {ctx.get('pattern')})"
    if key and message.startswith(key):
        return message  # the validator already named the exact field
    if not key:
        return message
    return f"{key}: {message}"
