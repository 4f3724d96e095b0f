"""How answers are checked and stored: numbers as plain digits, multiple choice without blanks, resuming."""
import re

from sqlalchemy import select

from surveyapp.respond import service
from surveyapp.responses.models import Answer, Response
from tests.conftest import hidden_fields

ITEMS = [
    ("amount", "number", False, 1, {"decimals": 6}, []),  # the most decimal places an item may have
    ("count", "number", False, 1, {}, []),
    ("tools", "multiple", False, 1, {}, ["bike", "car"]),
    ("later", "text", False, 2, {}, []),
]


def post_page_one(client, slug, answers):
    page = client.get(f"/s/{slug}?page=1")
    return client.post(f"/s/{slug}", data={**hidden_fields(page.get_data(as_text=True)), **answers,
                                           "page": "1", "nav": "next"})


def values(db) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for item_id, value in db.session.execute(select(Answer.item_id, Answer.value).order_by(Answer.id)):
        found.setdefault(item_id, []).append(value)
    return found


def test_numbers_are_stored_as_plain_digits_in_any_script(client, make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    amount, count, *_ = questionnaire.items
    answer = post_page_one(client, questionnaire.slug, {"q_amount": "-.000001", "q_count": " ٣٤ "})
    assert answer.status_code == 302
    assert values(db) == {amount.id: ["-0.000001"], count.id: ["34"]}


def test_largest_accepted_numbers(client, make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    amount, count, *_ = questionnaire.items
    answer = post_page_one(client, questionnaire.slug, {"q_amount": "-999999999999999.012345",
                                                        "q_count": "+999999999999999"})
    assert answer.status_code == 302
    assert values(db) == {amount.id: ["-999999999999999.012345"], count.id: ["999999999999999"]}


def test_resuming_a_decimal_answer_shows_it(client, make, db):
    """The stored text went into DecimalField as a string, which it cannot format: the resumed page was a 500.
    It is shown as stored, never rounded to two places."""
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    assert post_page_one(client, questionnaire.slug, {"q_amount": "12.345", "q_count": "7"}).status_code == 302
    page = client.get(f"/s/{questionnaire.slug}?page=1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="12.345"' in html and 'value="7"' in html


def test_a_stored_value_no_field_can_show_comes_back_empty(client, make, db):
    """Infinity or 1e999999 stored before they were refused: the respondent's page still opens."""
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    amount, count, *_ = questionnaire.items
    page = client.get(f"/s/{questionnaire.slug}")
    key = hidden_fields(page.get_data(as_text=True))["rk"]
    service.save_page(questionnaire, key, 1, "en", {amount.id: ["1e999999"], count.id: ["Infinity"]},
                      final=False)
    db.session.commit()
    with client.session_transaction() as session:
        session[f"rk{questionnaire.id}"] = key
    resumed = client.get(f"/s/{questionnaire.slug}?page=1")
    assert resumed.status_code == 200
    assert re.search(r'<input[^>]*name="q_amount"[^>]*value=""', resumed.get_data(as_text=True))


def test_multiple_choice_drops_blank_values_and_refuses_unknown_ones_behind_them(client, make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    tools = questionnaire.items[2]
    refused = post_page_one(client, questionnaire.slug, {"q_tools": ["", "evil"]})
    assert refused.status_code == 422 and values(db) == {}
    assert post_page_one(client, questionnaire.slug, {"q_tools": [""]}).status_code == 302
    assert values(db) == {}
    assert post_page_one(client, questionnaire.slug, {"q_tools": ["", "car", "car"]}).status_code == 302
    assert values(db) == {tools.id: ["car"]}


def test_checked_key_accepts_exactly_what_new_response_key_makes():
    for _ in range(50):
        key = service.new_response_key()
        assert service.checked_key(key) == key


def test_an_unusable_key_never_reaches_the_database(make, db):
    import pytest

    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    with pytest.raises(service.BadResponseKey):
        service.save_page(questionnaire, "k" * 65, 1, "en", {}, final=False)
    assert service.find_response("k" * 65, questionnaire) is None
    assert db.session.scalar(select(Response.id)) is None
