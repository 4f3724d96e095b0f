"""Self-enrolment through the session's link: explicit consent, then an invitation is scheduled."""

from sqlalchemy import select

from surveyapp.participants.models import Consent, Contact
from surveyapp.participants.views import enrol_url
from surveyapp.waves.models import Invitation
from tests import panel_factories as panel
from tests.conftest import hidden_fields


def test_enrol_needs_consent_then_schedules_invitations(db, make, client):
    programme = make.programme()
    session = panel.session(db, programme)
    panel.wave(db, programme, make.questionnaire(programme))
    url = f"/e/{session.enrol_code}?lang=en"
    page = client.get(url)
    assert page.status_code == 200 and "Fahrschule Graz" in page.get_data(as_text=True)
    fields = hidden_fields(page.get_data(as_text=True))
    refused = client.post(url, data={**fields, "email": "me@example.org", "lang": "en"})
    assert refused.status_code == 422 and db.session.scalar(select(Contact)) is None
    done = client.post(url, data={**fields, "email": "me@example.org", "lang": "en", "consent": "y"})
    assert done.status_code == 200 and "Thank you" in done.get_data(as_text=True)
    consent = db.session.scalar(select(Consent))
    assert consent.source == "self" and consent.text_version and "withdraw" in consent.statement
    assert db.session.scalar(select(Invitation)) is not None
    assert client.get("/e/unknown-code").status_code == 404


def test_the_enrolment_link_follows_the_address_staff_use_unless_one_is_set(app, db, make, monkeypatch):
    session = panel.session(db, make.programme())
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    with app.test_request_context(base_url="https://panel.example.org"):
        assert enrol_url(session) == f"https://panel.example.org/e/{session.enrol_code}"
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://survey.example.org/")
    with app.test_request_context(base_url="https://panel.example.org"):
        assert enrol_url(session) == f"https://survey.example.org/e/{session.enrol_code}"
