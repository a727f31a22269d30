"""Bad-rating follow-ups and 办不成事 / 有诉即办 records: the follow-up loop's two tables

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import common.db.models

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("matter_code", sa.String(length=64), nullable=False),
        sa.Column("matter_name", sa.String(length=400), nullable=False),
        sa.Column("blocked", sa.Text(), nullable=False),
        sa.Column("work_order", sa.String(length=64), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_phone", sa.String(length=32), nullable=False),
        sa.Column("name_masked", sa.String(length=100), nullable=False),
        sa.Column("phone_masked", sa.String(length=32), nullable=False),
        sa.Column("real_name", sa.Boolean(), nullable=False),
        sa.Column("window", sa.Integer(), nullable=True),
        sa.Column("staff", sa.String(length=64), nullable=False),
        sa.Column("opened_at", common.db.models.base.UTCDateTime(), nullable=False),
        sa.Column("opened_day", sa.Date(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("step_at", common.db.models.base.UTCDateTime(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("callbacks", sa.Integer(), nullable=False),
        sa.Column("callback_outcome", sa.String(length=16), nullable=False),
        sa.Column("closed_at", common.db.models.base.UTCDateTime(), nullable=True),
        sa.Column("closed_day", sa.Date(), nullable=True),
        sa.Column("outbox_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rating_id"], ["rating.id"], name=op.f("fk_followup_rating_id_rating")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup")),
        sa.UniqueConstraint("rating_id", name=op.f("uq_followup_rating_id")),
    )
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.create_index("ix_followup_open", ["open", "due_date"], unique=False)
        batch_op.create_index("ix_followup_day", ["opened_day", "kind"], unique=False)
    op.create_table(
        "followup_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("followup_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("at", common.db.models.base.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["followup_id"], ["followup.id"], name=op.f("fk_followup_step_followup_id_followup")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_step")),
    )
    with op.batch_alter_table("followup_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_followup_step_followup_id"), ["followup_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("followup_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_step_followup_id"))
    op.drop_table("followup_step")
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_index("ix_followup_day")
        batch_op.drop_index("ix_followup_open")
    op.drop_table("followup")
