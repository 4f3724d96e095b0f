"""Imported responses: where a response came from (a file import) and its stable import key

Placeholder in the revision chain, filled in by the work on response import (issue 15): until then it changes nothing.

Revision ID: 0012_imports
Revises: 0011_logic
Create Date: 2026-11-30 12:40:00

"""

# revision identifiers, used by Alembic.
revision = '0012_imports'
down_revision = '0011_logic'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
