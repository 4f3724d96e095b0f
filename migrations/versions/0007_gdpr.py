"""consent date, retention per programme, erasure (placeholder until filled)

Revision ID: 0007_gdpr
Revises: 0006_audit
Create Date: 2026-11-29 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0007_gdpr'
down_revision = '0006_audit'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
