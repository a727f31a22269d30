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
from common.db.engine import DatabaseUnavailable, HallDatabase, open_database, translate_errors
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


def open_hall(
    config: str | Path | None = None, *, migrate: bool = False, settings: Settings | None = None
) -> Hall:
    """Load settings and open the hall database; refuses an out-of-date schema unless migrating.

    Raises :class:`~common.config.ConfigError`, :class:`SchemaOutOfDate` (or
    :class:`DatabaseMissing`) and :class:`DatabaseUnavailable` (or :class:`DatabaseDamaged`),
    each with a bilingual message; no database fault escapes as a SQLAlchemy error, and a hall
    file that cannot be used is left exactly as it was.
    """
    settings = settings or load_settings(config)
    db = open_database(settings.database.resolved_url(), echo=settings.database.echo)
    try:
        if not migrate:
            _refuse_missing_or_empty(db)
        with translate_errors(db.sqlite_path):
            if migrate:
                upgrade(db.engine)
            elif current_revision(db.engine) != head_revision():
                raise SchemaOutOfDate(
                    "数据库结构需要升级，请运行 onewindow db upgrade / "
                    "the hall database needs `onewindow db upgrade`"
                )
    except BaseException:
        db.dispose()
        raise
    return Hall(settings=settings, db=db, queue=QueueService(db, settings))


def _refuse_missing_or_empty(db: HallDatabase) -> None:
    path = db.sqlite_path
    if path is None:
        return
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        size = None
    except OSError as exc:  # a folder we may not enter, a broken network drive
        raise DatabaseUnavailable(
            f"cannot read {path}: {exc.strerror}",
            message_zh=f"无法读取数据库文件 {path}，请检查文件及其所在文件夹的权限",
        ) from exc
    if size is None or not path.is_file():
        # Do not let a connection create an empty file: the hall's data may have been moved.
        raise DatabaseMissing(
            f"找不到数据库文件 {path}，请运行 onewindow db upgrade（新建）或检查文件是否被移动 / "
            f"no hall database at {path}: run `onewindow db upgrade` to create one, "
            "or restore the file"
        )
    if size == 0:
        # SQLite would take an empty file for a new database and write a header into it: a
        # copy that failed half-way, or a file truncated by a full disk, must stay as it is.
        raise DatabaseMissing(
            f"数据库文件 {path} 是空的（0 字节）：请从备份恢复；"
            "若要新建大厅，删除它后运行 onewindow db upgrade / "
            f"the hall database file {path} is empty (0 bytes): "
            "restore it from a backup, or delete it "
            f"and run `onewindow db upgrade` to create a new hall"
        )


def setup_logging(app: str, *, verbose: bool = False) -> Path:
    """Log to stderr and to a rotating file in the data folder; returns the file's path."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{app}.log"
    handlers: list[logging.Handler] = [
        logging.StreamHandler(sys.stderr),
        logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        ),
    ]
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    return path
