"""Contact details added or edited by staff: one participant per e-mail address and programme (as the roster
import), and no contact data again after consent was withdrawn."""

import pytest
from sqlalchemy import func, select

from surveyapp.participants.models import Contact, Participant
from surveyapp.participants.service import stop_contact
from surveyapp.waves.models import Invitation
from tests import panel_factories as panel
from tests.conftest import csrf_token, hidden_fields
from tests.gdpr.panel import ANNA, BEN, build


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _add(client, session_id: int, email: str):
    token = csrf_token(client, f"/manage/sessions/{session_id}")
    return client.post(f"/manage/sessions/{session_id}/participants",
                       data={"csrf_token": token, "email": email, "lang": "en", "consent": "y"})


def test_manual_add_refuses_an_address_already_in_the_programme_in_any_case(db, make, client, auth):
    p = build(db, make)
    auth.login(p.manager.email)
    assert _add(client, p.session.id, "dup.test@example.org").status_code == 302
    participants, invitations = _count(db, Participant), _count(db, Invitation)
    for again in ("dup.test@example.org", "DUP.TEST@example.org", " Dup.Test@Example.org "):
        refused = _add(client, p.session.id, again)
        assert refused.status_code == 422
        assert "already in the programme" in refused.get_data(as_text=True)
    assert (_count(db, Participant), _count(db, Invitation)) == (participants, invitations)


def test_manual_add_accepts_the_same_address_in_another_programme(db, make, client, auth):
    p = build(db, make)
    other = make.programme()
    other_session = panel.session(db, other)
    panel.participant(db, other_session, "shared@example.org")
    auth.login(p.manager.email)
    assert _add(client, p.session.id, "Shared@example.org").status_code == 302
    emails = db.session.scalars(select(func.lower(Contact.email)).where(Contact.email.is_not(None))).all()
    assert emails.count("shared@example.org") == 2


def _edit(client, participant_id: int, email: str, name: str = "Anna Neu"):
    url = f"/manage/participants/{participant_id}"
    fields = hidden_fields(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": fields["csrf_token"], "name": name, "email": email, "lang": "en"})


@pytest.mark.parametrize("email", [BEN, BEN.upper()])
def test_contact_edit_refuses_another_participants_address(db, make, client, auth, email):
    p = build(db, make)
    auth.login(p.manager.email)
    refused = _edit(client, p.anna.id, email)
    assert refused.status_code == 422 and "already in the programme" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, p.anna.id).email == ANNA and db.session.get(Contact, p.anna.id).name == ""


def test_contact_edit_keeps_own_address_in_another_case(db, make, client, auth):
    p = build(db, make)
    auth.login(p.manager.email)
    assert _edit(client, p.anna.id, ANNA.upper()).status_code == 302
    db.session.expire_all()
    assert db.session.get(Contact, p.anna.id).name == "Anna Neu"


def test_contact_edit_after_withdrawal_is_refused_without_new_consent(db, make, client, auth):
    p = build(db, make)
    stop_contact(p.anna.id)
    db.session.commit()
    auth.login(p.manager.email)
    refused = _edit(client, p.anna.id, "anna.new@example.org")
    assert refused.status_code == 409
    assert "withdrawn consent" in refused.get_data(as_text=True)
    db.session.expire_all()
    contact = db.session.get(Contact, p.anna.id)
    assert (contact.name, contact.email, contact.phone) == ("", None, None)
    assert len(db.session.get(Participant, p.anna.id).consents) == 1


def test_second_self_enrolment_with_the_same_address_adds_nobody_and_reveals_nothing(db, make, client):
    p = build(db, make)
    url = f"/e/{p.session.enrol_code}?lang=en"
    fields = hidden_fields(client.get(url).get_data(as_text=True))
    participants = _count(db, Participant)
    new = client.post(url, data={**fields, "email": "new@example.org", "lang": "en", "consent": "y"})
    known = client.post(url, data={**fields, "email": ANNA.upper(), "lang": "en", "consent": "y"})
    assert new.status_code == known.status_code == 200
    assert new.get_data(as_text=True) == known.get_data(as_text=True)
    assert _count(db, Participant) == participants + 1
