"""Write to audit_events behind the app's back, as someone with database owner rights could."""
from contextlib import contextmanager

from sqlalchemy import text


@contextmanager
def tampering(db):
    """A connection on which the append-only trigger is off; the trigger is back when the block ends."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
            yield conn
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
        else:
            ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name = 'audit_events_no_update'")).scalar_one()
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            yield conn
            conn.execute(text(ddl))
