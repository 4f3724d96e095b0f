"""Hostile: no contact data and no answer reaches a log line, even when the database refuses the row.

A forced failure (a CHECK constraint on PostgreSQL, whose error quotes the failing row; a trigger on SQLite)
makes the insert of a contact or an answer fail; the logs captured at INFO, SQLAlchemy's statement log
included, must not contain the e-mail address or the answer text."""
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from surveyapp.accounts.models import Role
from tests import panel_factories as panel
from tests.conftest import hidden_fields

EMAIL = "anna.secret-leak@example.org"
ANSWER = "my secret-leak story about the trainer"
MARKER = "secret-leak"


@contextmanager
def failing_writes(db, table: str, column: str):
    """Every insert or update of `table` whose `column` contains MARKER fails inside the database."""
    db.session.commit()  # no open transaction may hold a lock on the table
    if db.engine.dialect.name == "postgresql":
        create = [f"ALTER TABLE {table} ADD CONSTRAINT forced_failure CHECK ({column} NOT LIKE '%{MARKER}%')"]
        drop = [f"ALTER TABLE {table} DROP CONSTRAINT forced_failure"]
    else:
        create = [f"CREATE TRIGGER forced_failure_{event} BEFORE {event} ON {table} "  # noqa: S608 (constants)
                  f"WHEN NEW.{column} LIKE '%{MARKER}%' BEGIN SELECT RAISE(ABORT, 'forced failure'); END"
                  for event in ("INSERT", "UPDATE")]
        drop = ["DROP TRIGGER forced_failure_INSERT", "DROP TRIGGER forced_failure_UPDATE"]
    with db.engine.begin() as conn:
        for statement in create:
            conn.execute(text(statement))
    try:
        yield
    finally:
        db.session.rollback()
        with db.engine.begin() as conn:
            for statement in drop:
                conn.execute(text(statement))


def test_failing_contact_insert_logs_no_contact_data(client, make, db, row_counts, logs):
    programme = make.programme()
    session = panel.session(db, programme)
    url = f"/e/{session.enrol_code}?lang=en"
    fields = hidden_fields(client.get(url).get_data(as_text=True))
    before = row_counts()
    with failing_writes(db, "contacts", "email"):
        result = client.post(url, data={**fields, "email": EMAIL, "lang": "en", "consent": "y"})
    assert result.status_code == 500
    assert EMAIL not in result.get_data(as_text=True)
    assert row_counts() == before  # participant, consent and contact rolled back together
    assert "IntegrityError" in logs.text  # the failure was logged, by its class
    logs.assert_clean(EMAIL, "anna.secret")  # the marker alone is in the DDL above, not a secret


def test_failing_answer_insert_logs_no_answer(client, make, db, row_counts, logs):
    questionnaire = make.questionnaire(items=[("story", "longtext", False, 1, {}, [])])
    page = client.get(f"/s/{questionnaire.slug}?lang=en")
    fields = hidden_fields(page.get_data(as_text=True))
    before = row_counts()
    with failing_writes(db, "answers", "value"):
        result = client.post(f"/s/{questionnaire.slug}", data={**fields, "q_story": ANSWER, "nav": "submit"})
    assert result.status_code == 500
    assert row_counts() == before
    assert "IntegrityError" in logs.text
    logs.assert_clean(ANSWER, "about the trainer")


def test_failing_contact_update_by_a_manager_logs_no_contact_data(client, make, auth, db, row_counts, logs):
    programme = make.programme()
    user = make.user(Role.MANAGER, programme=programme)
    participant = panel.participant(db, panel.session(db, programme), email="first@example.org")
    auth.login(user.email)
    url = f"/manage/participants/{participant.id}"
    fields = hidden_fields(client.get(url).get_data(as_text=True))
    before = row_counts()
    with failing_writes(db, "contacts", "email"):
        result = client.post(url, data={**fields, "email": EMAIL, "name": "Anna Hidden", "lang": "de"})
    assert result.status_code == 500
    assert row_counts() == before
    db.session.expire_all()
    assert participant.contact.email == "first@example.org"
    assert "IntegrityError" in logs.text
    logs.assert_clean(EMAIL, "Anna Hidden")


@pytest.mark.parametrize("secret", [EMAIL, ANSWER])
def test_statement_log_hides_parameters(db, logs, secret):
    """SQLAlchemy's own statement log (on at INFO here) shows no bound values."""
    assert db.engine.hide_parameters
    db.session.execute(text("SELECT :value AS echoed"), {"value": secret})
    db.session.rollback()
    assert "SQL parameters hidden" in logs.text
    logs.assert_clean(secret)
