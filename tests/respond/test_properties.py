"""Property-based: whatever a respondent sends to /s/<slug> or /i/<token>, the answer is 2xx-4xx, never 5xx,
and the database holds either the whole page or nothing of it.

Page 1 of a two-page questionnaire is posted with arbitrary text, numbers, option codes and keys. After a
refusal (4xx) the stored answers are exactly as before; after an acceptance (a redirect) page 1's answers are
exactly the non-blank values sent, each one clean (no control character, numbers finite and bounded).
Runs on whichever database the suite runs on (TEST_DATABASE_URL).
"""
import math
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from surveyapp.questionnaires.models import Item
from surveyapp.responses.models import Answer, Response
from surveyapp.textclean import forbidden_character
from tests import panel_factories as panel
from tests.conftest import hidden_fields
from tests.gdpr.panel import token_of

ITEMS = [
    ("amount", "number", False, 1, {"decimals": 2}, []),
    ("count", "number", False, 1, {"min": -5}, []),
    ("note", "text", False, 1, {}, []),
    ("story", "longtext", False, 1, {}, []),
    ("colour", "single", False, 1, {}, ["red", "green"]),
    ("tools", "multiple", False, 1, {}, ["bike", "car"]),
    ("when", "date", False, 1, {}, []),
    ("agree", "likert", False, 1, {"points": 5}, []),
    ("later", "text", False, 2, {}, []),
]
NUMERIC = {"amount", "count"}
PROPERTY = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# any text a browser can send (surrogates cannot be encoded as UTF-8, so they never arrive)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
numbers = st.one_of(st.integers().map(str), st.floats().map(str), st.decimals().map(str),
                    st.sampled_from(["Infinity", "-Infinity", "NaN", "1e999999", "9" * 400, " 12 ", "٣٤"]))
pages = st.fixed_dictionaries({}, optional={
    "q_amount": st.one_of(numbers, texts),
    "q_count": st.one_of(numbers, texts),
    "q_note": texts,
    "q_story": st.one_of(texts, st.just("one\r\ntwo\tthree")),
    "q_colour": st.one_of(st.sampled_from(["red", "green", ""]), texts),
    "q_tools": st.lists(st.one_of(st.sampled_from(["bike", "car"]), texts), max_size=4),
    "q_when": st.one_of(st.dates().map(date.isoformat), texts),
    "q_agree": st.one_of(st.sampled_from(["1", "5", "6", "0"]), texts),
    "q_later": texts,  # a field of page 2: never stored from page 1
})
keys = st.one_of(st.none(), texts, st.text("abcXYZ019_-", min_size=30, max_size=70))


def stored(db, questionnaire) -> list[tuple]:
    db.session.expire_all()
    return sorted(db.session.execute(
        select(Response.key, Item.code, Answer.value).join(Answer.response).join(Item, Answer.item_id == Item.id)
        .where(Response.questionnaire_id == questionnaire.id)).all())


def check(db, questionnaire, before: list[tuple], answer, sent: dict, key: str | None = None) -> None:
    event(f"status {answer.status_code}")
    assert answer.status_code < 500, answer.status_code
    after = stored(db, questionnaire)
    if answer.status_code >= 400:
        assert after == before
        return
    assert answer.status_code in (200, 302)
    if answer.status_code == 200:  # a page shown again (language switch): nothing stored
        assert after == before
        return
    ours = [row for row in after if key is None or row[0] == key]
    answered = {code for _key, code, _value in ours}
    expected = {name[2:] for name, value in sent.items() if name != "q_later" and _filled(value)}
    assert answered == expected
    for _key, code, value in ours:
        assert forbidden_character(value) is None
        if code in NUMERIC:
            number = float(value)
            assert math.isfinite(number) and abs(number) < 1e15


def _filled(value) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(v.strip() for v in values)


@pytest.fixture
def survey(make):
    return make.questionnaire(items=ITEMS, languages=("en",))


def test_public_link_never_500_and_never_a_partial_page(client, db, survey):
    @PROPERTY
    @given(page=pages, key=keys)
    def run(page, key):
        form = client.get(f"/s/{survey.slug}?page=1")
        assert form.status_code == 200
        hidden = hidden_fields(form.get_data(as_text=True))
        if key is not None:
            hidden["rk"] = key
        before = stored(db, survey)
        answer = client.post(f"/s/{survey.slug}", data={**hidden, **page, "page": "1", "nav": "next"})
        check(db, survey, before, answer, page, hidden["rk"])

    run()


def test_personal_link_never_500_and_never_a_partial_page(app, client, db, survey):
    session = panel.session(db, survey.programme, date.today() - timedelta(days=1))
    anna = panel.participant(db, session, "anna@example.org", "en")
    panel.wave(db, survey.programme, survey, window_days=30)
    link = f"/i/{token_of(app, db, anna)}"
    app.config["TOKEN_RATE_LIMIT"] = "100000 per minute"  # the brute-force limit is not what is tested here

    @PROPERTY
    @given(page=pages, key=keys)
    def run(page, key):
        form = client.get(f"{link}?page=1")
        assert form.status_code == 200
        hidden = hidden_fields(form.get_data(as_text=True))
        if key is not None:
            hidden["rk"] = key  # ignored: the invitation decides the key
        before = stored(db, survey)
        answer = client.post(link, data={**hidden, **page, "page": "1", "nav": "next"})
        check(db, survey, before, answer, page)

    run()
