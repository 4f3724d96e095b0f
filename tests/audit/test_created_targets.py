"""A create endpoint's audit event names the row it created (known only after the flush), not an empty target."""
from io import BytesIO

from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.audit.registry import CHANGES, CREATES, created_target
from surveyapp.participants.models import Participant, TrainingSession
from surveyapp.questionnaires.models import Item
from tests import panel_factories as panel
from tests.audit.helpers import detail, events
from tests.questionnaires.builder import Builder, id_from


def test_every_create_action_names_its_row():
    creates = {action for action in CHANGES.values() if action.endswith(".create")}
    assert creates <= set(CREATES), creates - set(CREATES)


def test_created_target_picks_the_row_of_the_action_table():
    rows = ["questionnaire_texts:4", "questionnaires:12", "items:3"]
    assert created_target("questionnaire.create", rows) == "questionnaire:12"
    assert created_target("item.create", rows) == "item:3"
    assert created_target("wave.create", rows) is None
    assert created_target("item.edit", rows) is None


def test_questionnaire_item_session_and_participant_creation_name_the_created_row(client, make, auth, db):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)
    qid = id_from(b.create(programme.id).location, "questionnaires")
    assert b.add_item(qid, "q1", "text", "Why?").status_code == 302
    item_id = db.session.scalar(select(Item.id).where(Item.questionnaire_id == qid, Item.code == "q1"))
    assert b.post(f"/manage/programmes/{programme.id}/sessions",
                  {"held_on": "2026-01-10", "place": "Graz"}).status_code == 302
    session_id = db.session.scalar(select(TrainingSession.id))
    assert b.post(f"/manage/sessions/{session_id}/participants",
                  {"email": "new@example.org", "lang": "en", "consent": "y"}).status_code == 302
    participant_id = db.session.scalar(select(Participant.id))
    [questionnaire] = events(db, "questionnaire.create")
    [item] = events(db, "item.create")
    [session] = events(db, "session.create")
    [participant] = events(db, "participant.create")
    assert questionnaire.target == f"questionnaire:{qid}" and "in" not in detail(questionnaire)
    assert (item.target, detail(item)["in"]) == (f"item:{item_id}", f"questionnaire:{qid}")
    assert (session.target, detail(session)["in"]) == (f"session:{session_id}", f"programme:{programme.id}")
    assert (participant.target, detail(participant)["in"]) == (f"participant:{participant_id}",
                                                               f"session:{session_id}")
    assert "new@example.org" not in participant.detail


def test_a_roster_import_keeps_the_session_as_target(client, make, auth, db):
    programme = make.programme()
    session = panel.session(db, programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)
    csv = b"email,language\na@example.org,de\nb@example.org,en\n"
    done = b.post(f"/manage/sessions/{session.id}/import", {"consent": "y", "roster": (BytesIO(csv), "r.csv")},
                  content_type="multipart/form-data")
    assert done.status_code == 302
    [event] = events(db, "participant.import")
    assert event.target == f"session:{session.id}" and len(detail(event)["created"]) >= 2
