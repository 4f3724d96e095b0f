import io
import re
from datetime import date

import pandas as pd
import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from surveyapp.datasets.frames import Filters, questionnaire_scope, response_frame
from surveyapp.demo import build_questionnaire
from surveyapp.reports.service import ReportOptions, build_report
from tests.reports.seed import seed_responses

MARKUP = "<b>bold</b> & <script>alert(1)</script>"


def close_to_rows() -> list[dict]:
    """1,448 respondents, 1,289 agree (4 or 5) that they will drive more carefully; 4 say gender "d"."""
    rows = []
    for n in range(1448):
        rows.append(
            {
                "attention": 5,
                "risk_aware": 4,
                "careful_driving": 5 if n < 1289 else 3,
                "remember_story": 4,
                "age": 17 + n % 8,
                "gender": "d" if n < 4 else ("f" if n % 2 else "m"),
                "driving_school": ["wien", "graz", "linz"][n % 3],
            }
        )
    rows[0]["comment"] = MARKUP
    for n in range(1, 6):
        rows[n]["comment"] = f"comment {n}"
    return rows


@pytest.fixture
def close_to(make, db):
    questionnaire = build_questionnaire(make.programme(name="Close To"))
    db.session.commit()
    seed_responses(questionnaire, close_to_rows())
    return questionnaire


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_frame_is_typed_and_complete(close_to):
    frame = response_frame(questionnaire_scope(close_to))
    assert len(frame) == 1448
    assert str(frame["careful_driving"].dtype) == "Int64"
    assert isinstance(frame["gender"].dtype, pd.CategoricalDtype)
    assert (frame["careful_driving"] >= 4).sum() == 1289
    assert frame["comment"].dropna().tolist()[0] == MARKUP


def test_date_filter(close_to):
    scope = questionnaire_scope(close_to)
    assert len(response_frame(scope, Filters(date_from=date(2025, 3, 11)))) == 0
    assert len(response_frame(scope, Filters(date_to=date(2025, 3, 10)))) == 1448


def test_report_key_figure_and_breakdowns(close_to):
    with force_locale("en"):
        report = build_report(questionnaire_scope(close_to), ReportOptions(lang="en"))
    [part] = report.parts  # no waves: one part, all respondents
    assert (part.title, part.n) == ("All respondents", 1448)
    figure = next(f for f in part.key_figures if f.label == "I will drive more carefully.")
    assert (figure.result.k, figure.result.n) == (1289, 1448)
    assert round(figure.result.ci_low * 100, 1) == 87.3 and round(figure.result.ci_high * 100, 1) == 90.5
    gender = next(t for t in part.breakdowns if t.dimension == "Gender")
    diverse = next(r for r in gender.rows if r.group == "diverse")
    assert diverse.result.suppressed and diverse.result.n is None
    assert {t.dimension for t in part.breakdowns} >= {"Site", "Gender", "Age group"}
    assert report.method[0].n == 1448


def test_pdf_through_the_service(close_to):
    from surveyapp.reports.model import NumberFormat
    from surveyapp.reports.pdf import render_pdf

    with force_locale("en"):
        report = build_report(
            questionnaire_scope(close_to), ReportOptions(lang="en", include_open_answers=True)
        )
        text = pdf_text(render_pdf(report, numbers=NumberFormat.babel("en")))
    assert re.search(r"\b89%", text)
    assert "87.3–90.5" in text
    assert "n = 1,448" in text
    assert re.search(r"diverse\s+n < 5", text)
    assert MARKUP in text
