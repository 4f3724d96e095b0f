"""Staff list and delete responses: managers of the programme and admins, confirmation, CSRF, audit record."""

import csv
import io
import json
from datetime import date

from sqlalchemy import func, select, update

from surveyapp.accounts.models import Role
from surveyapp.respond import admin
from surveyapp.responses.models import Answer, Response
from tests import panel_factories as panel
from tests.conftest import csrf_token
from tests.reports.seed import seed_responses

ITEMS = [("note", "text", False, 1, {}, []), ("age", "number", False, 1, {}, [])]


def count(db, model, **where) -> int:
    statement = select(func.count()).select_from(model)
    for column, value in where.items():
        statement = statement.where(getattr(model, column) == value)
    return db.session.scalar(statement)


def delete_url(questionnaire_id: int, response_id: int) -> str:
    return f"/manage/questionnaires/{questionnaire_id}/responses/{response_id}/delete"


def test_manager_lists_responses_paged_with_panel_code_and_link_from_questionnaire(db, make, client, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    ids = seed_responses(questionnaire, [{"note": f"n{n}"} for n in range(admin.PAGE_SIZE + 3)], lang="en")
    session = panel.session(db, programme, date(2026, 1, 10))
    participant = panel.participant(db, session, "p@example.org")
    db.session.execute(update(Response).where(Response.id == ids[-1]).values(participant_id=participant.id,
                                                                             submitted_at=None))
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme=programme).email)
    edit = client.get(f"/manage/questionnaires/{questionnaire.id}").text
    assert f"/manage/questionnaires/{questionnaire.id}/responses" in edit
    first = client.get(f"/manage/questionnaires/{questionnaire.id}/responses")
    assert first.status_code == 200
    html = first.text
    assert f"{admin.PAGE_SIZE + 3} responses" in html and participant.panel_code in html
    assert "in progress" in html and "English" in html and "2025-03-10 12:00 UTC" in html
    assert delete_url(questionnaire.id, ids[-1]) in html and delete_url(questionnaire.id, ids[0]) not in html
    second = client.get(f"/manage/questionnaires/{questionnaire.id}/responses?page=2").text
    assert delete_url(questionnaire.id, ids[0]) in second and "Page 2 of 2" in second
    assert "n0" not in html + second  # answer values are never shown in the list
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/responses?page=99").status_code == 200


def test_manager_deletes_response_with_answers_audited_and_outputs_follow(db, make, client, auth):
    questionnaire = make.questionnaire(items=ITEMS)
    ids = seed_responses(questionnaire, [{"note": f"secret {n}", "age": 30 + n} for n in range(6)])
    other = make.questionnaire(questionnaire.programme, items=ITEMS)
    seed_responses(other, [{"note": "other"}])
    manager = make.user(Role.MANAGER, programme=questionnaire.programme)
    auth.login(manager.email)
    confirm = client.get(delete_url(questionnaire.id, ids[2]))
    assert confirm.status_code == 200 and count(db, Response, id=ids[2]) == 1
    token = csrf_token(client, delete_url(questionnaire.id, ids[2]))
    done = client.post(delete_url(questionnaire.id, ids[2]), data={"csrf_token": token})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/questionnaires/{questionnaire.id}/responses")
    assert count(db, Response, id=ids[2]) == 0 and count(db, Answer, response_id=ids[2]) == 0
    assert count(db, Response) == 6 and count(db, Answer) == 11  # 5 x 2 left here, 1 in the other survey
    from surveyapp.audit.models import AuditEvent

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "response.delete"))
    assert event.target == f"response:{ids[2]}" and event.actor_id == manager.id
    detail = json.loads(event.detail)
    assert detail["answers"] == 2 and detail["submitted"] is True and "secret" not in event.detail
    body = client.get(f"/manage/questionnaires/{questionnaire.id}/export.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [int(r["response_id"]) for r in rows] == [i for i in ids if i != ids[2]]
    report = client.get(f"/manage/questionnaires/{questionnaire.id}/report?ui=en").text
    assert "Valid answers: 5, missing: 0" in report
    again = client.post(delete_url(questionnaire.id, ids[2]), data={"csrf_token": token})
    assert again.status_code == 404


def test_admin_may_delete(db, make, client, auth):
    questionnaire = make.questionnaire(items=ITEMS)
    [response_id] = seed_responses(questionnaire, [{"note": "x"}])
    auth.login(make.user(Role.ADMIN).email)
    token = csrf_token(client, f"/manage/questionnaires/{questionnaire.id}/responses")
    assert client.post(delete_url(questionnaire.id, response_id), data={"csrf_token": token}).status_code == 302
    assert count(db, Response) == 0 and count(db, Answer) == 0


def test_delete_service_refuses_response_of_another_questionnaire(db, make):
    import pytest

    from surveyapp.errors import NotFound

    first, second = make.questionnaire(items=ITEMS), make.questionnaire(items=ITEMS)
    [response_id] = seed_responses(second, [{"note": "x"}])
    with pytest.raises(NotFound):
        admin.delete_response(first, response_id)
    db.session.rollback()
    assert count(db, Response) == 1 and count(db, Answer) == 1


def test_confirmation_shows_that_responses_answers_escaped_in_its_language_and_is_audited(db, make, client, auth):
    from surveyapp.audit.models import AuditEvent

    items = [("note", "text", False, 1, {}, []), ("colour", "single", False, 1, {}, ["red", "green"]),
             ("tools", "multiple", False, 1, {}, ["bike", "car"]), ("ok", "yesno", False, 1, {}, [])]
    questionnaire = make.questionnaire(items=items)
    [mine, other] = seed_responses(questionnaire, [
        {"note": "<b>mine</b>", "colour": "green", "tools": ["bike", "car"], "ok": "yes"},
        {"note": "not this one", "colour": "red"},
    ], lang="en")
    auth.login(make.user(Role.MANAGER, programme=questionnaire.programme).email)
    listing = client.get(f"/manage/questionnaires/{questionnaire.id}/responses").text
    assert "mine" not in listing and "not this one" not in listing  # the list still shows no values
    page = client.get(delete_url(questionnaire.id, mine))
    html = page.text
    assert page.status_code == 200
    assert "&lt;b&gt;mine&lt;/b&gt;" in html and "<b>mine</b>" not in html and "not this one" not in html
    assert "note (en)" in html and "<code>colour</code>" in html and "green-en" in html and "red-en" not in html
    assert "<td>bike-en; car-en</td>" in html and "<td>Yes</td>" in html
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "response.read_answers"))
    assert event.target == f"questionnaire:{questionnaire.id}" and json.loads(event.detail)["response_id"] == str(mine)
    assert "mine" not in event.detail and count(db, Response) == 2


def test_confirmation_of_a_german_response_shows_german_labels(db, make, client, auth):
    questionnaire = make.questionnaire(items=[("ok", "yesno", False, 1, {}, []),
                                              ("colour", "single", False, 1, {}, ["red"])])
    [response_id] = seed_responses(questionnaire, [{"ok": "no", "colour": "red"}], lang="de")
    auth.login(make.user(Role.MANAGER, programme=questionnaire.programme).email)
    html = client.get(delete_url(questionnaire.id, response_id) + "?ui=en").text
    assert "ok (de)" in html and "<td>red-de</td>" in html and "<td>Nein</td>" in html


def test_deleting_a_panel_response_reopens_its_invitation(db, make, client, auth):
    """Panel status and response rates must not count a response that is gone."""
    from surveyapp.waves.models import Invitation

    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    session = panel.session(db, programme, date(2026, 1, 10))
    participant = panel.participant(db, session, "p@example.org")
    panel.wave(db, programme, questionnaire)
    invitation = db.session.scalar(select(Invitation).where(Invitation.participant_id == participant.id))
    [response_id] = seed_responses(questionnaire, [{"note": "x"}], lang="de")
    db.session.execute(update(Response).where(Response.id == response_id).values(
        participant_id=participant.id, invitation_id=invitation.id))
    db.session.execute(update(Invitation).where(Invitation.id == invitation.id).values(
        started_at=func.now(), submitted_at=func.now()))
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme=programme).email)
    url = delete_url(questionnaire.id, response_id)
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    db.session.expire_all()
    reopened = db.session.get(Invitation, invitation.id)
    assert (reopened.started_at, reopened.submitted_at) == (None, None)
    assert count(db, Response, id=response_id) == 0
