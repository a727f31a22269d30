"""Sync with the central server: the feed cursor, handled feed positions, e-certificates and
appointments from the centre, the outbox's parking and lease columns, and the count of central
changes on a case (a transition's seq is outbox_seq + central_changes)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import common.db.models

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_cursor",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", common.db.models.base.UTCDateTime(), nullable=True),
        sa.Column("last_success_at", common.db.models.base.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_error_at", common.db.models.base.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sync_cursor")),
    )
    op.create_table(
        "sync_applied_change",
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", common.db.models.base.UTCDateTime(), nullable=False),
        sa.Column("applied_at", common.db.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_sync_applied_change")),
    )
    op.create_table(
        "hall_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=128), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("issuer_name", sa.String(length=200), nullable=False),
        sa.Column("holder_hash", sa.String(length=64), nullable=False),
        sa.Column("holder_masked", sa.String(length=100), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("received_at", common.db.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hall_certificate")),
        sa.UniqueConstraint("identifier", name=op.f("uq_hall_certificate_identifier")),
    )
    op.create_index(op.f("ix_hall_certificate_case_number"), "hall_certificate", ["case_number"], unique=False)
    op.create_index(op.f("ix_hall_certificate_holder_hash"), "hall_certificate", ["holder_hash"], unique=False)
    op.create_table(
        "hall_appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("central_id", sa.Integer(), nullable=False),
        sa.Column("matter_code", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=16), nullable=False),
        sa.Column("holder_hash", sa.String(length=64), nullable=False),
        sa.Column("name_masked", sa.String(length=100), nullable=False),
        sa.Column("phone_masked", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("received_at", common.db.models.base.UTCDateTime(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hall_appointment")),
        sa.UniqueConstraint("central_id", name=op.f("uq_hall_appointment_central_id")),
    )
    op.create_index(op.f("ix_hall_appointment_day"), "hall_appointment", ["day"], unique=False)
    op.create_index(op.f("ix_hall_appointment_holder_hash"), "hall_appointment", ["holder_hash"], unique=False)
    # Existing rows get the defaults; new rows get them from the models.
    op.add_column("outbox", sa.Column("parked_at", common.db.models.base.UTCDateTime(), nullable=True))
    op.add_column("outbox", sa.Column("claim", sa.String(length=36), nullable=False, server_default=""))
    op.add_column("intake_case", sa.Column("central_changes", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("intake_case") as batch:
        batch.drop_column("central_changes")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claim")
        batch.drop_column("parked_at")
    op.drop_index(op.f("ix_hall_appointment_holder_hash"), table_name="hall_appointment")
    op.drop_index(op.f("ix_hall_appointment_day"), table_name="hall_appointment")
    op.drop_table("hall_appointment")
    op.drop_index(op.f("ix_hall_certificate_holder_hash"), table_name="hall_certificate")
    op.drop_index(op.f("ix_hall_certificate_case_number"), table_name="hall_certificate")
    op.drop_table("hall_certificate")
    op.drop_table("sync_applied_change")
    op.drop_table("sync_cursor")
