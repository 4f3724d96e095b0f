"""Mystery shopping: checklists, their items, visits and visit answers

- `mystery_checklists`: a programme's checklist, in one language, offered on some of web / phone / counter.
- `mystery_items`: its items, scored yes / no / not applicable or 1–5, worth some points, maybe needing evidence.
- `mystery_visits`: a staff member's visit as a mystery shopper on one channel and scenario.
- `mystery_answers`: the visit's value and evidence note per item.

New tables only; the downgrade is refused while any of them holds data.

Revision ID: 0015_mystery
Revises: 0014_kiosk
Create Date: 2026-11-30 12:40:00

"""
import sqlalchemy as sa
from alembic import op

from surveyapp.migration_guard import refuse_data_loss

# revision identifiers, used by Alembic.
revision = '0015_mystery'
down_revision = '0014_kiosk'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mystery_checklists',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('lang', sa.String(length=20), nullable=False),
        sa.Column('channels', sa.String(length=60), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'],
                                name=op.f('fk_mystery_checklists_programme_id_programmes'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mystery_checklists')),
    )
    op.create_index(op.f('ix_mystery_checklists_programme_id'), 'mystery_checklists', ['programme_id'])
    op.create_table(
        'mystery_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('checklist_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('evidence_required', sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('yes_no_na', 'rating_1_5')", name=op.f('ck_mystery_items_kind')),
        sa.ForeignKeyConstraint(['checklist_id'], ['mystery_checklists.id'],
                                name=op.f('fk_mystery_items_checklist_id_mystery_checklists'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mystery_items')),
        sa.UniqueConstraint('checklist_id', 'code', name=op.f('uq_mystery_items_checklist_id_code')),
    )
    op.create_index(op.f('ix_mystery_items_checklist_id'), 'mystery_items', ['checklist_id'])
    op.create_table(
        'mystery_visits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('checklist_id', sa.Integer(), nullable=False),
        sa.Column('shopper_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('scenario', sa.String(length=200), nullable=False),
        sa.Column('visited_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('web', 'phone', 'counter')", name=op.f('ck_mystery_visits_channel')),
        sa.ForeignKeyConstraint(['checklist_id'], ['mystery_checklists.id'],
                                name=op.f('fk_mystery_visits_checklist_id_mystery_checklists'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['shopper_id'], ['users.id'], name=op.f('fk_mystery_visits_shopper_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mystery_visits')),
    )
    op.create_index(op.f('ix_mystery_visits_checklist_id'), 'mystery_visits', ['checklist_id'])
    op.create_index(op.f('ix_mystery_visits_shopper_id'), 'mystery_visits', ['shopper_id'])
    op.create_table(
        'mystery_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('visit_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.String(length=3), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['mystery_items.id'],
                                name=op.f('fk_mystery_answers_item_id_mystery_items'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['visit_id'], ['mystery_visits.id'],
                                name=op.f('fk_mystery_answers_visit_id_mystery_visits'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mystery_answers')),
        sa.UniqueConstraint('visit_id', 'item_id', name=op.f('uq_mystery_answers_visit_id_item_id')),
    )
    op.create_index(op.f('ix_mystery_answers_item_id'), 'mystery_answers', ['item_id'])
    op.create_index(op.f('ix_mystery_answers_visit_id'), 'mystery_answers', ['visit_id'])


def downgrade():
    refuse_data_loss('Downgrade 0015_mystery -> 0014_kiosk',
                     {'mystery_checklists': 'mystery-shopping checklists',
                      'mystery_visits': 'mystery-shopping visits and their answers'})
    for table, columns in (('mystery_answers', ('item_id', 'visit_id')),
                           ('mystery_visits', ('checklist_id', 'shopper_id')),
                           ('mystery_items', ('checklist_id',)),
                           ('mystery_checklists', ('programme_id',))):
        for column in columns:
            op.drop_index(op.f(f'ix_{table}_{column}'), table_name=table)
        op.drop_table(table)
