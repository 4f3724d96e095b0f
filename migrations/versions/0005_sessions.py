"""users.session_generation: logout and password change end every session (placeholder until filled)

Revision ID: 0005_sessions
Revises: 0004_integrity
Create Date: 2026-11-29 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0005_sessions'
down_revision = '0004_integrity'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
