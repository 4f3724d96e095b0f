"""flask audit verify: intact chains pass; an edited, deleted or reordered event is named; the table is append-only."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from surveyapp.audit.models import AuditEvent
from surveyapp.audit.service import event_hash, record
from tests.audit.tampering import tampering


@pytest.fixture
def chain(db):
    events = [record(f"test.step{n}", target=f"questionnaire:{n}", detail={"n": n}, actor="cli") for n in range(1, 5)]
    db.session.commit()
    return [(event.id, event.seq) for event in events]


def _verify(runner):
    return runner.invoke(args=["audit", "verify"])


def test_empty_and_intact_chains_pass(runner, db):
    result = _verify(runner)
    assert result.exit_code == 0 and "0 events, chain intact" in result.output
    record("test.one", actor="cli")
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 0 and "1 events, chain intact" in result.output


def test_intact_chain_of_four(runner, chain):
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "4 events, chain intact" in result.output


@pytest.mark.parametrize(("column", "value"), [("action", "test.harmless"), ("actor", "someone@else.org"),
                                               ("target", "questionnaire:99"), ("detail", "{}"),
                                               ("ip", "10.0.0.1"), ("outcome", "refused")])
def test_an_edited_field_is_named(runner, db, chain, column, value):
    with tampering(db) as conn:
        conn.execute(text(f"UPDATE audit_events SET {column} = :value WHERE id = :id"),  # noqa: S608 (test's own column names)
                     {"value": value, "id": chain[1][0]})
    result = _verify(runner)
    assert result.exit_code == 1
    assert "seq 2" in result.output and "edited" in result.output


def test_an_edited_event_with_a_recomputed_hash_breaks_the_next_link(runner, db, chain):
    event = db.session.get(AuditEvent, chain[1][0])
    event.action = "test.harmless"
    forged = event_hash(event)
    db.session.rollback()
    with tampering(db) as conn:
        conn.execute(text("UPDATE audit_events SET action = 'test.harmless', hash = :hash WHERE id = :id"),
                     {"hash": forged, "id": chain[1][0]})
    result = _verify(runner)
    assert result.exit_code == 1 and "seq 3" in result.output and "prev_hash" in result.output


def test_a_deleted_event_is_named(runner, db, chain):
    with tampering(db) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL surveyapp.audit_allow_delete = 'on'"))
        conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": chain[2][0]})
    result = _verify(runner)
    assert result.exit_code == 1 and "seq 4" in result.output and "missing" in result.output


def test_reordered_events_are_named(runner, db, chain):
    (id2, _), (id3, _) = chain[1], chain[2]
    with tampering(db) as conn:
        conn.execute(text("UPDATE audit_events SET seq = -1 WHERE id = :id"), {"id": id2})
        conn.execute(text("UPDATE audit_events SET seq = 2 WHERE id = :id"), {"id": id3})
        conn.execute(text("UPDATE audit_events SET seq = 3 WHERE id = :id"), {"id": id2})
    result = _verify(runner)
    assert result.exit_code == 1 and "seq 2" in result.output


def test_the_app_cannot_update_an_event(db, chain):
    event = db.session.get(AuditEvent, chain[0][0])
    event.action = "test.rewritten"
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_the_app_cannot_delete_an_event_on_postgresql(db, chain):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no session settings to tell cleanup from tampering: verify detects deletions")
    db.session.delete(db.session.get(AuditEvent, chain[0][0]))
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()
