"""Imported responses: where a response came from (a file import) and its stable import key

- `responses.imported_from`: the source file name (batch label) of a response imported from earlier data
  collection; NULL for answers given in surveyapp.
- `responses.import_key`: a stable key per imported row, unique per questionnaire, so that importing the same
  file again stores nothing twice (a unique index: NULLs, every response given in surveyapp, never clash).

The columns are added in place. The downgrade is refused while any response is marked as imported: without
the marks the responses would pass for answers given in surveyapp.

Revision ID: 0012_imports
Revises: 0011_logic
Create Date: 2026-11-30 12:40:00

"""
import sqlalchemy as sa
from alembic import op

from surveyapp.migration_guard import refuse_data_loss

# revision identifiers, used by Alembic.
revision = '0012_imports'
down_revision = '0011_logic'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('imported_from', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('import_key', sa.String(length=64), nullable=True))
    op.create_index(op.f('ix_responses_questionnaire_id_import_key'), 'responses',
                    ['questionnaire_id', 'import_key'], unique=True)


def downgrade():
    refuse_data_loss('Downgrade 0012_imports -> 0011_logic',
                     {'responses.imported_from': 'the marks of imported responses (which file they came from)',
                      'responses.import_key': 'the import keys of imported responses'})
    op.drop_index(op.f('ix_responses_questionnaire_id_import_key'), table_name='responses')
    with op.batch_alter_table('responses', recreate='never') as batch_op:
        batch_op.drop_column('import_key')
        batch_op.drop_column('imported_from')
