"""questionnaires.edit_version: optimistic locking of concurrent staff edits (placeholder until filled)

Revision ID: 0008_edit_version
Revises: 0007_gdpr
Create Date: 2026-11-29 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0008_edit_version'
down_revision = '0007_gdpr'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
