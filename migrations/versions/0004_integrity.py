"""CHECK constraints: status, role and the other enum-like columns accept only their known values

Revision ID: 0004_integrity
Revises: 0003_structure_stamp
Create Date: 2026-11-29 23:00:00

Constraints added (names follow the naming convention ck_<table>_<column>; the models declare the same):

- memberships.role        ck_memberships_role       admin, manager, evaluator
- questionnaires.status   ck_questionnaires_status  draft, open, closed
- consents.source         ck_consents_source        self, roster, manual
- items.type              ck_items_type             the item-type registry's codes

Left open on purpose: text keys (questionnaire_texts.key holds "page.<n>"; wave texts gain keys without a
migration), every `lang` column (any configured language), consents.scope (only "follow_up" is written so far;
new consent scopes should not need a schema change). Invitations and send attempts have no status column:
their state is timestamps.

Existing rows that break a constraint stop the upgrade before anything changes, with the table, column and bad
values in the message. On SQLite each table is rebuilt (with foreign keys off, see surveyapp/migration_guard.py);
the rebuild keeps indexes, other constraints and server defaults. Downgrade drops the constraints only.
"""
import sqlalchemy as sa
from alembic import op
from alembic.util import CommandError

# revision identifiers, used by Alembic.
revision = '0004_integrity'
down_revision = '0003_structure_stamp'
branch_labels = None
depends_on = None

# (table, column, allowed values), frozen as of this revision
CHECKS = (
    ('memberships', 'role', ('admin', 'manager', 'evaluator')),
    ('questionnaires', 'status', ('draft', 'open', 'closed')),
    ('consents', 'source', ('self', 'roster', 'manual')),
    ('items', 'type', ('single', 'multiple', 'likert', 'scale10', 'yesno', 'number', 'text', 'longtext', 'date')),
)
SHOWN_VALUES = 10


def upgrade():
    refuse_violations(op.get_bind())
    for table, column, allowed in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'), in_list(column, allowed))


def downgrade():
    for table, column, _allowed in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')


def in_list(column, allowed):
    """The same text SQLAlchemy renders for the models' constraints: `column IN ('a', 'b')`."""
    return f"{column} IN ({', '.join(repr(value) for value in allowed)})"


def refuse_violations(bind):
    """Stop before any change when existing rows hold values the constraints would refuse."""
    problems = []
    for table, column, allowed in CHECKS:
        col = sa.column(column)
        rows = bind.execute(
            sa.select(col, sa.func.count()).select_from(sa.table(table, col))
            .where(col.not_in(allowed)).group_by(col).order_by(col)
        ).all()
        if rows:
            shown = ', '.join(f"{value[:40]!r} ({count} row{'s' if count != 1 else ''})"
                              for value, count in rows[:SHOWN_VALUES])
            more = f' and {len(rows) - SHOWN_VALUES} more values' if len(rows) > SHOWN_VALUES else ''
            problems.append(f"{table}.{column} holds {shown}{more}; allowed: {', '.join(allowed)}")
    if problems:
        raise CommandError(
            'Cannot add the CHECK constraints of 0004_integrity, nothing was changed: ' + '; '.join(problems)
            + '. Correct or delete these rows, then upgrade again.'
        )
