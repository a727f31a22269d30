"""Schema migrations: the only way the hall schema is created or changed.

alembic is imported only to migrate. Every app checks at start that its database is at the
newest revision; that check reads alembic's version table and the revision lines of the
migration files directly, because importing alembic costs about 0.15 s of CPU (all of its
dialect implementations), a tenth of the kiosk's cold start (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return cfg


class MigrationError(RuntimeError):
    """A migration would leave the hall's data inconsistent; nothing of it was committed."""


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # On the DB-API connection itself: through SQLAlchemy the statement would first open a
    # transaction (the engine's BEGIN IMMEDIATE), and inside one SQLite ignores this pragma.
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    finally:
        cursor.close()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the newest)."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite's batch ALTER copies a table into a new one and drops the old; with foreign
            # keys on, dropping a table that rows of another point at fails — on a hall with
            # data, never on an empty test file. Off for the migration, every key checked
            # before the commit, on again for whoever takes the connection from the pool next.
            _sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                before = _version(connection)
                command.upgrade(cfg, revision)
                # A hall already at the revision was not touched: no need to read every key of
                # a year's data again on each `onewindow db upgrade`.
                if sqlite and _version(connection) != before:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(
                            f"升级会留下 {len(broken)} 行无效引用，未做任何更改 / the upgrade "
                            f"would leave {len(broken)} row(s) pointing at nothing (first: "
                            f"{tuple(broken[0])}); nothing was changed"
                        )
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None before the first migration (no version table)."""
    with engine.connect() as connection:
        return _version(connection)


def _version(connection: Connection) -> str | None:
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = list(connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())
    if len(rows) > 1:  # as alembic's MigrationContext.get_current_revision refuses it
        raise RuntimeError(f"the database is at several revisions at once: {sorted(rows)}")
    return rows[0] if rows else None


def _revision_lines(path: Path) -> tuple[object, object]:
    """A migration file's module-level ``revision`` and ``down_revision`` values."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8"), filename=str(path)).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            found[target.id] = ast.literal_eval(value)
    return found.get("revision"), found.get("down_revision")


def head_revision() -> str | None:
    """The newest revision among the migration files.

    Read from the files' revision lines when the history is one straight line (as it always has
    been); anything else (a merge, a branch, an odd file) is left to alembic, which also says
    what is wrong with it.
    """
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        revision, down = _revision_lines(path)
        if not isinstance(revision, str) or not (down is None or isinstance(down, str)):
            return _alembic_head()
        revisions.add(revision)
        if down is not None:
            downs.add(down)
    heads = revisions - downs
    if len(heads) != 1 or not downs <= revisions:
        return _alembic_head()
    return heads.pop()


def _alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
