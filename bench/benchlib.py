"""What the bench scripts share: percentiles and a throw-away PostgreSQL schema per run."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, create_engine, text

__all__ = ["drop_pg", "fresh_pg", "pct"]


def pct(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _admin(base: str) -> Engine:
    return create_engine(
        base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )


def fresh_pg(base: str) -> tuple[str, str]:
    """A new schema on the server at ``base``: (URL selecting it, schema name)."""
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = _admin(base)
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", schema


def drop_pg(base: str, schema: str) -> None:
    """Drop a schema made by :func:`fresh_pg`, with everything in it."""
    admin = _admin(base)
    with admin.connect() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
