"""Window claim: the station holding a window and the claim's heartbeat

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import common.db.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("window") as batch:
        batch.add_column(sa.Column("staff_station", sa.String(length=32), server_default="", nullable=False))
        batch.add_column(sa.Column("staff_heartbeat", common.db.models.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("window") as batch:
        batch.drop_column("staff_heartbeat")
        batch.drop_column("staff_station")
