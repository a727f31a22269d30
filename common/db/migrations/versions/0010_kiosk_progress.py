"""PostgreSQL: onewindow_kiosk_progress — the kiosk's one, masked way into the case tables

The kiosk role may not read ``intake_case`` (names, ID numbers, phones live there). This
function runs with its owner's rights (SECURITY DEFINER, the role that migrates) and returns,
for one holder hash or one case number (optionally checked against the phone's last four
digits), only: number, matters, state, dates, window, delivery method, carrier, tracking
number and the names of materials still owed. EXECUTE is revoked from PUBLIC here and granted
to the kiosk role by ``onewindow db grants`` (common.db.grants). ``search_path`` is pinned to
the schema it was created in, so a caller's search_path cannot substitute tables.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_OWED = """
    (SELECT coalesce(json_agg(m.name ORDER BY m.position), '[]'::json)::text
       FROM case_material m
      WHERE m.case_id = c.id
        AND ((m.mark = 'tolerated' AND m.supplied_at IS NULL) OR (m.key_item AND m.mark = 'missing')))
"""

_COLUMNS = f"""
    c.number::text, c.matters::text, c.state::text, c.promised_date, c.supplement_deadline,
    c.tolerated_outstanding, c."window", c.delivery_method::text,
    coalesce(c.delivery_detail::json ->> 'carrier', ''), coalesce(c.delivery_detail::json ->> 'tracking_number', ''),
    {_OWED}
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(text("SELECT current_schema()")).scalar_one()
    ident = bind.execute(text("SELECT quote_ident(:s)"), {"s": schema}).scalar_one()
    # Two indexed branches for a holder (applicant, agent) instead of an OR the planner of a
    # non-inlined function would turn into a scan of every case.
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_progress(
            p_hash text, p_number text, p_phone4 text, p_limit integer)
        RETURNS TABLE (
            number text, matters text, state text, promised_date date, supplement_deadline date,
            tolerated_outstanding integer, "window" integer, delivery_method text,
            carrier text, tracking_number text, owed text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = {ident}, pg_temp
        AS $fn$
        BEGIN
            IF p_hash IS NOT NULL THEN
                RETURN QUERY
                SELECT {_COLUMNS}
                  FROM intake_case c
                 WHERE c.id IN (SELECT a.id FROM intake_case a WHERE a.applicant_hash = p_hash
                                UNION SELECT g.id FROM intake_case g WHERE g.agent_hash = p_hash)
                 ORDER BY c.id DESC
                 LIMIT least(greatest(p_limit, 1), 50);
            ELSIF p_number IS NOT NULL THEN
                RETURN QUERY
                SELECT {_COLUMNS}
                  FROM intake_case c
                 WHERE c.number = p_number
                   AND (p_phone4 IS NULL OR right(c.phone, 4) = p_phone4);
            END IF;
        END
        $fn$
        """
    )
    op.execute(
        f"REVOKE ALL ON FUNCTION {ident}.onewindow_kiosk_progress(text, text, text, integer) FROM PUBLIC"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS onewindow_kiosk_progress(text, text, text, integer)")
