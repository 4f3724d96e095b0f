"""Tell a database outage (retry later: 503) from a bug (500), and describe it without SQL or parameters.

An outage is the server gone or refusing (connection lost, shut down, too many clients), a lock not granted
in time, a full disk or an I/O error: the request may well succeed when sent again. Anything else that the
database raises (a missing table, a bad statement) is a bug and stays a 500.
"""
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# SQLite result codes (sqlite3 sets sqlite_errorname on errors raised by the library itself)
SQLITE_OUTAGES = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN",
                            "SQLITE_NOMEM", "SQLITE_PROTOCOL"})
SQLITE_OUTAGE_TEXTS = ("database is locked", "database table is locked", "database or disk is full",
                       "disk i/o error", "unable to open database file", "out of memory")
# PostgreSQL SQLSTATE: 08 connection exception, 53 insufficient resources (disk full, out of memory, too many
# connections), 57P0x shutdown / cannot connect now, 40001/40P01 serialization failure / deadlock, 55P03 lock
# not available, 58030 I/O error
POSTGRES_OUTAGE_CLASSES = ("08", "53")
POSTGRES_OUTAGE_STATES = frozenset({"57P01", "57P02", "57P03", "40001", "40P01", "55P03", "58030"})


def database_unavailable(error: BaseException) -> bool:
    if isinstance(error, PoolTimeout):  # every pooled connection busy for pool_timeout seconds
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    orig = error.orig
    state = getattr(orig, "sqlstate", None)
    if state:
        return state[:2] in POSTGRES_OUTAGE_CLASSES or state in POSTGRES_OUTAGE_STATES
    if getattr(orig, "sqlite_errorname", None) in SQLITE_OUTAGES:
        return True
    if type(orig).__module__.startswith("sqlite3"):
        return str(orig).lower().startswith(SQLITE_OUTAGE_TEXTS)
    # a driver error without a SQLSTATE (psycopg: could not connect, connection closed) is about the connection
    return isinstance(error, OperationalError)


def describe(error: BaseException) -> str:
    """What went wrong, for the log: the driver's error class and code, never the statement or its values."""
    orig = getattr(error, "orig", None) or error
    code = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None) or ""
    if not code and type(orig).__module__.startswith("sqlite3"):
        code = str(orig)[:60]  # SQLite's own messages are fixed texts ("database is locked"), no values
    return f"{type(orig).__module__}.{type(orig).__name__} {code}".strip()
