"""Per participant and wave: status, the "not yet answered" filter, re-send now, fix an address, consent column."""

import json
import re
from datetime import date, timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import select, update

from surveyapp.accounts.models import Role
from surveyapp.audit.models import AuditEvent
from surveyapp.db import utcnow
from surveyapp.gdpr.service import erase
from surveyapp.participants import service as participants
from surveyapp.participants.models import Contact, Participant
from surveyapp.waves import people
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import Invitation
from surveyapp.waves.service import ensure_invitations, mark
from tests import panel_factories as panel
from tests.conftest import csrf_token
from tests.waves.test_invitations import setup_wave

STATES = ("invited", "opened", "started", "submitted", "bounced", "unsubscribed", "erased")


def _invitation(db, participant, wave) -> Invitation:
    return db.session.scalar(
        select(Invitation).where(Invitation.participant_id == participant.id, Invitation.wave_id == wave.id)
    )


def _bounce(db, invitation, error="SMTPRecipientsRefused: 550"):
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(bounced_at=utcnow(), next_send_at=None, last_error=error)
    )
    db.session.commit()


def panel_in_every_state(db, make):
    """A first wave with one participant per state, a second wave (in three months) only scheduled."""
    programme, questionnaire, session, wave, anna, ben = setup_wave(db, make)
    later = panel.wave(db, programme, questionnaire, "follow-up", offset_months=3, position=1)
    people_by_state = {"invited": anna, "opened": ben}
    for state in STATES[2:]:
        people_by_state[state] = panel.participant(db, session, f"{state}@example.org", "en")
    ensure_invitations(programme.id)
    db.session.commit()
    dispatch_due()
    mark(_invitation(db, ben, wave), "opened")
    for state in ("started", "submitted"):
        invitation = _invitation(db, people_by_state[state], wave)
        mark(invitation, "opened")
        mark(invitation, "started")
        if state == "submitted":
            mark(invitation, "submitted")
    db.session.commit()
    _bounce(db, _invitation(db, people_by_state["bounced"], wave))
    participants.stop_contact(people_by_state["unsubscribed"].id)
    erase(people_by_state["erased"], with_answers=True)
    db.session.commit()
    return programme, wave, later, people_by_state


def test_status_per_wave_for_each_state(db, make, smtp):
    programme, wave, later, by_state = panel_in_every_state(db, make)
    rows = {row.participant.id: row.cells for row in people.listing(programme.id, people.Filters()).rows}
    for state, participant in by_state.items():
        assert rows[participant.id][wave.id].status == state, state
    assert rows[by_state["invited"].id][wave.id].sends == 1
    assert rows[by_state["bounced"].id][wave.id].error == "SMTPRecipientsRefused: 550"
    assert rows[by_state["invited"].id][later.id].status == "scheduled"
    assert rows[by_state["unsubscribed"].id][later.id].status == "unsubscribed"


def test_not_yet_answered_filter_and_status_filter(db, make, client, auth, smtp):
    programme, wave, later, by_state = panel_in_every_state(db, make)
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/programmes/{programme.id}/participants"
    page = client.get(url, query_string={"wave": wave.id, "not_answered": "open"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for state, participant in by_state.items():
        shown = participant.panel_code in html
        assert shown == (state in ("invited", "opened", "started", "bounced")), state
    assert "SMTPRecipientsRefused: 550" in html
    bounced = client.get(url, query_string={"wave": wave.id, "status": "bounced"}).get_data(as_text=True)
    assert by_state["bounced"].panel_code in bounced and by_state["invited"].panel_code not in bounced
    scheduled = client.get(url, query_string={"wave": later.id, "status": "scheduled"}).get_data(as_text=True)
    assert by_state["invited"].panel_code in scheduled and by_state["erased"].panel_code not in scheduled
    no_wave = client.get(url, query_string={"not_answered": "open"})
    assert no_wave.status_code == 422 and "Please choose the wave" in no_wave.get_data(as_text=True)
    assert client.get(url, query_string={"status": "nonsense", "wave": wave.id}).status_code == 422


def test_listing_is_paginated_and_filtered_by_session(db, make, client, auth):
    programme, _q, session, _wave, anna, _ben = setup_wave(db, make)
    other = panel.session(db, programme, date.today(), "Elsewhere")
    stranger = panel.participant(db, other, "stranger@example.org", "en")
    panel.many_participants(db, session, 60)  # ids after the stranger's (explicit ids: the sequence stays behind)
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/programmes/{programme.id}/participants"
    first = client.get(url).get_data(as_text=True)
    assert "Page 1 of 2" in first and "63 participants" in first
    second = client.get(url, query_string={"page": 2}).get_data(as_text=True)
    assert stranger.panel_code in second and anna.panel_code not in second
    only = client.get(url, query_string={"session": other.id}).get_data(as_text=True)
    assert stranger.panel_code in only and anna.panel_code not in only and "1 participant" in only


def test_evaluators_see_no_address_and_cannot_resend_other_managers_nothing(db, make, client, auth, smtp):
    programme, _q, _s, wave, anna, _ben = setup_wave(db, make)
    dispatch_due()
    invitation = _invitation(db, anna, wave)
    pages = (f"/manage/programmes/{programme.id}/participants", f"/manage/participants/{anna.id}/history")
    auth.login(make.user(Role.EVALUATOR, programme).email)
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200 and anna.panel_code in page.get_data(as_text=True)
        assert "anna@example.org" not in page.get_data(as_text=True) and "Re-send now" not in page.get_data(
            as_text=True
        )
    token = csrf_token(client, pages[0])
    assert client.post(f"/manage/invitations/{invitation.id}/resend", data={"csrf_token": token}).status_code == 403
    address = {"csrf_token": token, "email": "new@example.org"}
    assert client.post(f"/manage/participants/{anna.id}/address", data=address).status_code == 403
    auth.logout()
    auth.login(make.user(Role.MANAGER).email)  # a manager of another programme
    for url in pages:
        assert client.get(url).status_code == 403
    token = csrf_token(client, "/manage/panel")
    assert client.post(f"/manage/invitations/{invitation.id}/resend", data={"csrf_token": token}).status_code == 403
    assert client.get("/manage/participants/999999/history").status_code == 404
    assert db.session.get(Invitation, invitation.id).next_send_at is not None  # the reminder, unchanged
    assert dispatch_due().sent == 0


def _manager(db, make, client, auth, programme, participant) -> str:
    auth.login(make.user(Role.MANAGER, programme).email)
    page = client.get(f"/manage/participants/{participant.id}/history")
    assert page.status_code == 200 and "anna@example.org" in page.get_data(as_text=True)
    return csrf_token(client, f"/manage/participants/{participant.id}/history")


def test_resend_delivers_exactly_one_message_once(db, make, client, auth, smtp):
    programme, _q, _s, wave, anna, _ben = setup_wave(db, make)
    dispatch_due()
    invitation = _invitation(db, anna, wave)
    token = _manager(db, make, client, auth, programme, anna)
    smtp.messages.clear()
    for _ in range(2):  # two clicks before the dispatcher runs: still one message
        answer = client.post(f"/manage/invitations/{invitation.id}/resend", data={"csrf_token": token})
        assert answer.status_code == 302
    assert dispatch_due().sent == 1
    assert len(smtp.messages) == 1 and smtp.to("anna@example.org")
    assert dispatch_due().sent == 0 and len(smtp.messages) == 1
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).sends == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "invitation.resend"))
    assert event.target == f"invitation:{invitation.id}"
    assert client.post(f"/manage/invitations/{invitation.id}/resend").status_code == 400  # no CSRF token


def test_resend_after_the_last_reminder_is_one_more_message(db, make, smtp):
    *_, wave, anna, _ben = setup_wave(db, make, reminders=())
    dispatch_due()
    invitation = _invitation(db, anna, wave)
    assert invitation.next_send_at is None
    people.resend(invitation)
    db.session.commit()
    assert dispatch_due().sent == 1 and dispatch_due().sent == 0
    assert len(smtp.to("anna@example.org")) == 2


def test_fix_address_resends_to_the_new_address_and_keeps_it_out_of_the_audit(db, make, client, auth, smtp):
    programme, _q, _s, wave, anna, _ben = setup_wave(db, make)
    dispatch_due()
    invitation = _invitation(db, anna, wave)
    _bounce(db, invitation)
    token = _manager(db, make, client, auth, programme, anna)
    history = client.get(f"/manage/participants/{anna.id}/history").get_data(as_text=True)
    assert "SMTPRecipientsRefused: 550" in history and "Re-send now" in history and "invitation" in history
    answer = client.post(
        f"/manage/participants/{anna.id}/address", data={"csrf_token": token, "email": "anna.new@example.org"}
    )
    assert answer.status_code == 302
    assert dispatch_due().sent == 1 and len(smtp.to("anna.new@example.org")) == 1
    assert dispatch_due().sent == 0
    db.session.expire_all()
    assert db.session.get(Contact, anna.id).email == "anna.new@example.org"
    fixed = db.session.get(Invitation, invitation.id)
    assert fixed.bounced_at is None and fixed.last_error is None and fixed.sends == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.fix_address"))
    assert event.target == f"participant:{anna.id}" and "anna.new" not in event.detail
    assert f"contacts:{anna.id}" in json.loads(event.detail)["changed"]


def test_bad_or_taken_address_is_refused_and_nothing_changes(db, make, client, auth, smtp):
    programme, _q, _s, wave, anna, _ben = setup_wave(db, make)
    dispatch_due()
    _bounce(db, _invitation(db, anna, wave))
    token = _manager(db, make, client, auth, programme, anna)
    url = f"/manage/participants/{anna.id}/address"
    bad = client.post(url, data={"csrf_token": token, "email": "not an address"})
    assert bad.status_code == 422 and "Invalid email address" in bad.get_data(as_text=True)
    taken = client.post(url, data={"csrf_token": token, "email": "BEN@example.org"})
    assert taken.status_code == 422 and "already in the programme" in taken.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, anna.id).email == "anna@example.org"
    invitation = _invitation(db, anna, wave)
    assert invitation.bounced_at is not None and invitation.next_send_at is None
    assert dispatch_due().sent == 0


def test_resend_refused_after_the_window_or_once_unsubscribed(db, make, client, auth, smtp):
    programme, _q, _s, wave, anna, ben = setup_wave(db, make, held_on=date.today() - timedelta(days=40))
    invitation = _invitation(db, anna, wave)
    token = _manager(db, make, client, auth, programme, anna)
    closed = client.post(f"/manage/invitations/{invitation.id}/resend", data={"csrf_token": token})
    assert closed.status_code == 409 and "window of this wave has closed" in closed.get_data(as_text=True)
    db.session.expire_all()
    assert _invitation(db, anna, wave).next_send_at is None or dispatch_due().sent == 0
    assert not smtp.messages
    programme, _q, _s, wave, anna, ben = setup_wave(db, make)
    participants.stop_contact(ben.id)
    db.session.commit()
    refused = client.post(f"/manage/invitations/{_invitation(db, ben, wave).id}/resend", data={"csrf_token": token})
    assert refused.status_code == 403  # not a manager of this second programme
    auth.logout()
    token = _manager(db, make, client, auth, programme, anna)
    refused = client.post(f"/manage/invitations/{_invitation(db, ben, wave).id}/resend", data={"csrf_token": token})
    assert refused.status_code == 409 and "unsubscribed or withdrawn consent" in refused.get_data(as_text=True)
    assert _invitation(db, ben, wave).next_send_at is None


def test_a_reminder_overdue_at_the_resend_is_not_sent_in_the_same_run(db, make, smtp):
    *_, wave, anna, _ben = setup_wave(db, make, reminders=(7, 14))
    _bounce(db, _invitation(db, anna, wave))  # the invitation itself never reached her
    anna = db.session.get(Participant, anna.id)
    later = utcnow() + timedelta(days=10)  # the first reminder's day has passed
    assert people.fix_address(anna, "anna.new@example.org", now=later) == 1
    db.session.commit()
    dispatch_due(now=later)  # Ben's invitation is due too
    assert len(smtp.to("anna.new@example.org")) == 1 and dispatch_due(now=later).sent == 0
    assert len(smtp.to("ben@example.org")) == 1  # his reminder waits a day after his late invitation, too
    assert dispatch_due(now=later + timedelta(days=1, minutes=1)).sent == 2
    assert len(smtp.to("anna.new@example.org")) == 2


def test_consent_column_shows_date_and_text_version(db, make, client, auth, app):
    programme, _q, session, _wave, anna, _ben = setup_wave(db, make)
    auth.login(make.user(Role.MANAGER, programme).email)
    with app.test_request_context():
        given = format_date(anna.consents[0].given_at, "long")
    for url in (f"/manage/sessions/{session.id}", f"/manage/programmes/{programme.id}/participants"):
        html = client.get(url).get_data(as_text=True)
        assert f"given on {given} · text version “2026-01”" in html, url


def test_close_to_sized_panel_lists_the_follow_up_non_respondents(db, make, client, auth, close_to_panel):
    panel_ = close_to_panel
    follow_up = people.listing(
        panel_.programme.id, people.Filters(wave_id=panel_.follow_wave.id, not_answered=True)
    )
    assert follow_up.total == 1448 - 330 and follow_up.pages == 23 and len(follow_up.rows) == 50
    assert all(row.cells[panel_.follow_wave.id].status == "invited" for row in follow_up.rows)
    assert all(row.cells[panel_.post_wave.id].status == "submitted" for row in follow_up.rows)
    post = people.Filters(wave_id=panel_.post_wave.id, not_answered=True)
    assert people.listing(panel_.programme.id, post).total == 0
    auth.login(make.user(Role.EVALUATOR, panel_.programme).email)
    page = client.get(
        f"/manage/programmes/{panel_.programme.id}/participants",
        query_string={"wave": panel_.follow_wave.id, "not_answered": "closed", "page": 23},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Page 23 of 23" in html and "1118 participants" in html
    still_open = people.Filters(wave_id=panel_.follow_wave.id, not_answered="open")
    assert people.listing(panel_.programme.id, still_open).total == 0  # every window of that wave has closed
    assert not re.search(r"\bp\d+@example\.org", html)  # no participant's address (the header names the user)


def test_resend_is_refused_while_a_dispatcher_holds_the_invitation(db, make, smtp):
    from surveyapp.waves.dispatch import claim

    *_, wave, anna, _ben = setup_wave(db, make)
    now = utcnow()
    assert len(claim(10, now, 600, "elsewhere")) == 2  # both invitations claimed, their mail not yet recorded
    invitation = _invitation(db, anna, wave)
    before = (invitation.next_send_at, invitation.attempts)
    with pytest.raises(people.ResendRefused, match="being sent right now"):
        people.resend(invitation, now=now)
    db.session.rollback()
    assert (_invitation(db, anna, wave).next_send_at, _invitation(db, anna, wave).attempts) == before


def test_answer_filters_split_those_who_can_still_answer_from_those_whose_window_closed(db, make, client, auth, smtp):
    programme, wave, _later, by_state = panel_in_every_state(db, make)
    closed = [by_state["invited"], by_state["started"]]
    db.session.execute(update(Invitation).where(
        Invitation.wave_id == wave.id, Invitation.participant_id.in_([p.id for p in closed])).values(
        closes_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/programmes/{programme.id}/participants"
    for choice, expected in (("open", ("opened", "bounced")), ("closed", ("invited", "started"))):
        page = client.get(url, query_string={"wave": wave.id, "not_answered": choice})
        html = page.get_data(as_text=True)
        assert page.status_code == 200, choice
        assert {state for state, p in by_state.items() if p.panel_code in html} == set(expected), choice
    form = client.get(url).get_data(as_text=True)
    assert "Not yet answered (can still answer)" in form and "Did not answer (window closed)" in form


def test_bad_page_and_filter_values_say_why_and_a_page_past_the_end_shows_the_last(db, make, client, auth):
    programme, _q, session, wave, _anna, _ben = setup_wave(db, make)
    panel.many_participants(db, session, 60)
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/programmes/{programme.id}/participants"
    last = client.get(url, query_string={"page": 99999999})
    assert last.status_code == 200 and "Page 2 of 2" in last.get_data(as_text=True)
    for value in ("abc", "-1", "0"):
        page = client.get(url, query_string={"page": value})
        assert page.status_code == 422, value
        assert "The page number must be a whole number from 1 on." in page.get_data(as_text=True), value
    for name, message in (("wave", "Please choose a wave from the list."),
                          ("session", "Please choose a session from the list.")):
        page = client.get(url, query_string={name: "abc"})
        html = page.get_data(as_text=True)
        assert page.status_code == 422 and message in html and "could not coerce" not in html, name


def test_resend_is_offered_only_where_it_would_be_accepted(db, make, client, auth, smtp):
    programme, _q, _s, wave, anna, _ben = setup_wave(db, make, held_on=date.today() + timedelta(days=30))
    auth.login(make.user(Role.MANAGER, programme).email)
    detail = f"/manage/participants/{anna.id}/history"
    assert "Re-send now" not in client.get(detail).get_data(as_text=True)  # scheduled, not due yet
    db.session.execute(update(Invitation).where(Invitation.id == _invitation(db, anna, wave).id).values(
        due_at=utcnow() - timedelta(days=1), next_send_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    assert "Re-send now" in client.get(detail).get_data(as_text=True)  # due: the re-send would be accepted
