"""Streamed CSV downloads (exports, audit trail): a failure half-way cuts the transfer and is logged without its
text; values written by other tools (timestamps without fractions) do not break them; one charset per header."""
import pytest
from sqlalchemy import text

from surveyapp.accounts.models import Role
from surveyapp.web import StreamAborted
from tests.exports.test_csv import ITEMS, answer, read_csv

SECRET = "answer-text-that-must-not-be-logged"


@pytest.fixture
def exported(app, make, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    answer(app.test_client(), questionnaire.slug, "de", {"q_agree": "5", "q_colour": "red"})
    auth.login(make.user(Role.ADMIN).email)
    return questionnaire


def test_a_failure_half_way_cuts_the_csv_and_logs_no_text(exported, auth, monkeypatch, logs):
    from surveyapp.exports import views

    def failing(*_args, **_kwargs):
        yield b"response_id\r\n"
        raise ValueError(SECRET)

    monkeypatch.setattr(views.formats, "csv_chunks", failing)
    response = auth.client.get(f"/manage/questionnaires/{exported.id}/export.csv")
    assert response.status_code == 200  # the headers left before the failure
    with pytest.raises(StreamAborted) as aborted:
        response.get_data()
    assert SECRET not in str(aborted.value)
    assert "streamed body failed: ValueError" in logs.text
    logs.assert_clean(SECRET)


def test_timestamps_without_fractions_from_other_tools_do_not_break_exports_or_reports(app, exported, auth, db):
    answer(app.test_client(), exported.slug, "en", {"q_agree": "2", "q_colour": "green"})
    first = db.session.scalar(text("SELECT MIN(id) FROM responses"))
    db.session.execute(text("UPDATE responses SET started_at = :plain WHERE id = :id"),
                       {"plain": "2026-11-29 23:48:20", "id": first})
    db.session.commit()
    base = f"/manage/questionnaires/{exported.id}"
    rows = read_csv(auth.client.get(f"{base}/export.csv"))
    assert rows[0]["started_at"].startswith("2026-11-29")
    for url in (f"{base}/export.csv?format=long", f"{base}/export.xlsx", f"{base}/export.sav",
                f"/manage/questionnaires/{exported.id}/report", f"/manage/questionnaires/{exported.id}/report.pdf"):
        response = auth.client.get(url)
        response.get_data()
        response.close()
        assert response.status_code == 200, url


@pytest.mark.parametrize("url", ["/manage/questionnaires/{id}/export.csv", "/admin/audit/export.csv"])
def test_csv_downloads_name_their_charset_once(exported, auth, url):
    response = auth.client.get(url.format(id=exported.id))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
