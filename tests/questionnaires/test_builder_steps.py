"""A new item in two steps without JavaScript: its type first, then a form with that type's settings only; the
code suggested from the question when left empty; the page chosen from a list (or a new one); a display
condition checked when saved."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.codes import suggest_code
from surveyapp.questionnaires.models import Item, Status
from tests.questionnaires.builder import Builder, id_from


@pytest.fixture
def builder(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=[
        ("driven", "yesno", False, 1, {}, [])])
    return Builder(client), questionnaire


def _new(builder_, questionnaire, type_code, **data):
    b, _q = builder_
    return b.post(f"/manage/questionnaires/{questionnaire.id}/items/new?type={type_code}",
                  {"type": type_code, "page": "1", **data})


def _item(db, questionnaire, code) -> Item:
    db.session.expire_all()
    return db.session.scalar(select(Item).where(Item.questionnaire_id == questionnaire.id, Item.code == code))


def test_step_one_lists_the_types_with_a_line_each_and_no_settings(client, builder):
    _b, questionnaire = builder
    page = client.get(f"/manage/questionnaires/{questionnaire.id}/items/new").get_data(as_text=True)
    assert "choose its type" in page and "Likert scale" in page and "Agreement on a 5- or 7-point scale" in page
    assert f"/manage/questionnaires/{questionnaire.id}/items/new?type=likert" in page
    assert "Rank of an option" not in page  # a part of a ranking only
    assert "<form" not in page.split("<main", 1)[1] or 'name="label"' not in page


def test_step_two_shows_only_the_chosen_type_s_settings(client, builder):
    _b, questionnaire = builder
    page = client.get(f"/manage/questionnaires/{questionnaire.id}/items/new?type=number").get_data(as_text=True)
    assert 'name="min"' in page and 'name="points"' not in page and 'name="low"' not in page
    assert 'type="hidden" name="type" value="number"' in page
    likert = client.get(f"/manage/questionnaires/{questionnaire.id}/items/new?type=likert").get_data(as_text=True)
    assert 'name="points"' in likert and 'name="min"' not in likert


def test_an_unknown_type_is_a_422_with_the_list_again(client, builder):
    _b, questionnaire = builder
    answer = client.get(f"/manage/questionnaires/{questionnaire.id}/items/new?type=hologram")
    assert answer.status_code == 422 and "no such type" in answer.get_data(as_text=True)
    posted = _new(builder, questionnaire, "rank", label="Rank?")
    assert posted.status_code == 422


def test_the_code_is_suggested_from_the_question_and_editable_afterwards(builder, db):
    b, questionnaire = builder
    added = _new(builder, questionnaire, "text", label="Wie zufrieden bist du mit der Straßenbahn?", code="")
    assert added.status_code == 302
    item = _item(db, questionnaire, "wie_zufrieden_bist_du_mit_der")
    assert item is not None and item.text("label", "de").startswith("Wie zufrieden")
    again = _new(builder, questionnaire, "text", label="Wie zufrieden bist du mit der Straßenbahn?")
    assert again.status_code == 302 and _item(db, questionnaire, "wie_zufrieden_bist_du_mit_2") is not None
    renamed = b.post(f"/manage/items/{item.id}", {"code": "tram", "page": "1", "label": "Straßenbahn?"})
    assert renamed.status_code == 302 and _item(db, questionnaire, "tram") is not None


def test_suggested_codes():
    assert suggest_code("Hast du seit der Session ein Auto gefahren?", set()) == "hast_du_seit_der_session_ein"
    assert suggest_code("Ça va? Öffis & Straße", set()) == "ca_va_oeffis_strasse"
    assert suggest_code("Wie oft fährst du? ÄRGER, ÜBER", set()) == "wie_oft_faehrst_du_aerger"  # whole words
    assert suggest_code("كيف حالك؟", {"q"}) == "q_2"
    assert suggest_code("2024 plans", set()) == "q_2024_plans"
    assert suggest_code("Ja", {"ja"}, letter_first=False) == "ja_2"
    assert suggest_code("x" * 40, set()) == "x" * 30
    long = suggest_code("a" * 30, {"a" * 30})
    assert long == "a" * 28 + "_2" and len(long) <= 30


def test_a_new_page_from_the_page_list(builder, db):
    _b, questionnaire = builder
    assert _new(builder, questionnaire, "text", code="later", label="Later", page="new").status_code == 302
    assert _item(db, questionnaire, "later").page == 2
    refused = _new(builder, questionnaire, "text", code="nowhere", label="Nowhere", page="two")
    assert refused.status_code == 422 and "choose a page from the list" in refused.get_data(as_text=True)


def test_a_condition_is_checked_when_saved_and_shown_in_the_list(client, builder, db):
    b, questionnaire = builder
    bad = _new(builder, questionnaire, "text", code="where", label="Where?", condition="driven = 'yes' and")
    assert bad.status_code == 422
    assert "Condition of “where”" in bad.get_data(as_text=True) and _item(db, questionnaire, "where") is None
    later = _new(builder, questionnaire, "text", code="where", label="Where?", condition="speed > 3")
    assert later.status_code == 422 and _item(db, questionnaire, "where") is None
    good = _new(builder, questionnaire, "text", code="where", label="Where?", condition="driven = 'yes'")
    assert good.status_code == 302 and _item(db, questionnaire, "where").condition == "driven = 'yes'"
    listing = client.get(f"/manage/questionnaires/{questionnaire.id}").get_data(as_text=True)
    assert "Shown if" in listing and "driven = &#39;yes&#39;" in listing
    item = _item(db, questionnaire, "where")
    cleared = b.post(f"/manage/items/{item.id}", {"code": "where", "page": "1", "label": "Where?", "condition": ""})
    assert cleared.status_code == 302 and _item(db, questionnaire, "where").condition is None


def test_choice_options_can_be_typed_with_the_new_item(builder, db):
    _b, questionnaire = builder
    added = _new(builder, questionnaire, "single", code="often", label="How often?",
                 options="1 = Never\nSometimes\n\nOften")
    assert added.status_code == 302 and "/items/" not in added.location  # options given: back to the list
    item = _item(db, questionnaire, "often")
    assert [(o.code, o.label("de")) for o in item.options] == [("1", "Never"), ("sometimes", "Sometimes"),
                                                               ("often", "Often")]
    bare = _new(builder, questionnaire, "single", code="bare", label="Which?")
    assert f"/manage/items/{id_from(bare.location, 'items')}" in bare.location  # on to its options


def test_parts_are_listed_under_their_composite_and_keep_its_page(client, builder, db):
    b, questionnaire = builder
    grid = Item(code="services", type="matrix", page=1, position=5, settings={})
    row = Item(code="services_library", type="likert", page=1, position=6, settings={}, parent=grid)
    questionnaire.items.extend([grid, row])
    db.session.commit()
    listing = client.get(f"/manage/questionnaires/{questionnaire.id}").get_data(as_text=True)
    assert '<tr class="part">' in listing and "Part of services" in listing
    assert listing.index("<code>services</code>") < listing.index("<code>services_library</code>")
    page = client.get(f"/manage/items/{row.id}").get_data(as_text=True)
    assert '<select disabled id="page" name="page"' in page.replace('aria-describedby="page-desc" ', "")
    kept = b.post(f"/manage/items/{row.id}", {"code": "services_library", "label": "Bibliothek", "page": "new"})
    assert kept.status_code == 302 and _item(db, questionnaire, "services_library").page == 1


def test_a_composite_moves_with_its_parts_and_others_move_past_them(builder, db):
    b, questionnaire = builder
    grid = Item(code="services", type="matrix", page=1, position=2, settings={})
    questionnaire.items.append(grid)
    for position, code in [(3, "services_library"), (4, "services_buses")]:
        questionnaire.items.append(Item(code=code, type="likert", page=1, position=position, settings={},
                                        parent=grid))
    questionnaire.items.append(Item(code="after", type="text", page=1, position=5, settings={}))
    db.session.commit()
    after = _item(db, questionnaire, "after")
    assert b.post(f"/manage/items/{after.id}/move", {"direction": "up"}).status_code == 302
    db.session.expire_all()
    codes = [item.code for item in db.session.get(type(questionnaire), questionnaire.id).items]
    assert codes == ["driven", "after", "services", "services_library", "services_buses"]
    grid = _item(db, questionnaire, "services")
    assert b.post(f"/manage/items/{grid.id}/move", {"direction": "up"}).status_code == 302
    db.session.expire_all()
    codes = [item.code for item in db.session.get(type(questionnaire), questionnaire.id).items]
    assert codes == ["driven", "services", "services_library", "services_buses", "after"]
