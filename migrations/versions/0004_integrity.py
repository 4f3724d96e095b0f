"""CHECK constraints on status and role columns (placeholder until filled)

Revision ID: 0004_integrity
Revises: 0003_structure_stamp
Create Date: 2026-11-29 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0004_integrity'
down_revision = '0003_structure_stamp'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
