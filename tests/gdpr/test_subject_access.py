"""Subject-access export: contact, consents, invitations (never tokens) and answers in the participant's language."""

import json

from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.waves.models import Invitation
from tests.gdpr.panel import ANNA, answer, build, token_of


def test_manager_downloads_everything_held_about_one_participant(app, db, make, client, auth):
    p = build(db, make)
    token = token_of(app, db, p.anna)
    answer(client, token, "green", "Mein Kommentar")
    auth.login(p.manager.email)
    response = client.get(f"/manage/participants/{p.anna.id}/subject-access.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert f"subject-access-{p.anna.panel_code}.json" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    salt = db.session.scalar(select(Invitation.token_salt).where(Invitation.participant_id == p.anna.id))
    assert token not in body and salt not in body and "token" not in body
    data = json.loads(body)
    assert data["panel_code"] == p.anna.panel_code and data["contact"]["email"] == ANNA
    assert data["consents"][0]["text_version"] and "widerrufen" in data["consents"][0]["statement"]
    assert [i["status"] for i in data["invitations"]] == ["submitted"]
    [given] = data["responses"]
    assert given["language"] == "de" and given["questionnaire"] == "Title de"
    assert given["answers"] == [
        {"item": "colour", "question": "colour (de)", "values": ["green"], "texts": ["green-de"]},
        {"item": "remark", "question": "remark (de)", "values": ["Mein Kommentar"], "texts": ["Mein Kommentar"]},
    ]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.subject_access"))
    assert event.target == f"participant:{p.anna.id}" and ANNA not in event.detail


def test_cli_export_and_export_after_erasure(app, db, make, runner):
    p = build(db, make)
    result = runner.invoke(args=["gdpr", "export", p.ben.panel_code])
    assert result.exit_code == 0 and json.loads(result.output)["contact"]["language"] == "en"
    runner.invoke(args=["gdpr", "erase", p.ben.panel_code])
    after = json.loads(runner.invoke(args=["gdpr", "export", p.ben.panel_code]).output)
    assert after["contact"] is None and after["erased_at"] and after["invitations"][0]["status"] == "cancelled"
