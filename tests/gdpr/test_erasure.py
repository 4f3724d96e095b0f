"""Erasure of a participant from the participant's page and from the CLI: what goes, what stays, what is audited."""

import json

from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.participants.models import Contact, Participant
from surveyapp.responses.models import Answer, Response
from surveyapp.waves import dashboard
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import Invitation, SendAttempt
from tests.conftest import csrf_token
from tests.gdpr.panel import ANNA, BEN, answer, build, token_of


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _erase(client, participant, **data):
    url = f"/manage/participants/{participant.id}/erase"
    page = client.get(url)
    assert page.status_code == 200 and participant.panel_code in page.get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def _figures(programme_id):
    per_wave, _ = dashboard.figures(programme_id)
    return [(f.planned, f.invited, f.opened, f.started, f.submitted) for _, f, _ in per_wave]


def test_erase_from_the_participant_page_keeps_a_tombstone_and_the_answers(app, db, make, client, auth, smtp):
    p = build(db, make)
    dispatch_due()
    anna_token, ben_token = token_of(app, db, p.anna), token_of(app, db, p.ben)
    answer(client, anna_token, "green", "Anna's remark")
    answer(client, ben_token, "red")
    figures = _figures(p.programme.id)
    auth.login(p.manager.email)
    done = _erase(client, p.anna)
    assert done.status_code == 302 and done.location.endswith(f"/manage/sessions/{p.session.id}")
    anna = db.session.get(Participant, p.anna.id)
    assert anna.erased_at and anna.unsubscribed_at and anna.panel_code == p.anna.panel_code
    assert all(consent.withdrawn_at for consent in anna.consents)
    assert db.session.get(Contact, anna.id) is None
    assert _count(db, SendAttempt, SendAttempt.invitation_id.in_(
        select(Invitation.id).where(Invitation.participant_id == anna.id))) == 0
    assert client.get(f"/i/{anna_token}").status_code == 404
    response = db.session.scalar(select(Response).where(Response.participant_id == anna.id))
    assert response.submitted_at and not response.key.startswith("i")  # kept, pseudonymous, no key from the link
    assert _count(db, Answer, Answer.response_id == response.id) == 2
    assert _figures(p.programme.id) == figures  # the dashboard still adds up
    assert db.session.get(Contact, p.ben.id).email == BEN and client.get(f"/i/{ben_token}").status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erase"))
    assert event.target == f"participant:{anna.id}" and event.actor == p.manager.email
    assert json.loads(event.detail)["with_answers"] is False and ANNA not in event.detail
    session_page = client.get(f"/manage/sessions/{p.session.id}").get_data(as_text=True)
    assert "erased on" in session_page and ANNA not in session_page and BEN in session_page


def test_erase_with_answers_deletes_their_responses_only(app, db, make, client, auth):
    p = build(db, make)
    answer(client, token_of(app, db, p.anna))
    answer(client, token_of(app, db, p.ben))
    auth.login(p.manager.email)
    assert _erase(client, p.anna, with_answers="y").status_code == 302
    assert _count(db, Response, Response.participant_id == p.anna.id) == 0
    assert _count(db, Response) == 1 and _count(db, Answer) == 1  # Ben's
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erase"))
    assert json.loads(event.detail) == {"with_answers": True, "responses_deleted": 1}


def test_an_erased_participant_cannot_get_contact_details_back(app, db, make, client, auth):
    p = build(db, make)
    auth.login(p.manager.email)
    _erase(client, p.anna)
    url = f"/manage/participants/{p.anna.id}"
    page = client.get(url)
    assert page.status_code == 200 and "erased on" in page.get_data(as_text=True)
    again = client.post(url, data={"csrf_token": csrf_token(client, url), "email": ANNA, "lang": "de"})
    assert again.status_code == 409 and db.session.get(Contact, p.anna.id) is None
    from surveyapp.waves.service import ensure_invitations

    assert ensure_invitations(p.programme.id) == 0


def test_cli_erase_with_answers_and_unknown_code(app, db, make, client, runner):
    p = build(db, make)
    answer(client, token_of(app, db, p.anna))
    result = runner.invoke(args=["gdpr", "erase", p.anna.panel_code, "--with-answers"])
    assert result.exit_code == 0, result.output
    assert "1 response deleted." in result.output and ANNA not in result.output
    assert db.session.get(Participant, p.anna.id).erased_at and _count(db, Response) == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erase"))
    assert event.actor == "cli"
    again = runner.invoke(args=["gdpr", "erase", p.anna.panel_code])  # idempotent
    assert again.exit_code == 0 and "0 responses deleted" in again.output
    unknown = runner.invoke(args=["gdpr", "erase", "NOPE-0000"])
    assert unknown.exit_code != 0 and "No participant has this panel code" in unknown.output

