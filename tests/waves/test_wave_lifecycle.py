"""Deleting a wave that sent nothing, cancelling one that did (no further mail, history kept), the wave form's
reminder checks, and the links to the programme report."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.audit.models import AuditEvent
from surveyapp.datasets.frames import programme_scope, response_frame
from surveyapp.db import utcnow
from surveyapp.responses.models import Response
from surveyapp.waves import service
from surveyapp.waves.dispatch import claim, deliver, dispatch_due, worker_name
from surveyapp.waves.mail import Mailer
from surveyapp.waves.models import Invitation, SendAttempt, Wave, WaveText
from surveyapp.waves.service import WaveConflict
from tests import panel_factories as panel
from tests.conftest import csrf_token
from tests.waves.test_invitations import TWO_PAGES, link_of, setup_wave, submit_all


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def _manager(make, auth, programme):
    manager = make.user(Role.MANAGER, programme)
    auth.login(manager.email)
    return manager


def test_a_wave_that_sent_nothing_is_deleted_with_its_invitations_after_confirmation(db, make, client, auth):
    programme, _, _, wave, *_ = setup_wave(db, make, held_on=date.today() + timedelta(days=30))
    service.set_wave_message(wave, "en", "See you")
    db.session.commit()
    wave_id = wave.id
    assert _count(db, Invitation, Invitation.wave_id == wave_id) == 2
    _manager(make, auth, programme)
    url = f"/manage/waves/{wave_id}/delete"
    page = client.get(url)
    assert page.status_code == 200 and "Delete wave “3 months”?" in page.get_data(as_text=True)
    assert client.post(url).status_code == 400  # no CSRF token: nothing deleted
    assert db.session.get(Wave, wave_id) is not None
    done = _post(client, url)
    assert done.status_code == 302 and done.location.endswith(f"/manage/programmes/{programme.id}/waves")
    db.session.expire_all()
    assert db.session.get(Wave, wave_id) is None
    assert _count(db, Invitation, Invitation.wave_id == wave_id) == 0
    assert _count(db, WaveText, WaveText.wave_id == wave_id) == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "wave.delete"))
    assert event.target == f"wave:{wave_id}"
    assert "was deleted" in client.get(done.location).get_data(as_text=True)


def test_a_wave_that_sent_mail_cannot_be_deleted_and_nothing_goes(db, make, client, auth, smtp):
    programme, _, _, wave, *_ = setup_wave(db, make)
    assert dispatch_due().sent == 2
    _manager(make, auth, programme)
    url = f"/manage/waves/{wave.id}/delete"
    page = client.get(url).get_data(as_text=True)
    assert "cannot be deleted" in page and f"/manage/waves/{wave.id}/cancel" in page
    refused = _post(client, url)
    assert refused.status_code == 409
    assert "has sent e-mails and cannot be deleted. You can cancel it instead." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Wave, wave.id) is not None
    assert _count(db, Invitation, Invitation.wave_id == wave.id) == 2
    assert _count(db, SendAttempt) == 2


def test_evaluators_and_other_programmes_managers_can_neither_delete_nor_cancel(db, make, client, auth):
    programme, _, _, wave, *_ = setup_wave(db, make, held_on=date.today() + timedelta(days=30))
    auth.login(make.user(Role.EVALUATOR, programme).email)
    for action in ("delete", "cancel"):
        assert client.get(f"/manage/waves/{wave.id}/{action}").status_code == 403
    auth.logout()
    auth.login(make.user(Role.MANAGER).email)
    token = csrf_token(client, "/manage/panel")
    for action in ("delete", "cancel"):
        assert client.post(f"/manage/waves/{wave.id}/{action}", data={"csrf_token": token}).status_code == 403
    assert db.session.get(Wave, wave.id) is not None


def test_a_cancelled_wave_sends_nothing_more_and_keeps_its_history(app, db, make, client, auth, smtp):
    programme, questionnaire, session, wave, anna, ben = setup_wave(db, make, reminders=(7, 14))
    assert dispatch_due().sent == 2
    submit_all(client, link_of(smtp.to("ben@example.org")[0]))
    anna_link = link_of(smtp.to("anna@example.org")[0])
    _manager(make, auth, programme)
    url = f"/manage/waves/{wave.id}/cancel"
    assert "Cancel wave “3 months”?" in client.get(url).get_data(as_text=True)
    assert _post(client, url).status_code == 302
    assert db.session.scalar(select(AuditEvent.target).where(AuditEvent.action == "wave.cancel")) == f"wave:{wave.id}"
    db.session.expire_all()
    assert db.session.get(Wave, wave.id).cancelled_at is not None
    assert _count(db, Invitation, Invitation.wave_id == wave.id, Invitation.next_send_at.is_not(None)) == 0

    for days in (8, 15):  # both reminders would have been due
        assert dispatch_due(now=utcnow() + timedelta(days=days)).sent == 0
    assert len(smtp.messages) == 2
    assert client.get(anna_link).status_code == 410  # the personal link accepts no new answers

    panel.participant(db, session, "carla@example.org", "en")  # joins later: no invitation to a cancelled wave
    edited = db.session.get(Wave, wave.id)  # editing it is refused; nothing is planned for newcomers
    with pytest.raises(WaveConflict, match="can no longer be changed"):
        service.save_wave(programme.id, {**_values(edited), "window_days": 60}, edited)
    db.session.rollback()
    service.ensure_invitations(programme.id)
    db.session.commit()
    assert _count(db, Invitation, Invitation.wave_id == wave.id) == 2
    assert _count(db, Invitation, Invitation.wave_id == wave.id, Invitation.next_send_at.is_not(None)) == 0

    assert _count(db, SendAttempt) == 2 and _count(db, Response, Response.wave_id == wave.id) == 1
    frame = response_frame(programme_scope(programme))
    assert (frame["wave"] == "3 months").sum() == 1  # reports still count its responses
    plan = client.get(f"/manage/programmes/{programme.id}/waves").get_data(as_text=True)
    assert "cancelled on" in plan
    again = _post(client, url)
    assert again.status_code == 409 and "already cancelled" in again.get_data(as_text=True)


def _values(wave: Wave) -> dict:
    return {key: getattr(wave, key) for key in service.WAVE_FIELDS}


def test_a_send_in_flight_at_the_cancellation_schedules_no_reminder_that_goes_out(app, db, make, smtp):
    *_, wave, anna, ben = setup_wave(db, make, reminders=(7, 14))
    assert dispatch_due().sent == 2
    later = utcnow() + timedelta(days=8)
    claims = claim(10, later, 600, worker_name())  # a dispatcher took the first reminders ...
    service.cancel_wave(db.session.get(Wave, wave.id))
    db.session.commit()
    with Mailer(app.config) as mailer:  # ... and sends them after the cancellation
        deliver(claims, later, mailer, later + timedelta(seconds=600), _round())
    assert len(smtp.messages) == 4
    assert _count(db, Invitation, Invitation.next_send_at.is_not(None)) == 2  # its record set the second reminder
    assert dispatch_due(now=later + timedelta(days=7)).sent == 0 and len(smtp.messages) == 4


def _round():
    from surveyapp.waves.dispatch import Round
    from surveyapp.waves.letters import LetterWriter

    return Round(LetterWriter(), {})


def test_only_a_wave_that_sent_mail_can_be_cancelled(db, make):
    *_, wave, _, _ = setup_wave(db, make, held_on=date.today() + timedelta(days=30))
    with pytest.raises(WaveConflict, match="has sent nothing yet: delete it instead"):
        service.cancel_wave(wave)
    db.session.rollback()
    assert db.session.get(Wave, wave.id).cancelled_at is None


def test_a_wave_whose_first_mails_are_being_sent_is_not_deleted(db, make):
    *_, wave, _, _ = setup_wave(db, make)
    assert len(claim(10, utcnow(), 600, worker_name())) == 2  # a dispatcher holds them, nothing sent yet
    with pytest.raises(WaveConflict, match="being sent right now"):
        service.delete_wave(db.session.get(Wave, wave.id))
    db.session.rollback()
    assert _count(db, Invitation, Invitation.wave_id == wave.id) == 2


def _wave_form(client, url: str, **changes) -> dict:
    return {
        "csrf_token": csrf_token(client, url),
        "name": "3 months",
        "questionnaire_id": changes.pop("questionnaire_id"),
        "position": 1,
        "offset_months": 3,
        "offset_days": 0,
        "window_days": 21,
        "reminder_days": "7, 14",
        "max_reminders": 2,
        **changes,
    }


def test_reminders_beyond_the_window_or_out_of_order_are_refused_and_nothing_is_saved(db, make, client, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=TWO_PAGES)
    _manager(make, auth, programme)
    url = f"/manage/programmes/{programme.id}/waves"
    refusals = {
        "7, 21": "A reminder on day 21 would come after the answering window of 21 days has closed. "
        "Choose days below 21.",
        "7, 30": "A reminder on day 30 would come after the answering window of 21 days has closed.",
        "14, 7": "Please list the reminder days in increasing order (day 7 comes after day 14).",
        "7, 7": "Day 7 is listed twice.",
        "0, 7": "A reminder cannot be sent on day 0, with the invitation.",
    }
    for days, message in refusals.items():
        page = client.post(url, data=_wave_form(client, url, questionnaire_id=questionnaire.id, reminder_days=days))
        assert page.status_code == 422 and message in page.get_data(as_text=True), days
    assert _count(db, Wave) == 0
    done = client.post(url, data=_wave_form(client, url, questionnaire_id=questionnaire.id, reminder_days="7, 20"))
    assert done.status_code == 302 and db.session.scalar(select(Wave.reminder_days)) == [7, 20]
    wave_id = db.session.scalar(select(Wave.id))
    edit = f"/manage/waves/{wave_id}"
    page = client.post(edit, data=_wave_form(client, edit, questionnaire_id=questionnaire.id, window_days=14))
    assert page.status_code == 422
    assert "A reminder on day 14 would come after the answering window of 14 days has closed." in page.get_data(
        as_text=True)
    db.session.expire_all()
    assert db.session.get(Wave, wave_id).window_days == 21


def test_the_programme_report_is_linked_from_the_panel_the_plan_and_the_questionnaire_list(db, make, client, auth):
    programme = make.programme()
    make.questionnaire(programme, items=TWO_PAGES)
    _manager(make, auth, programme)
    report = f"/manage/programmes/{programme.id}/report"
    for page in ("/manage/panel", f"/manage/programmes/{programme.id}/waves", "/manage/"):
        html = client.get(page).get_data(as_text=True)
        assert f'href="{report}"' in html and "Programme report" in html, page
    assert client.get(report).status_code == 200


def test_a_duplicate_wave_name_is_a_422_on_the_form_and_nothing_is_written(db, make, client, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=TWO_PAGES)
    _manager(make, auth, programme)
    url = f"/manage/programmes/{programme.id}/waves"
    assert client.post(url, data=_wave_form(client, url, questionnaire_id=questionnaire.id)).status_code == 302
    second = _wave_form(client, url, questionnaire_id=questionnaire.id, name="post-session", offset_months=0)
    assert client.post(url, data=second).status_code == 302
    for name in ("3 months", "3 months ", " 3 MONTHS", "3\u00a0months", "3  months", "3 \uff4donths"):
        page = client.post(url, data=_wave_form(client, url, questionnaire_id=questionnaire.id, name=name))
        assert page.status_code == 422, name
        assert "A wave with this name exists in this programme." in page.get_data(as_text=True)
    assert _count(db, Wave) == 2
    wave_id = db.session.scalar(select(Wave.id).where(Wave.name == "3 months"))
    edit = f"/manage/waves/{wave_id}"
    page = client.post(edit, data=_wave_form(client, edit, questionnaire_id=questionnaire.id, name="Post-session"))
    assert page.status_code == 422 and "A wave with this name exists" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Wave, wave_id).name == "3 months"
    same = client.post(edit, data=_wave_form(client, edit, questionnaire_id=questionnaire.id, name=" 3 months "))
    assert same.status_code == 302  # its own name again, trimmed
    db.session.expire_all()
    assert db.session.get(Wave, wave_id).name == "3 months"
    renamed = client.post(edit, data=_wave_form(client, edit, questionnaire_id=questionnaire.id,
                                                name=" 3\u00a0 months  later "))
    assert renamed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Wave, wave_id).name == "3 months later"  # stored normalised


def test_more_reminders_than_reminder_days_are_refused(db, make, client, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=TWO_PAGES)
    _manager(make, auth, programme)
    url = f"/manage/programmes/{programme.id}/waves"
    page = client.post(url, data=_wave_form(client, url, questionnaire_id=questionnaire.id, max_reminders=5))
    assert page.status_code == 422
    assert ("2 reminder days are listed, so at most 2 reminders can be sent: list more days or lower this number."
            in page.get_data(as_text=True))
    page = client.post(url, data=_wave_form(client, url, questionnaire_id=questionnaire.id, reminder_days="",
                                            max_reminders=1))
    assert page.status_code == 422 and "0 reminder days are listed" in page.get_data(as_text=True)
    assert _count(db, Wave) == 0
    done = client.post(url, data=_wave_form(client, url, questionnaire_id=questionnaire.id, max_reminders=1))
    assert done.status_code == 302 and _count(db, Wave) == 1


def test_a_cancelled_wave_can_no_longer_be_edited(db, make, client, auth):
    programme, questionnaire, _, wave, *_ = setup_wave(db, make)
    assert dispatch_due().sent == 2
    service.cancel_wave(wave)
    db.session.commit()
    _manager(make, auth, programme)
    edit = f"/manage/waves/{wave.id}"
    page = client.get(edit).get_data(as_text=True)
    assert "A cancelled wave can no longer be changed" in page and 'name="offset_months"' not in page
    before = (wave.offset_months, wave.window_days)
    refused = client.post(edit, data=_wave_form(client, edit, questionnaire_id=questionnaire.id, offset_months=6))
    assert refused.status_code == 409
    assert "was cancelled and can no longer be changed." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(Wave, wave.id).offset_months, db.session.get(Wave, wave.id).window_days) == before
    with pytest.raises(WaveConflict):
        service.save_wave(programme.id, {"name": "x", "questionnaire_id": questionnaire.id}, wave)


def test_a_cancelled_waves_e_mail_texts_can_no_longer_be_changed(db, make, client, auth):
    programme, _, _, wave, *_ = setup_wave(db, make)
    assert dispatch_due().sent == 2
    service.cancel_wave(wave)
    db.session.commit()
    _manager(make, auth, programme)
    texts = f"/manage/waves/{wave.id}/texts"
    token = csrf_token(client, texts)
    refused = client.post(f"{texts}/de", data={"de-csrf_token": token, "de-message": "Edited after cancel"})
    assert refused.status_code == 409
    assert "was cancelled and can no longer be changed." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert "Edited after cancel" not in [row.text for row in db.session.get(Wave, wave.id).texts]
