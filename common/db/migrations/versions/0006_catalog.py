"""Matter catalog: catalog versions, immutable matter versions, and which versions a catalog holds

Cases will reference (matter code, matter version); a stored matter version is never changed,
so loading a new catalog never alters a case accepted under the old one.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import common.db.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("loaded_at", common.db.models.UTCDateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(length=64), nullable=False),
        sa.Column("activation", sa.Integer(), nullable=False),
        sa.Column("activated_at", common.db.models.UTCDateTime(), nullable=False),
        sa.Column("matter_count", sa.Integer(), nullable=False),
        sa.Column("bundle_count", sa.Integer(), nullable=False),
        sa.Column("bundles", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_version")),
        sa.UniqueConstraint("digest", name=op.f("uq_catalog_version_digest")),
        sa.UniqueConstraint("version", name=op.f("uq_catalog_version_version")),
        sa.UniqueConstraint("activation", name=op.f("uq_catalog_version_activation")),
    )
    op.create_table(
        "matter_version",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("area", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("first_catalog_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_catalog_id"],
            ["catalog_version.id"],
            name=op.f("fk_matter_version_first_catalog_id_catalog_version"),
        ),
        sa.PrimaryKeyConstraint("code", "version", name=op.f("pk_matter_version")),
    )
    op.create_table(
        "catalog_entry",
        sa.Column("catalog_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("matter_code", sa.String(length=64), nullable=False),
        sa.Column("matter_version", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalog_id"],
            ["catalog_version.id"],
            name=op.f("fk_catalog_entry_catalog_id_catalog_version"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["matter_code", "matter_version"],
            ["matter_version.code", "matter_version.version"],
            name=op.f("fk_catalog_entry_matter_code_matter_version"),
        ),
        sa.PrimaryKeyConstraint("catalog_id", "position", name=op.f("pk_catalog_entry")),
    )


def downgrade() -> None:
    op.drop_table("catalog_entry")
    op.drop_table("matter_version")
    op.drop_table("catalog_version")
