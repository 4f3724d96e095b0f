"""The matrix type: rows sharing one scale, each row a likert / 0–10 / single item of its own; the widget is
one radio group (fieldset and legend) per row under one header, answered and stored row by row."""
import pytest
from sqlalchemy import select

from surveyapp.errors import DomainError
from surveyapp.itemtypes import REGISTRY
from surveyapp.questionnaires.models import Item
from surveyapp.responses.models import Answer
from tests.itemtypes.composites import post_answers, youth_survey

MATRIX = REGISTRY["matrix"]


def _youth(make, scale="likert", options=(), required=True):
    return youth_survey(make, scale=scale, options=options, required=required)


def test_settings_are_checked_and_rows_are_not_stored_as_a_setting():
    assert MATRIX.check_settings({"scale": "scale10", "points": None}) == {"scale": "scale10"}
    for bad in ({"scale": "stars"}, {"scale": "likert", "points": 6}):
        with pytest.raises(DomainError):
            MATRIX.check_settings(bad)
    assert MATRIX.part_keys == ("rows",) and "rows" in MATRIX.settings_keys
    assert not MATRIX.answered and MATRIX.composite and MATRIX.columns(None) == []


@pytest.mark.parametrize("scale, options, row_type, codes", [
    ("likert", (), "likert", ["1", "2", "3", "4", "5"]),
    ("scale10", (), "scale10", [str(n) for n in range(11)]),
    ("options", ("often", "never"), "single", ["often", "never"]),
])
def test_each_scale_gives_rows_of_its_type(make, scale, options, row_type, codes):
    matrix = _youth(make, scale, options).items[0]
    assert [(row.type, row.kind.option_codes(row)) for row in matrix.parts] == [(row_type, codes)] * 2


def test_the_widget_is_one_labelled_radio_group_per_row_under_one_header(app, make, db):
    questionnaire = _youth(make)
    html = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert 'class="q matrix"' in html and 'class="mx-head" aria-hidden="true"' in html
    assert html.count('<fieldset class="mx-row"') == 2
    assert "<legend>Library</legend>" in html and "<legend>Buses</legend>" in html
    assert 'name="q_services_library" value="5"' in html and 'id="q_services_bus-0"' in html
    assert '<span class="sr"> (great)</span>' in html  # screen readers hear the end label with its point
    assert html.count('type="radio"') == 10


def test_answered_row_by_row_and_a_missing_required_row_is_named(app, make, db):
    questionnaire = _youth(make)
    client = app.test_client()
    refused = post_answers(client, questionnaire, {"services_library": "4"})
    assert refused.status_code == 422
    assert 'href="#q_services_bus-0"' in refused.get_data(as_text=True)
    assert post_answers(client, questionnaire, {"services_library": "4", "services_bus": "2"}).status_code == 302
    assert stored(db) == [("services_library", "4"), ("services_bus", "2")]


def test_an_options_matrix_lists_its_choices_and_stores_their_codes(app, make, db):
    questionnaire = _youth(make, "options", ("often", "never"))
    html = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert 'class="q matrix mx-listed"' in html and '<span class="mx-choice">often-en</span>' in html
    assert post_answers(app.test_client(), questionnaire, {"services_library": "never", "services_bus": "often"},
                        ).status_code == 302
    assert stored(db) == [("services_library", "never"), ("services_bus", "often")]


def stored(db):
    return db.session.execute(select(Item.code, Answer.value).join(Item).order_by(Answer.id)).all()
