"""Kiosk mode on shared tablets and offline answers: kiosk devices, client UUIDs, flagged fast submissions

Placeholder in the revision chain, filled in by the work on kiosk mode (issue 16): until then it changes nothing.

Revision ID: 0014_kiosk
Revises: 0013_polls
Create Date: 2026-11-30 12:40:00

"""

# revision identifiers, used by Alembic.
revision = '0014_kiosk'
down_revision = '0013_polls'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
