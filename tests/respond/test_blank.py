"""New respondents' pages come from one rendering per structure: the same bytes, their own hidden values."""
from flask import template_rendered

from surveyapp.questionnaires import service as builder
from surveyapp.respond import cache
from tests.conftest import hidden_fields

ITEMS = [
    ("agree", "likert", True, 1, {"points": 5}, []),
    ("colour", "single", True, 1, {}, ["red", "green"]),
    ("age", "number", True, 1, {"min": 15, "max": 99}, []),
    ("note", "longtext", False, 2, {}, []),
]
GOOD = {"q_agree": "4", "q_colour": "green", "q_age": "19", "nav": "next"}


def new_respondent(app, url):
    client = app.test_client()
    rendered = []
    with template_rendered.connected_to(lambda _app, template, **_: rendered.append(template.name), app):
        page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return client, html, hidden_fields(html), rendered


def swapped(html, old, new):
    return html.replace(old["csrf_token"], new["csrf_token"]).replace(old["rk"], new["rk"])


def test_new_respondents_get_identical_pages_with_their_own_token_and_key(app, make, db):
    questionnaire = make.questionnaire(items=ITEMS)
    texts = {"label": 'Fast & <b>"friendly"</b>?', "help": "1 = no"}
    builder.set_item_texts(questionnaire.items[0], "en", texts)
    db.session.commit()
    for lang in ("de", "en"):
        url = f"/s/{questionnaire.slug}?lang={lang}"
        _, first, first_hidden, first_rendered = new_respondent(app, url)
        client, second, second_hidden, second_rendered = new_respondent(app, url)
        assert first_rendered == ["respond/page.html"] and second_rendered == []  # the second is spliced
        assert all(second_hidden[name] != first_hidden[name] for name in ("csrf_token", "rk"))
        assert second == swapped(first, first_hidden, second_hidden)
        cache.clear()
        _, fresh, fresh_hidden, _ = new_respondent(app, url)
        assert fresh == swapped(first, first_hidden, fresh_hidden)
        done = client.post(f"/s/{questionnaire.slug}", data={**second_hidden, **GOOD})
        assert done.status_code == 302 and done.location.endswith("?page=2")
    assert "Fast &amp; &lt;b&gt;&#34;friendly&#34;&lt;/b&gt;?" in first
    assert "<b>" not in first


def test_a_resumed_or_flashed_page_is_rendered_for_its_respondent(app, make):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    url = f"/s/{questionnaire.slug}"
    new_respondent(app, url)  # warm
    client, _, hidden, _ = new_respondent(app, url)
    client.post(url, data={**hidden, **GOOD})
    page = client.get(f"{url}?page=1")
    assert 'value="4" checked' in page.get_data(as_text=True)  # resumed: its own answers
    other = app.test_client()
    with other.session_transaction() as session:
        session["_flashes"] = [("message", "Only for this visitor")]
    assert "Only for this visitor" in other.get(url).get_data(as_text=True)
    assert "Only for this visitor" not in app.test_client().get(url).get_data(as_text=True)
