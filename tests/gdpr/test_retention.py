"""Contact retention per programme: the settings page, and `flask gdpr purge [--dry-run]`."""

import json
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, update

from surveyapp.accounts.models import Role
from surveyapp.audit.models import AuditEvent
from surveyapp.db import utcnow
from surveyapp.gdpr import service
from surveyapp.participants.models import Contact, Participant
from surveyapp.programmes.models import Programme
from surveyapp.responses.models import Response
from surveyapp.waves.models import Invitation
from tests import panel_factories as panel
from tests.conftest import csrf_token
from tests.gdpr.panel import answer, build, token_of


def _set(client, programme_id, value):
    url = f"/manage/programmes/{programme_id}/data-protection"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "contact_retention_months": value})


def test_managers_set_the_retention_rule_and_it_is_audited(app, db, make, client, auth):
    p = build(db, make)
    auth.login(p.manager.email)
    assert client.get(f"/manage/programmes/{p.programme.id}/sessions").get_data(as_text=True).count(
        "data-protection") == 1
    assert _set(client, p.programme.id, "6").status_code == 302
    assert db.session.get(Programme, p.programme.id).contact_retention_months == 6
    page = client.get(f"/manage/programmes/{p.programme.id}/data-protection").get_data(as_text=True)
    assert 'value="6"' in page and "0 participants is due" in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "programme.retention"))
    assert json.loads(event.detail) == {"contact_retention_months": 6, "before": None}
    assert _set(client, p.programme.id, "").status_code == 302
    assert db.session.get(Programme, p.programme.id).contact_retention_months is None


def _closed(db, participant, months_ago: int, days: int = 0) -> None:
    """Move the participant's last answering window to end `months_ago` months (plus `days`) before now."""
    closes = utcnow() - timedelta(days=30 * months_ago + days)
    db.session.execute(update(Invitation).where(Invitation.participant_id == participant.id).values(closes_at=closes))
    db.session.commit()


def test_purge_removes_contacts_after_the_last_window_plus_retention_idempotent_and_audited(app, db, make, client,
                                                                                           runner):
    p = build(db, make)
    answer(client, token_of(app, db, p.anna))
    _closed(db, p.anna, 7)  # window closed 7 months ago: due with a 6-month rule
    _closed(db, p.ben, 5)  # 5 months ago: not yet
    other = make.programme()  # no rule: keeps everything
    old = panel.participant(db, panel.session(db, other, date(2020, 1, 1)), "old@example.org")
    lonely = panel.participant(db, panel.session(db, p.programme, date.today() - timedelta(days=400)),
                               "lonely@example.org")  # no invitation yet: counts from the session day
    db.session.execute(update(Programme).where(Programme.id == p.programme.id).values(contact_retention_months=6))
    db.session.execute(delete_invitations_of(lonely))
    db.session.commit()
    dry = runner.invoke(args=["gdpr", "purge", "--dry-run"])
    assert dry.exit_code == 0 and f"{p.programme.code}: would remove the contact data of 2 participants" in dry.output
    assert db.session.scalar(select(func.count(Participant.erased_at))) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "gdpr.purge")) == 0
    done = runner.invoke(args=["gdpr", "purge"])
    assert done.exit_code == 0 and f"{p.programme.code}: removed the contact data of 2 participants" in done.output
    assert "@" not in done.output + dry.output
    assert {row.id for row in db.session.scalars(select(Participant).where(Participant.erased_at.is_not(None)))} == {
        p.anna.id, lonely.id}
    assert db.session.get(Contact, p.anna.id) is None and db.session.get(Contact, p.ben.id).email
    assert db.session.get(Contact, old.id).email == "old@example.org"
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1  # answers stay
    again = runner.invoke(args=["gdpr", "purge"])
    assert f"{p.programme.code}: removed the contact data of 0 participants" in again.output
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "gdpr.purge")).all()
    assert [json.loads(e.detail) for e in events] == [{"contact_retention_months": 6, "participants": 2}]


def delete_invitations_of(participant):
    return delete(Invitation).where(Invitation.participant_id == participant.id)


def test_due_date_adds_calendar_months_to_the_window_end(app, db, make):
    p = build(db, make)
    p.programme.contact_retention_months = 6
    closes = datetime(2026, 8, 31, 8, 0, tzinfo=utcnow().tzinfo)
    db.session.execute(update(Invitation).values(closes_at=closes))
    db.session.commit()
    programme = db.session.get(Programme, p.programme.id)
    assert service.due_for_purge(programme, datetime(2027, 2, 28, 7, 59, tzinfo=closes.tzinfo)) == []
    assert len(service.due_for_purge(programme, datetime(2027, 2, 28, 8, 0, tzinfo=closes.tzinfo))) == 2


def test_evaluators_cannot_see_or_change_the_rule(app, db, make, client, auth):
    p = build(db, make)
    evaluator = make.user(Role.EVALUATOR, p.programme)
    auth.login(evaluator.email)
    assert client.get(f"/manage/programmes/{p.programme.id}/data-protection").status_code == 403
    session_page = client.get(f"/manage/programmes/{p.programme.id}/sessions").get_data(as_text=True)
    assert "data-protection" not in session_page
