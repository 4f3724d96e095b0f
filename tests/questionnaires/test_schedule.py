"""Scheduled opening and closing: entered in the app's time zone, applied on the clock at every request."""
from datetime import UTC, datetime, timedelta

import pytest

from surveyapp.accounts.models import Role
from surveyapp.questionnaires import lifecycle
from surveyapp.questionnaires.models import Status
from surveyapp.respond import service as respond_service
from tests.conftest import hidden_fields
from tests.questionnaires.builder import Builder

OPENS = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 in Vienna (CET)
CLOSES = datetime(2030, 7, 1, 20, 0, tzinfo=UTC)  # 22:00 in Vienna (CEST)


@pytest.fixture
def clock(monkeypatch):
    """Set the respondent pages' clock: clock(moment)."""
    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(respond_service, "utcnow", lambda: moment)

    return set_to


@pytest.fixture
def scheduled(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    saved = Builder(client).post(f"/manage/questionnaires/{questionnaire.id}/schedule", {
        "opens_at": "2030-01-15T10:00", "closes_at": "2030-07-01T22:00", "edit_version": questionnaire.edit_version})
    assert saved.status_code == 302
    db.session.expire_all()
    return questionnaire


def test_dates_are_entered_in_the_app_time_zone_and_stored_in_utc(scheduled, client):
    assert (lifecycle.aware(scheduled.opens_at), lifecycle.aware(scheduled.closes_at)) == (OPENS, CLOSES)
    form = client.get(f"/manage/questionnaires/{scheduled.id}/schedule").get_data(as_text=True)
    assert 'value="2030-01-15T10:00"' in form and 'value="2030-07-01T22:00"' in form
    assert "Europe/Vienna" in form


def test_the_window_follows_the_clock_not_the_cached_structure(app, scheduled, clock):
    respondent = app.test_client()
    url = f"/s/{scheduled.slug}"
    clock(OPENS - timedelta(minutes=1))
    early = respondent.get(url, headers={"Accept-Language": "en"})
    assert early.status_code == 403 and "This survey opens on" in early.get_data(as_text=True)
    assert "2030" in early.get_data(as_text=True)
    clock(OPENS)  # same structure, already cached by the request before: only the clock moved
    assert respondent.get(url).status_code == 200
    clock(CLOSES - timedelta(seconds=1))
    last = respondent.get(url)
    assert last.status_code == 200
    clock(CLOSES)
    assert respondent.get(url).status_code == 410
    late = respondent.post(url, data={**hidden_fields(last.get_data(as_text=True)), "q_colour": "red", "nav": "next"})
    assert late.status_code == 410  # a page shown before the closing minute and sent after it: not stored


def test_a_closing_date_before_the_opening_is_refused(scheduled, client, db):
    refused = Builder(client).post(f"/manage/questionnaires/{scheduled.id}/schedule", {
        "opens_at": "2030-02-01T10:00", "closes_at": "2030-01-01T10:00", "edit_version": scheduled.edit_version})
    assert refused.status_code == 422 and "closing date must be after" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert lifecycle.aware(scheduled.opens_at) == OPENS


def test_clearing_the_dates_opens_it_without_bounds(app, scheduled, client, clock, db):
    cleared = Builder(client).post(f"/manage/questionnaires/{scheduled.id}/schedule", {
        "opens_at": "", "closes_at": "", "edit_version": scheduled.edit_version})
    assert cleared.status_code == 302
    db.session.expire_all()
    assert scheduled.opens_at is None and scheduled.closes_at is None
    clock(OPENS - timedelta(days=400))
    assert app.test_client().get(f"/s/{scheduled.slug}").status_code == 200


def test_a_stale_form_is_refused(scheduled, client):
    stale = Builder(client).post(f"/manage/questionnaires/{scheduled.id}/schedule", {
        "opens_at": "2031-01-01T10:00", "closes_at": "", "edit_version": 1})
    assert stale.status_code == 409


def test_reach_of_each_state():
    from surveyapp.programmes.models import Programme
    from surveyapp.questionnaires.models import Questionnaire

    def reach(status, programme_archived_at=None, **dates):
        programme = Programme(archived_at=programme_archived_at)
        return lifecycle.reachable(Questionnaire(status=status, programme=programme, **dates), OPENS)

    assert reach(Status.DRAFT) is lifecycle.Reach.DRAFT
    assert reach(Status.OPEN) is lifecycle.Reach.OPEN
    assert reach(Status.OPEN, opens_at=OPENS + timedelta(seconds=1)) is lifecycle.Reach.SCHEDULED
    assert reach(Status.OPEN, closes_at=OPENS.replace(tzinfo=None)) is lifecycle.Reach.CLOSED  # SQLite: naive
    assert reach(Status.CLOSED) is lifecycle.Reach.CLOSED
    assert reach(Status.OPEN, archived_at=OPENS) is lifecycle.Reach.ARCHIVED
    assert reach(Status.OPEN, programme_archived_at=OPENS) is lifecycle.Reach.ARCHIVED


@pytest.fixture
def upcoming(make, db):
    """An open questionnaire in German (its default), English and Arabic whose opening date is ahead."""
    questionnaire = make.questionnaire(languages=("de", "en", "ar"))
    questionnaire.opens_at, questionnaire.closes_at = OPENS, CLOSES
    db.session.commit()
    return questionnaire


@pytest.mark.parametrize(("query", "lang", "title", "date"), [
    ("", "de", "Diese Befragung ist noch nicht geöffnet", "15.01.2030"),  # French asked for, not offered: the default
    ("?lang=ar", "ar", "هذا الاستطلاع غير مفتوح بعد", "2030، 10:00:00 ص"),  # the Arabic comma, ص: a.m.
    ("?lang=en", "en", "This survey is not open yet", "Jan 15, 2030"),
])
def test_the_not_yet_open_page_speaks_the_survey_language(app, upcoming, clock, query, lang, title, date):
    clock(OPENS - timedelta(days=1))
    early = app.test_client().get(f"/s/{upcoming.slug}{query}", headers={"Accept-Language": "fr"})
    html = early.get_data(as_text=True)
    assert early.status_code == 403 and early.headers["Cache-Control"] == "no-store"
    assert f"<h1>{title}</h1>" in html and f"<title>{title}" in html
    assert f'<html lang="{lang}"' in html and date in html


def test_the_closed_page_speaks_the_survey_language_too(app, upcoming, clock):
    clock(CLOSES)
    closed = app.test_client().get(f"/s/{upcoming.slug}", headers={"Accept-Language": "fr"})
    assert closed.status_code == 410 and '<html lang="de"' in closed.get_data(as_text=True)


@pytest.mark.parametrize("bad", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59", "2101-01-01T00:00"])
def test_dates_out_of_range_are_refused_with_a_message(scheduled, client, db, bad):
    refused = Builder(client).post(f"/manage/questionnaires/{scheduled.id}/schedule", {
        "opens_at": bad, "closes_at": "", "edit_version": scheduled.edit_version})
    assert refused.status_code == 422
    assert "between the years 2000 and 2100" in refused.get_data(as_text=True)
    refused = Builder(client).post(f"/manage/questionnaires/{scheduled.id}/schedule", {
        "opens_at": "", "closes_at": bad, "edit_version": scheduled.edit_version})
    assert refused.status_code == 422
    db.session.expire_all()
    assert (lifecycle.aware(scheduled.opens_at), lifecycle.aware(scheduled.closes_at)) == (OPENS, CLOSES)


def test_a_past_closing_date_on_an_open_questionnaire_is_refused(app, scheduled, client, db):
    assert scheduled.status is Status.OPEN
    refused = Builder(client).post(f"/manage/questionnaires/{scheduled.id}/schedule", {
        "opens_at": "", "closes_at": "2020-01-01T10:00", "edit_version": scheduled.edit_version})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "The closing date is in the past: respondents can no longer answer." in html
    db.session.expire_all()
    assert (lifecycle.aware(scheduled.opens_at), lifecycle.aware(scheduled.closes_at)) == (OPENS, CLOSES)
    assert app.test_client().get(f"/s/{scheduled.slug}").status_code != 410
    past = datetime(2020, 1, 1, 9, tzinfo=UTC)
    scheduled.status = Status.DRAFT  # not answered yet: opening it is a decision of its own, with the dates shown
    lifecycle.set_schedule(scheduled, None, past)
    scheduled.status = Status.OPEN
    lifecycle.set_schedule(scheduled, None, past)  # a closing date already stored may stay as it is
    assert lifecycle.aware(scheduled.closes_at) == past
    db.session.rollback()
