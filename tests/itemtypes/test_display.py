"""A text block shows its wording and help as text (line breaks kept, markup escaped), takes no answer and
has no column: pages, reports, exports, codebook, translation pages and versions pass it by."""
import csv
import io

import pytest
from openpyxl import load_workbook

from surveyapp.accounts.models import Role
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.versions import snapshot
from tests.conftest import hidden_fields

ITEMS = [("intro", "display", False, 1, {}, []), ("agree", "likert", True, 1, {"points": 5}, []),
         ("note", "display", False, 2, {}, []), ("name", "text", False, 2, {}, [])]


@pytest.fixture
def questionnaire(make, db):
    questionnaire = make.questionnaire(languages=("en", "de"), items=ITEMS)
    builder.set_item_texts(questionnaire.items[0], "en", {"label": "Welcome!\nSecond line <b>bold?</b>",
                                                          "help": "Takes 5 minutes."})
    db.session.commit()
    return questionnaire


def _post(client, slug, data):
    page = client.get(f"/s/{slug}")
    return client.post(f"/s/{slug}", data={**hidden_fields(page.get_data(as_text=True)), **data})


def test_its_text_is_shown_escaped_with_its_line_breaks(app, questionnaire):
    html = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert '<div class="q block" id="item-intro">' in html
    assert "<p>Welcome!\nSecond line &lt;b&gt;bold?&lt;/b&gt;</p>" in html
    assert '<p class="help">Takes 5 minutes.</p>' in html
    assert 'name="q_intro"' not in html


def test_pages_with_a_text_block_are_answered_back_and_forth(app, db, questionnaire):
    respondent = app.test_client()
    assert _post(respondent, questionnaire.slug, {"q_agree": "4", "q_intro": "x", "nav": "next"}).status_code == 302
    page = respondent.get(f"/s/{questionnaire.slug}?page=2")
    back = respondent.post(f"/s/{questionnaire.slug}", data={**hidden_fields(page.get_data(as_text=True)),
                                                             "q_name": "Ada", "nav": "back"})
    assert back.status_code == 302
    page = respondent.get(f"/s/{questionnaire.slug}?page=2")
    done = respondent.post(f"/s/{questionnaire.slug}", data={**hidden_fields(page.get_data(as_text=True)),
                                                             "q_name": "Ada", "nav": "submit"})
    assert done.status_code == 302


def test_reports_and_exports_pass_it_by(app, client, make, auth, questionnaire, tmp_path):
    app.config["SUPPRESSION_MIN_N"] = 1
    respondent = app.test_client()
    _post(respondent, questionnaire.slug, {"q_agree": "4", "nav": "next"})
    page = respondent.get(f"/s/{questionnaire.slug}?page=2")
    respondent.post(f"/s/{questionnaire.slug}", data={**hidden_fields(page.get_data(as_text=True)),
                                                      "q_name": "Ada", "nav": "submit"})
    auth.login(make.user(Role.EVALUATOR, questionnaire.programme).email)
    base = f"/manage/questionnaires/{questionnaire.id}"
    text = client.get(f"{base}/export.csv").data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert "agree" in header and "name" in header and "intro" not in header and "note" not in header
    with client.get(f"{base}/export.xlsx") as response:
        book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert not [row for row in book["codebook"].iter_rows(values_only=True) if row[0] in ("intro", "note")]
    with client.get(f"{base}/export.sav") as response:
        assert response.status_code == 200
    assert client.get(f"{base}/export.csv?format=long").status_code == 200
    report = client.get(f"{base}/report?lang=en")
    assert report.status_code == 200 and "Welcome!" not in report.get_data(as_text=True)
    assert client.get(f"{base}/report.pdf?lang=en").status_code == 200


def test_translation_pages_and_versions_take_it(client, db, make, auth, questionnaire):
    auth.login(make.user(Role.MANAGER, questionnaire.programme).email)
    html = client.get(f"/manage/questionnaires/{questionnaire.id}/translations?target=de").get_data(as_text=True)
    assert 'name="t.item.intro.label"' in html
    assert [item["type"] for item in snapshot(questionnaire)["items"]][0] == "display"
