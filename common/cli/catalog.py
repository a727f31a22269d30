"""``onewindow catalog load FILE | search TEXT``: the matter catalog from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common.bootstrap import open_hall
from common.catalog import Area, CatalogError, load_catalog_file
from common.catalog.search import CatalogIndex
from common.catalog.store import current_catalog, load_catalog


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    catalog = sub.add_parser("catalog", help="the matter catalog (事项目录): load a file, search")
    commands = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    load = commands.add_parser(
        "load", help="validate a catalog file (TOML) and store it as the current version"
    )
    load.add_argument("file", type=Path)
    load.add_argument("--check", action="store_true", help="only validate, store nothing")
    load.set_defaults(func=_load)
    search = commands.add_parser("search", help="search matters and bundles, best match first")
    search.add_argument(
        "text", help="code, name, pinyin initials (eshfzy) or full pinyin (ershoufang)"
    )
    search.add_argument("--area", choices=[a.value for a in Area], help="only this area (板块)")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument(
        "--file", type=Path, help="search this catalog file instead of the hall database"
    )
    search.set_defaults(func=_search)


def _load(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog_file(args.file)
    except CatalogError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    m, b = len(catalog.matters), len(catalog.bundles)
    counts = f"{m} 个事项，{b} 个一件事 / {m} matters, {b} bundles"
    if args.check:
        print(f"目录文件有效 / catalog file valid: {catalog.version}: {counts}")
        return 0
    hall = open_hall(args.config)
    try:
        result = load_catalog(hall.db, catalog, actor="cli", source=args.file.name)
    except CatalogError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        hall.close()
    if result.created:
        print(
            f"已载入目录版本 {result.version} / stored catalog version {result.version}: {counts}, "
            f"{result.new_matter_versions} new matter versions"
        )
    elif result.reactivated:
        print(
            f"已恢复目录版本 {result.version} / "
            f"catalog version {result.version} is current again: {counts}"
        )
    else:
        print(
            f"目录未变化，仍为版本 {result.version} / "
            f"unchanged, still version {result.version}: {counts}"
        )
    return 0


def _search(args: argparse.Namespace) -> int:
    if args.file is not None:
        try:
            catalog = load_catalog_file(args.file)
        except CatalogError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    else:
        hall = open_hall(args.config)
        try:
            stored = current_catalog(hall.db)
        finally:
            hall.close()
        if stored is None:
            print(
                "尚未载入事项目录，请运行 onewindow catalog load FILE / no catalog loaded: run "
                "`onewindow catalog load FILE`",
                file=sys.stderr,
            )
            return 1
        catalog = stored
    hits = CatalogIndex(catalog).search(
        args.text, area=Area(args.area) if args.area else None, limit=args.limit
    )
    for h in hits:
        print(f"{h.code}\t{h.name}\t{h.area.value if h.area else '一件事'}")
    if not hits:
        print("没有找到 / nothing found", file=sys.stderr)
        return 1
    return 0
