"""The start-up schema check reads revisions without alembic, and agrees with alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from common.db import migrate
from common.db.engine import HallDatabase, make_engine
from common.db.migrate import alembic_config, current_revision, head_revision, upgrade


def _alembic_current(db: HallDatabase) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_head_is_alembics_head() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_current_is_alembics_current(any_hall_db: HallDatabase) -> None:
    assert current_revision(any_hall_db.engine) == _alembic_current(any_hall_db) == head_revision()
    upgrade(any_hall_db.engine, "0001")  # no-op upgrade: stays at head
    with any_hall_db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    assert current_revision(any_hall_db.engine) == _alembic_current(any_hall_db) == "0003"


def test_an_empty_database_has_no_revision(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    assert current_revision(engine) is None
    engine.dispose()


def test_several_revisions_at_once_are_refused(hall_db: HallDatabase) -> None:
    with hall_db.engine.begin() as connection:
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0002')"))
    with pytest.raises(RuntimeError, match="several revisions"):
        current_revision(hall_db.engine)


def _write(folder: Path, name: str, revision: str, down: str) -> None:
    (folder / name).write_text(
        f'revision = "{revision}"\ndown_revision = {down}\n', encoding="utf-8"
    )


def test_a_history_that_is_not_a_line_goes_to_alembic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    _write(versions, "a.py", "a", "None")
    _write(versions, "b.py", "b", '"a"')
    monkeypatch.setattr(migrate, "MIGRATIONS", tmp_path)
    asked: list[bool] = []

    def alembic_head() -> str:
        asked.append(True)
        return "alembic"

    monkeypatch.setattr(migrate, "_alembic_head", alembic_head)
    assert head_revision() == "b" and not asked
    _write(versions, "c.py", "c", '"a"')  # a branch: two heads
    assert head_revision() == "alembic"
    (versions / "c.py").write_text(
        'revision = "c"\ndown_revision = ("a", "b")\n', encoding="utf-8"
    )  # a merge
    assert head_revision() == "alembic"


def test_the_start_up_check_imports_no_alembic(hall_db: HallDatabase) -> None:
    """What every app's start runs (bootstrap.open_hall) stays off alembic's ~0.15 s import."""
    code = (
        "import sys; from common.db.engine import make_engine; "
        "from common.db.migrate import current_revision, head_revision; "
        f"assert current_revision(make_engine({str(hall_db.engine.url)!r})) == head_revision(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
