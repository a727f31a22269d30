"""Bad-rating follow-ups and 办不成事 / 有诉即办 records — filled by the manager follow-up work

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
