"""The respondent's side through real HTTP: languages, validation, idempotent submission, closed surveys."""
from sqlalchemy import func, select

from surveyapp.questionnaires.models import Status
from surveyapp.responses.models import Answer, Response
from tests.conftest import hidden_fields

ONE_PAGE = [
    ("agree", "likert", True, 1, {"points": 5}, []),
    ("colour", "single", True, 1, {}, ["red", "green"]),
    ("tools", "multiple", False, 1, {}, ["bike", "car", "bus"]),
    ("age", "number", True, 1, {"min": 15, "max": 99}, []),
    ("note", "text", False, 1, {}, []),
]
GOOD = {"q_agree": "4", "q_colour": "green", "q_tools": ["bike", "bus"], "q_age": "19", "q_note": "=1+1"}


def start(client, slug, lang=None, headers=None):
    url = f"/s/{slug}" + (f"?lang={lang}" if lang else "")
    page = client.get(url, headers=headers or {})
    assert page.status_code == 200
    return page, hidden_fields(page.get_data(as_text=True))


def counts(db):
    return (db.session.scalar(select(func.count()).select_from(Response)),
            db.session.scalar(select(func.count()).select_from(Answer)))


def test_answer_in_two_languages_stores_same_codes(app, make, db):
    questionnaire = make.questionnaire(items=ONE_PAGE)
    for lang in ("de", "en"):
        client = app.test_client()  # one respondent each: a browser that has answered sees its thank-you page
        page, hidden = start(client, questionnaire.slug, lang)
        assert f'lang="{lang}"' in page.get_data(as_text=True)
        assert f"agree ({lang})" in page.get_data(as_text=True)
        done = client.post(f"/s/{questionnaire.slug}", data={**hidden, **GOOD, "nav": "submit"})
        assert done.status_code == 302 and done.location.endswith("/thanks")
    responses = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert [r.lang for r in responses] == ["de", "en"]
    assert all(r.submitted_at for r in responses)
    stored = [sorted(a.value for a in r.answers) for r in responses]
    assert stored[0] == stored[1] == sorted(["4", "green", "bike", "bus", "19", "=1+1"])


def test_accept_language_then_default(client, make):
    questionnaire = make.questionnaire(items=ONE_PAGE)
    page, _ = start(client, questionnaire.slug, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en"' in page.get_data(as_text=True)
    other = client.application.test_client()
    page = other.get(f"/s/{questionnaire.slug}", headers={"Accept-Language": "fi"})
    assert '<html lang="de"' in page.get_data(as_text=True)


def test_invalid_answers_come_back_with_messages_and_nothing_stored(client, make, db):
    questionnaire = make.questionnaire(items=ONE_PAGE)
    _, hidden = start(client, questionnaire.slug, "en")
    bad = {**GOOD, "q_age": "200", "q_colour": "purple"}
    del bad["q_agree"]
    page = client.post(f"/s/{questionnaire.slug}", data={**hidden, **bad, "nav": "submit"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Please answer this question." in html
    assert "Please enter a number from 15 to 99." in html
    assert 'aria-describedby="q_age-hint q_age-error"' in html  # the range hint, shown before the error
    assert counts(db) == (0, 0)


def test_error_messages_in_respondents_language(client, make, db):
    questionnaire = make.questionnaire(items=ONE_PAGE)
    _, hidden = start(client, questionnaire.slug, "de")
    page = client.post(f"/s/{questionnaire.slug}", data={**hidden, "nav": "submit"})
    assert page.status_code == 422
    assert '<html lang="de"' in page.get_data(as_text=True)
    assert counts(db) == (0, 0)


def test_double_submit_stores_one_response(client, make, db):
    questionnaire = make.questionnaire(items=ONE_PAGE)
    _, hidden = start(client, questionnaire.slug, "en")
    first = client.post(f"/s/{questionnaire.slug}", data={**hidden, **GOOD, "nav": "submit"})
    again = client.post(f"/s/{questionnaire.slug}", data={**hidden, **GOOD, "q_age": "30", "nav": "submit"})
    assert first.status_code == again.status_code == 302
    assert again.location.endswith("/thanks")
    assert counts(db) == (1, 6)
    assert "19" in {a.value for a in db.session.scalars(select(Answer))}


def test_multi_page_resume_and_back(client, make, db):
    questionnaire = make.questionnaire(pages=2)
    _, hidden = start(client, questionnaire.slug, "en")
    page1 = {"q_agree": "5", "q_colour": "red", "q_ok": "yes"}
    moved = client.post(f"/s/{questionnaire.slug}", data={**hidden, **page1, "nav": "next"})
    assert moved.status_code == 302 and "page=2" in moved.location
    assert db.session.scalar(select(Response.submitted_at)) is None
    resumed = client.get(f"/s/{questionnaire.slug}")
    assert 'name="q_age"' in resumed.get_data(as_text=True)
    back = client.get(f"/s/{questionnaire.slug}?page=1").get_data(as_text=True)
    assert 'value="red" checked' in back
    hidden2 = hidden_fields(resumed.get_data(as_text=True))
    done = client.post(f"/s/{questionnaire.slug}",
                       data={**hidden2, "q_age": "44", "q_when": "2026-05-01", "q_nps": "9", "nav": "submit"})
    assert done.status_code == 302
    response = db.session.scalar(select(Response))
    assert response.submitted_at is not None
    assert {a.value for a in response.answers} == {"5", "red", "yes", "44", "2026-05-01", "9"}


def test_language_switch_keeps_answers_without_storing(client, make, db):
    questionnaire = make.questionnaire(items=ONE_PAGE)
    _, hidden = start(client, questionnaire.slug, "de")
    page = client.post(f"/s/{questionnaire.slug}", data={**hidden, "q_colour": "green", "q_age": "21", "lang": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="en"' in html
    assert 'value="green" checked' in html and 'value="21"' in html
    assert "error" not in html.split("<main", 1)[1].split("errsum")[0] or "errsum" not in html
    assert counts(db) == (0, 0)


def test_unknown_closed_and_draft(client, make):
    assert client.get("/s/nope").status_code == 404
    closed = make.questionnaire(items=ONE_PAGE, status=Status.CLOSED)
    gone = client.get(f"/s/{closed.slug}")
    assert gone.status_code == 410 and "geschlossen" in gone.get_data(as_text=True)  # the survey's language (de)
    draft = make.questionnaire(items=ONE_PAGE, status=Status.DRAFT)
    assert client.get(f"/s/{draft.slug}").status_code == 404


def test_missing_csrf_is_refused(client, make, db):
    questionnaire = make.questionnaire(items=ONE_PAGE)
    _, hidden = start(client, questionnaire.slug, "en")
    hidden.pop("csrf_token")
    refused = client.post(f"/s/{questionnaire.slug}", data={**hidden, **GOOD, "nav": "submit"})
    assert refused.status_code == 400
    assert counts(db) == (0, 0)


def test_security_headers(client, make):
    questionnaire = make.questionnaire(items=ONE_PAGE)
    page = client.get(f"/s/{questionnaire.slug}")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
