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
    db.session.commit()  # someone who answered 3 months but was never invited again is not counted
    _, (_, _, second), (_, _, third) = figures(programme.id, now)[0]
    assert (second.lost, second.final) == (5, False)
    # answered 3 months: cohort 0-4, cohort 10, 3 newcomers = 9; invited to 12 months: 8 of them; 3 answered
    assert (third.answered_before, third.lost, third.not_invited, third.final) == (8, 5, 1, False)
    assert third.share == 5 / 8

    auth.login(make.user(Role.MANAGER, programme).email)
    page = client.get(f"/manage/programmes/{programme.id}/waves").get_data(as_text=True)
    assert "50%" in page and "5 of the 10 who answered “post-session” and were invited" in page
    assert "5 of the 8 who answered “3 months” and were invited" in page and page.count("so far") == 2
    assert "1 who answered “3 months” not invited yet" in page

    service.cancel_wave(db.session.get(Wave, twelve.id), now)  # a cancelled wave's figure is final
    db.session.commit()
    assert figures(programme.id, now)[0][2][2].final is True


def test_attrition_counts_only_those_invited_to_the_wave(db, make, client, auth):
    """The outside tester's cases: people not yet invited to wave k are not lost, and a cancelled wave that
    invited none of those who answered the wave before shows no share, only how many were not invited."""
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=TWO_PAGES)
    post, three, stray = (
        panel.wave(db, programme, questionnaire, name, offset_days=days, offset_months=months, position=n)
        for n, (name, days, months) in enumerate([("post-session", 1, 0), ("3 months", 0, 3), ("stray", 0, 4)])
    )
    early = panel.session(db, programme, date.today() - timedelta(days=120))
    late = panel.session(db, programme, date.today() - timedelta(days=30), "Fahrschule Linz")
    invited = [panel.participant(db, early, f"e{n}@example.org", "en") for n in range(8)]
    waiting = [panel.participant(db, late, f"l{n}@example.org", "en") for n in range(4)]
    service.ensure_invitations(programme.id)
    now = utcnow()
    past = now - timedelta(days=10)
    sent = {"sends": 1, "first_sent_at": past, "closes_at": past, "next_send_at": None}
    _invitations(db, post, invited + waiting, **sent)
    _invitations(db, post, invited + waiting, submitted_at=past)  # all 12 answered post-session
    _invitations(db, three, invited, **sent)  # 8 invited to 3 months, the late session's 4 still scheduled
    _invitations(db, three, invited[:3], submitted_at=past)  # 3 of the 8 answered
    _invitations(db, stray, invited[:1], sends=1, first_sent_at=past, closes_at=past, next_send_at=None)

    per_wave, _ = figures(programme.id, now)
    second = per_wave[1][2]
    assert (second.answered_before, second.lost, second.not_invited, second.final) == (8, 5, 4, False)
    assert second.share == 5 / 8  # not 9 of 12: the 4 not invited yet are no loss

    service.cancel_wave(db.session.get(Wave, stray.id), now)
    db.session.commit()
    stray_figure = figures(programme.id, now)[0][2][2]
    # of the 3 who answered 3 months only one was invited before the wave was cancelled; he did not answer
    assert (stray_figure.answered_before, stray_figure.lost, stray_figure.not_invited) == (1, 1, 2)
    assert stray_figure.final is True

    auth.login(make.user(Role.MANAGER, programme).email)
    page = client.get(f"/manage/programmes/{programme.id}/waves").get_data(as_text=True)
    assert "62%" in page  # 5 of 8, rounded half to even
    assert "5 of the 8 who answered “post-session” and were invited" in page
    assert "4 who answered “post-session” not invited yet" in page
    assert "2 who answered “3 months” not invited (wave cancelled)" in page

    _invitations(db, three, waiting, **sent)  # the late session invited too, their windows closed
    assert figures(programme.id, now)[0][1][2].final is True
    _invitations(db, stray, invited[:1], sends=0, first_sent_at=None)  # the stray wave invited no one after all
    figure = figures(programme.id, now)[0][2][2]
    assert figure is None or (figure.share is None and figure.not_invited == 3)


def test_panel_status_says_cancelled_for_what_a_cancelled_wave_left_unanswered(db, make, client, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=TWO_PAGES)
    wave = panel.wave(db, programme, questionnaire, "3 months")
    session = panel.session(db, programme, date.today() - timedelta(days=5))
    people = [panel.participant(db, session, f"s{n}@example.org", "en") for n in range(3)]
    service.ensure_invitations(programme.id)
    past = utcnow() - timedelta(days=1)
    _invitations(db, wave, people[:2], sends=1, first_sent_at=past)
    _invitations(db, wave, people[:1], submitted_at=past)
    service.cancel_wave(db.session.get(Wave, wave.id))
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme).email)
    status = client.get(f"/manage/programmes/{programme.id}/panel-status.csv").get_data(as_text=True)
    cells = sorted(line.rsplit(",", 1)[1].strip() for line in status.strip().splitlines()[1:])
    assert cells == ["cancelled", "cancelled", "submitted"]


def test_panel_list_links_indicators_for_all_and_the_outcome_pathway_for_managers_only(db, make, client, auth):
    programme = make.programme()
    indicators = f'href="/manage/programmes/{programme.id}/indicators"'
    pathway = f'href="/manage/programmes/{programme.id}/pathway"'
    auth.login(make.user(Role.EVALUATOR, programme).email)
    listed = client.get("/manage/panel").get_data(as_text=True)
    assert indicators in listed and pathway not in listed
    assert client.get(f"/manage/programmes/{programme.id}/pathway").status_code == 403
    assert indicators in client.get(f"/manage/programmes/{programme.id}/waves").get_data(as_text=True)
    assert client.get(f"/manage/programmes/{programme.id}/indicators").status_code == 200
    auth.logout()
    auth.login(make.user(Role.MANAGER, programme).email)
    listed = client.get("/manage/panel").get_data(as_text=True)
    assert indicators in listed and pathway in listed
