"""Yes / no labels are interface strings: every export says them in its own language, not the staff's."""
import csv
import io

import pyreadstat
import pytest
from openpyxl import load_workbook

from surveyapp.accounts.models import Role
from tests.itemtypes.examples import questionnaire_with
from tests.reports.seed import seed_responses

IN = {"en": ("Yes", "No"), "de": ("Ja", "Nein"), "ar": ("نعم", "لا")}


@pytest.fixture
def answered(make, auth):
    """A yes/no item answered yes, then no; an evaluator whose interface is English."""
    programme = make.programme()
    questionnaire = questionnaire_with(make, "yesno", programme)
    seed_responses(questionnaire, [{"x": "yes"}, {"x": "no"}])
    auth.login(make.user(Role.EVALUATOR, programme).email)
    return questionnaire


@pytest.mark.parametrize("lang", ["de", "ar", "en"])
def test_csv_with_labels_says_yes_and_no_in_its_language(client, answered, lang):
    # the staff interface is German: an English or Arabic export must not follow it
    text = client.get(f"/manage/questionnaires/{answered.id}/export.csv?labels={lang}",
                      headers={"Accept-Language": "de" if lang != "de" else "en"}).data.decode("utf-8-sig")
    assert [row["x"] for row in csv.DictReader(io.StringIO(text))] == list(IN[lang])


def test_the_codebook_labels_yes_and_no_in_every_language(client, answered):
    with client.get(f"/manage/questionnaires/{answered.id}/export.xlsx") as response:
        book = load_workbook(io.BytesIO(response.data), read_only=True)
    header, *rows = list(book["codebook"].iter_rows(values_only=True))
    codes = {row[header.index("code")]: row for row in rows if row[0] == "x" and row[header.index("code")]}
    for lang, (yes, no) in IN.items():
        column = header.index(f"label_{lang}")
        assert (codes["yes"][column], codes["no"][column]) == (yes, no)


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_spss_value_labels_say_yes_and_no_in_its_language(client, answered, lang, tmp_path):
    path = tmp_path / "export.sav"
    with client.get(f"/manage/questionnaires/{answered.id}/export.sav?lang={lang}") as response:
        path.write_bytes(response.data)
    frame, meta = pyreadstat.read_sav(str(path))
    yes, no = IN[lang]
    assert meta.variable_value_labels["x"] == {1.0: yes, 2.0: no}
    assert frame["x"].tolist() == [1.0, 2.0]
