"""The admin command line, ``onewindow``.

Each group of subcommands lives in its own module with a ``register(subparsers)`` function that
adds its parsers and sets ``func`` (taking the parsed namespace, returning an exit code). Keeping
them apart lets the device modules own their diagnostics without touching each other.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from sqlalchemy.exc import DBAPIError

from common.bootstrap import SchemaOutOfDate
from common.config import ConfigError
from common.db.engine import DatabaseUnavailable
from common.db.migrate import MigrationError

# Modules that provide subcommands; a missing one (not built yet) is skipped.
_MODULES = (
    "common.cli.db",
    "common.cli.queue",
    "common.cli.reader",
    "common.cli.printer",
    "common.cli.demo",
    "common.cli.catalog",
    "common.cli.calendar",
    "common.cli.case",
    "common.cli.sync",
    "common.cli.appointment",
    "common.cli.report",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onewindow", description="OneWindow (一窗通) hall administration"
    )
    parser.add_argument("--config", help="the hall's TOML file (default: per-user hall.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        # Alembic announces every migration context at INFO; the commands say what they did.
        logging.getLogger("alembic").setLevel(logging.WARNING)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"配置错误 / configuration error: {exc}", file=sys.stderr)
        return 2
    except (SchemaOutOfDate, MigrationError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except DatabaseUnavailable as exc:
        print(exc.bilingual, file=sys.stderr)
        return 2
    except DBAPIError as exc:
        # A database fault on a path without translation: still a message, not a traceback.
        logging.getLogger("onewindow").debug("database error", exc_info=exc)
        detail = (
            str(exc.orig).strip().splitlines()[0]
            if str(exc.orig).strip()
            else type(exc.orig).__name__
        )
        print(
            f"数据库出错，未完成操作 / hall database error, nothing done: {detail}", file=sys.stderr
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
