"""The 0–10 scale: a manager words its two ends (per language) as on a Likert scale; respondents see them at the
ends, exports label the end points with them, and the translations page offers them."""
from surveyapp.accounts.models import Role
from surveyapp.itemtypes import item_type
from tests.conftest import hidden_fields
from tests.itemtypes.examples import questionnaire_with
from tests.questionnaires.builder import Builder


def _signed_in_scale(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    return questionnaire_with(make, "scale10", programme)


def test_every_scale_shares_the_end_labels_part():
    assert item_type("scale10").ends == item_type("likert").ends == ("low", "high")
    assert item_type("scale10").text_keys == item_type("likert").text_keys == ("low", "high", "dk")
    assert set(item_type("scale10").settings_parts) <= set(item_type("likert").settings_parts)


def test_a_manager_words_the_ends_and_respondents_see_them_at_the_ends(client, make, auth, db):
    questionnaire = _signed_in_scale(client, make, auth)
    item = questionnaire.items[0]
    page = client.get(f"/manage/items/{item.id}?lang=de").get_data(as_text=True)
    assert 'name="low"' in page and 'name="high"' in page
    saved = Builder(client).post(f"/manage/items/{item.id}?lang=de", {
        **hidden_fields(page), "code": "x", "page": 1, "label": "Wie zufrieden?",
        "low": "gar nicht", "high": "völlig"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert (item.text("low", "de"), item.text("high", "de"), item.settings) == ("gar nicht", "völlig", {})
    respondent = client.get(f"/s/{questionnaire.slug}?lang=de").get_data(as_text=True)
    assert '<div class="ends" aria-hidden="true"><span>gar nicht</span><span>völlig</span></div>' in respondent
    assert 'value="0"> <span>0</span><span class="sr"> (gar nicht)</span>' in respondent
    assert 'value="10"> <span>10</span><span class="sr"> (völlig)</span>' in respondent
    labels = item.kind.value_labels(item, "de")
    assert (labels["0"], labels["5"], labels["10"]) == ("0 – gar nicht", "5", "10 – völlig")


def test_the_translations_page_offers_the_end_labels_before_anyone_wrote_them(client, make, auth):
    questionnaire = _signed_in_scale(client, make, auth)
    page = client.get(f"/manage/questionnaires/{questionnaire.id}/translations?target=ar")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="t.item.x.low"' in html and 'name="t.item.x.high"' in html
    assert "label of the lowest point" in html and "label of the highest point" in html


def test_items_without_end_labels_do_not_list_them(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = questionnaire_with(make, "number", programme)
    html = client.get(f"/manage/questionnaires/{questionnaire.id}/translations?target=ar").get_data(as_text=True)
    assert "t.item.x.label" in html and "t.item.x.low" not in html
