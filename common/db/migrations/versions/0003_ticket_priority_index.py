"""Index for green-channel and appointment look-ups in call_next

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ticket_priority", "ticket", ["hall_day", "status", "priority", "queue_key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ticket_priority", table_name="ticket")
