"""Live workshop polls: poll sessions, polls, options, votes and word moderation

Placeholder in the revision chain, filled in by the work on live polls (issue 16): until then it changes nothing.

Revision ID: 0013_polls
Revises: 0012_imports
Create Date: 2026-11-30 12:40:00

"""

# revision identifiers, used by Alembic.
revision = '0013_polls'
down_revision = '0012_imports'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
