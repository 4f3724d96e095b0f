"""record(): events join the caller's transaction and extend one hash chain."""
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.audit.service import GENESIS, event_hash, record


def test_record_chains_events_and_commits_with_the_caller(db):
    first = record("users.create", target="user:1", detail={"role": "admin"}, actor="cli")
    second = record("users.set_password", target="user:1", actor="cli")
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == [1, 2]
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert all(event_hash(e) == e.hash for e in events)  # the hash survives the database round trip
    assert first.actor == "cli" and first.actor_id is None and first.detail == '{"role":"admin"}'


def test_rollback_of_the_caller_drops_the_event(db):
    record("questionnaire.edit", target="questionnaire:1", actor="cli")
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.id)) is None


def test_user_commands_are_recorded_as_cli(runner, db):
    from surveyapp.accounts.service import find_user

    result = runner.invoke(args=["users", "create", "boss@example.org", "--role", "admin",
                                 "--password", "a long enough passphrase 42"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["users", "deactivate", "boss@example.org"]).exit_code == 0
    user_id = find_user("boss@example.org").id
    db.session.expire_all()
    recorded = [(e.action, e.target, e.actor) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert recorded == [("user.create", f"user:{user_id}", "cli"), ("user.deactivate", f"user:{user_id}", "cli")]
    assert "passphrase" not in "".join(e.detail for e in db.session.scalars(select(AuditEvent)))
