"""The schema is made by the migrations only, and they agree with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from common.db.engine import HallDatabase, make_engine
from common.db.migrate import current_revision, head_revision, is_up_to_date, upgrade
from common.db.models import Base


def test_models_and_migrations_agree(any_hall_db: HallDatabase) -> None:
    with any_hall_db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    assert is_up_to_date(any_hall_db.engine)


def test_upgrade_is_idempotent(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    assert current_revision(engine) is None
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert "ticket" in inspect(engine).get_table_names()


def test_sqlite_pragmas(hall_db: HallDatabase) -> None:
    with hall_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_postgresql_notifies_on_queue_events(pg_hall_db: HallDatabase) -> None:
    with pg_hall_db.engine.connect() as conn:
        triggers = (
            conn.execute(
                text(
                    "SELECT tgname FROM pg_trigger "
                    "WHERE tgrelid = 'queue_event'::regclass AND NOT tgisinternal"
                )
            )
            .scalars()
            .all()
        )
    assert triggers == ["queue_event_notify"]
