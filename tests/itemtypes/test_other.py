"""“Other, please specify” on single and multiple choice: a last choice coded `other` and a text part (an item
of its own, `<code>_other`; a multiple choice's `<code>_other_text`, as `<code>_other` is its 0/1 column),
shown under the choice, required when "other" is chosen and ignored otherwise."""
import csv
import io

import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Item
from surveyapp.responses.models import Answer
from tests.conftest import hidden_fields
from tests.itemtypes.examples import answer, questionnaire_with
from tests.questionnaires.builder import Builder, item_fields


def _answers(db, questionnaire) -> dict[str, list[str]]:
    codes = {item.id: item.code for item in questionnaire.items}
    found: dict[str, list[str]] = {}
    for item_id, value in db.session.execute(select(Answer.item_id, Answer.value).order_by(Answer.id)):
        if item_id in codes:
            found.setdefault(codes[item_id], []).append(value)
    return found


def _post(client, questionnaire, data, *, lang="en"):
    page = client.get(f"/s/{questionnaire.slug}?lang={lang}")
    return client.post(f"/s/{questionnaire.slug}", data={**hidden_fields(page.get_data(as_text=True)),
                                                         "nav": "submit", **data})


@pytest.fixture
def single(make):
    return questionnaire_with(make, "single", settings={"other": True})


def test_the_other_choice_comes_last_with_its_text_box_under_it(app, single):
    item = single.items[0]
    assert [part.code for part in item.parts] == ["x_other"]
    part = item.parts[0]
    assert (part.type, part.page, part.required, part.condition) == ("text", 1, False, "selected(x, 'other')")
    html = app.test_client().get(f"/s/{single.slug}?lang=de").get_data(as_text=True)
    other = html.index('value="other"')
    assert html.index('value="green"') < other < html.index('name="q_x_other"')
    assert html.count('name="q_x_other"') == 1  # drawn by its choice, not again as an item of its own
    assert '<div class="specify" data-condition=' in html  # static/logic.js shows it while "other" is chosen


def test_other_with_its_text_is_stored_as_two_items(app, db, single):
    assert _post(app.test_client(), single, {"q_x": "other", "q_x_other": "  Purple  "}).status_code == 302
    assert _answers(db, single) == {"x": ["other"], "x_other": ["Purple"]}


def test_other_without_its_text_is_refused(app, db, single):
    refused = _post(app.test_client(), single, {"q_x": "other", "q_x_other": " "})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Please say what “other” is." in html and 'href="#q_x_other"' in html
    assert _answers(db, single) == {}


def test_a_text_without_choosing_other_is_not_stored(app, db, single):
    assert _post(app.test_client(), single, {"q_x": "green", "q_x_other": "Purple"}).status_code == 302
    assert _answers(db, single) == {"x": ["green"]}


def test_a_multiple_choice_offers_other_too(app, db, make):
    questionnaire = questionnaire_with(make, "multiple", settings={"other": True})
    assert [part.code for part in questionnaire.items[0].parts] == ["x_other_text"]
    respondent = app.test_client()
    assert _post(respondent, questionnaire, {"q_x": ["red", "other"], "q_x_other_text": ""}).status_code == 422
    assert _post(respondent, questionnaire, {"q_x": ["red", "other"], "q_x_other_text": "Teal"}).status_code == 302
    assert _answers(db, questionnaire) == {"x": ["red", "other"], "x_other_text": ["Teal"]}


def test_the_manager_words_other_per_language(app, db, make):
    questionnaire = questionnaire_with(make, "single", settings={"other": True})
    item = questionnaire.items[0]
    builder.set_item_texts(item, "de", {"other_label": "Etwas anderes:"})
    db.session.commit()
    assert 'Etwas anderes:' in app.test_client().get(f"/s/{questionnaire.slug}?lang=de").get_data(as_text=True)
    assert item.parts[0].text("label", "de") == "Etwas anderes:"
    assert item.kind.value_labels(item, "en")["other"] == "Other, please specify"
    assert item.kind.value_labels(item, "de")["other"] == "Etwas anderes:"


def test_exports_have_the_choice_and_the_text_as_columns(app, client, db, make, auth, single):
    auth.login(make.user(Role.EVALUATOR, single.programme).email)
    answer(app.test_client(), single, "green")
    _post(app.test_client(), single, {"q_x": "other", "q_x_other": "Purple"})
    text = client.get(f"/manage/questionnaires/{single.id}/export.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["x"], row["x_other"]) for row in rows] == [("green", ""), ("other", "Purple")]


def test_the_builder_adds_and_removes_the_part(client, db, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = questionnaire_with(make, "single", programme)
    item = questionnaire.items[0]
    forms = Builder(client)
    assert forms.post(f"/manage/items/{item.id}", item_fields(item, other="y")).status_code == 302
    db.session.expire_all()
    assert item.settings.get("other") is True and [part.code for part in item.parts] == ["x_other"]
    assert forms.post(f"/manage/items/{item.id}", item_fields(item, other="")).status_code == 302
    db.session.expire_all()
    assert "other" not in item.settings and item.parts == []
    assert db.session.scalar(select(Item).where(Item.code == "x_other")) is None


def test_the_part_stays_once_answered(client, db, make, auth, single):
    auth.login(make.user(Role.MANAGER, single.programme).email)
    _post(client.application.test_client(), single, {"q_x": "other", "q_x_other": "Purple"})
    item = single.items[0]
    refused = Builder(client).post(f"/manage/items/{item.id}", item_fields(item, other=""))
    assert refused.status_code in (409, 422)
    assert "x_other can no longer be removed" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert item.settings.get("other") is True and [part.code for part in item.parts] == ["x_other"]


def test_a_code_taken_already_is_refused(db, make):
    questionnaire = questionnaire_with(make, "single")
    builder.add_item(questionnaire, "x_other", "text", texts={"en": {"label": "taken"}})
    item = questionnaire.items[0]
    with pytest.raises(Exception, match="x_other"):
        builder.update_item(item, code="x", required=False, page=1, settings={"other": True})


def test_changing_away_from_other_drops_its_text(app, db, make):
    questionnaire = make.questionnaire(languages=("en",), items=[
        ("x", "single", True, 1, {"other": True}, ["red", "green"]), ("y", "text", False, 2, {}, [])])
    respondent = app.test_client()
    assert _post(respondent, questionnaire, {"q_x": "other", "q_x_other": "Purple", "nav": "next"}).status_code \
        == 302
    assert _answers(db, questionnaire) == {"x": ["other"], "x_other": ["Purple"]}
    page = respondent.get(f"/s/{questionnaire.slug}?page=1").get_data(as_text=True)
    assert 'value="Purple"' in page
    respondent.post(f"/s/{questionnaire.slug}", data={**hidden_fields(page), "q_x": "green", "q_x_other": "Purple",
                                                      "nav": "next"})
    assert _answers(db, questionnaire) == {"x": ["green"]}
