"""The manager's wave plan and dashboard: figures per wave and session, attrition, role checks."""

from datetime import date, timedelta

from sqlalchemy import delete, select, update

from surveyapp.accounts.models import Role
from surveyapp.db import utcnow
from surveyapp.participants.models import Contact, Participant
from surveyapp.waves import service
from surveyapp.waves.dashboard import figures
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import Invitation, Wave
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


def _invitations(db, wave, people, **values) -> None:
    db.session.execute(
        update(Invitation)
        .where(Invitation.wave_id == wave.id, Invitation.participant_id.in_([p.id for p in people]))
        .values(**values)
    )
    db.session.commit()


def test_attrition_is_panel_based_final_once_windows_close_and_blank_before_sending(db, make, client, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=TWO_PAGES)
    post, three, twelve = (
        panel.wave(db, programme, questionnaire, name, offset_days=days, offset_months=months, position=n)
        for n, (name, days, months) in enumerate([("post-session", 1, 0), ("3 months", 0, 3), ("12 months", 0, 12)])
    )
    first = panel.session(db, programme, date.today() - timedelta(days=200))
    later = panel.session(db, programme, date.today() - timedelta(days=100), "Fahrschule Linz")
    cohort = [panel.participant(db, first, f"c{n}@example.org", "en") for n in range(12)]
    newcomers = [panel.participant(db, later, f"n{n}@example.org", "en") for n in range(3)]
    service.ensure_invitations(programme.id)
    now = utcnow()
    past, future = now - timedelta(days=10), now + timedelta(days=10)
    db.session.execute(delete(Invitation).where(  # joined after the post-session wave
        Invitation.wave_id == post.id, Invitation.participant_id.in_([p.id for p in newcomers])))
    sent = {"sends": 1, "first_sent_at": past, "closes_at": past}
    _invitations(db, post, cohort, **sent)
    _invitations(db, post, cohort[:10], submitted_at=past)  # 10 answered the first wave
    _invitations(db, three, cohort + newcomers, **sent)
    # 5 of those 10 answered again; one who skipped the first wave and the newcomers answered too
    _invitations(db, three, cohort[:5] + cohort[10:11] + newcomers, submitted_at=past)

    per_wave, _ = figures(programme.id, now)
    (_, _, first_wave), (_, numbers, second), (_, _, third) = per_wave
    assert first_wave is None and third is None  # nothing before the first wave; the last not sent yet
    assert numbers.submitted == 9  # the old ratio of counts (1 - 9/10) would say 10 %
    assert (second.answered_before, second.lost, second.share, second.final) == (10, 5, 0.5, True)

    _invitations(db, three, cohort[7:8], closes_at=future)  # one of the 10 can still answer
    _invitations(db, twelve, cohort + newcomers, sends=1, first_sent_at=past, closes_at=future)
    _invitations(db, twelve, cohort[:2] + newcomers[:1], submitted_at=past)
    db.session.execute(
        delete(Invitation).where(Invitation.wave_id == twelve.id, Invitation.participant_id == cohort[4].id))
    db.session.commit()  # someone who answered 3 months but was never invited again counts as lost
    _, (_, _, second), (_, _, third) = figures(programme.id, now)[0]
    assert (second.lost, second.final) == (5, False)
    assert (third.answered_before, third.lost, third.final) == (9, 6, False)

    auth.login(make.user(Role.MANAGER, programme).email)
    page = client.get(f"/manage/programmes/{programme.id}/waves").get_data(as_text=True)
    assert "50%" in page and "5 of the 10 who answered “post-session”" in page
    assert "67%" in page and "6 of the 9 who answered “3 months”" in page and page.count("so far") == 2

    service.cancel_wave(db.session.get(Wave, twelve.id), now)  # a cancelled wave's figure is final
    db.session.commit()
    assert figures(programme.id, now)[0][2][2].final is True
