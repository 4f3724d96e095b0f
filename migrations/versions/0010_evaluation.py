"""Evaluation: indicators with targets, outcome-pathway stages, cancelled waves

- `indicators`: a figure defined on an item (share agreeing or yes, or a mean) with a target, shown per group
  (site, session, ...) and period in the programme report and on its own screen.
- `items.stage`: where an item sits on the programme's outcome pathway (activity, output, outcome, ...).
- `programmes.pathway`: which pathway model the stages follow (NULL: the default logic model).
- `waves.cancelled_at`: a wave that has sent mail is cancelled, not deleted: no further mail, history kept.

Columns are added and dropped in place (recreate="never"), as 0007 and 0009 do. The downgrade is refused while
any of them holds data.

Revision ID: 0010_evaluation
Revises: 0009_versions
Create Date: 2026-11-30 05:30:00

"""
import sqlalchemy as sa
from alembic import op

from surveyapp.migration_guard import refuse_data_loss

# revision identifiers, used by Alembic.
revision = '0010_evaluation'
down_revision = '0009_versions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('items', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('stage', sa.String(length=32), nullable=True))
    with op.batch_alter_table('programmes', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('pathway', sa.String(length=20), nullable=True))
    with op.batch_alter_table('waves', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'indicators',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('item_code', sa.String(length=64), nullable=False),
        sa.Column('statistic', sa.String(length=20), nullable=False),
        sa.Column('top_boxes', sa.Integer(), server_default='2', nullable=False),
        sa.Column('target', sa.Float(), nullable=False),
        sa.Column('direction', sa.String(length=20), server_default='at_least', nullable=False),
        sa.Column('dimension', sa.String(length=20), server_default='site', nullable=False),
        sa.Column('period', sa.String(length=20), server_default='wave', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("statistic IN ('share', 'mean')", name=op.f('ck_indicators_statistic')),
        sa.CheckConstraint("direction IN ('at_least', 'at_most')", name=op.f('ck_indicators_direction')),
        sa.CheckConstraint("period IN ('wave', 'quarter', 'year')", name=op.f('ck_indicators_period')),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'],
                                name=op.f('fk_indicators_programme_id_programmes'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    )
    op.create_index(op.f('ix_indicators_programme_id'), 'indicators', ['programme_id'], unique=False)


def downgrade():
    refuse_data_loss('Downgrade 0010_evaluation -> 0009_versions',
                     {'indicators': 'indicators and their targets',
                      'items.stage': 'outcome-pathway stages of items',
                      'programmes.pathway': 'pathway models of programmes',
                      'waves.cancelled_at': 'cancellations of waves'})
    op.drop_index(op.f('ix_indicators_programme_id'), table_name='indicators')
    op.drop_table('indicators')
    with op.batch_alter_table('waves', recreate='never') as batch_op:
        batch_op.drop_column('cancelled_at')
    with op.batch_alter_table('programmes', recreate='never') as batch_op:
        batch_op.drop_column('pathway')
    with op.batch_alter_table('items', recreate='never') as batch_op:
        batch_op.drop_column('stage')
