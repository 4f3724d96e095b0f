"""One example per item type: how to answer it well and badly, and what each way must give.

A type without an example fails the registry test: adding a type means adding its example here.
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from surveyapp.responses.models import Answer
from tests.conftest import hidden_fields

OPTIONS = ["red", "green"]


@dataclass(frozen=True)
class Example:
    valid: str | list[str] | dict[str, str]  # what a respondent posts (for a composite: per part)
    stored: list[str]  # the Answer values it gives
    invalid: str | list[str] | dict[str, str]  # a value the type refuses
    message: str  # the refusal
    marker: str  # something only its widget shows on the page
    settings: dict = field(default_factory=dict)
    hint: str | None = None  # shown before anyone errs


EXAMPLES = {
    "single": Example("green", ["green"], "purple", "Not a valid choice.", 'type="radio"'),
    "multiple": Example(["red", "green"], ["red", "green"], ["red", "purple"], "not a valid choice",
                        'type="checkbox"'),
    "likert": Example("4", ["4"], "6", "Not a valid choice.", '<ul class="scale">', {"points": 5}),
    "scale10": Example("0", ["0"], "11", "Not a valid choice.", '<ul class="scale">'),
    "yesno": Example("no", ["no"], "maybe", "Not a valid choice.", 'value="yes"'),
    "number": Example("42", ["42"], "121", "Please enter a number from 0 to 120.", 'inputmode="numeric"',
                      {"min": 0, "max": 120}, "A number from 0 to 120."),
    "text": Example("  Graz ", ["Graz"], "x" * 501, "Field cannot be longer than 500 characters.",
                    'maxlength="500"'),
    "longtext": Example("two\r\nlines", ["two\nlines"], "x" * 5001, "Field cannot be longer than 5000 characters.",
                        "<textarea"),
    "date": Example("2024-02-29", ["2024-02-29"], "2031-01-01", "Please enter a date from Jan 1, 2020 to Dec 31, 2030.",
                    'type="date"', {"earliest": "2020-01-01", "latest": "2030-12-31"},
                    "A date from Jan 1, 2020 to Dec 31, 2030."),
    # shown only: whatever is posted for it is ignored, nothing stored, no column
    "display": Example("ignored", [], "", "", '<div class="q block" id="item-x">'),
    # a matrix without rows is shown only; its rows are items of their type (tests/itemtypes/test_matrix.py)
    "matrix": Example("ignored", [], "", "", '<div class="q matrix" id="item-x"', {"scale": "likert"}),
    # composites: what is posted for each part (x_red, x_green), checked together
    "ranking": Example({"red": "2", "green": "1"}, ["2", "1"], {"red": "1", "green": "1"},
                       "Please give each rank only once.", '<ul class="ranks">'),
    "rank": Example("1", ["1"], "3", "Not a valid choice.", "<select", {"ranks": 2}),
}


def questionnaire_with(make, code: str, programme=None, *, required: bool = True, settings=None, slug=None):
    """An open questionnaire (en, de, ar) whose one item, `x`, is of type `code`."""
    from surveyapp.itemtypes import item_type

    options = OPTIONS if item_type(code).has_options else []
    settings = EXAMPLES[code].settings if settings is None else settings
    return make.questionnaire(programme, slug=slug, languages=("en", "de", "ar"),
                              items=[("x", code, required, 1, settings, options)])


def answer(client, questionnaire, value, *, lang="en"):
    """Open the public page and submit `value` for item x; the response to the POST."""
    page = client.get(f"/s/{questionnaire.slug}?lang={lang}")
    assert page.status_code == 200
    posted = {f"q_x_{part}": part_value for part, part_value in value.items()} if isinstance(value, dict) \
        else {"q_x": value}
    return client.post(f"/s/{questionnaire.slug}",
                       data={**hidden_fields(page.get_data(as_text=True)), **posted, "nav": "submit"})


def stored(db, questionnaire, item=None) -> list[str]:
    item_id = (item or questionnaire.items[0]).id
    return list(db.session.scalars(select(Answer.value).where(Answer.item_id == item_id).order_by(Answer.id)))
