"""users.session_generation: logout and password change end every session

Revision ID: 0005_sessions
Revises: 0004_integrity
Create Date: 2026-11-29 23:00:00

Both directions only add or drop one column in place (recreate="never": SQLite's own ALTER TABLE). Rebuilding
`users` would drop it with foreign keys on and cascade into memberships.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_sessions'
down_revision = '0004_integrity'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', recreate='never') as batch_op:
        batch_op.drop_column('session_generation')
