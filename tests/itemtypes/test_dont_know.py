"""A coded "don't know / prefer not to say" (setting dont_know): the last choice of single, Likert, 0–10 and
yes/no items, stored as `dk`, counted apart in the report (web and PDF) and kept out of its shares and means."""
import io

import pytest
from pypdf import PdfReader

from surveyapp.accounts.models import Role
from surveyapp.questionnaires import service as builder
from tests.conftest import hidden_fields
from tests.itemtypes.examples import answer, questionnaire_with, stored
from tests.questionnaires.builder import Builder, item_fields

DK = "Don't know / prefer not to say"


@pytest.mark.parametrize("code", ["single", "likert", "scale10", "yesno"])
def test_it_is_the_last_choice_and_stored_as_dk(app, db, make, code):
    settings = {"points": 5} if code == "likert" else {}
    questionnaire = questionnaire_with(make, code, settings={**settings, "dont_know": True})
    html = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert html.index('value="dk"') > max(html.rfind('value="green"'), html.rfind('value="no"'),
                                         html.rfind('value="5"'), html.rfind('value="10"'))
    assert "Don&#39;t know / prefer not to say" in html
    assert answer(app.test_client(), questionnaire, "dk").status_code == 302
    assert stored(db, questionnaire) == ["dk"]


def test_without_the_setting_dk_is_no_valid_choice(app, db, make):
    questionnaire = questionnaire_with(make, "yesno")
    assert 'value="dk"' not in app.test_client().get(f"/s/{questionnaire.slug}").get_data(as_text=True)
    assert answer(app.test_client(), questionnaire, "dk").status_code == 422
    assert stored(db, questionnaire) == []


def test_on_a_scale_it_stands_apart_from_the_points(app, make):
    questionnaire = questionnaire_with(make, "scale10", settings={"dont_know": True})
    html = app.test_client().get(f"/s/{questionnaire.slug}").get_data(as_text=True)
    scale = html[html.index('<ul class="scale">'):]
    scale = scale[:scale.index("</ul>")]
    assert 'value="dk"' not in scale and '<ul class="opts dk">' in html


def test_its_wording_per_language(app, db, make):
    questionnaire = questionnaire_with(make, "yesno", settings={"dont_know": True})
    builder.set_item_texts(questionnaire.items[0], "de", {"dk": "Keine Angabe"})
    db.session.commit()
    assert "Keine Angabe" in app.test_client().get(f"/s/{questionnaire.slug}?lang=de").get_data(as_text=True)
    assert "Keine Angabe" not in app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)


def test_the_builder_sets_it(client, db, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    item = questionnaire_with(make, "likert", programme).items[0]
    page = client.get(f"/manage/items/{item.id}").get_data(as_text=True)
    assert 'name="dont_know"' in page and 'name="dk"' in page
    assert Builder(client).post(f"/manage/items/{item.id}", item_fields(item, dont_know="y")).status_code == 302
    db.session.expire_all()
    assert item.settings["dont_know"] is True
    assert Builder(client).post(f"/manage/items/{item.id}", item_fields(item, dont_know="")).status_code == 302
    db.session.expire_all()
    assert "dont_know" not in item.settings


@pytest.fixture
def answered(app, make, auth, client):
    """A Likert item with "don't know": answered 5, 4 and three times "don't know" (report min n 1)."""
    app.config["SUPPRESSION_MIN_N"] = 1
    questionnaire = questionnaire_with(make, "likert", settings={"points": 5, "dont_know": True})
    for value in ("5", "4", "dk", "dk", "dk"):
        assert answer(app.test_client(), questionnaire, value).status_code == 302
    auth.login(make.user(Role.EVALUATOR, questionnaire.programme).email)
    return questionnaire


def test_the_web_report_counts_it_apart_and_out_of_the_figures(client, answered):
    html = client.get(f"/manage/questionnaires/{answered.id}/report?lang=en").get_data(as_text=True)
    assert "know / prefer not to say: 3" in html
    assert "Valid answers: 2, missing: 0" in html  # "don't know" is neither an answer on the scale nor missing
    assert "Agreement (top boxes): 100" in html  # of the two who answered on the scale
    assert "Left out as no usable number" not in html


def test_the_pdf_report_counts_it_apart(client, answered):
    response = client.get(f"/manage/questionnaires/{answered.id}/report.pdf?lang=en")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert f"{DK}: 3" in text and "Valid answers: 2, missing: 0" in text


def test_few_dont_knows_are_withheld_as_other_small_counts(app, client, answered):
    app.config["SUPPRESSION_MIN_N"] = 4
    respondent = app.test_client()
    for value in ("3", "2"):
        page = respondent.get(f"/s/{answered.slug}")
        respondent.post(f"/s/{answered.slug}", data={**hidden_fields(page.get_data(as_text=True)), "q_x": value,
                                                      "nav": "submit"})
        respondent = app.test_client()
    html = client.get(f"/manage/questionnaires/{answered.id}/report?lang=en").get_data(as_text=True)
    assert "Valid answers: 4" in html and "know / prefer not to say: 3" not in html
    assert 'class="hint declined"' in html


def test_the_translations_page_offers_its_own_wording_only(client, make, auth, db):
    """The built-in wording is translated by the app; a wording of its own is the manager's to translate."""
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = questionnaire_with(make, "yesno", programme, settings={"dont_know": True})
    url = f"/manage/questionnaires/{questionnaire.id}/translations?target=ar"
    assert 'name="t.item.x.dk"' not in client.get(url).get_data(as_text=True)
    builder.set_item_texts(questionnaire.items[0], "en", {"dk": "Not sure"})
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert 'name="t.item.x.dk"' in html and "wording of “don’t know”" in html


def test_a_later_text_pipes_its_wording(app, db, make):
    questionnaire = make.questionnaire(languages=("en",), items=[
        ("x", "yesno", True, 1, {"dont_know": True}, []), ("y", "text", False, 2, {}, [])])
    builder.set_item_texts(questionnaire.items[1], "en", {"label": "You said: {x}"})
    db.session.commit()
    respondent = app.test_client()
    page = respondent.get(f"/s/{questionnaire.slug}").get_data(as_text=True)
    respondent.post(f"/s/{questionnaire.slug}", data={**hidden_fields(page), "q_x": "dk", "nav": "next"})
    assert "You said: <bdi>Don&#39;t know / prefer not to say</bdi>" in respondent.get(
        f"/s/{questionnaire.slug}?page=2").get_data(as_text=True)


def test_a_condition_may_compare_with_it(app, db, make):
    from surveyapp.questionnaires.conditions import check_item_condition

    questionnaire = make.questionnaire(languages=("en",), items=[
        ("x", "yesno", True, 1, {"dont_know": True}, []), ("y", "text", False, 2, {}, [])])
    assert check_item_condition(questionnaire.items[1], "x != 'dk'") == "x != 'dk'"
