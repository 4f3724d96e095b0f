"""Languages are chosen by name from a list (stored as codes) on the create and settings forms; the default
language is a select among them. Unknown codes are refused with a message (422)."""
import re

import pytest

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.forms import language_label
from surveyapp.questionnaires.models import Questionnaire
from tests.questionnaires.builder import Builder, id_from


def _checked(page: str) -> list[str]:
    return re.findall(r'<input checked id="languages-\d+" name="languages" type="checkbox" value="([a-z_]+)">', page)


@pytest.fixture
def manager(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    return programme


def test_the_create_form_lists_languages_by_name_as_checkboxes(client, manager):
    page = client.get("/manage/questionnaires/new?ui=de").get_data(as_text=True)
    assert 'type="checkbox" value="tr"' in page and "Türkçe (Türkisch)" in page and "Deutsch" in page
    assert "العربية (Arabisch)" in page and "Bosanski (Bosnisch)" in page
    assert '<select aria-describedby="default_lang-desc" id="default_lang" name="default_lang"' in page
    assert '<option selected value="de">Deutsch</option>' in page  # the manager's own language first
    assert _checked(page) == ["de"]


def test_language_label_in_the_interface_language(app):
    with app.test_request_context("/?ui=en"):
        assert language_label("tr") == "Türkçe (Turkish)" and language_label("en") == "English"


def test_create_stores_the_chosen_codes(client, manager, db):
    b = Builder(client)
    created = b.client.post("/manage/questionnaires/new", data={
        "csrf_token": b.token, "programme_id": manager.id, "title": "Umfrage", "slug": "umfrage",
        "default_lang": "de", "languages": ["en", "ar", "uk"]})
    assert created.status_code == 302
    questionnaire = db.session.get(Questionnaire, id_from(created.location, "questionnaires"))
    assert questionnaire.default_lang == "de" and questionnaire.languages == ["de", "en", "ar", "uk"]


def test_the_settings_form_shows_the_offered_languages_checked_and_saves_a_new_choice(client, manager, make, db):
    questionnaire = make.questionnaire(manager, languages=("de", "bs"))
    page = client.get(f"/manage/questionnaires/{questionnaire.id}?ui=en").get_data(as_text=True)
    assert _checked(page) == ["bs", "de"] and "Bosanski (Bosnian)" in page
    b = Builder(client)
    saved = b.post(f"/manage/questionnaires/{questionnaire.id}/settings",
                   {"slug": questionnaire.slug, "default_lang": "en", "languages": ["de", "tr"]})
    assert saved.status_code == 302
    db.session.expire_all()
    questionnaire = db.session.get(Questionnaire, questionnaire.id)
    assert questionnaire.default_lang == "en" and questionnaire.languages == ["en", "de", "tr"]


@pytest.mark.parametrize(("data", "message"), [
    ({"languages": ["de", "xx-nonsense"]}, "Unknown language code: xx-nonsense."),
    ({"default_lang": "qqq-bad"}, "Unknown language code: qqq-bad."),
    ({"default_lang": ""}, "This field is required"),
])
def test_unknown_codes_are_refused_with_a_message(client, manager, make, db, data, message):
    questionnaire = make.questionnaire(manager)
    answer = Builder(client).post(f"/manage/questionnaires/{questionnaire.id}/settings",
                                  {"slug": questionnaire.slug, "default_lang": "de", "languages": ["en"], **data})
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Questionnaire, questionnaire.id).languages == ["de", "en"]
