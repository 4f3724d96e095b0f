import re

import pytest
from flask_babel import force_locale

from surveyapp.accounts.models import Role
from tests.reports.seed import seed_responses
from tests.reports.test_service import MARKUP, close_to_rows, pdf_text

GERMAN_HEADINGS = ("Kennzahlen", "Methode")
ENGLISH_HEADINGS = ("Key figures", "Method")


@pytest.fixture
def close_to(make, db):
    from surveyapp.demo import build_questionnaire

    programme = make.programme(name="Close To")
    questionnaire = build_questionnaire(programme)
    db.session.commit()
    seed_responses(questionnaire, close_to_rows())
    return questionnaire


@pytest.fixture
def evaluator(make, close_to, auth):
    user = make.user(Role.EVALUATOR, programme=close_to.programme)
    auth.login(user.email)
    return user


def test_anonymous_is_sent_to_login(client, close_to):
    for url in (
        f"/manage/questionnaires/{close_to.id}/report",
        f"/manage/questionnaires/{close_to.id}/report.pdf",
        f"/manage/programmes/{close_to.programme_id}/report.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_other_programme_is_forbidden(client, make, close_to, auth):
    outsider = make.user(Role.MANAGER)
    auth.login(outsider.email)
    for url in (
        f"/manage/questionnaires/{close_to.id}/report",
        f"/manage/questionnaires/{close_to.id}/report.pdf",
        f"/manage/programmes/{close_to.programme_id}/report",
    ):
        assert client.get(url).status_code == 403


def test_report_page_shows_key_figure_and_suppression(client, close_to, evaluator):
    html = client.get(f"/manage/questionnaires/{close_to.id}/report?ui=en").get_data(as_text=True)
    assert "87.3–90.5" in html and "1,448" in html
    assert re.search(r"diverse</td>\s*<td><span class=\"suppressed\">n &lt; 5", html)
    assert "<script>" not in html


def test_pdf_download_english_and_german(client, close_to, evaluator):
    response = client.get(f"/manage/questionnaires/{close_to.id}/report.pdf?lang=en&open_answers=y")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="close-to-report-en-' in response.headers["Content-Disposition"]
    english = pdf_text(response.data)
    assert re.search(r"\b89%", english) and "87.3–90.5" in english and "n = 1,448" in english
    assert re.search(r"diverse\s+n < 5", english)
    assert MARKUP in english
    lines = {line.strip() for line in english.splitlines()}
    assert all(heading in lines for heading in ENGLISH_HEADINGS)

    german = pdf_text(client.get(f"/manage/questionnaires/{close_to.id}/report.pdf?lang=de").data)
    assert "87,3–90,5" in german and "n = 1.448" in german
    assert MARKUP not in german  # open answers are off by default
    with force_locale("de"):
        from flask_babel import gettext

        translated = gettext("Key figures") != "Key figures"
    if translated:
        lines = {line.strip() for line in german.splitlines()}
        assert all(heading in lines for heading in GERMAN_HEADINGS)
        assert not any(heading in lines for heading in ENGLISH_HEADINGS)


def test_bad_options_are_rejected(client, close_to, evaluator):
    url = f"/manage/questionnaires/{close_to.id}/report.pdf"
    assert client.get(url + "?lang=xx").status_code == 400
    assert client.get(url + "?date_from=2025-03-11&date_to=2025-03-01").status_code == 400


def test_date_filter_in_report(client, close_to, evaluator):
    html = client.get(f"/manage/questionnaires/{close_to.id}/report?ui=en&date_from=2025-03-11").get_data(
        as_text=True
    )
    assert "1,448" not in html


def test_cli_writes_pdf(runner, close_to, tmp_path):
    out = tmp_path / "report.pdf"
    result = runner.invoke(
        args=[
            "report",
            close_to.slug,
            "--out",
            str(out),
            "--lang",
            "en",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
        ]
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    assert "87.3–90.5" in text and "n = 1,448" in text
    programme = runner.invoke(args=["report", close_to.programme.code, "--out", str(out)])
    assert programme.exit_code == 0, programme.output
    missing = runner.invoke(args=["report", "nope", "--out", str(out)])
    assert missing.exit_code != 0 and "nope" in missing.output


def test_questionnaire_list_links_report_and_exports(client, close_to, evaluator):
    html = client.get("/manage/").get_data(as_text=True)
    for url in (
        f"/manage/questionnaires/{close_to.id}/report",
        f"/manage/questionnaires/{close_to.id}/export.xlsx",
        f"/manage/questionnaires/{close_to.id}/export.sav",
    ):
        assert url in html
