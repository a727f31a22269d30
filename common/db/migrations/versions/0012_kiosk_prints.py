"""Kiosk self-print records (e-certificates and receipt reprints)

The table ``kiosk_print`` (common.db.models.prints) and, on PostgreSQL, the kiosk role's three
narrow ways in, each SECURITY DEFINER (owned by the migrating role), ``search_path`` pinned,
EXECUTE revoked from PUBLIC here and granted to the kiosk role by ``onewindow db grants``:

* ``onewindow_kiosk_certificates(hash)`` — the holder's e-certificates: identifier, case number,
  title, issuer, masked holder, dates, and for a company its (public) name and credit code.
* ``onewindow_kiosk_receipt(hash, number)`` — one case's receipt facts, only when the holder is
  its applicant or agent: applicant masked (a company's name and credit code in full, as on
  the counter's receipt), materials, dates, window, staff.
* ``onewindow_kiosk_record_print(kind, reference, hash, station, output, source, key, at)`` —
  writes one ``kiosk_print`` row and its outbox row (``certificate.printed`` /
  ``receipt.reprinted``, aggregate ``print:<id>``, seq 1) in the caller's transaction; refuses a
  certificate or case that is not that holder's. The kiosk role gets no table rights for these.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

import common.db.models

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# common.people.mask_name / mask_id_number in SQL (a test compares them on PostgreSQL).
_MASK_NAME = """
    CASE
      WHEN btrim(n) = '' THEN ''
      WHEN btrim(n) ~ '^[\\x01-\\x7f]*$' THEN
        (SELECT string_agg(left(w, 1) || repeat('*', char_length(w) - 1), ' ' ORDER BY o)
           FROM regexp_split_to_table(btrim(n), '\\s+') WITH ORDINALITY AS t(w, o))
      WHEN char_length(btrim(n)) = 1 THEN btrim(n)
      WHEN char_length(btrim(n)) = 2 THEN left(btrim(n), 1) || '*'
      ELSE left(btrim(n), 1) || repeat('*', char_length(btrim(n)) - 2) || right(btrim(n), 1)
    END
"""
_MASK_NUMBER = """
    CASE
      WHEN char_length(x) <= 8 THEN repeat('*', char_length(x))
      ELSE left(x, 4) || repeat('*', char_length(x) - 8) || right(x, 4)
    END
"""


def upgrade() -> None:
    op.create_table(
        "kiosk_print",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("certificate", "receipt", name="print_kind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=128), nullable=False),
        sa.Column("holder_hash", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.Column("output", sa.String(length=8), nullable=False),
        sa.Column("at", common.db.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_print")),
    )
    with op.batch_alter_table("kiosk_print", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kiosk_print_holder_hash"), ["holder_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_kiosk_print_reference"), ["reference"], unique=False)

    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(text("SELECT current_schema()")).scalar_one()
    ident = bind.execute(text("SELECT quote_ident(:s)"), {"s": schema}).scalar_one()
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_mask_name(n text) RETURNS text
        LANGUAGE sql IMMUTABLE SET search_path = {ident}, pg_temp
        AS $fn$ SELECT {_MASK_NAME} $fn$
        """
    )
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_mask_number(n text) RETURNS text
        LANGUAGE sql IMMUTABLE SET search_path = {ident}, pg_temp
        AS $fn$ SELECT {_MASK_NUMBER.replace("x", "upper(replace(btrim(n), ' ', ''))")} $fn$
        """
    )
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_certificates(p_hash text)
        RETURNS TABLE (
            identifier text, case_number text, title text, issuer_name text, holder_masked text,
            issued_on date, valid_until date, organisation text, credit_code text)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = {ident}, pg_temp
        AS $fn$
            SELECT h.identifier::text, h.case_number::text, h.title::text, h.issuer_name::text,
                   h.holder_masked::text, h.issued_on, h.valid_until,
                   coalesce(c.organisation_name, '')::text, coalesce(c.credit_code, '')::text
              FROM hall_certificate h
              LEFT JOIN intake_case c ON c.number = h.case_number
             WHERE h.holder_hash = p_hash
             ORDER BY h.issued_on DESC, h.id DESC
             LIMIT 50
        $fn$
        """
    )
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_receipt(p_hash text, p_number text)
        RETURNS TABLE (
            number text, matters text, applicant text, applicant_number text,
            accepted_at timestamp, promised_date date, supplement_deadline date,
            "window" integer, staff text, materials text)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = {ident}, pg_temp
        AS $fn$
            SELECT c.number::text, c.matters::text,
                   CASE WHEN c.organisation_name <> '' THEN c.organisation_name::text
                        ELSE onewindow_kiosk_mask_name(c.applicant_name) END,
                   CASE WHEN c.credit_code <> '' THEN c.credit_code::text
                        ELSE onewindow_kiosk_mask_number(c.applicant_number) END,
                   c.accepted_at, c.promised_date, c.supplement_deadline, c."window",
                   c.staff::text,
                   (SELECT coalesce(json_agg(json_build_object(
                               'name', m.name, 'mark', m.mark, 'form', m.form, 'copies', m.copies)
                           ORDER BY m.position), '[]'::json)::text
                      FROM case_material m WHERE m.case_id = c.id)
              FROM intake_case c
             WHERE c.number = p_number
               AND p_hash IS NOT NULL AND p_hash <> ''
               AND (c.applicant_hash = p_hash OR c.agent_hash = p_hash)
        $fn$
        """
    )
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {ident}.onewindow_kiosk_record_print(
            p_kind text, p_reference text, p_hash text, p_station text, p_output text,
            p_source text, p_key text, p_at timestamp)
        RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = {ident}, pg_temp
        AS $fn$
        DECLARE
            v_id integer;
            v_event text;
        BEGIN
            IF p_kind = 'certificate' THEN
                v_event := 'certificate.printed';
                PERFORM 1 FROM hall_certificate
                  WHERE identifier = p_reference AND holder_hash = p_hash;
            ELSIF p_kind = 'receipt' THEN
                v_event := 'receipt.reprinted';
                PERFORM 1 FROM intake_case
                  WHERE number = p_reference AND (applicant_hash = p_hash OR agent_hash = p_hash);
            ELSE
                RAISE EXCEPTION 'unknown print kind %', p_kind;
            END IF;
            IF NOT FOUND THEN
                -- P0002 (no_data_found): the kiosk tells it as "not yours", nothing printed
                RAISE EXCEPTION 'not this holder''s %', p_kind USING ERRCODE = 'P0002';
            END IF;
            IF p_output NOT IN ('a4', 'slip') THEN
                RAISE EXCEPTION 'unknown print output %', p_output;
            END IF;
            INSERT INTO kiosk_print (kind, reference, holder_hash, station, output, at)
                 VALUES (p_kind, p_reference, p_hash, left(p_station, 64), p_output, p_at)
              RETURNING id INTO v_id;
            INSERT INTO outbox (key, event_type, aggregate, seq, case_id, payload, created_at,
                                attempts, last_error)
                 VALUES (p_key, v_event, 'print:' || v_id, 1, NULL,
                         json_build_object(
                             'print_id', v_id, 'source', p_source, 'kind', p_kind,
                             'reference', p_reference, 'holder_hash', p_hash,
                             'station', left(p_station, 64), 'output', p_output,
                             'at', to_char(p_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'),
                         p_at, 0, '');
            RETURN v_id;
        END
        $fn$
        """
    )
    for signature in (
        "onewindow_kiosk_certificates(text)",
        "onewindow_kiosk_receipt(text, text)",
        "onewindow_kiosk_record_print(text, text, text, text, text, text, text, timestamp)",
        "onewindow_kiosk_mask_name(text)",
        "onewindow_kiosk_mask_number(text)",
    ):
        op.execute(f"REVOKE ALL ON FUNCTION {ident}.{signature} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS onewindow_kiosk_record_print"
            "(text, text, text, text, text, text, text, timestamp)"
        )
        op.execute("DROP FUNCTION IF EXISTS onewindow_kiosk_receipt(text, text)")
        op.execute("DROP FUNCTION IF EXISTS onewindow_kiosk_certificates(text)")
        op.execute("DROP FUNCTION IF EXISTS onewindow_kiosk_mask_name(text)")
        op.execute("DROP FUNCTION IF EXISTS onewindow_kiosk_mask_number(text)")
    with op.batch_alter_table("kiosk_print", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kiosk_print_reference"))
        batch_op.drop_index(batch_op.f("ix_kiosk_print_holder_hash"))
    op.drop_table("kiosk_print")
