"""PostgreSQL: NOTIFY onewindow_queue on every queue event

A trigger rather than a NOTIFY from the application: the notification is sent by the same
statement that appends the event, delivered at commit, with no extra round trip while the
issuing lock is held.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION onewindow_queue_notify() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('onewindow_queue', NEW.id::text);
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER queue_event_notify AFTER INSERT ON queue_event "
        "FOR EACH ROW EXECUTE FUNCTION onewindow_queue_notify()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS queue_event_notify ON queue_event")
    op.execute("DROP FUNCTION IF EXISTS onewindow_queue_notify()")
