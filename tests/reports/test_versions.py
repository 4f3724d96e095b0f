"""A report over answers from two versions says so and never pools a 5-point and a 7-point answer."""
import io
from datetime import timedelta

from flask_babel import force_locale
from pypdf import PdfReader

from surveyapp.accounts.models import Role
from surveyapp.datasets.frames import Filters, questionnaire_scope
from surveyapp.questionnaires import service as builder
from surveyapp.reports.service import ReportOptions, build_report, report_pdf
from tests.exports.test_versions import V1, V2, two_versions
from tests.reports.seed import SUBMITTED, seed_responses


def _report(questionnaire, **options):
    with force_locale("en"):
        return build_report(questionnaire_scope(questionnaire), ReportOptions(lang="en", **options))


def _pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of whitespace (line breaks in a wrapped note) as one space."""
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_changed_item_is_shown_per_version_and_never_pooled(make, db):
    report = _report(two_versions(make, db), min_n=1)
    agree = [section for section in report.parts[0].items if section.code == "agree"]
    assert [section.question for section in agree] == ["agree (en) (version 1)", "agree (en) (version 2)"]
    assert [section.n for section in agree] == [len(V1), len(V2)]
    assert [[row.code for row in section.rows] for section in agree] == [
        ["1", "2", "3", "4", "5"], ["1", "2", "3", "4", "5", "6", "7"]]
    assert [row.count for row in agree[0].rows] == [1, 0, 1, 2, 2]  # the version-1 fives stay fives of five
    assert agree[0].agreement.k == 4 and agree[1].agreement.k == 3  # top two boxes of each own scale
    colour = [section for section in report.parts[0].items if section.code == "colour"]
    assert len(colour) == 1 and colour[0].n == len(V1) + len(V2)  # unchanged: pooled as before


def test_key_figures_count_only_answers_on_the_latest_version(make, db):
    figure = next(f for f in _report(two_versions(make, db), min_n=1).parts[0].key_figures
                  if f.label == "agree (en)")
    assert (figure.result.k, figure.result.n) == (3, len(V2))


def test_the_method_box_names_the_versions_and_the_change(make, db):
    report = _report(two_versions(make, db))
    assert report.notes == [
        "Answers from versions 1 and 2.",
        "agree changed in version 2 (points 5 → 7): its figures are shown per version, and key figures count "
        "only answers given on version 2.",
    ]


def test_the_pdf_says_so(make, db):
    questionnaire = two_versions(make, db)
    pdf = report_pdf(questionnaire_scope(questionnaire), ReportOptions(lang="en"))
    text = _pdf_text(pdf)
    assert "Answers from versions 1 and 2." in text
    assert "agree changed in version 2 (points 5 → 7)" in text
    assert "agree (en) (version 1)" in text and "agree (en) (version 2)" in text


def test_one_version_alone_is_described_as_it_was_asked(make, db):
    """Only version-1 answers in the report (a date filter): one 5-point section, no notes."""
    report = _report(two_versions(make, db), filters=Filters(date_to=SUBMITTED.date()), min_n=1)
    [agree] = [section for section in report.parts[0].items if section.code == "agree"]
    assert agree.question == "agree (en)" and [row.code for row in agree.rows] == ["1", "2", "3", "4", "5"]
    assert report.notes == []
    figure = next(f for f in report.parts[0].key_figures if f.label == "agree (en)")
    assert (figure.result.k, figure.result.n) == (4, len(V1))


def test_a_questionnaire_without_versions_reports_as_before(make, db):
    questionnaire = make.questionnaire(items=[("agree", "likert", True, 1, {"points": 5}, [])])
    seed_responses(questionnaire, [{"agree": 5}] * 6)
    report = _report(questionnaire)
    assert report.notes == [] and [s.question for s in report.parts[0].items] == ["agree (en)"]


def test_the_report_page_and_its_pdf_say_so_too(client, make, db, auth):
    questionnaire = two_versions(make, db)
    auth.login(make.user(Role.EVALUATOR, programme=questionnaire.programme).email)
    html = client.get(f"/manage/questionnaires/{questionnaire.id}/report?ui=en").get_data(as_text=True)
    assert "Answers from versions 1 and 2." in html and "agree (en) (version 1)" in html
    pdf = client.get(f"/manage/questionnaires/{questionnaire.id}/report.pdf?ui=en&lang=en").data
    text = _pdf_text(pdf)
    assert "agree changed in version 2 (points 5 → 7)" in text


def test_waves_asked_on_different_scales_are_not_pooled_either(make, db):
    """Two questionnaires of a programme (waves) match items by code; a 5- and a 7-point agree stay apart."""
    from surveyapp.datasets.frames import programme_scope

    programme = make.programme()
    first = make.questionnaire(programme, slug="after", items=[("agree", "likert", True, 1, {"points": 5}, [])])
    later = make.questionnaire(programme, slug="later", items=[("agree", "likert", True, 1, {"points": 7}, [])])
    seed_responses(first, [{"agree": 5}] * 5)
    seed_responses(later, [{"agree": 7}] * 5)
    with force_locale("en"):
        report = build_report(programme_scope(programme), ReportOptions(lang="en"))
    assert [(s.question, s.n) for s in report.parts[0].items] == [
        ("agree (en) (after version 1)", 5), ("agree (en) (later version 1)", 5)]
    assert report.notes == ["agree changed in later version 1 (points 5 → 7): its figures are shown per "
                            "version, and key figures count only answers given on later version 1."]



def _three_versions(make, db, agree_v3: dict | None):
    """agree 5 -> 7 points in version 2; version 3 changes agree to `agree_v3`, else another item (age's range)."""
    questionnaire = two_versions(make, db)
    if agree_v3 is None:
        age = builder.add_item(questionnaire, "age", "number", settings={"min": 1})
        builder.update_item(age, code="age", required=False, page=1, settings={"min": 18})
    else:
        builder.update_item(questionnaire.items[0], code="agree", required=True, page=1, settings=agree_v3)
    db.session.commit()
    seed_responses(questionnaire, [{"agree": 4, "colour": "red"}] * 3, submitted_at=SUBMITTED + timedelta(days=2),
                   extra=[{"questionnaire_version": 3}] * 3)
    assert questionnaire.version == 3
    return questionnaire


def test_a_change_is_named_only_in_the_version_that_changed_that_item(make, db):
    """Version 3 changed another item (age's range): agree changed in version 2 only, though versions 2 and 3
    both ask its 7 points."""
    report = _report(_three_versions(make, db, agree_v3=None))
    assert [line for line in report.notes if line.startswith("agree")] == [
        "agree changed in version 2 (points 5 → 7): its figures are shown per version, and key figures count "
        "only answers given on versions 2 and 3."]
    assert [s.question for s in report.parts[0].items if s.code == "agree"] == [
        "agree (en) (version 1)", "agree (en) (versions 2 and 3)"]


def test_a_change_back_is_named_in_its_own_version(make, db):
    report = _report(_three_versions(make, db, agree_v3={"points": 5}), min_n=1)
    assert [line.split(":")[0] for line in report.notes if line.startswith("agree")] == [
        "agree changed in version 2 (points 5 → 7)", "agree changed in version 3 (points 7 → 5)"]
