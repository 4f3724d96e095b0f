"""Codes freeze once answers exist; bad input comes back as the form with a message, nothing half-written."""
import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import Item, Option, Questionnaire
from surveyapp.respond import service as respond
from tests.questionnaires.builder import Builder, item_fields

ITEMS = [("colour", "single", True, 1, {}, ["red", "green"]), ("age", "number", False, 1, {"min": 1}, [])]


@pytest.fixture
def manager_client(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    client.programme = programme
    return client


def _answered(make, db, programme):
    questionnaire = make.questionnaire(programme, items=ITEMS)
    colour = questionnaire.items[0]
    respond.save_page(questionnaire, "k1", 1, "de", {colour.id: ["red"]}, final=True)
    db.session.commit()
    return questionnaire, colour


def test_locked_questionnaire_refuses_code_changes_and_deletes_but_accepts_wording(manager_client, make, db):
    questionnaire, colour = _answered(make, db, manager_client.programme)
    b = Builder(manager_client)
    page = manager_client.get(f"/manage/items/{colour.id}").get_data(as_text=True)
    assert "This questionnaire has responses" in page
    assert 'id="code" name="code" disabled' in page or ('name="code"' in page and "disabled" in page)
    assert f"/manage/items/{colour.id}/delete" not in page

    renamed = b.post(f"/manage/items/{colour.id}", item_fields(colour, code="farbe"))
    assert renamed.status_code == 409 and "codes can no longer change" in renamed.get_data(as_text=True)
    assert b.post(f"/manage/items/{colour.id}/delete").status_code == 409
    red = colour.options[0]
    recoded = b.post(f"/manage/options/{red.id}", {"code": "rot", "label_de": "Rot"})
    assert recoded.status_code == 409
    assert "option codes can no longer change, as they line up the answers" in recoded.get_data(as_text=True)

    reworded = b.post(f"/manage/items/{colour.id}", item_fields(colour, code="", label="Lieblingsfarbe"))
    assert reworded.status_code == 302
    relabelled = b.post(f"/manage/options/{red.id}", {"label_de": "Rot", "label_en": "Red"})
    assert relabelled.status_code == 302
    db.session.expire_all()
    colour = db.session.get(Item, colour.id)
    assert colour.code == "colour" and colour.text("label", "de") == "Lieblingsfarbe"
    assert [o.code for o in colour.options] == ["red", "green"] and colour.options[0].label("en") == "Red"


@pytest.mark.parametrize(("data", "message"), [
    ({"slug": "Bad Slug!"}, "lower-case letters, digits and hyphens"),
    ({"title": ""}, "This field is required"),
    ({"languages": "de, xx-nonsense"}, "Unknown language code"),
    ({"slug": "taken"}, "already taken"),
])
def test_create_rejects_bad_input_with_422(manager_client, make, db, data, message):
    make.questionnaire(slug="taken")
    before = db.session.scalar(select(func.count()).select_from(Questionnaire))
    form = {"programme_id": manager_client.programme.id, "title": "T", "slug": "fine", "default_lang": "de",
            "languages": "de, en", **data}
    result = Builder(manager_client).post("/manage/questionnaires/new", form)
    assert result.status_code == 422
    assert message in result.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == before


@pytest.mark.parametrize(("data", "message"), [
    ({"code": "colour"}, "An item with this code already exists"),
    ({"code": "9bad"}, "Codes use lower-case letters"),
    ({"type": "hologram"}, "There is no such type of item"),
    ({"type": "number", "min": 10, "max": 5}, "minimum must not be greater"),
    ({"label": ""}, "This field is required"),
])
def test_add_item_rejects_bad_input_with_422(manager_client, make, db, data, message):
    questionnaire = make.questionnaire(manager_client.programme, items=ITEMS)
    form = {"code": "fresh", "type": "text", "page": 1, "label": "Frage", "points": 5, **data}
    result = Builder(manager_client).post(f"/manage/questionnaires/{questionnaire.id}/items/new", form)
    assert result.status_code == 422
    assert message in result.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Item)) == 2


def test_duplicate_option_code_rejected(manager_client, make, db):
    questionnaire = make.questionnaire(manager_client.programme, items=ITEMS)
    colour = questionnaire.items[0]
    result = Builder(manager_client).post(f"/manage/items/{colour.id}/options",
                                          {"code": "red", "label_de": "x"})
    assert result.status_code == 422
    assert "An option with this code already exists" in result.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Option)) == 2


def test_default_language_title_required_and_settings_validated(manager_client, make, db):
    questionnaire = make.questionnaire(manager_client.programme, items=ITEMS)
    b = Builder(manager_client)
    untitled = b.post(f"/manage/questionnaires/{questionnaire.id}/texts?lang=de", {"title": ""})
    assert untitled.status_code == 422
    bad = b.post(f"/manage/questionnaires/{questionnaire.id}/settings",
                 {"slug": "new-link", "default_lang": "de", "languages": "de, zz-top"})
    assert bad.status_code == 422 and "Unknown language code" in bad.get_data(as_text=True)
    good = b.post(f"/manage/questionnaires/{questionnaire.id}/settings",
                  {"slug": "new-link", "default_lang": "en", "languages": "de, en, tr"})
    assert good.status_code == 302
    db.session.expire_all()
    questionnaire = db.session.get(Questionnaire, questionnaire.id)
    assert (questionnaire.slug, questionnaire.default_lang, questionnaire.languages) == ("new-link", "en",
                                                                                        ["en", "de", "tr"])
