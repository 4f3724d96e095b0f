"""Hostile cases of database integrity and migrations: values outside the known statuses, roles, consent sources
and item types, written through the ORM, raw SQL, HTTP and the CLI; hostile stored values carried through a
table rebuild; a downgrade/upgrade with data; bad rows met by the 0004 upgrade.

Each case: refused (IntegrityError, a 4xx or a non-zero exit), row counts unchanged, nothing in the logs.
"""
from datetime import date

import pytest
from alembic.util import CommandError
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from surveyapp.accounts.models import Membership, Role, User
from surveyapp.extensions import db as database
from surveyapp.participants.models import Consent
from surveyapp.participants.service import add_participant, create_session
from surveyapp.questionnaires.models import Item, Questionnaire, Status
from tests import test_migrations
from tests.factories import Factories
from tests.questionnaires.builder import Builder
from tests.test_migrations import current_revision, migrate, snapshot

fresh_url, fresh_app = test_migrations.fresh_url, test_migrations.fresh_app  # an empty database per test

BAD_ROLES = ["root", "superuser", "Admin", " manager", "", "admin'--"]
BAD_STATUSES = ["hacked", "OPEN", "open ", "published", "<script>x</script>"]  # within VARCHAR(20)


@pytest.fixture
def world(db, make):
    """A programme with a manager, an open questionnaire and a participant with consent."""
    programme = make.programme()
    manager = make.user(Role.MANAGER, programme)
    questionnaire = make.questionnaire(programme)
    session = create_session(programme.id, date(2026, 1, 15), "Fahrschule", "Peer team")
    participant = add_participant(session, email="anna@example.org", lang="de", consent_source="manual")
    db.session.commit()
    return {"programme": programme, "manager": manager, "questionnaire": questionnaire, "participant": participant}


def _refused(db, statement, params) -> None:
    with pytest.raises(IntegrityError):
        db.session.execute(text(statement), params)
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("role", BAD_ROLES)
def test_raw_insert_of_an_unknown_role_is_refused(db, world, row_counts, logs, role):
    other = make_programme_id(db)
    before = row_counts()
    _refused(db, "INSERT INTO memberships (user_id, programme_id, role) VALUES (:user, :programme, :role)",
             {"user": world["manager"].id, "programme": other, "role": role})
    assert row_counts() == before
    logs.assert_clean("anna@example.org")


def make_programme_id(db) -> int:
    """A second programme the manager is not yet a member of (so only the role can be wrong)."""
    db.session.execute(text("INSERT INTO programmes (code, name) VALUES ('other', 'Other')"))
    db.session.commit()
    return db.session.scalar(text("SELECT id FROM programmes WHERE code = 'other'"))


def test_raw_update_to_role_root_is_refused(db, world, row_counts, logs):
    before = row_counts()
    _refused(db, "UPDATE memberships SET role = :role", {"role": "root"})
    assert row_counts() == before
    assert set(db.session.scalars(select(Membership.role))) == {Role.MANAGER}
    logs.assert_clean("anna@example.org")


def test_orm_role_root_is_refused(db, world, row_counts, logs):
    before = row_counts()
    membership = db.session.scalar(select(Membership))
    membership.role = "root"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert row_counts() == before
    assert db.session.scalar(select(Membership.role)) is Role.MANAGER
    logs.assert_clean("anna@example.org")


@pytest.mark.parametrize("status", BAD_STATUSES)
def test_raw_update_to_an_unknown_status_is_refused(db, world, row_counts, logs, status):
    before = row_counts()
    _refused(db, "UPDATE questionnaires SET status = :status WHERE id = :id",
             {"status": status, "id": world["questionnaire"].id})
    assert row_counts() == before
    assert db.session.get(Questionnaire, world["questionnaire"].id).status is Status.OPEN
    logs.assert_clean("anna@example.org")


def test_orm_status_hacked_is_refused(db, world, row_counts, logs):
    before = row_counts()
    world["questionnaire"].status = "hacked"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert row_counts() == before
    assert db.session.get(Questionnaire, world["questionnaire"].id).status is Status.OPEN
    logs.assert_clean("anna@example.org")


@pytest.mark.parametrize("source", ["evil", "SELF", "import", ""])
def test_raw_insert_of_an_unknown_consent_source_is_refused(db, world, row_counts, logs, source):
    before = row_counts()
    _refused(db, "INSERT INTO consents (participant_id, scope, text_version, source, statement, given_at) "
                 "VALUES (:participant, 'follow_up', 'v1', :source, '', CURRENT_TIMESTAMP)",
             {"participant": world["participant"].id, "source": source})
    assert row_counts() == before
    logs.assert_clean("anna@example.org")


def test_orm_consent_source_evil_is_refused(db, world, row_counts, logs):
    before = row_counts()
    db.session.add(Consent(participant_id=world["participant"].id, text_version="v1", source="evil"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert row_counts() == before
    logs.assert_clean("anna@example.org")


@pytest.mark.parametrize("item_type", ["<script>", "file", "LIKERT", "number;"])
def test_raw_update_to_an_unknown_item_type_is_refused(db, world, row_counts, logs, item_type):
    """An unknown type would make every page of the questionnaire fail to render."""
    before = row_counts()
    _refused(db, "UPDATE items SET type = :type WHERE questionnaire_id = :id",
             {"type": item_type, "id": world["questionnaire"].id})
    assert row_counts() == before
    assert "likert" in set(db.session.scalars(select(Item.type)))
    logs.assert_clean("anna@example.org")


def test_orm_item_type_is_refused(db, world, row_counts, logs):
    before = row_counts()
    world["questionnaire"].items[0].type = "evil"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert row_counts() == before
    logs.assert_clean("anna@example.org")


def test_http_status_action_hacked_is_refused(db, world, client, auth, row_counts, logs):
    auth.login(world["manager"].email)
    before = row_counts()
    builder = Builder(client)
    response = builder.post(f"/manage/questionnaires/{world['questionnaire'].id}/status", {"action": "hacked"})
    assert response.status_code == 400
    assert row_counts() == before
    assert db.session.get(Questionnaire, world["questionnaire"].id).status is Status.OPEN
    logs.assert_clean("anna@example.org")


def test_http_item_of_an_unknown_type_is_refused(db, world, make, client, auth, row_counts, logs):
    auth.login(world["manager"].email)
    draft = make.questionnaire(world["programme"], status=Status.DRAFT, items=[])
    before = row_counts()
    response = Builder(client).add_item(draft.id, "q1", "evil", "Label")
    assert 400 <= response.status_code < 500
    assert row_counts() == before
    logs.assert_clean("anna@example.org")


def test_cli_user_with_role_root_is_refused(db, world, runner, row_counts, logs):
    before = row_counts()
    result = runner.invoke(args=["users", "create", "eve@example.org", "--role", "root",
                                 "--password", "a long enough password"])
    assert result.exit_code != 0
    assert "root" in result.output
    assert row_counts() == before
    assert db.session.scalar(select(User).where(User.email == "eve@example.org")) is None
    logs.assert_clean("anna@example.org")


HOSTILE_TEXTS = [
    "x'); DROP TABLE answers;--",
    "=cmd|' /C calc'!A0",
    "\u202egnp.exe",
    "Fahrt 🚗 \u0627\u0644\u062c\u0644\u0633\u0629",
    "line\nbreak\ttab\r\n",
    "\x01\x1b[31m",
    "'" * 300,
    "y" * 20000,
]


def test_hostile_stored_values_survive_a_downgrade_and_upgrade(fresh_app, logs):
    """0004 and 0008 rebuild questionnaires and items on SQLite: every stored byte comes back unchanged."""
    migrate("upgrade", "head")
    db = database
    questionnaire = Factories(db).questionnaire(items=[(f"q{n}", "text", False, 1, {}, []) for n in range(3)])
    for n, value in enumerate(HOSTILE_TEXTS):
        db.session.execute(text("INSERT INTO questionnaire_texts (questionnaire_id, key, lang, text) "
                                "VALUES (:id, :key, 'de', :value)"),
                           {"id": questionnaire.id, "key": f"page.{n + 2}", "value": value})
    db.session.execute(text("UPDATE item_texts SET text = :value"), {"value": HOSTILE_TEXTS[0]})
    db.session.commit()
    db.session.remove()
    before = snapshot(db.engine)
    migrate("downgrade", "0003_structure_stamp")
    migrate("upgrade", "head")
    after = snapshot(db.engine)
    for name in ("questionnaire_texts", "item_texts", "items", "questionnaires"):
        common = [col for col in before[name]["columns"] if col != "structure_stamp"]
        project = [[row[before[name]["columns"].index(col)] for col in common] for row in before[name]["rows"]]
        again = [[row[after[name]["columns"].index(col)] for col in common] for row in after[name]["rows"]]
        assert sorted(project, key=repr) == sorted(again, key=repr), f"{name} changed"
    logs.assert_clean(HOSTILE_TEXTS[0], HOSTILE_TEXTS[1])


@pytest.mark.parametrize("bad", ["');DROP TABLE a;--", "draft\nopen"], ids=["sql", "newline"])
def test_upgrade_names_a_hostile_bad_value_and_changes_nothing(fresh_app, logs, bad):
    """A bad status met by 0004 is quoted in the message, never executed; the database stays at 0003."""
    db = database
    migrate("upgrade", "head")
    Factories(db).questionnaire(items=[("q", "text", False, 1, {}, [])])
    db.session.remove()
    migrate("downgrade", "0003_structure_stamp")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE questionnaires SET status = :bad"), {"bad": bad})
    before = snapshot(db.engine)
    with pytest.raises(CommandError) as refused:
        migrate("upgrade", "head")
    assert f"questionnaires.status holds {bad!r} (1 row)" in str(refused.value)
    assert current_revision() == "0003_structure_stamp"
    assert snapshot(db.engine) == before
    assert "answers" in inspect(db.engine).get_table_names()
