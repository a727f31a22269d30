"""Appointment check-in (预约签到) at the kiosk: who checked in, when, with which ticket

``hall_appointment`` gains ``checked_in_at`` and ``ticket_id`` (the 预约 ticket the check-in
issued; one check-in per appointment). The receipt QR's keyed tag needs no schema: its key is
derived from the hall secret (common.intake.qrtag).

On PostgreSQL the kiosk role gets no access to ``hall_appointment`` (it holds the holder hash
and masked name and phone of everyone who booked). Two SECURITY DEFINER functions, owned by the
migrating role, are its only way in (EXECUTE granted by ``onewindow db grants``):

* ``onewindow_kiosk_appointments(p_hash, p_day)`` — one holder's appointments of one day: id,
  matter code, slot, when checked in and the ticket number issued; no name, no phone.
* ``onewindow_kiosk_checkin(p_id, p_hash, p_ticket, p_at)`` — marks that holder's appointment
  checked in with that ticket, only if it was not already (the row lock makes two kiosks take
  turns); returns whether it did. Called inside the kiosk's issuing transaction, so the ticket
  and the check-in commit together or not at all.
* ``onewindow_kiosk_handovers(p_hash, p_from, p_to)`` — for 评价 of a hand-over (出件): the
  holder's cases handed over in that time range (case id, number, matter names, when).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

import common.db.models.base

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "hall_appointment",
        sa.Column("checked_in_at", common.db.models.base.UTCDateTime(), nullable=True),
    )
    op.add_column("hall_appointment", sa.Column("ticket_id", sa.Integer(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(text("SELECT current_schema()")).scalar_one()
    ident = bind.execute(text("SELECT quote_ident(:s)"), {"s": schema}).scalar_one()
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_appointments(p_hash text, p_day date)
        RETURNS TABLE (id integer, matter_code text, slot text,
                       checked_in_at timestamp without time zone, ticket_number text)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = {ident}, pg_temp
        AS $fn$
            SELECT a.id, a.matter_code::text, a.slot::text, a.checked_in_at, t.number::text
              FROM hall_appointment a
              LEFT JOIN ticket t ON t.id = a.ticket_id
             WHERE a.holder_hash = p_hash AND a.day = p_day
             ORDER BY a.slot, a.id
             LIMIT 20
        $fn$
        """
    )
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_checkin(
            p_id integer, p_hash text, p_ticket integer, p_at timestamp without time zone)
        RETURNS boolean
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = {ident}, pg_temp
        AS $fn$
        BEGIN
            UPDATE hall_appointment
               SET checked_in_at = p_at, ticket_id = p_ticket
             WHERE id = p_id AND holder_hash = p_hash AND checked_in_at IS NULL;
            RETURN FOUND;
        END
        $fn$
        """
    )
    # 评价 of a hand-over (出件) at the kiosk: the card holder's cases handed over in a time
    # range (the hall day), as applicant or agent — case id, number, matter names and when.
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_handovers(
            p_hash text, p_from timestamp without time zone, p_to timestamp without time zone)
        RETURNS TABLE (case_id integer, number text, matters text,
                       delivered_at timestamp without time zone)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = {ident}, pg_temp
        AS $fn$
            SELECT c.id, c.number::text, c.matters::text, t.at
              FROM case_transition t
              JOIN intake_case c ON c.id = t.case_id
             WHERE t.action = 'deliver' AND t.at >= p_from AND t.at < p_to
               AND c.id IN (SELECT a.id FROM intake_case a WHERE a.applicant_hash = p_hash
                            UNION SELECT g.id FROM intake_case g WHERE g.agent_hash = p_hash)
             ORDER BY t.at DESC
             LIMIT 20
        $fn$
        """
    )
    op.execute(
        f"REVOKE ALL ON FUNCTION {ident}.onewindow_kiosk_handovers"
        "(text, timestamp without time zone, timestamp without time zone) FROM PUBLIC"
    )
    op.execute(
        f"REVOKE ALL ON FUNCTION {ident}.onewindow_kiosk_appointments(text, date) FROM PUBLIC"
    )
    op.execute(
        f"REVOKE ALL ON FUNCTION {ident}.onewindow_kiosk_checkin"
        "(integer, text, integer, timestamp without time zone) FROM PUBLIC"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS onewindow_kiosk_appointments(text, date)")
        op.execute(
            "DROP FUNCTION IF EXISTS onewindow_kiosk_handovers"
            "(text, timestamp without time zone, timestamp without time zone)"
        )
        op.execute(
            "DROP FUNCTION IF EXISTS onewindow_kiosk_checkin"
            "(integer, text, integer, timestamp without time zone)"
        )
    with op.batch_alter_table("hall_appointment") as batch:
        batch.drop_column("ticket_id")
        batch.drop_column("checked_in_at")
