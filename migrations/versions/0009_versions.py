"""Questionnaire versions: what earlier versions asked, and the version each response was given on

Once a questionnaire has responses, a builder change that alters what stored answers mean (scale points,
option set, number range, type) keeps a snapshot of the version it replaces in `questionnaire_versions` and
counts `questionnaires.version` up; every response records `questionnaire_version`. Existing questionnaires
and responses start at version 1.

The drops use SQLite's own `ALTER TABLE ... DROP COLUMN` (recreate="never"), as 0007 does: rebuilding
`questionnaires` or `responses` would cascade into their children. The downgrade is refused while a snapshot
exists (a version was made): without it, answers given on an earlier version lose their meaning.

Revision ID: 0009_versions
Revises: 0008_edit_version
Create Date: 2026-11-30 02:00:00

"""
import sqlalchemy as sa
from alembic import op

from surveyapp.migration_guard import refuse_data_loss

# revision identifiers, used by Alembic.
revision = '0009_versions'
down_revision = '0008_edit_version'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questionnaires', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('responses', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('questionnaire_version', sa.Integer(), server_default='1', nullable=False))
    op.create_table(
        'questionnaire_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('questionnaire_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'],
                                name=op.f('fk_questionnaire_versions_questionnaire_id_questionnaires'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_versions')),
        sa.UniqueConstraint('questionnaire_id', 'number',
                            name=op.f('uq_questionnaire_versions_questionnaire_id_number')),
    )


def downgrade():
    refuse_data_loss('Downgrade 0009_versions -> 0008_edit_version',
                     {'questionnaire_versions': 'earlier questionnaire versions (what their answers meant)'})
    op.drop_table('questionnaire_versions')
    with op.batch_alter_table('responses', recreate='never') as batch_op:
        batch_op.drop_column('questionnaire_version')
    with op.batch_alter_table('questionnaires', recreate='never') as batch_op:
        batch_op.drop_column('version')
