"""Old answers export with their version and original scale: CSV, the XLSX codebook and SPSS value labels."""
import csv
import io
from datetime import timedelta

import pyreadstat
import pytest
from openpyxl import load_workbook

from surveyapp.accounts.models import Role
from surveyapp.questionnaires import service as builder
from tests.reports.seed import SUBMITTED, seed_responses

ITEMS = [("agree", "likert", True, 1, {"points": 5}, []), ("colour", "single", False, 1, {}, ["red", "green"])]
V1 = [5, 5, 4, 4, 3, 1]  # on the 5-point scale: 5 is its top, "agree"
V2 = [7, 7, 6, 5, 5, 2]  # on the 7-point scale: 5 is only "somewhat agree"


def two_versions(make, db):
    """agree: 5 points with worded ends in version 1 (six answers), 7 points in version 2 (six answers, a day
    later)."""
    questionnaire = make.questionnaire(items=ITEMS)
    agree = questionnaire.items[0]
    for lang in ("de", "en"):
        builder.set_item_texts(agree, lang, {"low": f"nein-{lang}", "high": f"ja-{lang}"})
    db.session.commit()
    seed_responses(questionnaire, [{"agree": value, "colour": "red"} for value in V1])
    builder.update_item(agree, code="agree", required=True, page=1, settings={"points": 7})
    db.session.commit()
    seed_responses(questionnaire, [{"agree": value, "colour": "green"} for value in V2],
                   submitted_at=SUBMITTED + timedelta(days=1),
                   extra=[{"questionnaire_version": questionnaire.version}] * len(V2))
    assert questionnaire.version == 2
    return questionnaire


@pytest.fixture
def survey(make, db, auth):
    questionnaire = two_versions(make, db)
    auth.login(make.user(Role.EVALUATOR, programme=questionnaire.programme).email)
    return questionnaire


def test_csv_keeps_each_answer_with_its_version(client, survey):
    text = client.get(f"/manage/questionnaires/{survey.id}/export.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["version"], row["agree"]) for row in rows] == (
        [("1", str(value)) for value in V1] + [("2", str(value)) for value in V2])


def test_long_csv_keeps_each_answer_with_its_version(client, survey):
    text = client.get(f"/manage/questionnaires/{survey.id}/export.csv?format=long").data.decode("utf-8-sig")
    rows = [row for row in csv.DictReader(io.StringIO(text)) if row["item"] == "agree"]
    assert [(row["version"], row["value"]) for row in rows] == (
        [("1", str(value)) for value in V1] + [("2", str(value)) for value in V2])


def test_xlsx_codebook_describes_each_version(client, survey):
    with client.get(f"/manage/questionnaires/{survey.id}/export.xlsx") as response:
        book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["data", "codebook", "versions"]
    data = list(book["data"].iter_rows(values_only=True))
    assert data[1][data[0].index("version")] == 1 and data[1][data[0].index("agree")] == 5
    codebook = list(book["codebook"].iter_rows(values_only=True))
    header = codebook[0]
    labels = {row[header.index("code")]: row[header.index("label_en")]
              for row in codebook if row[0] == "agree" and row[header.index("code")]}
    assert list(labels) == [str(n) for n in range(1, 8)]
    assert labels["5"] == "5; version 1: 5 – ja-en" and labels["7"] == "7 – ja-en"
    versions = list(book["versions"].iter_rows(values_only=True))
    assert versions[0][:5] == ("item", "versions", "type", "settings", "code")
    assert [row[:4] for row in versions[1:] if row[2]] == [
        ("agree", "1", "likert", '{"points": 5}'), ("agree", "2", "likert", '{"points": 7}')]
    first = [row[4:] for row in versions[1:] if row[1] == "1" and row[4]]
    assert first[0] == ("1", "1 – nein-de", "1 – nein-en") and first[-1] == ("5", "5 – ja-de", "5 – ja-en")
    assert "colour" not in {row[0] for row in versions}  # unchanged: described once, in the codebook


def test_sav_has_the_version_and_version_1_value_labels(client, survey, tmp_path):
    path = tmp_path / "export.sav"
    with client.get(f"/manage/questionnaires/{survey.id}/export.sav?lang=en") as response:
        assert response.status_code == 200
        path.write_bytes(response.data)
    frame, meta = pyreadstat.read_sav(str(path))
    assert frame["version"].tolist() == [1.0] * len(V1) + [2.0] * len(V2)
    assert frame["agree"].tolist() == [float(value) for value in V1 + V2]
    agree = meta.variable_value_labels["agree"]
    assert agree[5.0] == "5; version 1: 5 – ja-en" and agree[1.0] == "1 – nein-en" and agree[7.0] == "7 – ja-en"


def test_a_scale_made_shorter_keeps_labels_for_the_points_only_version_1_had(make, db):
    from surveyapp.datasets.frames import questionnaire_scope
    from surveyapp.exports.codebook import variables

    questionnaire = make.questionnaire(items=[("agree", "likert", True, 1, {"points": 7}, [])])
    seed_responses(questionnaire, [{"agree": 7}])
    builder.update_item(questionnaire.items[0], code="agree", required=True, page=1, settings={"points": 5})
    db.session.commit()
    [agree] = variables(questionnaire_scope(questionnaire))
    assert list(agree.values) == ["1", "2", "3", "4", "5", "6", "7"]
    assert agree.values["7"]["en"] == "7 (version 1)"
