"""Kiosk mode on shared tablets and offline answers: kiosk devices, kiosk submissions, flagged responses

- `kiosk_devices`: a tablet in kiosk mode for one questionnaire (its token and staff PIN hashed, idle and restart
  settings, who opened it, when it ended, wrong PINs and the lock-out).
- `kiosk_submissions`: the kiosk side of a response (device, seconds taken, submitted at the idle timeout). The
  response's key is the client UUID, so a submission sent twice (offline queue) is stored once.
- `responses.flagged_at`, `responses.flag_reason`: implausibly fast or repeated submissions, left out of reports
  by default.

The new columns are added in place. The downgrade is refused while any of it holds data.

Revision ID: 0014_kiosk
Revises: 0013_polls
Create Date: 2026-11-30 12:40:00

"""
import sqlalchemy as sa
from alembic import op

from surveyapp.migration_guard import refuse_data_loss

# revision identifiers, used by Alembic.
revision = '0014_kiosk'
down_revision = '0013_polls'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kiosk_devices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('questionnaire_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('pin_hash', sa.String(length=255), nullable=False),
        sa.Column('idle_seconds', sa.Integer(), nullable=False),
        sa.Column('on_idle', sa.String(length=10), nullable=False),
        sa.Column('restart_seconds', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('pin_failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("on_idle IN ('discard', 'submit')", name=op.f('ck_kiosk_devices_on_idle')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_kiosk_devices_created_by_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'],
                                name=op.f('fk_kiosk_devices_questionnaire_id_questionnaires'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_devices')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_kiosk_devices_token_hash')),
    )
    op.create_index(op.f('ix_kiosk_devices_questionnaire_id'), 'kiosk_devices', ['questionnaire_id'], unique=False)
    op.create_table(
        'kiosk_submissions',
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=True),
        sa.Column('idle', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['device_id'], ['kiosk_devices.id'],
                                name=op.f('fk_kiosk_submissions_device_id_kiosk_devices'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['response_id'], ['responses.id'],
                                name=op.f('fk_kiosk_submissions_response_id_responses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('response_id', name=op.f('pk_kiosk_submissions')),
    )
    op.create_index(op.f('ix_kiosk_submissions_device_id'), 'kiosk_submissions', ['device_id'], unique=False)
    with op.batch_alter_table('responses', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('flag_reason', sa.String(length=20), nullable=True))


def downgrade():
    refuse_data_loss('Downgrade 0014_kiosk -> 0013_polls',
                     {'kiosk_devices': 'kiosk devices',
                      'kiosk_submissions': 'which responses were given on a kiosk',
                      'responses.flagged_at': 'the flags of implausibly fast or repeated responses',
                      'responses.flag_reason': 'the reasons of flagged responses'})
    with op.batch_alter_table('responses', recreate='never') as batch_op:
        batch_op.drop_column('flag_reason')
        batch_op.drop_column('flagged_at')
    op.drop_index(op.f('ix_kiosk_submissions_device_id'), table_name='kiosk_submissions')
    op.drop_table('kiosk_submissions')
    op.drop_index(op.f('ix_kiosk_devices_questionnaire_id'), table_name='kiosk_devices')
    op.drop_table('kiosk_devices')
