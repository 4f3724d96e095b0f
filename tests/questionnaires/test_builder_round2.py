"""The builder after the outside tester's second pass: archived moves refused (409), moves within a page, options
shown only for types that have them, ranking's k bounded, German codes transliterated."""
import re
from datetime import UTC, datetime

import pytest

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import Status
from tests.questionnaires.builder import Builder

ITEMS = [
    ("verkehr", "single", False, 1, {}, ["bus", "auto"]),
    ("erste", "text", False, 1, {}, []),
    ("zweite", "text", False, 2, {}, []),
    ("dritte", "text", False, 2, {}, []),
]


@pytest.fixture
def survey(client, make, auth, db):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=ITEMS)
    return Builder(client), questionnaire


def _item(questionnaire, code):
    return next(item for item in questionnaire.items if item.code == code)


def _order(db, questionnaire):
    db.session.expire_all()
    return [item.code for item in sorted(questionnaire.items, key=lambda item: item.position)]


@pytest.mark.parametrize("archived", ["questionnaire", "programme"])
def test_moves_in_an_archived_questionnaire_are_refused_with_409(survey, db, archived):
    b, questionnaire = survey
    owner = questionnaire if archived == "questionnaire" else questionnaire.programme
    owner.archived_at = datetime.now(UTC)
    db.session.commit()
    item, option = _item(questionnaire, "dritte"), _item(questionnaire, "verkehr").options[1]
    for url in (f"/manage/items/{item.id}/move", f"/manage/options/{option.id}/move",
                f"/manage/questionnaires/{questionnaire.id}/pages/2/move"):
        refused = b.post(url, {"direction": "up"})
        assert refused.status_code == 409, url
        assert "archived" in refused.get_data(as_text=True)
    assert _order(db, questionnaire) == ["verkehr", "erste", "zweite", "dritte"]


def test_up_and_down_stay_on_the_items_page(survey, db):
    b, questionnaire = survey
    for code, direction in (("zweite", "up"), ("erste", "down")):
        refused = b.post(f"/manage/items/{_item(questionnaire, code).id}/move", {"direction": direction})
        assert refused.status_code == 422
        assert "on its page" in refused.get_data(as_text=True)
    assert _order(db, questionnaire) == ["verkehr", "erste", "zweite", "dritte"]
    assert b.post(f"/manage/items/{_item(questionnaire, 'dritte').id}/move", {"direction": "up"}).status_code == 302
    assert _order(db, questionnaire) == ["verkehr", "erste", "dritte", "zweite"]


def test_moving_a_page_that_does_not_exist_is_404(survey):
    b, questionnaire = survey
    assert b.post(f"/manage/questionnaires/{questionnaire.id}/pages/7/move", {"direction": "up"}).status_code == 404


def test_a_likert_or_0_10_matrix_shows_no_options(client, survey, db):
    b, questionnaire = survey
    assert b.add_item(questionnaire.id, "services", "matrix", "Wie zufrieden?", scale="likert",
                      rows="library = Bücherei").status_code == 302
    matrix = _item(questionnaire, "services")
    page = client.get(f"/manage/items/{matrix.id}").get_data(as_text=True)
    assert "No options yet" not in page and 'id="options"' not in page
    listing = client.get(f"/manage/questionnaires/{questionnaire.id}").get_data(as_text=True)
    assert "(0)" not in listing
    assert "Matrix (rows sharing one scale) (0)" not in listing


def test_none_of_these_waits_for_the_options_when_adding(client, survey):
    _b, questionnaire = survey
    page = client.get(f"/manage/questionnaires/{questionnaire.id}/items/new?type=multiple").get_data(as_text=True)
    assert "Save the item with its options first" in page


def test_a_ranking_ranks_at_most_as_many_as_it_has(client, survey, db):
    b, questionnaire = survey
    refused = b.add_item(questionnaire.id, "best", "ranking", "Was ist am wichtigsten?", rank_at_most="5",
                         options="Bus\nBahn")
    assert refused.status_code == 422 and "only 2 options" in refused.get_data(as_text=True)
    assert all(item.code != "best" for item in questionnaire.items)
    assert b.add_item(questionnaire.id, "best", "ranking", "Was?", rank_at_most="2",
                      options="Bus\nBahn").status_code == 302
    ranking = _item(questionnaire, "best")
    again = b.post(f"/manage/items/{ranking.id}", {"code": "best", "page": "1", "label": "Was?", "rank_at_most": "3"})
    assert again.status_code == 422 and "only 2 options" in again.get_data(as_text=True)


@pytest.mark.parametrize("mode", ["append", "replace"])
def test_labels_differing_only_in_case_are_one_option(survey, db, mode):
    b, questionnaire = survey
    verkehr = _item(questionnaire, "verkehr")
    refused = b.post(f"/manage/items/{verkehr.id}/options/bulk", {"lines": "bus\nZug\nzug", "mode": mode})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "listed twice" in page, re.findall(r'class="error">([^<]*)', page)
    db.session.expire_all()
    assert [option.code for option in verkehr.options] == ["bus", "auto"]


def test_a_refused_condition_is_marked_on_its_field(survey):
    b, questionnaire = survey
    item = _item(questionnaire, "erste")
    refused = b.post(f"/manage/items/{item.id}", {"code": "erste", "page": "1", "label": "Erste?",
                                                  "condition": "nirgends = 'x'"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and 'id="condition-error"' in page
    assert 'aria-describedby="condition-desc condition-error"' in page or 'aria-describedby="condition-error"' in page


def test_a_refused_skip_rule_is_marked_on_its_row(survey):
    b, questionnaire = survey
    refused = b.post(f"/manage/questionnaires/{questionnaire.id}/pages/1",
                     {"title": "Eins", "condition": "", "when_0": "", "to_0": "", "when_1": "dritte = 'x'",
                      "to_1": "end"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="when_1-error"' in page and 'id="when_0-error"' not in page
    refused = b.post(f"/manage/questionnaires/{questionnaire.id}/pages/2", {"condition": "nirgends = 1"})
    assert refused.status_code == 422 and 'id="condition-error"' in refused.get_data(as_text=True)


def test_an_item_added_or_moved_to_an_earlier_page_goes_after_that_pages_items(survey, db):
    """Positions follow the pages: the builder's list, its arrows and the export's columns read them in order."""
    from surveyapp.questionnaires import service

    _b, questionnaire = survey
    service.add_item(questionnaire, "neu", "text", page=1)
    db.session.commit()
    assert _order(db, questionnaire) == ["verkehr", "erste", "neu", "zweite", "dritte"]
    dritte = _item(questionnaire, "dritte")
    service.update_item(dritte, code="dritte", required=False, page=1, settings={})
    db.session.commit()
    assert _order(db, questionnaire) == ["verkehr", "erste", "neu", "dritte", "zweite"]
