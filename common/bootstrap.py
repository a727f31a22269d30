"""Wiring shared by every app's ``main()``: settings, logging, the hall database, the queue.

One place builds these from the hall's TOML file and hands them to the windows (STYLE.md habit
5); nothing here is a module-level singleton.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from dataclasses import dataclass
from pathlib import Path

from common.config import Settings, data_dir, load_settings
from common.db.engine import HallDatabase, open_database
from common.db.migrate import current_revision, head_revision, upgrade
from common.queue.service import QueueService

__all__ = ["DatabaseMissing", "Hall", "SchemaOutOfDate", "open_hall", "setup_logging"]


@dataclass
class Hall:
    """Everything an app needs to talk to the hall: settings, database, queue service."""

    settings: Settings
    db: HallDatabase
    queue: QueueService

    def close(self) -> None:
        self.db.dispose()


class SchemaOutOfDate(Exception):
    """The hall database is older than this program; run ``onewindow db upgrade``."""


class DatabaseMissing(SchemaOutOfDate):
    """The SQLite hall database file does not exist (never created, or deleted or moved)."""


def open_hall(config: str | Path | None = None, *, migrate: bool = False, settings: Settings | None = None) -> Hall:
    """Load settings and open the hall database; refuses an out-of-date schema unless migrating."""
    settings = settings or load_settings(config)
    db = open_database(settings.database.resolved_url(), echo=settings.database.echo)
    if not migrate and db.sqlite_path is not None and not db.sqlite_path.is_file():
        # Do not let a connection create an empty file: the hall's data may have been moved.
        raise DatabaseMissing(
            f"找不到数据库文件 {db.sqlite_path}，请运行 onewindow db upgrade（新建）或检查文件是否被移动 / "
            f"no hall database at {db.sqlite_path}: run `onewindow db upgrade` to create one, or restore the file"
        )
    if migrate:
        upgrade(db.engine)
    elif current_revision(db.engine) != head_revision():
        raise SchemaOutOfDate(
            "数据库结构需要升级，请运行 onewindow db upgrade / the hall database needs `onewindow db upgrade`"
        )
    return Hall(settings=settings, db=db, queue=QueueService(db, settings))


def setup_logging(app: str, *, verbose: bool = False) -> Path:
    """Log to stderr and to a rotating file in the data folder; returns the file's path."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{app}.log"
    handlers: list[logging.Handler] = [
        logging.StreamHandler(sys.stderr),
        logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"),
    ]
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    return path
