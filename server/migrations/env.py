"""Alembic environment of the central server: the engine comes from ``config.attributes``."""

from __future__ import annotations

from alembic import context

from server.db.models import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        version_table="server_alembic_version",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
