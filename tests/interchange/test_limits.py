"""Imported texts keep to the builder's length limits: a longer one is a problem of its row or question, and
nothing is created with it, even when problems are skipped (a text is never cut to fit)."""
from pathlib import Path

import pytest

from surveyapp.interchange import service
from tests.interchange.workbooks import workbook

LONG = "x" * 2001
LSS = Path(__file__).parents[2].parent / "shared" / "limesurvey" / "ls205_sample_survey_english.lss"


def test_an_xlsform_text_over_the_builders_limit_is_a_problem_of_its_cell(app, db, make):
    data = workbook(survey=[["type", "name", "label::English (en)", "hint"], ["text", "q1", LONG, "ok"],
                            ["text", "q2", "Fine", "h" * 1001], ["text", "q3", "Kept", ""]],
                    choices=[["list_name", "name", "label"], ["yn", "yes", "y" * 501]])
    draft = service.read("form.xlsx", data)
    found = [(problem.where, problem.reason) for problem in draft.problems]
    assert ("survey, row 2, column label::en", "The text has 2001 characters; the builder allows at most 2000.") \
        in found
    assert any(where == "survey, row 3, column hint" for where, _reason in found)
    assert any(where == "choices, row 2, column label" for where, _reason in found)
    with pytest.raises(service.Refused, match="cannot be imported"):
        service.create(draft, make.programme(), "long-texts")
    created = service.create(draft, make.programme(), "long-texts", skip_unsupported=True)
    assert [item.code for item in created.items] == ["q3"]  # skipped: the questions with a long text left out


@pytest.mark.skipif(not LSS.is_file(), reason="the shared LimeSurvey files are not there")
def test_a_limesurvey_text_over_the_builders_limit_is_a_problem_of_its_question(app, db, make):
    text = LSS.read_bytes()
    draft = service.read("sample.lss", text)
    code = draft.data["pages"][0]["items"][0]["code"]
    assert ("question (code: tsummary1)", "The text has 3398 characters; the builder allows at most 2000.") in [
        (problem.where, problem.reason) for problem in draft.problems]  # a display text of the shared file
    assert "tsummary1" not in {spec["code"] for page in draft.data["pages"] for spec in page["items"]}
    spec = draft.data["pages"][0]["items"][0]
    spec["texts"]["label"] = {lang: LONG for lang in draft.data["languages"]}
    problems = service.limits.draft_problems(draft)
    assert [problem.where for problem in problems] == [f"question (code: {code})"]
    created = service.create(draft, make.programme(), "sample", skip_unsupported=True)
    assert not {code, "tsummary1"} & {item.code for item in created.items} and created.items
