"""Pages as objects: add, retitle, reorder (items, page rows, titles, skip targets and respondents' current
page renumbered together), delete an empty page, move an item, and each page's condition and skip rules."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import Item, Questionnaire, Status
from surveyapp.responses.models import Response
from tests.questionnaires.builder import Builder

ITEMS = [("driven", "yesno", False, 1, {}, []), ("speed", "number", False, 2, {}, []),
         ("remark", "text", False, 3, {}, [])]


@pytest.fixture
def built(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=ITEMS)
    return Builder(client), questionnaire


def _url(questionnaire, rest=""):
    return f"/manage/questionnaires/{questionnaire.id}/pages{rest}"


def _fresh(db, questionnaire) -> Questionnaire:
    db.session.expire_all()
    return db.session.get(Questionnaire, questionnaire.id)


def _pages(questionnaire):
    return {item.code: item.page for item in questionnaire.items}


def test_the_questionnaire_page_lists_the_pages_with_their_logic(client, built):
    b, questionnaire = built
    b.post(_url(questionnaire, "/1"), {"title": "Fahren", "when_0": "driven = 'no'", "to_0": "end"})
    page = client.get(f"/manage/questionnaires/{questionnaire.id}").get_data(as_text=True)
    assert 'id="pages"' in page and "Fahren" in page and "driven = &#39;no&#39;" in page and "the end" in page
    assert _url(questionnaire, "/3/move") in page and "Add page" in page


def test_add_then_delete_an_empty_page(built, db):
    b, questionnaire = built
    assert b.post(_url(questionnaire)).status_code == 302
    assert _fresh(db, questionnaire).page_numbers == [1, 2, 3, 4]
    refused = b.post(_url(questionnaire, "/2/delete"))
    assert refused.status_code == 422 and "still has items" in refused.get_data(as_text=True)
    assert b.post(_url(questionnaire, "/4/delete")).status_code == 302
    assert _fresh(db, questionnaire).page_numbers == [1, 2, 3]


def test_deleting_an_empty_page_in_the_middle_renumbers_those_after_it(built, db):
    b, questionnaire = built
    b.post(_url(questionnaire))  # page 4
    b.post(_url(questionnaire, "/4/move"), {"direction": "up"})  # now 3, remark on 4
    b.post(_url(questionnaire, "/4"), {"title": "Bemerkung"})
    assert _pages(_fresh(db, questionnaire)) == {"driven": 1, "speed": 2, "remark": 4}
    assert b.post(_url(questionnaire, "/3/delete")).status_code == 302
    fresh = _fresh(db, questionnaire)
    assert _pages(fresh) == {"driven": 1, "speed": 2, "remark": 3} and fresh.text("page.3", "de") == "Bemerkung"


def test_title_condition_and_skips_are_saved_and_checked(built, db):
    b, questionnaire = built
    saved = b.post(_url(questionnaire, "/2?lang=en"), {"title": "Speed", "condition": "driven = 'yes'",
                                                     "when_0": "speed > 100", "to_0": "end"})
    assert saved.status_code == 302
    fresh = _fresh(db, questionnaire)
    page = fresh.page(2)
    assert fresh.text("page.2", "en") == "Speed" and page.condition == "driven = 'yes'"
    assert page.skips == [{"when": "speed > 100", "to": "end"}]
    for form, message in [({"condition": "speed > 3"}, "Condition of page 2"),
                          ({"when_0": "driven = 'no'"}, "Choose where this rule goes"),
                          ({"to_0": "3"}, "Write when this rule applies"),
                          ({"when_0": "driven = 'no'", "to_0": "1"}, None),
                          ({"when_0": "driven = 'no'", "to_0": "elsewhere"}, "choose a page from the list")]:
        refused = b.post(_url(questionnaire, "/2"), form)
        assert refused.status_code == 422, form
        assert message is None or message in refused.get_data(as_text=True)
    assert _fresh(db, questionnaire).page(2).skips == [{"when": "speed > 100", "to": "end"}]


def test_moving_a_page_renumbers_items_rows_titles_skips_and_respondents(built, db):
    b, questionnaire = built
    b.post(_url(questionnaire, "/1"), {"title": "Eins", "when_0": "driven = 'no'", "to_0": "3"})
    b.post(_url(questionnaire, "/2"), {"title": "Zwei"})
    db.session.add(Response(questionnaire_id=questionnaire.id, key="k-on-3", lang="de", page=3))
    db.session.commit()
    assert b.post(_url(questionnaire, "/3/move"), {"direction": "up"}).status_code == 302
    fresh = _fresh(db, questionnaire)
    assert _pages(fresh) == {"driven": 1, "speed": 3, "remark": 2}
    assert fresh.text("page.3", "de") == "Zwei" and fresh.text("page.2", "de") == ""
    assert fresh.page(1).skips == [{"when": "driven = 'no'", "to": 2}]
    assert db.session.scalar(select(Response.page).where(Response.key == "k-on-3")) == 2


def test_a_move_that_breaks_a_condition_is_refused_as_a_whole(built, db):
    b, questionnaire = built
    assert b.post(_url(questionnaire, "/3"), {"condition": "speed > 50"}).status_code == 302
    refused = b.post(_url(questionnaire, "/3/move"), {"direction": "up"})
    assert refused.status_code == 422 and "logic would no longer work" in refused.get_data(as_text=True)
    assert _pages(_fresh(db, questionnaire)) == {"driven": 1, "speed": 2, "remark": 3}


def test_an_item_moves_to_another_page_from_its_own_page(client, built, db):
    b, questionnaire = built
    remark = next(item for item in questionnaire.items if item.code == "remark")
    page = client.get(f"/manage/items/{remark.id}").get_data(as_text=True)
    assert '<option value="new">New page (4)</option>' in page
    moved = b.post(f"/manage/items/{remark.id}", {"code": "remark", "label": "Remark", "page": "1"})
    assert moved.status_code == 302
    assert db.session.scalar(select(Item.page).where(Item.id == remark.id)) == 1
    assert _fresh(db, questionnaire).page_numbers == [1, 2]


@pytest.mark.parametrize("path", ["/9", "/0"])
def test_unknown_pages_are_404(client, built, path):
    _b, questionnaire = built
    assert client.get(_url(questionnaire, path)).status_code == 404
