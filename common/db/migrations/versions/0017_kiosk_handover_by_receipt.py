"""评价 of a hand-over by the receipt's QR code at the kiosk

* ``onewindow_kiosk_handover_of_case(p_number, p_from, p_to)`` — the case numbered ``p_number``
  if it was handed over (出件, ``deliver``) in that time range (the hall day): case id, number,
  matter names and when; nothing otherwise. The kiosk calls it only with the number of a
  genuine receipt code (keyed tag checked first, common.intake.qrtag), and the kiosk role still
  has no access to the case tables.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_SIGNATURE = (
    "onewindow_kiosk_handover_of_case"
    "(text, timestamp without time zone, timestamp without time zone)"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(text("SELECT current_schema()")).scalar_one()
    ident = bind.execute(text("SELECT quote_ident(:s)"), {"s": schema}).scalar_one()
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_handover_of_case(
            p_number text, p_from timestamp without time zone, p_to timestamp without time zone)
        RETURNS TABLE (case_id integer, number text, matters text,
                       delivered_at timestamp without time zone)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = {ident}, pg_temp
        AS $fn$
            SELECT c.id, c.number::text, c.matters::text, t.at
              FROM intake_case c
              JOIN case_transition t ON t.case_id = c.id
             WHERE c.number = p_number
               AND t.action = 'deliver' AND t.at >= p_from AND t.at < p_to
             ORDER BY t.at DESC
             LIMIT 1
        $fn$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {ident}.{_SIGNATURE} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {_SIGNATURE}")
