"""questionnaires.structure_stamp: a new random stamp on every structural change, for per-process caching

Revision ID: 0003_structure_stamp
Revises: 0002_waves
Create Date: 2026-11-25 16:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_structure_stamp'
down_revision = '0002_waves'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.add_column(sa.Column('structure_stamp', sa.String(length=32), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.drop_column('structure_stamp')
