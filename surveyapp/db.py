"""Declarative base with a naming convention so migrations behave alike on SQLite and PostgreSQL."""
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    """CHECK that `column` holds one of `values`; named ck_<table>_<column> by the naming convention.

    Changing `values` needs a migration that replaces the constraint (see migrations/versions/0004_integrity.py).
    """
    allowed = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


def utcnow() -> datetime:
    """Aware UTC now; the single clock every service defaults to."""
    return datetime.now(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL + busy timeout: readers never block the writer, writers wait instead of failing.

    Foreign keys are on for every connection; migrations turn them off on theirs (surveyapp/migration_guard.py).
    """
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
