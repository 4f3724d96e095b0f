"""The manager's wave plan and dashboard: figures per wave and session, attrition, role checks."""

from datetime import date, timedelta

from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.participants.models import Contact, Participant
from surveyapp.waves.dispatch import dispatch_due
from tests import panel_factories as panel
from tests.conftest import csrf_token
from tests.waves.test_invitations import link_of, submit_all

TWO_PAGES = [("agree", "likert", True, 1, {"points": 5}, []), ("age", "number", False, 2, {}, [])]


def test_manager_adds_wave_sees_figures_and_evaluator_cannot_edit(db, make, client, auth, smtp):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=TWO_PAGES)
    session = panel.session(db, programme, date.today() - timedelta(days=2))
    for n in range(3):
        panel.participant(db, session, f"p{n}@example.org", "en")
    manager = make.user(Role.MANAGER, programme)
    auth.login(manager.email)
    url = f"/manage/programmes/{programme.id}/waves"
    form = {
        "csrf_token": csrf_token(client, url),
        "name": "post-session",
        "questionnaire_id": questionnaire.id,
        "position": 0,
        "offset_months": 0,
        "offset_days": 1,
        "window_days": 30,
        "reminder_days": "7, 14",
        "max_reminders": 2,
    }
    assert client.post(url, data=form).status_code == 302
    dispatch_due()
    submit_all(client, link_of(smtp.to("p0@example.org")[0]))
    page = client.get(url).get_data(as_text=True)
    assert "post-session" in page and "33" in page  # 1 of 3 answered
    status = client.get(f"/manage/programmes/{programme.id}/panel-status.csv").get_data(as_text=True)
    assert "w_post_session_status" in status and "submitted" in status and "@" not in status
    answers = client.get(f"/manage/programmes/{programme.id}/panel.csv").get_data(as_text=True)
    code = db.session.scalar(
        select(Participant.panel_code).join(Contact).where(Contact.email == "p0@example.org")
    )
    assert code in answers and "post_session_agree" in answers and "@" not in answers
    auth.logout()
    evaluator = make.user(Role.EVALUATOR, programme)
    auth.login(evaluator.email)
    assert client.get(url).status_code == 200
    assert client.post(url, data={**form, "csrf_token": csrf_token(client, url)}).status_code == 403
    other = make.user(Role.MANAGER)
    auth.logout()
    auth.login(other.email)
    assert client.get(url).status_code == 403
