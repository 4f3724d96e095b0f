"""Mystery shopping: checklists, their items, visits and visit answers

Placeholder in the revision chain, filled in by the work on mystery shopping (issue 16): until then it changes nothing.

Revision ID: 0015_mystery
Revises: 0014_kiosk
Create Date: 2026-11-30 12:40:00

"""

# revision identifiers, used by Alembic.
revision = '0015_mystery'
down_revision = '0014_kiosk'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
