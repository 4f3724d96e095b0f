"""GDPR: erasure tombstone on participants, contact retention per programme

Revision ID: 0007_gdpr
Revises: 0006_audit
Create Date: 2026-11-29 23:00:00

Both directions only add or drop a nullable column; nothing else is touched. The drops use SQLite's own
`ALTER TABLE ... DROP COLUMN` (recreate="never"): rebuilding `participants` would drop it with foreign keys
on and cascade into contacts, consents, invitations and responses.
"""
import sqlalchemy as sa
from alembic import op
from surveyapp.migration_guard import refuse_data_loss

# revision identifiers, used by Alembic.
revision = '0007_gdpr'
down_revision = '0006_audit'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('programmes', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('contact_retention_months', sa.Integer(), nullable=True))


def downgrade():
    refuse_data_loss('Downgrade 0007_gdpr -> 0006_audit', {'participants.erased_at': 'erasure records of participants', 'programmes.contact_retention_months': 'retention rules'})
    with op.batch_alter_table('programmes', recreate='never') as batch_op:
        batch_op.drop_column('contact_retention_months')
    with op.batch_alter_table('participants', recreate='never') as batch_op:
        batch_op.drop_column('erased_at')
