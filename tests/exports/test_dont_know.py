"""A coded "don't know" keeps its code in every export: -9 in CSV, XLSX and SPSS (there a user-missing value
with its label), listed in the codebook; read back with csv, openpyxl and pyreadstat."""
import csv
import io

import pyreadstat
import pytest
from openpyxl import load_workbook

from surveyapp.accounts.models import Role
from tests.conftest import hidden_fields

DK = "Don't know / prefer not to say"
ITEMS = [("agree", "likert", False, 1, {"points": 5, "dont_know": True}, []),
         ("colour", "single", False, 1, {"dont_know": True}, ["red", "green"]),
         ("ok", "yesno", False, 1, {}, [])]


def _answer(client, questionnaire, data):
    page = client.get(f"/s/{questionnaire.slug}?lang=en")
    return client.post(f"/s/{questionnaire.slug}",
                       data={**hidden_fields(page.get_data(as_text=True)), "nav": "submit", **data})


@pytest.fixture
def answered(app, make, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, languages=("en", "de"), items=ITEMS)
    assert _answer(app.test_client(), questionnaire, {"q_agree": "4", "q_colour": "green", "q_ok": "yes"}).status_code \
        == 302
    assert _answer(app.test_client(), questionnaire, {"q_agree": "dk", "q_colour": "dk", "q_ok": "no"}).status_code \
        == 302
    auth.login(make.user(Role.EVALUATOR, programme).email)
    return questionnaire


def _export(client, questionnaire, suffix, query=""):
    with client.get(f"/manage/questionnaires/{questionnaire.id}/export.{suffix}{query}") as response:
        assert response.status_code == 200
        return response.get_data()


def test_csv_carries_minus_nine(client, answered):
    rows = list(csv.DictReader(io.StringIO(_export(client, answered, "csv").decode("utf-8-sig"))))
    assert [(row["agree"], row["colour"], row["ok"]) for row in rows] == [("4", "green", "yes"), ("-9", "-9", "no")]


def test_csv_with_labels_names_it(client, answered):
    text = _export(client, answered, "csv", "?labels=en").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["colour"] for row in rows] == ["green-en", DK]
    assert [row["agree"] for row in rows] == ["4", "-9"]  # scale points stay numbers


def test_xlsx_carries_minus_nine_and_the_codebook_lists_it(client, answered):
    book = load_workbook(io.BytesIO(_export(client, answered, "xlsx")), read_only=True)
    header, *rows = list(book.worksheets[0].iter_rows(values_only=True))
    values = [dict(zip(header, row, strict=True)) for row in rows]
    assert [str(row["agree"]) for row in values] == ["4", "-9"]
    assert [str(row["colour"]) for row in values] == ["green", "-9"]
    header, *rows = list(book["codebook"].iter_rows(values_only=True))
    codebook = [dict(zip(header, row, strict=True)) for row in rows]
    for variable in ("agree", "colour"):
        coded = {row["code"]: row["label_en"] for row in codebook if row["variable"] == variable and row["code"]}
        assert coded["-9"] == DK
    assert not [row for row in codebook if row["variable"] == "ok" and row["code"] == "-9"]


def test_spss_declares_it_user_missing_with_its_label(client, answered, tmp_path):
    path = tmp_path / "export.sav"
    path.write_bytes(_export(client, answered, "sav", "?lang=en"))
    data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert list(data["agree"]) == [4.0, -9.0]
    assert list(data["colour"]) == [2.0, -9.0]  # red 1, green 2
    for variable in ("agree", "colour"):
        assert meta.variable_value_labels[variable][-9.0] == DK
        assert meta.missing_ranges[variable] == [{"lo": -9.0, "hi": -9.0}]
    assert "ok" not in meta.missing_ranges
    plain, _meta = pyreadstat.read_sav(str(path))  # as SPSS computes: -9 is missing
    assert plain["agree"].isna().tolist() == [False, True]


def test_the_long_csv_carries_minus_nine_too(client, answered):
    text = _export(client, answered, "csv", "?format=long").decode("utf-8-sig")
    values = [(row["item"], row["value"]) for row in csv.DictReader(io.StringIO(text))]
    assert ("agree", "-9") in values and ("colour", "-9") in values and ("agree", "4") in values
    assert not [value for _item, value in values if value == "dk"]
