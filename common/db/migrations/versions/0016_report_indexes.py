"""Indexes for year-sized reports: ratings by time, decisions by time, window claims by time

A monthly report over a year of a busy hall (730,000 tickets, 400,000 cases, 600,000 ratings)
reads one month of each table. Tickets and cases already have an index led by ``hall_day``;
these three let the other reads be range scans instead of whole-table scans:

* ``rating.created_at`` (ratings of the period),
* ``case_transition (action, at)`` (approve / deny decisions of the period, for the on-time
  rate; without it SQLite scanned every case and looked up its transitions),
* ``audit_log (action, at)`` (window claims: who sat at which window, for "by staff").

No summary tables: p90 over a month needs the individual durations, and the reads stay within
the targets without them (docs/PERFORMANCE.md).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.create_index("ix_rating_created_at", ["created_at"], unique=False)
    with op.batch_alter_table("case_transition", schema=None) as batch_op:
        batch_op.create_index("ix_case_transition_action_at", ["action", "at"], unique=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_action_at", ["action", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_action_at")
    with op.batch_alter_table("case_transition", schema=None) as batch_op:
        batch_op.drop_index("ix_case_transition_action_at")
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.drop_index("ix_rating_created_at")
