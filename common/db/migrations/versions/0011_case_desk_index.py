"""The counter's case desk lists cases by state (待补正, 待出件) and window: an index for it

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intake_case", schema=None) as batch_op:
        batch_op.create_index("ix_intake_case_state", ["state", "window"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intake_case", schema=None) as batch_op:
        batch_op.drop_index("ix_intake_case_state")
