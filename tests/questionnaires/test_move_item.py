"""Moving an item up or down in the builder (POST /manage/items/<id>/move): refused, with nothing moved, when a
condition would then read an item the respondent meets only later; a composite moves with its parts."""
import pytest

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import Item, Status
from tests.questionnaires.builder import Builder, item_fields

ITEMS = [
    ("verkehr", "single", False, 1, {}, ["bus", "auto"]),
    ("xx", "text", False, 1, {}, []),
    ("services", "matrix", False, 1, {"scale": "likert", "points": 5, "rows": "library = Bücherei\nparks = Parks"},
     []),
    ("ende", "text", False, 1, {}, []),
]


@pytest.fixture
def survey(client, make, auth, db):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=ITEMS)
    _item(questionnaire, "xx").condition = "verkehr = 'bus'"
    db.session.commit()
    return Builder(client), questionnaire


def _item(questionnaire, code):
    return next(item for item in questionnaire.items if item.code == code)


def _order(db, questionnaire):
    db.session.expire_all()
    return [item.code for item in sorted(questionnaire.items, key=lambda item: item.position)]


def _move(b, item, direction):
    return b.post(f"/manage/items/{item.id}/move", {"direction": direction})


BEFORE = ["verkehr", "xx", "services", "services_library", "services_parks", "ende"]


@pytest.mark.parametrize(("code", "direction"), [("xx", "up"), ("verkehr", "down")])
def test_a_move_putting_a_condition_before_what_it_reads_is_refused(survey, db, code, direction):
    b, questionnaire = survey
    refused = _move(b, _item(questionnaire, code), direction)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "was not moved" in page and "Condition of “xx”" in page and "verkehr" in page
    assert _order(db, questionnaire) == BEFORE
    verkehr = _item(questionnaire, "verkehr")
    assert b.post(f"/manage/items/{verkehr.id}", item_fields(verkehr, label="Verkehrsmittel")).status_code == 302


def test_a_composite_moves_with_its_parts_when_no_condition_objects(survey, db):
    b, questionnaire = survey
    assert _move(b, _item(questionnaire, "services"), "up").status_code == 302
    assert _order(db, questionnaire) == ["verkehr", "services", "services_library", "services_parks", "xx", "ende"]
    assert _move(b, _item(questionnaire, "services"), "down").status_code == 302
    assert _move(b, _item(questionnaire, "ende"), "up").status_code == 302
    assert _order(db, questionnaire) == ["verkehr", "xx", "ende", "services", "services_library", "services_parks"]


def test_a_row_condition_keeps_its_matrix_below_what_it_reads(survey, db):
    b, questionnaire = survey
    _item(questionnaire, "ende").condition = "services_parks = '5'"
    db.session.commit()
    refused = _move(b, _item(questionnaire, "services"), "down")
    assert refused.status_code == 422 and "Condition of “ende”" in refused.get_data(as_text=True)
    assert _order(db, questionnaire) == BEFORE
    assert db.session.get(Item, _item(questionnaire, "ende").id).condition == "services_parks = '5'"
