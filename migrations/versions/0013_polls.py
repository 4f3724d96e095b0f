"""Live workshop polls: poll sessions, polls, options, votes and word moderation

- `poll_sessions`: a programme's workshop, joined at /j/<code> (6 characters without look-alikes, unique).
- `polls`: ordered polls of a session (single, multiple, rating, ranking, words) and their state.
- `poll_options`: the options of a choice or ranking poll.
- `poll_votes`: one vote per poll and browser; the voter is the SHA-256 of a random cookie token (no addresses).
- `poll_word_moderations`: words of a word cloud hidden or shown by a facilitator.

New tables only. The downgrade is refused while any poll session exists (the votes go with it).

Revision ID: 0013_polls
Revises: 0012_imports
Create Date: 2026-11-30 12:40:00

"""
import sqlalchemy as sa
from alembic import op

from surveyapp.migration_guard import refuse_data_loss

# revision identifiers, used by Alembic.
revision = '0013_polls'
down_revision = '0012_imports'
branch_labels = None
depends_on = None

KINDS = ('single', 'multiple', 'rating', 'ranking', 'words')
STATES = ('draft', 'open', 'closed', 'revealed')


def in_list(column, allowed):
    return f"{column} IN ({', '.join(repr(value) for value in allowed)})"


def _poll_child(name, *columns, unique):
    """A table hanging on polls: id, poll_id (cascading, indexed), `columns`, unique on (poll_id, `unique`)."""
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('poll_id', sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f(f'fk_{name}_poll_id_polls'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
        sa.UniqueConstraint('poll_id', unique, name=op.f(f'uq_{name}_poll_id_{unique}')),
    )
    op.create_index(op.f(f'ix_{name}_poll_id'), name, ['poll_id'], unique=False)


def upgrade():
    op.create_table(
        'poll_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('code', sa.String(length=6), nullable=False),
        sa.Column('lang', sa.String(length=20), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_poll_sessions_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'],
                                name=op.f('fk_poll_sessions_programme_id_programmes'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_sessions')),
        sa.UniqueConstraint('code', name=op.f('uq_poll_sessions_code')),
    )
    op.create_index(op.f('ix_poll_sessions_programme_id'), 'poll_sessions', ['programme_id'], unique=False)
    op.create_table(
        'polls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('question', sa.String(length=500), nullable=False),
        sa.Column('max_choices', sa.Integer(), nullable=True),
        sa.Column('scale', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(in_list('kind', KINDS), name=op.f('ck_polls_kind')),
        sa.CheckConstraint(in_list('state', STATES), name=op.f('ck_polls_state')),
        sa.ForeignKeyConstraint(['session_id'], ['poll_sessions.id'], name=op.f('fk_polls_session_id_poll_sessions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_polls')),
        sa.UniqueConstraint('session_id', 'position', name=op.f('uq_polls_session_id_position')),
    )
    op.create_index(op.f('ix_polls_session_id'), 'polls', ['session_id'], unique=False)
    _poll_child('poll_options',
                sa.Column('position', sa.Integer(), nullable=False),
                sa.Column('code', sa.String(length=40), nullable=False),
                sa.Column('label', sa.String(length=200), nullable=False), unique='code')
    _poll_child('poll_votes',
                sa.Column('voter', sa.String(length=64), nullable=False),
                sa.Column('payload', sa.JSON(), nullable=False),
                sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
                sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False), unique='voter')
    _poll_child('poll_word_moderations',
                sa.Column('word', sa.String(length=40), nullable=False),
                sa.Column('hidden', sa.Boolean(), nullable=False),
                sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False), unique='word')


def downgrade():
    refuse_data_loss('Downgrade 0013_polls -> 0012_imports',
                     {'poll_sessions': 'live poll sessions with their polls, votes and word moderation'})
    for name in ('poll_word_moderations', 'poll_votes', 'poll_options'):
        op.drop_index(op.f(f'ix_{name}_poll_id'), table_name=name)
        op.drop_table(name)
    op.drop_index(op.f('ix_polls_session_id'), table_name='polls')
    op.drop_table('polls')
    op.drop_index(op.f('ix_poll_sessions_programme_id'), table_name='poll_sessions')
    op.drop_table('poll_sessions')
