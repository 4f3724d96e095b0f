"""audit_events: append-only, hash-chained audit trail (placeholder until filled)

Revision ID: 0006_audit
Revises: 0005_sessions
Create Date: 2026-11-29 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0006_audit'
down_revision = '0005_sessions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
