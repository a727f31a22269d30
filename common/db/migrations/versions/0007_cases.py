"""Cases: the case table, materials, transitions, clock stops, the daily case counter, the outbox

Every case change writes a transition row and an outbox row in the same transaction
(common.intake.cases); the outbox is what the sync worker drains to the central server.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import common.db.models

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_counter',
    sa.Column('hall_day', sa.Date(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('hall_day', name=op.f('pk_case_counter'))
    )
    op.create_table('intake_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('hall_day', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'accepted', 'accepted_with_tolerance', 'correction_required', 'rejected', 'in_review', 'suspended', 'approved', 'denied', 'ready_for_delivery', 'delivered', 'withdrawn', 'resubmitted', name='case_state', native_enum=False, length=32), nullable=False),
    sa.Column('open', sa.Boolean(), nullable=False),
    sa.Column('decision', sa.Enum('accept', 'accept_with_tolerance', 'correction_required', 'reject', name='case_decision', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('matters', sa.JSON(), nullable=False),
    sa.Column('bundle_code', sa.String(length=64), nullable=False),
    sa.Column('catalog_version', sa.String(length=64), nullable=False),
    sa.Column('route_agency', sa.String(length=200), nullable=False),
    sa.Column('route_area_code', sa.String(length=12), nullable=False),
    sa.Column('applicant_type', sa.Integer(), nullable=False),
    sa.Column('applicant_name', sa.String(length=100), nullable=False),
    sa.Column('applicant_cert_type', sa.String(length=8), nullable=False),
    sa.Column('applicant_number', sa.String(length=32), nullable=False),
    sa.Column('applicant_hash', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('legal_representative', sa.String(length=100), nullable=False),
    sa.Column('agent_name', sa.String(length=100), nullable=False),
    sa.Column('agent_cert_type', sa.String(length=8), nullable=False),
    sa.Column('agent_number', sa.String(length=32), nullable=False),
    sa.Column('agent_hash', sa.String(length=64), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('ticket_number', sa.String(length=8), nullable=False),
    sa.Column('window', sa.Integer(), nullable=True),
    sa.Column('staff', sa.String(length=64), nullable=False),
    sa.Column('accepted_at', common.db.models.UTCDateTime(), nullable=False),
    sa.Column('promised_days', sa.Integer(), nullable=False),
    sa.Column('promised_date', sa.Date(), nullable=True),
    sa.Column('supplement_deadline', sa.Date(), nullable=True),
    sa.Column('tolerated_outstanding', sa.Integer(), nullable=False),
    sa.Column('clock_stopped_on', sa.Date(), nullable=True),
    sa.Column('reject_reason', sa.Text(), nullable=False),
    sa.Column('resubmission_of', sa.Integer(), nullable=True),
    sa.Column('updated_at', common.db.models.UTCDateTime(), nullable=False),
    sa.Column('outbox_seq', sa.Integer(), nullable=False),
    sa.Column('delivery_method', sa.String(length=16), nullable=False),
    sa.Column('delivery_detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['resubmission_of'], ['intake_case.id'], name=op.f('fk_intake_case_resubmission_of_intake_case')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_intake_case_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_case')),
    sa.UniqueConstraint('number', name=op.f('uq_intake_case_number'))
    )
    op.create_index(op.f('ix_intake_case_agent_hash'), 'intake_case', ['agent_hash'], unique=False)
    op.create_index(op.f('ix_intake_case_applicant_hash'), 'intake_case', ['applicant_hash'], unique=False)
    op.create_index('ix_intake_case_day', 'intake_case', ['hall_day', 'window'], unique=False)
    op.create_index('ix_intake_case_supplement', 'intake_case', ['tolerated_outstanding', 'supplement_deadline'], unique=False)
    op.create_index('ix_intake_case_watch', 'intake_case', ['open', 'promised_date'], unique=False)
    op.create_table('case_clock_stop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('correction', 'hearing', 'expert_review', 'inspection', 'public_notice', name='clock_stop_kind', native_enum=False, length=16), nullable=False),
    sa.Column('started', sa.Date(), nullable=False),
    sa.Column('ended', sa.Date(), nullable=True),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['intake_case.id'], name=op.f('fk_case_clock_stop_case_id_intake_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_clock_stop'))
    )
    op.create_index(op.f('ix_case_clock_stop_case_id'), 'case_clock_stop', ['case_id'], unique=False)
    op.create_table('case_material',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('form', sa.String(length=8), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('key_item', sa.Boolean(), nullable=False),
    sa.Column('tolerable', sa.Boolean(), nullable=False),
    sa.Column('mark', sa.Enum('received', 'tolerated', 'shared', 'missing', 'not_applicable', name='material_mark', native_enum=False, length=16), nullable=False),
    sa.Column('supplied_at', common.db.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['intake_case.id'], name=op.f('fk_case_material_case_id_intake_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'key', name=op.f('pk_case_material'))
    )
    op.create_table('case_transition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('accept', 'accept_with_tolerance', 'require_correction', 'reject', 'resubmit', 'supplement', 'start_review', 'stop_clock', 'restart_clock', 'approve', 'deny', 'mark_ready', 'deliver', 'withdraw', name='case_action', native_enum=False, length=32), nullable=False),
    sa.Column('from_state', sa.Enum('draft', 'accepted', 'accepted_with_tolerance', 'correction_required', 'rejected', 'in_review', 'suspended', 'approved', 'denied', 'ready_for_delivery', 'delivered', 'withdrawn', 'resubmitted', name='case_from_state', native_enum=False, length=32), nullable=False),
    sa.Column('to_state', sa.Enum('draft', 'accepted', 'accepted_with_tolerance', 'correction_required', 'rejected', 'in_review', 'suspended', 'approved', 'denied', 'ready_for_delivery', 'delivered', 'withdrawn', 'resubmitted', name='case_to_state', native_enum=False, length=32), nullable=False),
    sa.Column('state_code', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', common.db.models.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['intake_case.id'], name=op.f('fk_case_transition_case_id_intake_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_transition')),
    sa.UniqueConstraint('case_id', 'seq', name=op.f('uq_case_transition_case_id'))
    )
    op.create_index(op.f('ix_case_transition_case_id'), 'case_transition', ['case_id'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('aggregate', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', common.db.models.UTCDateTime(), nullable=False),
    sa.Column('sent_at', common.db.models.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('next_try_at', common.db.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['intake_case.id'], name=op.f('fk_outbox_case_id_intake_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('aggregate', 'seq', name=op.f('uq_outbox_aggregate')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_key'))
    )
    op.create_index(op.f('ix_outbox_case_id'), 'outbox', ['case_id'], unique=False)
    op.create_index('ix_outbox_pending', 'outbox', ['sent_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_pending', table_name='outbox')
    op.drop_index(op.f('ix_outbox_case_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_index(op.f('ix_case_transition_case_id'), table_name='case_transition')
    op.drop_table('case_transition')
    op.drop_table('case_material')
    op.drop_index(op.f('ix_case_clock_stop_case_id'), table_name='case_clock_stop')
    op.drop_table('case_clock_stop')
    op.drop_index('ix_intake_case_watch', table_name='intake_case')
    op.drop_index('ix_intake_case_supplement', table_name='intake_case')
    op.drop_index('ix_intake_case_day', table_name='intake_case')
    op.drop_index(op.f('ix_intake_case_applicant_hash'), table_name='intake_case')
    op.drop_index(op.f('ix_intake_case_agent_hash'), table_name='intake_case')
    op.drop_table('intake_case')
    op.drop_table('case_counter')
