"""The ranking type: one `rank` part per option (a select "–", 1..k), ranks checked together (check_group)."""
import pytest

from surveyapp.itemtypes import REGISTRY
from tests.itemtypes.composites import post_answers, youth_survey
from tests.itemtypes.test_matrix import stored

RANKING = REGISTRY["ranking"]


def _ranking(make, **settings):
    questionnaire = youth_survey(make, ranking=True, ranking_settings=settings)
    return questionnaire, questionnaire.items[3]


def _check(ranking, **ranks):
    values = {"services_library": ["4"], **{f"modes_{code}": [value] if value else [] for code, value in ranks.items()}}
    return RANKING.check_group(ranking, values)


@pytest.mark.parametrize("ranks, settings, message", [
    ({"bike": "1", "bus": "2", "car": "3"}, {}, None),
    ({"bike": "2", "bus": "1", "car": ""}, {}, None),
    ({"bike": "1", "bus": "1", "car": ""}, {}, "Please give each rank only once."),
    ({"bike": "1", "bus": "3", "car": ""}, {}, "Please rank from 1 without gaps."),
    ({"bike": "", "bus": "2", "car": ""}, {}, "Please rank from 1 without gaps."),
    ({"bike": "", "bus": "", "car": ""}, {}, "Please rank at least one option."),
    ({"bike": "1", "bus": "", "car": ""}, {"rank_at_most": 2, "rank_exactly": True}, "Please rank exactly 2 options."),
    ({"bike": "1", "bus": "2", "car": ""}, {"rank_at_most": 2, "rank_exactly": True}, None),
])
def test_ranks_are_checked_together(app, make, ranks, settings, message):
    _questionnaire, ranking = _ranking(make, **settings)
    with app.test_request_context():
        problems = _check(ranking, **ranks)
    assert problems == ([("modes_bike", message)] if message else [])


def test_an_optional_ranking_may_be_left_empty(app, make):
    questionnaire = youth_survey(make, ranking=True, required=False)
    with app.test_request_context():
        assert _check(questionnaire.items[3], bike="", bus="", car="") == []


def test_rank_at_most_limits_the_ranks_offered_and_is_stored_on_each_part(make):
    _questionnaire, ranking = _ranking(make, rank_at_most=2)
    assert [part.settings for part in ranking.parts] == [{"ranks": 2}] * 3
    assert [part.kind.option_codes(part) for part in ranking.parts][0] == ["1", "2"]
    assert RANKING.check_settings({"rank_at_most": 2, "rank_exactly": False}) == {"rank_at_most": 2}


def test_ranked_through_the_page_by_ranks_given_once_from_one(app, make, db):
    questionnaire = youth_survey(make, ranking=True)
    rows = {"services_library": "4", "services_bus": "2"}
    client = app.test_client()
    refused = post_answers(client, questionnaire, {**rows, "modes_bike": "1", "modes_bus": "1"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'href="#q_modes_bike"' in html and "Please give each rank only once." in html
    assert '<p class="error" id="item-modes-error">' in html
    assert post_answers(client, questionnaire, {**rows, "modes_bike": "2", "modes_car": "1"}).status_code == 302
    assert stored(db)[2:] == [("modes_bike", "2"), ("modes_car", "1")]


def test_the_widget_is_one_labelled_select_per_option(app, make):
    questionnaire, _ranking_item = _ranking(make, rank_at_most=2)
    html = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert '<fieldset class="q ranking" id="item-modes">' in html
    assert '<label for="q_modes_bike">bike-en</label><select' in html
    assert html.count("<select") == 3 and '<option value="">–</option>' in html
    assert '<option value="3">' not in html  # at most 2 ranks
    assert "Rank up to 2 options: 1 for your first choice." in html
