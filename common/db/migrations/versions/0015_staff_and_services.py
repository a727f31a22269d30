"""Staff accounts (locked, password change, windows), paused services, day reassignments

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("locked", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("pause_reason", sa.String(length=32), nullable=False, server_default="")
        )
    with op.batch_alter_table("queue_event", schema=None) as batch_op:
        batch_op.create_index("ix_queue_event_kind", ["kind", "hall_day"], unique=False)
    op.create_table(
        "staff_window",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("window_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_window_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", "window_number", name=op.f("pk_staff_window")),
    )
    op.create_table(
        "window_service_day",
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("hall_day", sa.Date(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_window_service_day_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["window.id"],
            name=op.f("fk_window_service_day_window_id_window"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "window_id", "hall_day", "service_id", name=op.f("pk_window_service_day")
        ),
    )


def downgrade() -> None:
    op.drop_table("window_service_day")
    op.drop_table("staff_window")
    with op.batch_alter_table("queue_event", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_event_kind")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("pause_reason")
        batch_op.drop_column("paused")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("locked")
