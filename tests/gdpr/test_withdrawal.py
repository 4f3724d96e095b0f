"""Consent shown with its dates and version; withdrawal removes contact details and stops every e-mail at once."""

from datetime import timedelta

from flask_babel import format_date
from sqlalchemy import select, update

from surveyapp.db import utcnow
from surveyapp.participants.models import Contact, Participant
from surveyapp.participants.service import CONSENT_VERSION, stop_contact
from surveyapp.responses.models import Response
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import Invitation
from tests.conftest import csrf_token
from tests.gdpr.panel import ANNA, BEN, answer, build, token_of


def test_consent_is_shown_with_dates_and_labelled_version(app, db, make, client, auth):
    p = build(db, make)
    auth.login(p.manager.email)
    given = format_date(db.session.get(Participant, p.anna.id).consents[0].given_at)
    session_page = client.get(f"/manage/sessions/{p.session.id}").get_data(as_text=True)
    long_date = format_date(db.session.get(Participant, p.anna.id).consents[0].given_at, "long")
    assert f"given on {long_date} · text version “{CONSENT_VERSION}”" in session_page
    page = client.get(f"/manage/participants/{p.anna.id}").get_data(as_text=True)
    assert f"version {CONSENT_VERSION}" in page and given in page and "added by staff" in page


def test_withdrawal_removes_contact_details_and_cancels_pending_mail_keeping_answers(app, db, make, client, auth):
    p = build(db, make)
    answer(client, token_of(app, db, p.anna))
    db.session.execute(update(Contact).where(Contact.participant_id == p.anna.id).values(name="Anna", phone="+43 1"))
    db.session.commit()
    auth.login(p.manager.email)
    session_url = f"/manage/sessions/{p.session.id}"
    token = csrf_token(client, session_url)
    done = client.post(f"/manage/participants/{p.anna.id}/withdraw", data={"csrf_token": token})
    assert done.status_code == 302
    contact = db.session.get(Contact, p.anna.id)
    assert (contact.name, contact.email, contact.phone) == ("", None, None)
    anna = db.session.get(Participant, p.anna.id)
    assert anna.unsubscribed_at and anna.consents[0].withdrawn_at and anna.erased_at is None
    invitations = db.session.scalars(select(Invitation).where(Invitation.participant_id == anna.id)).all()
    assert invitations and all(i.next_send_at is None for i in invitations)
    assert db.session.scalar(select(Response).where(Response.participant_id == anna.id)).submitted_at
    page = client.get(session_url).get_data(as_text=True)
    assert f"withdrawn on {format_date(anna.unsubscribed_at, 'long')}" in page and ANNA not in page


def test_unsubscribe_link_removes_contact_details_too(app, db, make, client):
    p = build(db, make)
    link = f"/i/{token_of(app, db, p.anna)}/unsubscribe"
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 200
    assert db.session.get(Contact, p.anna.id).email is None
    assert db.session.get(Contact, p.ben.id).email == BEN


def test_dispatch_skips_withdrawn_and_erased_even_if_an_invitation_row_was_missed(app, db, make, smtp):
    p = build(db, make)
    stop_contact(p.anna.id)
    db.session.commit()
    # a row the withdrawal did not reach (e.g. written by a concurrent plan edit): due again, contact restored
    db.session.execute(update(Invitation).where(Invitation.participant_id == p.anna.id).values(next_send_at=utcnow()))
    db.session.execute(update(Contact).where(Contact.participant_id == p.anna.id).values(email=ANNA))
    db.session.commit()
    report = dispatch_due(now=utcnow() + timedelta(minutes=1))
    assert report.sent == 1 and smtp.to(BEN) and not smtp.to(ANNA)
    db.session.execute(update(Participant).where(Participant.id == p.anna.id).values(unsubscribed_at=None,
                                                                                    erased_at=utcnow()))
    db.session.commit()
    assert dispatch_due(now=utcnow() + timedelta(minutes=2)).sent == 0 and not smtp.to(ANNA)
