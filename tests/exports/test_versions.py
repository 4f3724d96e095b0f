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


OPTION_ITEMS = [("colour", "single", False, 1, {}, ["red", "green", "blue"]),
                ("topics", "multiple", False, 1, {}, ["a", "b"])]


def options_changed(make, db):
    """Version 1 offered colour blue and topics a, b; deleting blue makes version 2, adding topic c version 3."""
    questionnaire = make.questionnaire(items=OPTION_ITEMS)
    colour, topics = questionnaire.items
    seed_responses(questionnaire, [{"colour": "blue", "topics": ["a"]}, {"colour": "red", "topics": ["b"]}])
    builder.delete_option(colour.options[2])
    builder.add_option(topics, "c", {"de": "c-de", "en": "c-en"})
    db.session.commit()
    seed_responses(questionnaire, [{"colour": "green", "topics": ["a", "c"]}, {"colour": "red", "topics": ["b"]}],
                   submitted_at=SUBMITTED + timedelta(days=1), extra=[{"questionnaire_version": 3}] * 2)
    assert questionnaire.version == 3
    return questionnaire


@pytest.fixture
def options_survey(make, db, auth):
    questionnaire = options_changed(make, db)
    auth.login(make.user(Role.EVALUATOR, programme=questionnaire.programme).email)
    return questionnaire


def _csv(client, questionnaire, query=""):
    text = client.get(f"/manage/questionnaires/{questionnaire.id}/export.csv{query}").data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_deleted_option_keeps_its_answers_and_an_added_one_is_blank_where_not_offered(client, options_survey):
    rows = _csv(client, options_survey)
    assert [(row["version"], row["colour"]) for row in rows] == [("1", "blue"), ("1", "red"), ("3", "green"),
                                                                  ("3", "red")]
    assert [(row["topics_a"], row["topics_b"], row["topics_c"]) for row in rows] == [
        ("1", "0", ""), ("0", "1", ""), ("1", "0", "1"), ("0", "1", "0")]  # version 1 did not offer c


def test_a_deleted_option_keeps_its_label_from_the_snapshot(client, options_survey):
    rows = _csv(client, options_survey, "?labels=en")
    assert [row["colour"] for row in rows] == ["blue-en", "red-en", "green-en", "red-en"]


def test_the_codebook_and_spss_label_a_deleted_option(client, options_survey, tmp_path):
    from surveyapp.datasets.frames import questionnaire_scope
    from surveyapp.exports.codebook import variables

    colour, *topics = variables(questionnaire_scope(options_survey))
    assert colour.values["blue"]["en"] == "blue-en (version 1)"
    assert [variable.name for variable in topics] == ["topics_a", "topics_b", "topics_c"]
    path = tmp_path / "export.sav"
    with client.get(f"/manage/questionnaires/{options_survey.id}/export.sav?labels=en") as response:
        assert response.status_code == 200
        path.write_bytes(response.data)
    frame, meta = pyreadstat.read_sav(str(path))
    labels = meta.variable_value_labels["colour"]
    assert [labels[code] for code in frame["colour"]] == ["blue-en (version 1)", "red-en", "green-en", "red-en"]
    assert frame["topics_c"].isna().tolist() == [True, True, False, False]


def test_a_report_shows_the_options_per_version(make, db):
    from flask_babel import force_locale

    from surveyapp.datasets.frames import questionnaire_scope
    from surveyapp.reports.service import ReportOptions, build_report

    questionnaire = options_changed(make, db)
    with force_locale("en"):
        report = build_report(questionnaire_scope(questionnaire), ReportOptions(lang="en", min_n=1))
    colour = [section for section in report.parts[0].items if section.code == "colour"]
    assert [section.question for section in colour] == ["colour (en) (version 1)", "colour (en) (version 3)"]
    assert [[(row.code, row.count) for row in section.rows] for section in colour] == [
        [("red", 1), ("green", 0), ("blue", 1)], [("red", 1), ("green", 1)]]
    topics = [section for section in report.parts[0].items if section.code == "topics"]
    assert [[(row.code, row.count) for row in section.rows] for section in topics] == [
        [("a", 1), ("b", 1)], [("a", 1), ("b", 1), ("c", 1)]]
    # no answers on version 2, yet it is where colour changed
    assert "colour changed in version 2 (options red, green, blue → red, green)" in " ".join(report.notes)
    assert "topics changed in version 3 (options a, b → a, b, c)" in " ".join(report.notes)


def test_spss_version_notes_follow_the_labels_language_not_the_staff_language(client, options_survey, tmp_path):
    path = tmp_path / "export.sav"
    with client.get(f"/manage/questionnaires/{options_survey.id}/export.sav?labels=de",
                    headers={"Accept-Language": "en"}) as response:
        assert response.status_code == 200
        path.write_bytes(response.data)
    _frame, meta = pyreadstat.read_sav(str(path))
    assert "blue-de (Version 1)" in meta.variable_value_labels["colour"].values(), meta.variable_value_labels
