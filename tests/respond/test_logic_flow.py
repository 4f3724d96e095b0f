"""Display conditions and skip rules in the one page flow, without JavaScript, through every entry point.

The questionnaire: page 1 asks whether the respondent drove (a "no" skips to page 3); page 2 how far and how
often; page 3 how it felt, and why only when it felt bad (a required item on the same page: shown, then judged
on the POST); "felt very good" ends the questionnaire there; page 4 only for daily drivers.
"""
import re

import pytest
from sqlalchemy import select

from surveyapp.itemtypes import item_type
from surveyapp.questionnaires.models import Item, Page
from surveyapp.responses.models import Answer, Response
from tests.respond.test_flow import _invitation, _preview, _public

ITEMS = [
    ("drove", "yesno", True, 1, {}, []),
    ("km", "number", True, 2, {"min": 0, "max": 100000}, []),
    ("often", "single", True, 2, {}, ["daily", "weekly"]),
    ("feel", "likert", True, 3, {"points": 5}, []),
    ("why", "text", True, 3, {}, []),
    ("tips", "text", False, 4, {}, []),
]
DROVE, DID_NOT = {"q_drove": "yes", "nav": "next"}, {"q_drove": "no", "nav": "next"}
DAILY = {"q_km": "120", "q_often": "daily", "nav": "next"}


def logic_questionnaire(make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en", "de"))
    next(item for item in questionnaire.items if item.code == "why").condition = "feel <= 2"
    questionnaire.pages.extend([
        Page(number=1, skips=[{"when": "drove = 'no'", "to": 3}]),
        Page(number=3, skips=[{"when": "feel = 5", "to": "end"}]),
        Page(number=4, condition="often = 'daily'"),
    ])
    db.session.commit()
    return questionnaire


@pytest.fixture(params=[_public, _invitation, _preview], ids=["public", "invitation", "preview"])
def way(request, app, make, db):
    return request.param(app, make, db, logic_questionnaire(make, db))


@pytest.fixture
def public(app, make, db):
    return _public(app, make, db, logic_questionnaire(make, db))


def progress(html: str) -> str:
    return re.search(r"Page \d+ of \d+", html).group(0)


def page_of(response) -> int:
    assert response.status_code == 302, response.status_code
    return int(re.search(r"page=(\d+)", response.location).group(1))


def answer(way, page: int, data: dict):
    return way.post({**way.hidden(page), **data})


def kept(db) -> dict[str, list[str]]:
    """The stored answers by item code."""
    db.session.expire_all()
    rows = db.session.execute(select(Item.code, Answer.value).join(Item, Answer.item_id == Item.id)
                              .order_by(Answer.id))
    answers = {}
    for code, value in rows:
        answers.setdefault(code, []).append(value)
    return answers


def finished(way, response) -> bool:
    """The response was submitted: each entry point's own way of saying so."""
    assert response.status_code == 302, response.status_code
    if way.name == "public":
        return response.location.endswith("/thanks")
    if way.name == "invitation":
        return "page=" not in response.location
    return "Nothing was stored" in way.client.get(response.location).get_data(as_text=True)


def submitted(db) -> bool:
    db.session.expire_all()
    return db.session.scalar(select(Response.submitted_at)) is not None


def test_the_driving_path_asks_every_page_that_applies(way, db):
    assert progress(way.open().get_data(as_text=True)) == "Page 1 of 3"  # page 4 is for daily drivers only
    assert page_of(answer(way, 1, DROVE)) == 2
    assert progress(way.open(2).get_data(as_text=True)) == "Page 2 of 4"  # "daily" here may bring page 4 on
    assert page_of(answer(way, 2, DAILY)) == 3
    assert progress(way.open(3).get_data(as_text=True)) == "Page 3 of 4"
    assert page_of(answer(way, 3, {"q_feel": "4", "q_why": "not asked", "nav": "next"})) == 4
    page_four = way.open(4).get_data(as_text=True)
    assert progress(page_four) == "Page 4 of 4" and 'value="submit" class="primary"' in page_four
    assert finished(way, answer(way, 4, {"q_tips": "Slow down", "nav": "submit"}))
    if way.stores:
        assert submitted(db)
        assert kept(db) == {"drove": ["yes"], "km": ["120"], "often": ["daily"], "feel": ["4"],
                            "tips": ["Slow down"]}  # "why" was hidden (felt fine): not kept


def test_the_non_driving_path_skips_and_ends_early(way, db):
    assert page_of(answer(way, 1, DID_NOT)) == 3  # the skip rule passes page 2
    page_three = way.open(3).get_data(as_text=True)
    assert progress(page_three) == "Page 2 of 2" and 'value="submit" class="primary"' in page_three
    assert 'name="q_why"' in page_three  # reads its own page: shown without JavaScript
    felt_bad = answer(way, 3, {"q_feel": "1", "nav": "submit"})
    assert felt_bad.status_code == 422 and "Please answer this question." in felt_bad.get_data(as_text=True)
    assert finished(way, answer(way, 3, {"q_feel": "3", "q_why": "typed, then hidden", "nav": "submit"}))
    if way.stores:
        assert submitted(db)
        assert kept(db) == {"drove": ["no"], "feel": ["3"]}  # a hidden required item never blocks


def test_a_skip_to_the_end_submits(way, db):
    answer(way, 1, DROVE)
    answer(way, 2, DAILY)
    assert finished(way, answer(way, 3, {"q_feel": "5", "nav": "next"}))
    if way.stores:
        assert submitted(db) and "tips" not in kept(db)


def test_a_page_off_the_way_sends_on_to_the_nearest(way):
    answer(way, 1, DID_NOT)
    assert page_of(way.open(2)) == 3
    assert page_of(way.open(4)) == 3  # nothing after it: the way's last page
    assert way.open(3).status_code == 200


def test_back_walks_the_way(way):
    answer(way, 1, DID_NOT)
    back = way.post({**way.hidden(3), "q_feel": "2", "nav": "back"})
    assert page_of(back) == 1


def test_changing_an_answer_on_an_earlier_page_drops_the_answers_it_hides(public, db):
    answer(public, 1, DROVE)
    answer(public, 2, DAILY)
    answer(public, 3, {"q_feel": "1", "q_why": "Rain", "nav": "next"})
    assert kept(db) == {"drove": ["yes"], "km": ["120"], "often": ["daily"], "feel": ["1"], "why": ["Rain"]}
    assert page_of(answer(public, 1, DID_NOT)) == 3
    assert kept(db) == {"drove": ["no"], "feel": ["1"], "why": ["Rain"]}  # page 2 is off the way now
    answer(public, 3, {"q_feel": "4", "nav": "back"})  # a draft: why is hidden now, so its answer goes
    assert kept(db) == {"drove": ["no"], "feel": ["4"]}


def test_resuming_goes_to_the_next_page_of_the_way(public):
    answer(public, 1, DID_NOT)
    resumed = public.open().get_data(as_text=True)  # the response says page 2, which the skip passes
    assert 'name="page" value="3"' in resumed and progress(resumed) == "Page 2 of 2"


def test_a_same_page_condition_is_drawn_for_the_script(public):
    html = public.open().get_data(as_text=True)
    assert "logic.js" not in html  # nothing on page 1 depends on its own page
    answer(public, 1, DID_NOT)
    html = public.open(3).get_data(as_text=True)
    condition = re.search(r'<div class="shown-if" data-condition="([^"]+)" data-known="([^"]+)">', html)
    assert condition.group(1) == "[&#34;cmp&#34;, &#34;&lt;=&#34;, [&#34;ref&#34;, &#34;feel&#34;], " \
                                 "[&#34;lit&#34;, &#34;2&#34;]]"
    assert condition.group(2) == "{}"
    assert re.search(r'<script src="/static/logic\.js\?v=\w+" defer></script>', html)


def test_group_check_messages_are_field_errors(public, db, monkeypatch):
    def check_group(self, item, values):
        return [("km", "Too far for a day.")] if item.code == "often" and values["km"] == ["900"] else []

    monkeypatch.setattr(type(item_type("single")), "check_group", check_group)
    answer(public, 1, DROVE)
    refused = answer(public, 2, {**DAILY, "q_km": "900"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert '<a href="#q_km">km (en): Too far for a day.</a>' in html and 'id="q_km-error"' in html
    assert "km" not in kept(db)
    assert page_of(answer(public, 2, DAILY)) == 3


def _second_page_if_named(make, db):
    """Page 2 is shown only to who gave a name on page 1."""
    questionnaire = make.questionnaire(items=[("name", "text", False, 1, {}, []), ("more", "text", False, 2, {}, [])],
                                       languages=("en",))
    questionnaire.pages.append(Page(number=2, condition="answered(name)"))
    db.session.commit()
    return questionnaire


def test_a_page_that_an_answer_may_still_bring_on_keeps_the_first_page_from_submitting(app, make, db):
    way = _public(app, make, db, _second_page_if_named(make, db))
    first = way.open().get_data(as_text=True)
    assert progress(first) == "Page 1 of 2" and 'value="next" class="primary"' in first
    assert page_of(answer(way, 1, {"q_name": "Lena", "nav": "next"})) == 2
    second = way.open(2).get_data(as_text=True)
    assert progress(second) == "Page 2 of 2" and 'value="submit" class="primary"' in second
    again = way.open(1).get_data(as_text=True)
    assert progress(again) == "Page 1 of 2" and 'value="next" class="primary"' in again


def test_without_the_answer_the_first_page_still_shows_next_and_then_submits(app, make, db):
    way = _public(app, make, db, _second_page_if_named(make, db))
    assert 'value="next" class="primary"' in way.open().get_data(as_text=True)
    assert finished(way, answer(way, 1, {"q_name": "", "nav": "next"}))
    assert submitted(db)
