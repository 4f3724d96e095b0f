"""Logic and composite items: display conditions, pages with skip rules, matrix and ranking parts, scheduling

- `items.condition`: a display condition in the logic language (surveyapp.logic); `items.parent_id`: the
  composite item (matrix, ranking, "other" text) an item is a part of.
- `items.type` accepts the new registry codes: display, matrix, ranking, rank (ck_items_type replaced).
- `pages`: a page's display condition and skip rules (items keep their page number).
- `questionnaires.opens_at`, `closes_at` (scheduled fielding), `archived_at`; `programmes.archived_at`.

The items table is rebuilt on SQLite (a new CHECK and a foreign key), with foreign keys off, as 0004 does; the
other columns are added in place. The downgrade is refused while any of them holds data (an item of a new type
too), and then puts the old CHECK back.

Revision ID: 0011_logic
Revises: 0010_evaluation
Create Date: 2026-11-30 09:20:00

"""
import sqlalchemy as sa
from alembic import op

from surveyapp.migration_guard import refuse_data_loss

# revision identifiers, used by Alembic.
revision = '0011_logic'
down_revision = '0010_evaluation'
branch_labels = None
depends_on = None

OLD_TYPES = ('single', 'multiple', 'likert', 'scale10', 'yesno', 'number', 'text', 'longtext', 'date')
NEW_TYPES = OLD_TYPES + ('display', 'matrix', 'ranking', 'rank')


def in_list(column, allowed):
    return f"{column} IN ({', '.join(repr(value) for value in allowed)})"


def drop_new_items():
    """With allow_data_loss: items the old schema cannot hold (new types, parts) and everything hanging on them
    (foreign keys are off in migrations on SQLite, so nothing cascades by itself)."""
    new = f"SELECT id FROM items WHERE {in_list('type', NEW_TYPES[len(OLD_TYPES):])}"
    doomed = f"SELECT id FROM items WHERE id IN ({new}) OR parent_id IN ({new})"
    op.execute(f"DELETE FROM option_texts WHERE option_id IN (SELECT id FROM options WHERE item_id IN ({doomed}))")
    for table in ('options', 'item_texts', 'answers'):
        op.execute(f"DELETE FROM {table} WHERE item_id IN ({doomed})")
    op.execute(f"DELETE FROM items WHERE id IN ({doomed})")


def upgrade():
    with op.batch_alter_table('items') as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('condition', sa.Text(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_items_parent_id_items'), 'items', ['parent_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_index(op.f('ix_items_parent_id'), ['parent_id'], unique=False)
        batch_op.drop_constraint(op.f('ck_items_type'), type_='check')
        batch_op.create_check_constraint(op.f('ck_items_type'), in_list('type', NEW_TYPES))
    with op.batch_alter_table('questionnaires', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('programmes', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'pages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('questionnaire_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('condition', sa.Text(), nullable=True),
        sa.Column('skips', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'],
                                name=op.f('fk_pages_questionnaire_id_questionnaires'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pages')),
        sa.UniqueConstraint('questionnaire_id', 'number', name=op.f('uq_pages_questionnaire_id_number')),
    )
    op.create_index(op.f('ix_pages_questionnaire_id'), 'pages', ['questionnaire_id'], unique=False)


def downgrade():
    refuse_data_loss('Downgrade 0011_logic -> 0010_evaluation',
                     {'pages': 'page conditions and skip rules',
                      'items.condition': 'display conditions of items',
                      'items.parent_id': 'which items are parts of others (they stay as items of their own)',
                      f"items WHERE type NOT IN ({', '.join(repr(t) for t in OLD_TYPES)})":
                          'items of the types display, matrix, ranking and rank, their parts and answers',
                      'questionnaires.opens_at': 'scheduled opening dates',
                      'questionnaires.closes_at': 'scheduled closing dates',
                      'questionnaires.archived_at': 'archived questionnaires',
                      'programmes.archived_at': 'archived programmes'})
    drop_new_items()
    op.drop_index(op.f('ix_pages_questionnaire_id'), table_name='pages')
    op.drop_table('pages')
    with op.batch_alter_table('programmes', recreate='never') as batch_op:
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('questionnaires', recreate='never') as batch_op:
        batch_op.drop_column('archived_at')
        batch_op.drop_column('closes_at')
        batch_op.drop_column('opens_at')
    with op.batch_alter_table('items') as batch_op:
        batch_op.drop_constraint(op.f('ck_items_type'), type_='check')
        batch_op.create_check_constraint(op.f('ck_items_type'), in_list('type', OLD_TYPES))
        batch_op.drop_index(op.f('ix_items_parent_id'))
        batch_op.drop_constraint(op.f('fk_items_parent_id_items'), type_='foreignkey')
        batch_op.drop_column('condition')
        batch_op.drop_column('parent_id')
