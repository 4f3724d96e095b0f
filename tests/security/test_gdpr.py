"""Hostile cases of data protection: foreign programmes and evaluators on every GDPR action, forged requests,
links of erased participants, mail after withdrawal, hostile retention values.

Each case: a clear 4xx (or nothing sent), row counts unchanged (the audit trail may note a refused attempt,
never a performed one), no contact data in the logs.
"""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.audit.models import AuditEvent
from surveyapp.participants.models import Contact, Participant
from surveyapp.programmes.models import Programme
from surveyapp.waves.dispatch import dispatch_due
from tests.conftest import csrf_token
from tests.gdpr.panel import ANNA, BEN, answer, build, token_of

GDPR_ACTIONS = ("participant.erase", "participant.subject_access", "programme.retention", "gdpr.purge")


@pytest.fixture
def p(db, make):
    return build(db, make)


def _data(row_counts) -> dict:
    return row_counts(audit=False)


def _nothing_done(db, row_counts, before, logs) -> None:
    assert _data(row_counts) == before
    performed = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.in_(GDPR_ACTIONS), AuditEvent.outcome == "ok")).all()
    assert performed == []
    contact = db.session.get(Contact, db.session.scalar(select(Participant.id).order_by(Participant.id)))
    assert contact.email == ANNA
    logs.assert_clean(ANNA, BEN)


def _login_as(make, auth, p, who: str):
    if who == "foreign manager":
        user = make.user(Role.MANAGER, make.programme())
    else:
        user = make.user(Role.EVALUATOR, p.programme)
    auth.login(user.email)
    return user


WHO = ["foreign manager", "evaluator"]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("with_answers", ["", "y"])
def test_erase_refused_to_foreign_manager_and_evaluator(db, make, client, auth, p, row_counts, logs, who,
                                                        with_answers):
    _login_as(make, auth, p, who)
    before = _data(row_counts)
    url = f"/manage/participants/{p.anna.id}/erase"
    assert client.get(url).status_code == 403
    token = csrf_token(client, "/manage/panel")
    assert client.post(url, data={"csrf_token": token, "with_answers": with_answers}).status_code == 403
    _nothing_done(db, row_counts, before, logs)


@pytest.mark.parametrize("who", WHO)
def test_subject_access_of_a_foreign_participant_refused(db, make, client, auth, p, row_counts, logs, who):
    _login_as(make, auth, p, who)
    before = _data(row_counts)
    response = client.get(f"/manage/participants/{p.anna.id}/subject-access.json")
    assert response.status_code == 403 and ANNA not in response.get_data(as_text=True)
    _nothing_done(db, row_counts, before, logs)


@pytest.mark.parametrize("who", WHO)
def test_retention_rule_of_a_foreign_programme_refused(db, make, client, auth, p, row_counts, logs, who):
    _login_as(make, auth, p, who)
    before = _data(row_counts)
    url = f"/manage/programmes/{p.programme.id}/data-protection"
    assert client.get(url).status_code == 403
    token = csrf_token(client, "/manage/panel")
    assert client.post(url, data={"csrf_token": token, "contact_retention_months": "1"}).status_code == 403
    assert db.session.get(Programme, p.programme.id).contact_retention_months is None
    _nothing_done(db, row_counts, before, logs)


@pytest.mark.parametrize("who", WHO)
def test_withdrawal_of_a_foreign_participant_refused(db, make, client, auth, p, row_counts, logs, who):
    _login_as(make, auth, p, who)
    before = _data(row_counts)
    token = csrf_token(client, "/manage/panel")
    assert client.post(f"/manage/participants/{p.anna.id}/withdraw", data={"csrf_token": token}).status_code == 403
    _nothing_done(db, row_counts, before, logs)


def test_erase_without_csrf_token_refused(db, client, auth, p, row_counts, logs):
    auth.login(p.manager.email)
    before = _data(row_counts)
    assert client.post(f"/manage/participants/{p.anna.id}/erase", data={"with_answers": "y"}).status_code == 400
    _nothing_done(db, row_counts, before, logs)


@pytest.mark.parametrize("url", ["/manage/participants/999999/erase", "/manage/participants/999999/subject-access.json",
                                 "/manage/programmes/999999/data-protection"])
def test_unknown_ids_give_404(db, client, auth, p, row_counts, logs, url):
    auth.login(p.manager.email)
    before = _data(row_counts)
    assert client.get(url).status_code == 404
    _nothing_done(db, row_counts, before, logs)


@pytest.mark.parametrize(
    "value", ["0", "-1", "241", "1e9", "9" * 400, "9" * 5000, "six", "<script>alert(1)</script>", "1\x00"])
def test_hostile_retention_values_refused(db, client, auth, p, row_counts, logs, value):
    auth.login(p.manager.email)
    before = _data(row_counts)
    url = f"/manage/programmes/{p.programme.id}/data-protection"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "contact_retention_months": value})
    assert response.status_code in (400, 422)
    assert "<script>alert" not in response.get_data(as_text=True)
    assert db.session.get(Programme, p.programme.id).contact_retention_months is None
    _nothing_done(db, row_counts, before, logs)


def test_link_of_an_erased_participant_opens_nothing(app, db, client, runner, p, row_counts, logs):
    token = token_of(app, db, p.anna)
    answer(client, token)
    assert runner.invoke(args=["gdpr", "erase", p.anna.panel_code]).exit_code == 0
    before = row_counts()
    assert client.get(f"/i/{token}").status_code == 404
    assert client.post(f"/i/{token}", data={"q_colour": "green", "nav": "submit"}).status_code in (400, 404)
    assert client.get(f"/i/{token}/unsubscribe").status_code == 404
    assert row_counts() == before
    logs.assert_clean(ANNA, token)


def test_dispatch_after_withdrawal_sends_nothing(db, client, auth, p, smtp, row_counts, logs):
    auth.login(p.manager.email)
    session_url = f"/manage/sessions/{p.session.id}"
    for participant in (p.anna, p.ben):
        token = csrf_token(client, session_url)
        assert client.post(f"/manage/participants/{participant.id}/withdraw",
                           data={"csrf_token": token}).status_code == 302
    before = row_counts()
    report = dispatch_due()
    assert report.sent == 0 and smtp.messages == []
    assert row_counts() == before  # not even a send attempt
    logs.assert_clean(ANNA, BEN)


# Follow-ups of the outside check: one participant per address and programme; no contact data without consent.

def _add_participant(client, p, email: str):
    token = csrf_token(client, f"/manage/sessions/{p.session.id}")
    return client.post(f"/manage/sessions/{p.session.id}/participants",
                       data={"csrf_token": token, "email": email, "lang": "en", "consent": "y"})


@pytest.mark.parametrize("email", [ANNA, ANNA.upper(), f"  {ANNA.title()}  "], ids=["same", "upper", "mixed"])
def test_manual_add_of_an_address_already_in_the_programme_refused(db, client, auth, p, row_counts, logs, email):
    auth.login(p.manager.email)
    before = _data(row_counts)
    refused = _add_participant(client, p, email)
    assert refused.status_code == 422 and "already in the programme" in refused.get_data(as_text=True)
    assert _data(row_counts) == before
    logs.assert_clean(ANNA, BEN)


def _edit_contact(client, participant_id: int, email: str):
    url = f"/manage/participants/{participant_id}"
    token = csrf_token(client, url)
    return client.post(url, data={"csrf_token": token, "name": "Someone Else", "email": email, "lang": "en"})


def test_contact_edit_to_another_participants_address_refused(db, client, auth, p, row_counts, logs):
    auth.login(p.manager.email)
    before = _data(row_counts)
    refused = _edit_contact(client, p.ben.id, ANNA.upper())
    assert refused.status_code == 422 and "already in the programme" in refused.get_data(as_text=True)
    assert _data(row_counts) == before
    assert db.session.get(Contact, p.ben.id).email == BEN and db.session.get(Contact, p.ben.id).name == ""
    logs.assert_clean(ANNA, BEN)


def test_contact_data_after_withdrawal_refused_without_new_consent(db, client, auth, p, row_counts, logs):
    auth.login(p.manager.email)
    token = csrf_token(client, f"/manage/sessions/{p.session.id}")
    assert client.post(f"/manage/participants/{p.ben.id}/withdraw", data={"csrf_token": token}).status_code == 302
    before = _data(row_counts)
    refused = _edit_contact(client, p.ben.id, "ben.again@example.org")
    assert refused.status_code == 409 and "withdrawn consent" in refused.get_data(as_text=True)
    assert _data(row_counts) == before
    db.session.expire_all()
    contact = db.session.get(Contact, p.ben.id)
    assert (contact.name, contact.email, contact.phone) == ("", None, None)
    logs.assert_clean(ANNA, BEN, "ben.again@example.org")


def test_second_self_enrolment_adds_nobody_and_does_not_reveal_the_address(db, client, p, row_counts, logs):
    url = f"/e/{p.session.enrol_code}?lang=en"
    token = csrf_token(client, url)
    unknown = client.post(url, data={"csrf_token": token, "email": "first.time@example.org", "lang": "en",
                                     "consent": "y"})
    before = row_counts()
    known = client.post(url, data={"csrf_token": token, "email": ANNA.upper(), "lang": "en", "consent": "y"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert row_counts() == before
    logs.assert_clean(ANNA, BEN, "first.time@example.org")
