"""questionnaires.edit_version: optimistic locking of concurrent staff edits

Every builder save runs `UPDATE questionnaires SET edit_version = edit_version + 1 WHERE id = :id AND
edit_version = :seen` with the version its form was shown with: no row means someone saved in between (409).
Existing questionnaires start at 1; the downgrade only drops the column (no data lives in it).

Revision ID: 0008_edit_version
Revises: 0007_gdpr
Create Date: 2026-11-29 23:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_edit_version'
down_revision = '0007_gdpr'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edit_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.drop_column('edit_version')
