"""Reports of a matrix and a ranking: each matrix row is reported as an item ("<question>: <row>"), the matrix
adds a grid (one stacked bar per row in the PDF), the ranking a table of n, mean rank and share ranked first."""
import io

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from surveyapp.accounts.models import Role
from surveyapp.datasets.frames import questionnaire_scope
from surveyapp.reports.service import ReportOptions, build_report
from tests.itemtypes.composites import post_answers, youth_survey

ANSWERS = [
    {"services_library": "5", "services_bus": "2", "modes_bike": "2", "modes_bus": "1"},
    {"services_library": "4", "services_bus": "2", "modes_car": "1", "modes_bike": "3", "modes_bus": "2"},
    {"services_library": "5", "services_bus": "1", "modes_bike": "1"},
]


@pytest.fixture
def answered(app, make, auth):
    """The youth survey answered three times; an evaluator signed in; figures from one response shown."""
    app.config["SUPPRESSION_MIN_N"] = 1
    programme = make.programme()
    questionnaire = youth_survey(make, programme, ranking=True)
    for answers in ANSWERS:
        assert post_answers(app.test_client(), questionnaire, answers).status_code == 302
    auth.login(make.user(Role.EVALUATOR, programme).email)
    return questionnaire


def _sections(app, questionnaire, min_n=1):
    with app.test_request_context(), force_locale("en"):
        report = build_report(questionnaire_scope(questionnaire), ReportOptions(lang="en", min_n=min_n))
    return {section.code: section for section in report.parts[0].items}


def test_each_row_is_an_item_and_the_matrix_a_grid(app, answered):
    sections = _sections(app, answered)
    assert list(sections) == ["services", "services_library", "services_bus", "modes"]  # ranks: in the table
    assert sections["services_library"].question == "services (en): Library"
    assert sections["services_library"].agreement.k == 3  # a row is a Likert item: its agreement share
    grid = sections["services"].grid
    assert [row.label for row in grid] == ["Library", "Buses"] and sections["services"].n == 3
    assert [cell.count for cell in grid[1].rows] == [1, 2, 0, 0, 0]
    assert grid[0].rows[-1].label == "5 – great"


def test_the_ranking_table(app, answered):
    ranks = {rank.label: rank for rank in _sections(app, answered)["modes"].ranks}
    assert list(ranks) == ["bike-en", "bus-en", "car-en"]
    assert (ranks["bike-en"].n, ranks["bike-en"].mean, ranks["bike-en"].first) == (3, 2.0, pytest.approx(1 / 3))
    assert (ranks["bus-en"].n, ranks["bus-en"].mean) == (2, 1.5)
    assert (ranks["car-en"].n, ranks["car-en"].first) == (1, pytest.approx(1 / 3))


def test_small_numbers_are_withheld(app, answered):
    sections = _sections(app, answered, min_n=2)
    ranks = {rank.label: rank for rank in sections["modes"].ranks}
    assert ranks["car-en"].suppressed and ranks["car-en"].mean is None and ranks["car-en"].first is None
    assert not ranks["bus-en"].suppressed
    assert _sections(app, answered, min_n=5)["services"].suppressed


def test_pdf_shows_the_rows_the_grid_and_the_ranking(client, answered):
    response = client.get(f"/manage/questionnaires/{answered.id}/report.pdf?lang=en")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for shown in ("services (en): Library", "services (en): Buses", "Mean rank", "Ranked first", "bike-en",
                  "5 – great"):
        assert shown in text, shown


def test_web_report_shows_the_grid_and_the_ranking(client, answered):
    response = client.get(f"/manage/questionnaires/{answered.id}/report?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<table class="grid-table">' in html and '<th scope="row">Library</th>' in html
    assert '<table class="ranking-table">' in html and "Mean rank" in html
    assert "services (en): Buses" in html


def test_pdf_in_arabic(client, answered):
    response = client.get(f"/manage/questionnaires/{answered.id}/report.pdf?lang=ar")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
