"""Fault injection for the fault suite: statements that fail, commits that fail, a connection killed from outside.

Faults are injected at the driver boundary (inside SQLAlchemy's execute/commit), so SQLAlchemy wraps them
exactly as it wraps a real driver error, and the app's own error handling is what the tests see.
"""
import re
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, make_url, text

from tests.conftest import hidden_fields
from tests.security.conftest import logs, row_counts  # noqa: F401  (the hostile suite's log grep and counts)

ITEMS = [
    ("agree", "likert", True, 1, {"points": 5}, []),
    ("tools", "multiple", False, 1, {}, ["bike", "car", "bus"]),
    ("age", "number", True, 2, {}, []),
    ("name", "text", False, 2, {}, []),
]
SECRET = "Unverwechselbar Grüngelb 4711"  # an answer value that must never reach a log line


# kind -> (SQLite's message, PostgreSQL's SQLSTATE): what each driver raises for that fault
FAULTS = {
    "lost": ("disk I/O error", "08006"),  # SQLite has no connection to lose; an I/O error is its nearest
    "connect": ("unable to open database file", "08001"),
    "full": ("database or disk is full", "53100"),
    "io": ("disk I/O error", "58030"),
    "bug": ("no such table: answers", "42P01"),
}


def driver_error(db, kind: str) -> Exception:
    """An error of the dialect's own driver, as the driver would raise it for `kind` (see FAULTS)."""
    message, sqlstate = FAULTS[kind]
    if db.engine.dialect.name == "sqlite":
        return sqlite3.OperationalError(message)
    from psycopg import errors

    return errors.lookup(sqlstate)(f"injected fault: {kind}")


def outage_log_lines(log_check) -> list[str]:
    """The app's own log lines about an outage: they must name the error, never the SQL or its values."""
    lines = [r for r in log_check.caplog.records if "database unavailable" in r.getMessage()]
    assert lines, "the outage was not logged"
    for record in lines:
        assert record.exc_info is None and not re.search(r"SELECT|INSERT|UPDATE|DELETE", record.getMessage())
    return [r.getMessage() for r in lines]


@contextmanager
def failing_statement(db, pattern: str, error_factory, *, times: int = 1):
    """Raise error_factory() instead of running the next `times` statements matching `pattern` (regex)."""
    engine = db.engine
    left = [times]

    def before(_conn, _cursor, statement, _parameters, _context, _executemany):
        if left[0] > 0 and re.search(pattern, statement, re.IGNORECASE):
            left[0] -= 1
            raise error_factory()

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield left
    finally:
        event.remove(engine, "before_cursor_execute", before)


@contextmanager
def failing_commit(db, error_factory):
    """The next COMMIT fails in the driver (e.g. disk full); SQLAlchemy wraps it as it would a real one."""
    dialect = db.engine.dialect
    original = dialect.do_commit
    state = {"failed": False}

    def do_commit(dbapi_connection):
        if not state["failed"]:
            state["failed"] = True
            raise error_factory()
        return original(dbapi_connection)

    dialect.do_commit = do_commit
    try:
        yield state
    finally:
        del dialect.do_commit  # back to the class's method


@contextmanager
def terminated_on(db, pattern: str):
    """PostgreSQL: when a statement matching `pattern` is about to run, kill its backend from a second
    connection (pg_terminate_backend), as a server restart or a failover would. Once."""
    admin = create_engine(make_url(db.engine.url), isolation_level="AUTOCOMMIT")
    done = {"killed": 0}

    def before(conn, _cursor, statement, _parameters, _context, _executemany):
        if not done["killed"] and re.search(pattern, statement, re.IGNORECASE):
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin.connect() as other:
                done["killed"] = other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
                # wait until the backend is really gone, so the statement meets a dead connection
                for _ in range(200):
                    alive = other.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                          {"pid": pid}).scalar()
                    if not alive:
                        break
                    other.execute(text("SELECT pg_sleep(0.05)"))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield done
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        admin.dispose()


@pytest.fixture
def postgres_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (set TEST_DATABASE_URL)")


@pytest.fixture
def sqlite_only(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")


class Respondent:
    """A phone answering a two-page survey through the test client."""

    def __init__(self, client, slug: str):
        self.client, self.url = client, f"/s/{slug}"

    def first_page(self) -> dict:
        fields = hidden_fields(self.client.get(self.url).get_data(as_text=True))
        return {**fields, "q_agree": "4", "q_tools": ["bike", "bus"], "nav": "next"}

    def second_page(self) -> dict:
        fields = hidden_fields(self.client.get(self.url + "?page=2").get_data(as_text=True))
        return {**fields, "q_age": "31", "q_name": SECRET, "nav": "submit"}

    def post(self, data: dict):
        return self.client.post(self.url, data=data)


@pytest.fixture
def survey(make):
    return make.questionnaire(items=ITEMS, languages=("en", "de"))
