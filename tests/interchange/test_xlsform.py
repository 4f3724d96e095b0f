"""Every workbook of ../shared/xlsform imports, or is refused row by row with the right reasons; what maps is
created through the builder. Expressions and constraints translate into the logic language and settings."""
import io
import zipfile

import pytest
from sqlalchemy import func, select

from surveyapp.interchange import service, xlsform, xlsform_sheets
from surveyapp.interchange.xlsform_logic import Untranslatable, constraint_settings, to_condition
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.uploads import Limits, UploadRejected
from tests.interchange.workbooks import DUPLICATE, NO_SURVEY, NOT_A_WORKBOOK, shared, workbook

# file -> (item codes per page, [(where starts with, reason contains)])
EXPECTED = {
    "case_insensitivity.xlsx": ([["q1"]], [("SURVEY, row 3", "select_one_external"), ("SURVEY, row 4", "osm")]),
    "choice_filter_test.xlsx": ([["state"]], [("choices, row 6", "twice"), ("survey, row 3", "Choice filters"),
                                              ("survey, row 4", "Choice filters")]),
    "extra_columns.xlsx": ([["a"]], []),
    "field-list.xlsx": ([["table_list_question"]], []),
    "group.xlsx": ([["family_name"], ["phone_number", "age"]], []),
    "include.xlsx": ([["name"]], [("survey, row 3", "include")]),
    "loop.xlsx": ([["available_toilet_types", "available_toilet_types_other_text"]],
                  [("survey, row 3", "Repeats are not supported: rows 3 to 5")]),
    "or_other.xlsx": ([["fav_color", "fav_color_other"]], [("survey, row 3", "Choice filters")]),
    "specify_other.xlsx": ([["sex", "sex_other"]], []),
    "text_and_integer.xlsx": ([["your_name", "your_age"]], []),
    "yes_or_no_question.xlsx": ([["good_day"]], []),
}


def _pages(questionnaire) -> list[list[str]]:
    return [[item.code for item in questionnaire.items_on(number)] for number in questionnaire.page_numbers]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_shared_workbook_is_read_row_by_row(name):
    problems = EXPECTED[name][1]
    draft = xlsform.read(shared(name))
    assert len(draft.problems) == len(problems), draft.problems
    for problem, (where, reason) in zip(draft.problems, problems, strict=True):
        assert problem.where.startswith(where) and reason in problem.reason


def test_the_shared_workbooks_are_created_through_the_builder_or_refused(app, db, make):
    """One test for all of them: the database is set up once."""
    programme = make.programme()
    for number, (name, (pages, problems)) in enumerate(sorted(EXPECTED.items())):
        draft = xlsform.read(shared(name))
        if problems:
            with pytest.raises(service.Refused):
                service.create(draft, programme, f"refused-{number}")
        questionnaire = service.create(draft, programme, f"imported-{number}", skip_unsupported=True)
        db.session.flush()
        assert _pages(questionnaire) == pages, name


def test_a_formula_reads_as_its_cached_value_with_a_note():
    draft = xlsform.read(shared("flat_xlsform_test.xlsx"))  # `required` = `=TRUE()`, saved as True
    assert "survey, row 22: the formula in column K was read as its value “True”." in draft.notes
    assert draft.item_count > 10 and not any("formula" in problem.reason for problem in draft.problems)


def test_a_formula_without_a_cached_value_is_a_problem_of_its_row():
    draft = xlsform.read(workbook(survey=[["type", "name", "label"], ["text", "q", "=CONCAT(\"a\", \"b\")"]]))
    assert [(problem.where, problem.reason) for problem in draft.problems] == [
        ("survey, row 2", "Column C holds a formula without a calculated value: type the value instead.")]


@pytest.mark.parametrize(("data", "message"), [
    (NOT_A_WORKBOOK, "not an Excel workbook"), (NO_SURVEY, "no “survey” sheet"), (b"PK\x03\x04broken", "not an Excel"),
])
def test_no_xlsform_is_a_clear_refusal(data, message):
    with pytest.raises(Exception, match=message) as refusal:
        service.read("form.xlsx", data)
    assert 400 <= refusal.value.status_code < 500


def test_duplicate_names_are_refused_by_row(app, db, make):
    draft = xlsform.read(DUPLICATE)
    assert [(problem.where, problem.reason) for problem in draft.problems] == [
        ("survey, row 3 (name: q1)", "The name “q1” is used twice (first in row 2).")]
    before = db.session.scalar(select(func.count()).select_from(Questionnaire))
    with pytest.raises(service.Refused):
        service.create(draft, make.programme(), "dupes")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == before


def test_languages_groups_logic_and_validation_are_read(app, db, make):
    data = workbook(
        survey=[["TYPE", "Name", "Label::English (en)", "label:Deutsch", "HINT::EN", "relevant", "constraint",
                 "constraint_message::en", "required", "appearance"],
                ["select_one yn", "smoker", "Do you smoke?", "Rauchst du?", "", "", "", "", "yes", ""],
                ["begin group", "habits", "Habits", "Gewohnheiten", "", "${smoker} = 'yes'", "", "", "", "field-list"],
                ["integer", "per_day", "How many a day?", "Wie viele am Tag?", "Roughly", "", ". > 0 and . <= 80", "",
                 "true", ""],
                ["text", "brand", "Brand?", "Marke?", "", "${per_day} != ''", "regex(., '^[A-Za-z]+$')",
                 "Letters only", "", ""],
                ["select_multiple yn", "both", "Both?", "Beide?", "", "not(selected(${smoker}, 'no'))", "", "", "",
                 ""],
                ["text", "notes", "Notes", "Notizen", "", "count-selected(${both}) >= 1", "string-length(.) <= 50",
                 "", "", "multiline"],
                ["text", "bad", "Bad", "Schlecht", "", "${nowhere} = 1", "", "", "", ""],
                ["end group"]],
        choices=[["list name", "name", "label::English (en)", "label:Deutsch"],
                 ["yn", "yes", "Yes", "Ja"], ["yn", "no", "No", "Nein"]],
        settings=[["form_title", "form_id", "default_language"], ["Smoking", "smoking_2027", "English (en)"]],
    )
    draft = xlsform.read(data)
    assert draft.data["languages"] == ["en", "de"]
    assert [(problem.where, "“nowhere”" in problem.reason) for problem in draft.problems] == [
        ("survey, row 8 (name: bad)", True)]
    page = draft.data["pages"][1]
    assert page["title"] == {"en": "Habits", "de": "Gewohnheiten"} and page["condition"] == "smoker = 'yes'"
    per_day, brand, both, notes = page["items"]
    assert both["condition"] == "not selected(smoker, 'no')"
    assert per_day["settings"] == {"decimals": 0, "min": 1, "max": 80} and per_day["required"] is True
    assert per_day["texts"]["help"] == {"en": "Roughly"}
    assert brand["condition"] == "answered(per_day)" and brand["settings"] == {"pattern": "[A-Za-z]+"}
    assert brand["texts"]["invalid"] == {"en": "Letters only"}
    assert notes["type"] == "longtext" and notes["settings"] == {"max_length": 50}
    assert notes["condition"] == "count(both) >= 1"
    questionnaire = service.create(draft, make.programme(), service.suggest_slug(draft, "x.xlsx"),
                                   skip_unsupported=True)
    db.session.flush()
    assert questionnaire.slug == "smoking-2027" and questionnaire.text("title", "de") == "Smoking"
    assert questionnaire.page(2).condition == "smoker = 'yes'"


@pytest.mark.parametrize(("relevant", "reason"), [
    ("${age} + 1 > 3", "cannot be expressed"), ("today() > '2020-01-01'", "cannot be expressed"),
    ("${later} = 'x'", "not an earlier question"), (". > 3", "cannot be expressed"),
])
def test_untranslatable_conditions_say_why(relevant, reason):
    with pytest.raises(Untranslatable, match=reason):
        to_condition(relevant, {"age": "age"}, {})


@pytest.mark.parametrize(("type_code", "constraint", "settings"), [
    ("number", ". >= 1 and . <= 5", {"min": 1, "max": 5}), ("number", ". < 10", {"max": 9}),
    ("date", ". >= date('2020-01-01')", {"earliest": "2020-01-01"}),
    ("multiple", "count-selected(.) <= 2", {"max_choices": 2}),
    ("text", "string-length(.) >= 3", {"min_length": 3}),
])
def test_constraints_become_settings(type_code, constraint, settings):
    assert constraint_settings(type_code, constraint) == settings


@pytest.mark.parametrize("constraint", [". != ${other}", ". >= 1.5", "regex(., 'a') or . = 'b'"])
def test_other_constraints_are_untranslatable(constraint):
    with pytest.raises(Untranslatable):
        constraint_settings("number", constraint)


def test_a_huge_sheet_stops_at_the_row_cap(monkeypatch):
    monkeypatch.setattr(xlsform_sheets, "LIMITS", Limits(max_rows=50, max_columns=300))
    rows = [["type", "name", "label"]] + [["text", f"q{n}", "Q"] for n in range(60)]
    with pytest.raises(UploadRejected, match="at most 50 rows"):
        xlsform.read(workbook(survey=rows))


def test_an_unknown_language_is_reported():
    draft = xlsform.read(workbook(survey=[["type", "name", "label", "label::Elvish"], ["text", "q", "Q", "Q"]]))
    assert [problem.where for problem in draft.problems] == ["column “label::Elvish”"]


def test_a_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    with pytest.raises(UploadRejected, match="unpacks to far more data"):
        xlsform.read(buffer.getvalue())


def test_a_too_complex_pattern_is_a_problem_of_its_row():
    draft = xlsform.read(workbook(survey=[["type", "name", "label", "constraint"], ["text", "code", "Code",
                                                                                    "regex(., '^(a+)+$')"],
                                          ["text", "other", "Other", ""]]))
    assert [problem.where for problem in draft.problems] == ["survey, row 2 (name: code)"]
    assert "too complex" in draft.problems[0].reason and draft.item_count == 1
