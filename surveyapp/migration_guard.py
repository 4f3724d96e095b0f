"""Run Alembic migrations so that they never lose data (used by migrations/env.py).

On SQLite every application connection turns foreign keys on (surveyapp.db). A batch migration rebuilds a table
by creating `_alembic_tmp_<table>`, copying, DROP-ping the original and renaming; with foreign keys on, that DROP
deletes every child row through ON DELETE CASCADE, or fails half-way on a RESTRICT and leaves the temporary table
behind. So, on SQLite, around the migrations:

- foreign keys OFF, set on the connection before any transaction begins (the pragma is a no-op inside one);
- pysqlite's own transaction handling off and an explicit BEGIN instead (pysqlite never BEGINs before DDL), so
  each revision runs in one real transaction and a failed revision rolls back instead of leaving half-built tables;
- `PRAGMA foreign_key_check` before each revision commits: a revision that would leave rows pointing nowhere
  rolls back and names them;
- foreign keys back ON afterwards.

PostgreSQL has transactional DDL and enforces foreign keys while it alters tables in place; it also gets one
transaction per revision. tests/test_migrations.py walks every revision down and up with data in every table.
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
        yield {"transaction_per_migration": True}
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
        yield {"transactional_ddl": True, "transaction_per_migration": True,
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
