"""The one page flow through every entry point: the public link, the personal link and the builder's preview.

The same requests go through each (parametrised); only what each stores, and where it sends a finished or
already submitted respondent, differs. Then what only the public link has: the resume cookie, the continue-later
link, the thank-you page on Back.
"""
import ast
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Status
from surveyapp.responses.models import Answer, Response
from surveyapp.waves.models import Invitation
from surveyapp.waves.tokens import make_token
from tests import panel_factories as panel
from tests.conftest import hidden_fields

ITEMS = [
    ("agree", "likert", True, 1, {"points": 5}, []),
    ("age", "number", True, 2, {"min": 15, "max": 99}, []),
    ("note", "longtext", False, 2, {}, []),
]
PAGE1 = {"q_agree": "4", "nav": "next"}
PAGE2 = {"q_age": "44", "q_note": "All fine", "nav": "submit"}


@dataclass
class Way:
    """One entry point: the URL a respondent opens and posts to, and what it keeps."""

    name: str
    url: str
    client: object
    questionnaire: object

    @property
    def stores(self) -> bool:
        return self.name != "preview"

    def open(self, page: int | None = None):
        url = self.url + (f"{'&' if '?' in self.url else '?'}page={page}" if page else "")
        return self.client.get(url)

    def hidden(self, page: int | None = None) -> dict:
        opened = self.open(page)
        assert opened.status_code == 200, opened.status_code
        return hidden_fields(opened.get_data(as_text=True))

    def post(self, data: dict):
        return self.client.post(self.url, data=data)

    def through_page_one(self) -> dict:
        moved = self.post({**self.hidden(), **PAGE1})
        assert moved.status_code == 302 and "page=2" in moved.location
        return self.hidden(2)


def _public(app, make, db, questionnaire):
    return Way("public", f"/s/{questionnaire.slug}", app.test_client(), questionnaire)


def _invitation(app, make, db, questionnaire):
    session = panel.session(db, questionnaire.programme, date.today() - timedelta(days=1))
    panel.participant(db, session, "anna@example.org", "en")
    panel.wave(db, questionnaire.programme, questionnaire)
    invitation = db.session.scalar(select(Invitation))
    token = make_token(app.config["SECRET_KEY"], invitation.token_salt)
    return Way("invitation", f"/i/{token}", app.test_client(), questionnaire)


def _preview(app, make, db, questionnaire):
    client = app.test_client()
    from tests.conftest import Auth

    Auth(client).login(make.user(Role.EVALUATOR, questionnaire.programme).email)
    return Way("preview", f"/manage/questionnaires/{questionnaire.id}/preview?lang=en", client, questionnaire)


@pytest.fixture(params=[_public, _invitation, _preview], ids=["public", "invitation", "preview"])
def way(request, app, make, db) -> Way:
    questionnaire = make.questionnaire(items=ITEMS, languages=("en", "de"))
    return request.param(app, make, db, questionnaire)


def counts(db) -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Response)),
            db.session.scalar(select(func.count()).select_from(Answer)))


def stored_values(db) -> set[str]:
    return set(db.session.scalars(select(Answer.value)))


def test_language_switch_keeps_answers_and_stores_nothing(way, db):
    hidden = way.through_page_one()
    before = counts(db)
    switched = way.post({**hidden, "q_age": "21", "q_note": "Typed in English", "lang": "de"})
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="de"' in html
    assert 'value="21"' in html and "Typed in English" in html
    assert "errsum" not in html
    assert counts(db) == before
    own_url = re.search(r'<form[^>]* data-url="([^"]+)"', html).group(1)
    assert "page=2" in own_url and "lang=de" in own_url  # the GET address respond.js puts in the history
    assert "respond.js" in html and " defer" in html


def test_back_keeps_what_was_typed_as_a_draft(way, db):
    hidden = way.through_page_one()
    typed = "A long answer,\nwritten before going back"
    back = way.post({**hidden, "q_age": "abc", "q_note": typed, "nav": "back"})
    assert back.status_code == 302 and "page=1" in back.location
    again = way.open(2).get_data(as_text=True)
    assert typed in again
    assert 'value="abc"' not in again  # a value failing its own checks is not kept
    if way.stores:
        assert typed in stored_values(db) and "abc" not in stored_values(db)
    else:
        assert counts(db) == (0, 0)


def test_back_keeps_a_valid_value_and_skips_a_control_character(way, db):
    hidden = way.through_page_one()
    way.post({**hidden, "q_age": "33", "q_note": "zebra\x07crossing", "nav": "back"})
    again = way.open(2).get_data(as_text=True)
    assert 'value="33"' in again and "zebra" not in again


def test_errors_come_first_with_focus_and_an_error_title(way, db):
    invalid = way.post({**way.hidden(), "nav": "next"})
    html = invalid.get_data(as_text=True)
    assert invalid.status_code == 422
    assert re.search(r"<title>Error: Title en</title>", html)
    summary = re.search(r'<div class="errsum"[^>]*>', html).group(0)
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    assert html.index("<h1>") < html.index('class="errsum"') < html.index('class="q')
    assert 'data-url="' in html and "respond.js" in html
    assert invalid.headers["Cache-Control"] == "no-store"
    assert counts(db) == (0, 0)


def test_no_error_title_without_errors(way):
    page = way.open().get_data(as_text=True)
    assert "<title>Title en</title>" in page and "data-url" not in page and "respond.js" not in page


def test_final_submit_and_double_submit_store_once(way, db):
    hidden = way.through_page_one()
    done = way.post({**hidden, **PAGE2})
    finished = way.client.get(done.location).get_data(as_text=True)
    again = way.post({**hidden, **PAGE2, "q_age": "55"})
    if way.name == "public":
        assert done.status_code == again.status_code == 302 and again.location.endswith("/thanks")
    elif way.name == "invitation":
        assert done.status_code == 302 and again.status_code == 409
    else:  # the preview starts again: its first page is asked again
        assert done.status_code == 302 and again.status_code == 422 and "Nothing was stored" in finished
    if way.stores:
        response = db.session.scalar(select(Response))
        assert counts(db) == (1, 3) and response.submitted_at is not None
        assert stored_values(db) == {"4", "44", "All fine"}
    else:
        assert counts(db) == (0, 0)


def test_already_submitted(way, db):
    hidden = way.through_page_one()
    way.post({**hidden, **PAGE2})
    opened = way.open()
    if way.name == "public":  # e.g. the browser's Back after the thank-you page
        assert opened.status_code == 302 and opened.location.endswith("/thanks")
    elif way.name == "invitation":
        assert opened.status_code == 200 and "Already answered" in opened.get_data(as_text=True)
    else:  # the preview starts again
        assert opened.status_code == 200 and 'name="q_agree"' in opened.get_data(as_text=True)


def test_closed_questionnaire(way, db):
    """Respondents get 410 and nothing is stored; staff still preview a closed questionnaire (it may reopen)."""
    hidden = way.hidden()
    builder.set_status(way.questionnaire, Status.CLOSED)
    db.session.commit()
    opened, posted = way.open(), way.post({**hidden, **PAGE1})
    if way.stores:
        assert opened.status_code == posted.status_code == 410
    else:
        assert opened.status_code == 200 and posted.status_code == 302
    assert counts(db) == (0, 0)


# What only the public link has


@pytest.fixture
def public(app, make, db) -> Way:
    return _public(app, make, db, make.questionnaire(items=ITEMS, languages=("en", "de")))


def _resume_cookie(response) -> str:
    return next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("resume="))


def test_a_back_never_starts_a_response(public, db):
    back = public.post({**public.hidden(), "page": "2", "q_note": "typed", "nav": "back"})
    assert back.status_code == 302
    assert counts(db) == (0, 0)


def test_the_resume_cookie_outlives_the_browser_session(app, public, db):
    public.client.get(f"{public.url}?lang=de")  # chosen in this browser session
    moved = public.post({**public.hidden(), **PAGE1})
    cookie = _resume_cookie(moved)
    assert "Max-Age=2592000" in cookie and f"Path=/s/{public.questionnaire.slug}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    reopened = app.test_client()  # the browser was closed: only the lasting cookie is left
    reopened.set_cookie("resume", value, path=f"/s/{public.questionnaire.slug}")
    page = reopened.get(public.url).get_data(as_text=True)
    assert 'name="q_age"' in page and '<html lang="de"' in page  # continues on page 2, in German
    assert 'value="4" checked' in reopened.get(public.url + "?page=1").get_data(as_text=True)
    forged = app.test_client()
    forged.set_cookie("resume", value[:-2] + "xx", path=f"/s/{public.questionnaire.slug}")
    assert 'name="q_agree"' in forged.get(public.url).get_data(as_text=True)  # a new response instead


def test_resume_days_zero_keeps_the_cookie_for_the_browser_session_only(app, public):
    app.config["RESPONDENT_RESUME_DAYS"] = 0
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = _resume_cookie(public.post({**public.hidden(), **PAGE1}))
    assert "Max-Age" not in cookie and "Expires" not in cookie and "Secure" in cookie


def test_continue_later_gives_a_link_that_works_on_another_device(app, public, db):
    later = public.post({**public.hidden(), "q_agree": "2", "nav": "later"})
    assert later.status_code == 302 and later.location.endswith("/later")
    page = public.client.get(later.location).get_data(as_text=True)
    link = re.search(r'id="resume-link">([^<]+)<', page).group(1)
    assert f"/s/{public.questionnaire.slug}/resume/" in link
    response = db.session.scalar(select(Response))
    assert response.submitted_at is None and response.page == 1 and counts(db) == (1, 1)

    phone = app.test_client()
    opened = phone.get(link)
    assert opened.status_code == 302 and opened.location.endswith(f"/s/{public.questionnaire.slug}")
    assert "Max-Age=2592000" in _resume_cookie(opened)
    resumed = phone.get(opened.location).get_data(as_text=True)
    assert 'value="2" checked' in resumed
    done = phone.post(public.url, data={**hidden_fields(resumed), **PAGE1})
    assert done.status_code == 302
    assert counts(db) == (1, 1)  # the same response, continued


def test_a_tampered_continue_link_is_not_found_and_stores_nothing(app, public, db):
    later = public.post({**public.hidden(), "q_agree": "2", "nav": "later"})
    link = re.search(r'id="resume-link">([^<]+)<', public.client.get(later.location).get_data(as_text=True)).group(1)
    before = counts(db)
    phone = app.test_client()
    for tampered in (link[:-3] + "abc", link.rsplit(".", 1)[0], link + "x"):
        refused = phone.get(tampered)
        assert refused.status_code == 404 and "resume=" not in " ".join(refused.headers.getlist("Set-Cookie"))
    other = app.test_client().get(link.replace(public.questionnaire.slug, public.questionnaire.slug + "x"))
    assert other.status_code == 404
    assert counts(db) == before


def test_the_continue_link_is_rate_limited(app, public):
    app.config["TOKEN_RATE_LIMIT"] = "2 per minute"
    url = f"{public.url}/resume/nothing.valid"
    assert [public.client.get(url).status_code for _ in range(3)] == [404, 404, 429]
    assert public.client.get(public.url).status_code == 200  # the survey itself is never limited


def test_thank_you_page_on_back_and_a_new_response_on_request(public, db):
    hidden = public.through_page_one()
    done = public.post({**hidden, **PAGE2})
    thanks = public.client.get(done.location).get_data(as_text=True)
    assert f'href="/s/{public.questionnaire.slug}?new=1"' in thanks
    for page in (None, 1, 2):  # the browser's Back, to any page of the survey
        back = public.open(page)
        assert back.status_code == 302 and back.location.endswith("/thanks")
    fresh = public.client.get(f"{public.url}?new=1")
    assert fresh.status_code == 200 and hidden_fields(fresh.get_data(as_text=True))["rk"] != hidden["rk"]
    assert counts(db) == (1, 3)


def test_respondent_pages_are_never_cached(public):
    hidden = public.through_page_one()
    assert public.open(2).headers["Cache-Control"] == "no-store"
    assert public.post({**hidden, "q_age": "x", "nav": "submit"}).headers["Cache-Control"] == "no-store"


def test_the_builder_no_longer_imports_respondent_code():
    import surveyapp.questionnaires

    package = Path(surveyapp.questionnaires.__file__).parent
    for path in package.rglob("views.py"):
        tree = ast.parse(path.read_text())
        modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        modules += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        assert not [m for m in modules if m.startswith("surveyapp.respond")], path


def test_the_preview_drops_only_the_answers_that_do_not_fit(app, make, db):
    """The preview's answers live in the staff member's session cookie: past a few KB the longest go first."""
    way = _preview(app, make, db, make.questionnaire(items=ITEMS, languages=("en", "de")))
    hidden = way.through_page_one()
    assert 'value="4" checked' in way.open(1).get_data(as_text=True)
    way.post({**hidden, "q_age": "33", "q_note": "x" * 3000, "nav": "back"})
    page2 = way.open(2).get_data(as_text=True)
    assert "x" * 3000 not in page2 and 'value="33"' in page2
    assert 'value="4" checked' in way.open(1).get_data(as_text=True)
    with way.client.session_transaction() as session:
        assert len(json.dumps(session["preview_answers"]["answers"])) <= 2000
    assert counts(db) == (0, 0)


# The final submit checks every required answer (issue 12, outside tester)


def _invitation_row(db):
    db.session.expire_all()
    return db.session.scalar(select(Invitation))


def test_a_required_answer_cleared_by_back_blocks_the_final_submit(way, db):
    hidden = way.through_page_one()
    assert way.post({**way.hidden(1), "nav": "back"}).status_code == 302  # page 1 posted back with agree emptied
    refused = way.post({**hidden, **PAGE2})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'name="q_agree"' in html and "Please answer this question." in html
    assert "page=1" in re.search(r'<form[^>]* data-url="([^"]+)"', html).group(1)
    if way.stores:
        response = db.session.scalar(select(Response))
        assert response.submitted_at is None and stored_values(db) == {"44", "All fine"}  # kept as progress
    assert 'value="44"' in way.open(2).get_data(as_text=True)
    moved = way.post({**way.hidden(1), **PAGE1})
    assert moved.status_code == 302 and "page=2" in moved.location
    assert way.post({**hidden, **PAGE2}).status_code == 302
    if way.stores:
        assert db.session.scalar(select(Response)).submitted_at is not None and counts(db) == (1, 3)


def test_a_crafted_final_page_with_a_fresh_key_submits_nothing(way, db):
    refused = way.post({**way.hidden(), "page": "2", **PAGE2})
    assert refused.status_code == 422 and "Please answer this question." in refused.get_data(as_text=True)
    assert counts(db) == (0, 0)  # the page's answers are no draft of a response never started
    if way.name == "invitation":
        assert _invitation_row(db).submitted_at is None


def test_a_one_page_survey_never_asks_for_the_kept_answers(app, make):
    from surveyapp.respond import flow
    from surveyapp.respond.entries import Public

    class Unasked(Public):
        def answered(self):
            raise AssertionError("asked")

    questionnaire = make.questionnaire(items=[ITEMS[0]])
    with app.test_request_context():
        assert flow.first_missing(Unasked(questionnaire, "en"), 1) is None


# A questionnaire changed while someone answers (issue 12, outside tester)


@pytest.fixture(params=[_public, _invitation], ids=["public", "invitation"])
def storing(request, app, make, db) -> Way:
    return request.param(app, make, db, make.questionnaire(items=ITEMS, languages=("en", "de")))


def _rescale(db, questionnaire, code: str, settings: dict) -> None:
    """The builder changes an item's meaning: a new version (the questionnaire has a response)."""
    from surveyapp.questionnaires.models import Questionnaire

    db.session.expire_all()
    item = next(item for item in db.session.get(Questionnaire, questionnaire.id).items if item.code == code)
    builder.update_item(item, code=code, required=item.required, page=item.page, settings=settings)
    db.session.commit()


def test_a_response_moves_to_the_new_version_and_rescaled_answers_are_asked_again(storing, db):
    hidden = storing.through_page_one()
    _rescale(db, storing.questionnaire, "agree", {"points": 7})
    refused = storing.post({**hidden, **PAGE2})
    assert refused.status_code == 422 and "Please answer this question." in refused.get_data(as_text=True)
    response = db.session.scalar(select(Response))
    assert response.questionnaire_version == 2 and response.submitted_at is None
    assert stored_values(db) == {"44", "All fine"}  # the 4 of 5 is gone, page 2 kept
    assert storing.post({**storing.hidden(1), "q_agree": "6", "nav": "next"}).status_code == 302
    assert storing.post({**hidden, **PAGE2}).status_code == 302
    response = db.session.scalar(select(Response))
    assert response.submitted_at is not None and response.questionnaire_version == 2
    assert stored_values(db) == {"6", "44", "All fine"}


def test_saving_another_page_after_a_change_drops_the_rescaled_answer_only(storing, db):
    hidden = storing.through_page_one()
    storing.post({**hidden, "q_age": "44", "q_note": "All fine", "nav": "back"})
    _rescale(db, storing.questionnaire, "age", {"min": 18, "max": 99})
    storing.post({**storing.hidden(1), **PAGE1})  # page 1 saved again: the response moves to version 2
    response = db.session.scalar(select(Response))
    assert response.questionnaire_version == 2 and stored_values(db) == {"4", "All fine"}
    assert storing.post({**hidden, **PAGE2}).status_code == 302
    assert db.session.scalar(select(Response)).submitted_at is not None


def test_a_language_chosen_on_the_personal_link_sticks_on_any_device(app, make, db):
    way = _invitation(app, make, db, make.questionnaire(items=ITEMS, languages=("en", "de")))
    first = way.open().get_data(as_text=True)
    assert '<html lang="en"' in first  # the contact's language
    switched = way.post({**hidden_fields(first), "lang": "de"}).get_data(as_text=True)
    action = re.search(r'<form[^>]* action="([^"]+)"', switched).group(1).replace("&amp;", "&")
    assert '<html lang="de"' in switched and "lang=de" in action
    moved = way.client.post(action, data={**hidden_fields(switched), **PAGE1})
    assert moved.status_code == 302 and '<html lang="de"' in way.client.get(moved.location).get_data(as_text=True)
    assert db.session.scalar(select(Response.lang)) == "de"
    phone = app.test_client()
    assert '<html lang="de"' in phone.get(way.url).get_data(as_text=True)


def _restarted(app, way: Way, moved) -> object:
    """A browser closed and opened again: the session cookie is gone, the lasting resume cookie kept."""
    client = app.test_client()
    if way.name == "public":
        value = _resume_cookie(moved).split(";", 1)[0].split("=", 1)[1]
        client.set_cookie("resume", value, path=f"/s/{way.questionnaire.slug}")
    return client


def test_a_page_posted_after_a_browser_restart_is_shown_again_to_send_once_more(app, storing, db):
    first = storing.hidden()
    chosen = storing.post({**first, "lang": "de"}).get_data(as_text=True)
    action = re.search(r'<form[^>]* action="([^"]+)"', chosen).group(1).replace("&amp;", "&")
    moved = storing.client.post(action, data={**hidden_fields(chosen), **PAGE1})
    page2 = storing.client.get(moved.location).get_data(as_text=True)
    hidden, action = hidden_fields(page2), re.search(r'<form[^>]* action="([^"]+)"', page2).group(1)
    before = counts(db)
    browser = _restarted(app, storing, moved)
    expired = browser.post(action.replace("&amp;", "&"), data={**hidden, **PAGE2})
    html = expired.get_data(as_text=True)
    assert expired.status_code == 400 and '<html lang="de"' in html and 'class="notice" role="alert"' in html
    assert 'value="44"' in html and "All fine" in html and "errsum" not in html
    assert hidden_fields(html)["csrf_token"] != hidden["csrf_token"] and hidden_fields(html)["rk"] == hidden["rk"]
    assert counts(db) == before
    again = browser.post(action.replace("&amp;", "&"), data={**hidden_fields(html), **PAGE2})
    assert again.status_code == 302
    assert db.session.scalar(select(Response)).submitted_at is not None and counts(db) == (1, 3)


def test_an_expired_page_of_a_closed_survey_says_it_is_closed(app, storing, db):
    hidden = storing.hidden()
    builder.set_status(storing.questionnaire, Status.CLOSED)
    db.session.commit()
    refused = app.test_client().post(storing.url, data={**hidden, **PAGE1})
    assert refused.status_code == 400 and "closed" in refused.get_data(as_text=True)  # a refused form: 400


def test_an_expired_unsubscribe_form_is_shown_again(app, make, db):
    way = _invitation(app, make, db, make.questionnaire(items=ITEMS, languages=("de", "en")))
    url = f"{way.url}/unsubscribe"
    hidden = hidden_fields(way.client.get(url).get_data(as_text=True))
    expired = app.test_client().post(url, data=hidden)
    html = expired.get_data(as_text=True)
    assert expired.status_code == 400 and 'role="alert"' in html and hidden_fields(html)["csrf_token"]
    assert db.session.scalar(select(Invitation)).participant.unsubscribed_at is None


# Error pages of a known survey speak its respondent's language (issue 12, outside tester)


def test_a_closed_survey_and_a_rate_limit_speak_the_language_chosen(app, public, db):
    app.config["TOKEN_RATE_LIMIT"] = "1 per minute"
    english = {"Accept-Language": "en"}
    public.client.get(f"{public.url}?lang=de", headers=english)
    limited = [public.client.get(f"{public.url}/resume/x.y", headers=english) for _ in range(2)][-1]
    assert limited.status_code == 429 and '<html lang="de"' in limited.get_data(as_text=True)
    builder.set_status(public.questionnaire, Status.CLOSED)
    db.session.commit()
    closed = public.client.get(public.url, headers=english)
    assert closed.status_code == 410 and '<html lang="de"' in closed.get_data(as_text=True)


def test_a_closed_personal_link_speaks_the_contacts_language(app, make, db):
    way = _invitation(app, make, db, make.questionnaire(items=ITEMS, languages=("en", "de")))
    db.session.scalar(select(Invitation)).participant.contact.lang = "de"
    builder.set_status(way.questionnaire, Status.CLOSED)
    db.session.commit()
    closed = way.client.get(way.url, headers={"Accept-Language": "en"})
    assert closed.status_code == 410 and '<html lang="de"' in closed.get_data(as_text=True)


def test_the_testers_three_page_repro_submits_nothing(app, make, db):
    """Pages 1 and 2 filled, page 3 reached, Back to 2, the required number emptied, Back again, page 3 submitted."""
    items = [*ITEMS, ("remark", "longtext", False, 3, {}, [])]
    way = _public(app, make, db, make.questionnaire(items=items, languages=("en", "de")))
    hidden = way.through_page_one()
    assert way.post({**hidden, "q_age": "44", "nav": "next"}).status_code == 302
    assert way.post({**way.hidden(3), "q_remark": "Fine", "nav": "back"}).status_code == 302
    assert way.post({**way.hidden(2), "q_age": "", "nav": "back"}).status_code == 302
    refused = way.post({**way.hidden(3), "q_remark": "Fine", "nav": "submit"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'name="q_age"' in html and "Please answer this question." in html
    assert db.session.scalar(select(Response)).submitted_at is None
