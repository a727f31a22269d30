"""Every migration upgrades a hall that already holds data, not only an empty file.

SQLite cannot alter most of a table in place, so Alembic's batch mode copies it into a new one
and drops the old; with foreign keys on (as the hall runs), dropping a table that other rows
point at fails — which an empty test database never shows. Here the hall is stopped at each
revision in turn, one row is put in every table (foreign keys pointing at each other's rows),
and the upgrade to head must keep every row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from common.cli import main
from common.db.engine import make_engine
from common.db.migrate import MigrationError, current_revision, head_revision, upgrade
from tests.common.cli.test_cli import _config

VERSIONS = Path(__file__).resolve().parents[3] / "common" / "db" / "migrations" / "versions"
REVISIONS = sorted(p.name[:4] for p in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def _value(column: sa.Column[Any]) -> object:
    """A plain value the column accepts (1 for every key, so foreign keys meet their rows)."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer | sa.Numeric | sa.Float):
        return 1
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2026, 11, 23, 9, 0)
    if isinstance(kind, sa.Date):
        return dt.date(2026, 11, 23)
    if isinstance(kind, sa.JSON):
        return {}
    return "1"


def _fill(engine: sa.Engine) -> dict[str, int]:
    meta = sa.MetaData()
    meta.reflect(engine)
    counts = {}
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
                counts[table.name] = -1  # seeded by the migration itself: count it as it is
                continue
            conn.execute(table.insert().values({c.name: _value(c) for c in table.columns}))
            counts[table.name] = 1
    with engine.connect() as conn:
        for name in counts:
            counts[name] = conn.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one()
    return counts


@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_upgrade_from_each_revision_keeps_the_rows(tmp_path: Path, revision: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hall.db'}")
    try:
        upgrade(engine, revision)
        before = _fill(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            after = {
                name: conn.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in before
            }
        assert after == before
    finally:
        engine.dispose()


def test_foreign_keys_are_on_again_after_an_upgrade(tmp_path: Path) -> None:
    # One connection in the pool: the one the upgrade used is the one handed out next.
    engine = make_engine(f"sqlite:///{tmp_path / 'hall.db'}")
    try:
        upgrade(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_an_upgrade_that_would_leave_broken_keys_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hall.db'}")
    try:
        upgrade(engine, "0014")
        _fill(engine)
        # A hall file with a ticket whose service is gone (written with keys off, as an old
        # tool or a hand repair might have): the upgrade must refuse, not carry it along.
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            cursor = raw.cursor()
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute("UPDATE ticket SET service_id = 99")
            raw.commit()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
        with pytest.raises(MigrationError, match="pointing at nothing"):
            upgrade(engine)
        assert current_revision(engine) == "0014"
        # `onewindow db upgrade` says so in both languages, with no traceback.
        assert main(["--config", str(_config(tmp_path)), "db", "upgrade"]) == 2
        err = capsys.readouterr().err
        assert "未做任何更改" in err and "nothing was changed" in err and "Traceback" not in err
        assert current_revision(engine) == "0014"
    finally:
        engine.dispose()
