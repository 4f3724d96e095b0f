"""Run Alembic migrations so that they never lose data (used by migrations/env.py).

On SQLite every application connection turns foreign keys on (surveyapp.db). A batch migration rebuilds a table
by creating `_alembic_tmp_<table>`, copying, DROP-ping the original and renaming; with foreign keys on, that DROP
deletes every child row through ON DELETE CASCADE, or fails half-way on a RESTRICT and leaves the temporary table
behind. So, on SQLite, around the migrations:

- foreign keys OFF, set on the connection before any transaction begins (the pragma is a no-op inside one);
- pysqlite's own transaction handling off and an explicit BEGIN instead (pysqlite never BEGINs before DDL), so
  one `flask db upgrade/downgrade` runs in one real transaction: a failed or refused revision rolls back every
  step of that run instead of leaving half-built tables or a half-done downgrade;
- `PRAGMA foreign_key_check` before each revision commits: a revision that would leave rows pointing nowhere
  rolls back and names them;
- foreign keys back ON afterwards.

PostgreSQL has transactional DDL and enforces foreign keys while it alters tables in place; it also runs each
`flask db upgrade/downgrade` in one transaction. tests/test_migrations.py walks every revision down and up with
data in every table.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from alembic.util import CommandError
from sqlalchemy import event
from sqlalchemy.engine import Connection

SHOWN_ROWS = 20  # offending rows named in the error; the count says how many there are in all


class ForeignKeyViolation(CommandError):
    """A revision would leave rows whose foreign key points to no row; it was rolled back."""


@contextmanager
def migration_connection(connection: Connection) -> Iterator[dict]:
    """Prepare `connection` for running migrations; yield the options to add to `context.configure()`."""
    if connection.dialect.name != "sqlite":
        yield {"transaction_per_migration": False}
        return
    if connection.in_transaction():
        connection.commit()
    driver = connection.connection.driver_connection
    isolation_level = driver.isolation_level
    driver.isolation_level = None  # autocommit at the driver level; transactions are our explicit BEGINs
    driver.execute("PRAGMA foreign_keys=OFF")
    if driver.execute("PRAGMA foreign_keys").fetchone()[0] != 0:
        raise CommandError("Could not turn SQLite foreign keys off before migrating; nothing was changed.")
    event.listen(connection, "begin", _begin)
    try:
        yield {"transactional_ddl": True, "transaction_per_migration": False,
               "on_version_apply": [check_foreign_keys]}
    finally:
        event.remove(connection, "begin", _begin)
        if connection.in_transaction():
            connection.rollback()
        driver.execute("PRAGMA foreign_keys=ON")
        driver.isolation_level = isolation_level


def _begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def check_foreign_keys(*, ctx, step, **_kw) -> None:
    """Alembic `on_version_apply` hook (SQLite): refuse to commit a revision that leaves dangling references."""
    rows = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if rows:
        raise ForeignKeyViolation(foreign_key_report(_step_name(step), rows))


def foreign_key_report(step_name: str, rows) -> str:
    """The error text for `PRAGMA foreign_key_check` rows (table, rowid, parent table, fk index)."""
    shown = "; ".join(f"{table} row {rowid} -> {parent}" for table, rowid, parent, _fk in rows[:SHOWN_ROWS])
    more = f" (and {len(rows) - SHOWN_ROWS} more)" if len(rows) > SHOWN_ROWS else ""
    return (f"{step_name} rolled back: {len(rows)} row(s) would reference rows that do not exist: {shown}{more}. "
            "Correct or delete these rows, then migrate again.")


def _step_name(step) -> str:
    source = ", ".join(step.source_revision_ids) or "base"
    destination = ", ".join(step.destination_revision_ids) or "base"
    return f"{'Upgrade' if step.is_upgrade else 'Downgrade'} {source} -> {destination}"


ALLOW_DATA_LOSS = "SURVEYAPP_ALLOW_DATA_LOSS"


class DataLossRefused(CommandError):
    """A downgrade would drop tables or columns that hold data; nothing was changed."""


def refuse_data_loss(step_name: str, held: dict[str, str]) -> None:
    """Downgrade guard: stop before dropping a table or column that holds data, unless the operator allowed it.

    `held` maps "table" (any row), "table.column" (any non-NULL value) or "table WHERE <condition>" (rows
    matching a condition written in the migration itself, never user input) to what would be lost. Going down past a
    revision cannot keep what only that revision can store (the audit trail, erasure tombstones, the panel), so
    the operator must say so: `flask db downgrade -x allow_data_loss=yes REV` or SURVEYAPP_ALLOW_DATA_LOSS=1.
    """
    from alembic import context

    if _allowed(context.get_x_argument(as_dictionary=True)):
        return
    connection = context.get_bind()
    found = [f"{description} ({rows} row(s) in {where})" for where, description in held.items()
             if (rows := _rows_holding(connection, where))]
    if found:
        raise DataLossRefused(
            f"{step_name} refused: it would delete {'; '.join(found)}. Nothing was changed. Back up first (see "
            "README), then allow it with `flask db downgrade -x allow_data_loss=yes <revision>`.")


def _allowed(x_arguments: dict) -> bool:
    import os

    value = x_arguments.get("allow_data_loss") or os.environ.get(ALLOW_DATA_LOSS, "")
    return value.lower() in {"1", "yes", "true"}


def _rows_holding(connection: Connection, where: str) -> int:
    from sqlalchemy import column, func, select, table, text

    name, _, condition = where.partition(" WHERE ")
    if condition:
        return connection.execute(select(func.count()).select_from(table(name)).where(text(condition))).scalar_one()
    name, _, column_name = where.partition(".")
    query = select(func.count()).select_from(table(name))
    if column_name:
        query = query.where(column(column_name).is_not(None))
    return connection.execute(query).scalar_one()
