"""Invitations through a real SMTP server and the personal link: language, link, piping, reminders, tokens."""

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from surveyapp.db import utcnow
from surveyapp.participants.models import Participant
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import set_text
from surveyapp.responses.models import Response
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import Invitation, SendAttempt, WaveText
from surveyapp.waves.scheduling import aware
from tests import panel_factories as panel
from tests.conftest import csrf_token, hidden_fields

TWO_PAGES = [("agree", "likert", True, 1, {"points": 5}, []), ("age", "number", False, 2, {}, [])]


def setup_wave(db, make, *, held_on=None, window_days=30, reminders=(7, 14)):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=TWO_PAGES)
    builder.set_questionnaire_texts(questionnaire, "en", {"intro": "In your session at {place} on {date}"})
    db.session.commit()
    session = panel.session(db, programme, held_on or date.today() - timedelta(days=1), "Fahrschule Graz")
    anna = panel.participant(db, session, "anna@example.org", "de")
    ben = panel.participant(db, session, "ben@example.org", "en")
    wave = panel.wave(db, programme, questionnaire, window_days=window_days, reminder_days=reminders)
    return programme, questionnaire, session, wave, anna, ben


def link_of(message) -> str:
    return re.search(
        r"http://localhost(/i/[A-Za-z0-9_-]+)\s", message.get_body(("plain",)).get_content()
    ).group(1)


def test_invitations_arrive_in_language_with_link_and_piped_session(db, make, client, smtp):
    *_, session, wave, anna, ben = setup_wave(db, make)
    set_text(wave, WaveText, "message", "en", "See you again in {place}!")
    db.session.commit()
    report = dispatch_due()
    assert report.sent == 2 and len(smtp.messages) == 2
    german, english = smtp.to("anna@example.org")[0], smtp.to("ben@example.org")[0]
    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    held = session.held_on
    assert f"{held.day}. " in german.get_body(("plain",)).get_content()
    assert "See you again in Fahrschule Graz!" in english.get_body(("plain",)).get_content()
    assert "See you again" not in german.get_body(("plain",)).get_content()
    assert f"{held.strftime('%B')} {held.day}, {held.year}" in english.get_body(("plain",)).get_content()
    assert "Title en" in english["Subject"] and "Title de" in german["Subject"]
    assert "/unsubscribe" in english["List-Unsubscribe"]
    page = client.get(link_of(english))
    html = page.get_data(as_text=True).replace("<bdi>", "").replace("</bdi>", "")  # piped values are isolated
    assert (
        page.status_code == 200
        and f"In your session at Fahrschule Graz on {held.strftime('%B')} {held.day}" in html
    )
    assert dispatch_due().sent == 0  # nothing twice


def test_reminders_only_to_non_submitters_and_plan_edits_never_resend(db, make, client, smtp):
    programme, questionnaire, _, wave, anna, ben = setup_wave(db, make)
    dispatch_due()
    submit_all(client, link_of(smtp.to("ben@example.org")[0]))
    values = {
        "name": wave.name,
        "position": 0,
        "questionnaire_id": questionnaire.id,
        "offset_days": 0,
        "offset_months": 0,
        "window_days": 40,
        "reminder_days": [7, 21],
        "max_reminders": 2,
    }
    from surveyapp.waves.service import save_wave

    save_wave(programme.id, values, wave)
    db.session.commit()
    assert dispatch_due().sent == 0
    later = utcnow() + timedelta(days=8)
    assert dispatch_due(now=later).sent == 1
    reminder = smtp.to("anna@example.org")[-1]
    assert len(smtp.to("anna@example.org")) == 2 and len(smtp.to("ben@example.org")) == 1
    assert link_of(reminder) == link_of(smtp.to("anna@example.org")[0])
    assert dispatch_due(now=later).sent == 0


def submit_all(client, link):
    first = client.get(link)
    done = client.post(
        link, data={**hidden_fields(first.get_data(as_text=True)), "q_agree": "4", "nav": "next"}
    )
    assert done.status_code == 302
    second = client.get(done.location)
    done = client.post(
        link, data={**hidden_fields(second.get_data(as_text=True)), "q_age": "30", "nav": "submit"}
    )
    assert done.status_code == 302


def test_resume_on_another_device_and_used_link_accepts_nothing(db, make, app, client, smtp):
    *_, anna, ben = setup_wave(db, make)
    dispatch_due()
    link = link_of(smtp.to("ben@example.org")[0])
    first = client.get(link)
    client.post(link, data={**hidden_fields(first.get_data(as_text=True)), "q_agree": "5", "nav": "next"})
    phone = app.test_client()
    resumed = phone.get(link).get_data(as_text=True)
    assert 'name="q_age"' in resumed  # continues on page 2
    back = phone.get(link + "?page=1").get_data(as_text=True)
    assert re.search(r'value="5" checked', back)
    phone.post(link, data={**hidden_fields(resumed), "q_age": "31", "nav": "submit"})
    response = db.session.scalar(select(Response))
    participant = db.session.get(Participant, ben.id)
    assert response.submitted_at and response.participant_id == participant.id and response.wave_id
    again = client.get(link)
    assert "Already answered" in again.get_data(as_text=True)
    replay = phone.post(link, data={**hidden_fields(resumed), "q_age": "99", "nav": "submit"})
    assert replay.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_wrong_and_expired_tokens_store_nothing(db, make, client, smtp):
    setup_wave(db, make, held_on=date.today() - timedelta(days=60), window_days=10)
    assert client.get("/i/" + "x" * 32).status_code == 404
    assert client.get("/i/short").status_code == 404
    invitation = db.session.scalar(select(Invitation))
    assert invitation.next_send_at is not None
    assert dispatch_due().sent == 0  # window closed before it could go out
    from surveyapp.waves.tokens import make_token

    token = make_token(client.application.config["SECRET_KEY"], invitation.token_salt)
    page = client.get(f"/i/{token}")
    assert page.status_code == 410 and "geschlossen" in page.get_data(as_text=True)  # the survey's language (de)
    assert client.post(f"/i/{token}", data={"q_agree": "3"}).status_code in (400, 410)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_unsubscribe_is_honoured_at_once(db, make, client, smtp):
    *_, anna, ben = setup_wave(db, make)
    dispatch_due()
    link = link_of(smtp.to("anna@example.org")[0])
    token = csrf_token(client, link + "/unsubscribe")
    done = client.post(link + "/unsubscribe", data={"csrf_token": token})
    assert done.status_code == 200
    assert db.session.get(Participant, anna.id).unsubscribed_at is not None
    assert dispatch_due(now=utcnow() + timedelta(days=8)).sent == 1  # only Ben's reminder
    assert len(smtp.to("anna@example.org")) == 1
    assert client.post(link + "/unsubscribe", data={}).status_code == 400  # CSRF checked


def test_smtp_failure_is_retried_with_backoff_and_recorded(db, make, app, smtp):
    setup_wave(db, make)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    report = dispatch_due()
    # the server unreachable: the first failure ends the batch, the second letter is released still due
    assert report.sent == 0 and report.failed == 1 and report.released == 1 and report.errors
    invitations = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert aware(invitations[0].next_send_at) > utcnow() + timedelta(seconds=30)
    assert aware(invitations[1].next_send_at) <= utcnow() and invitations[1].attempts == 0
    app.config["MAIL_PORT"] = port
    report = dispatch_due(now=utcnow() + timedelta(minutes=2))
    assert report.sent == 2 and report.retried == 1 and len(smtp.messages) == 2
    attempts = db.session.scalars(select(SendAttempt).order_by(SendAttempt.id)).all()
    assert [(a.attempt, a.sent_at is not None) for a in attempts] == [(1, False)] * 2 + [(2, True), (1, True)]


def test_token_rate_limit(db, make, app, client):
    app.config["TOKEN_RATE_LIMIT"] = "3 per minute"
    statuses = [client.get("/i/" + "y" * 32).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
