"""Done-when of issue 14: the youth survey template's matrix is answered through the test client and the
programme report (PDF, read back with pypdf) has a section per row."""
import io

from pypdf import PdfReader
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Item, Status
from surveyapp.responses.models import Answer, Response
from surveyapp.starters import service
from tests.conftest import hidden_fields

ROWS = {"library": "Library", "buses": "Buses", "parks": "Parks", "youth_club": "Youth club",
        "sports": "Sports facilities"}
RESPONDENTS = 6  # above the report's smallest group shown (5)


def _answer(client, slug: str, n: int) -> None:
    """One young person answers every page without JavaScript; the matrix rows are items of their own, each
    shown to who uses its service."""
    url = f"/s/{slug}?lang=en"
    pages = [
        {"q_services_used": list(ROWS), **{f"q_satisfaction_{row}": str(1 + (n + i) % 5)
                                                      for i, row in enumerate(ROWS)}, "nav": "next"},
        {"q_life_satisfaction": str(n), "q_safe_evening": "4", "q_taken_seriously": "3", "q_stay_here": "yes",
         "nav": "next"},
        {"q_age": str(14 + n), "q_gender": "f", "nav": "submit"},
    ]
    html = client.get(url).get_data(as_text=True)
    for following, data in zip(["page=2", "page=3", "/thanks"], pages, strict=True):
        moved = client.post(url, data={**hidden_fields(html), **data})
        assert moved.status_code == 302 and following in moved.location, moved.get_data(as_text=True)
        html = client.get(moved.location).get_data(as_text=True)


def test_the_matrix_is_answered_and_reported_row_by_row(app, db, make, client, auth):
    programme = make.programme(name="Jugend")
    questionnaire = service.create_from("youth_survey", programme, "jugend", ["de", "en"])
    builder.set_status(questionnaire, Status.OPEN)
    db.session.commit()
    first = app.test_client().get("/s/jugend?lang=en").get_data(as_text=True)
    assert "How satisfied are you with these services?" in first
    assert all(f'name="q_satisfaction_{row}"' in first and label in first for row, label in ROWS.items())
    for n in range(RESPONDENTS):
        _answer(app.test_client(), "jugend", n)
    assert db.session.scalar(select(func.count()).select_from(Response).where(
        Response.submitted_at.is_not(None))) == RESPONDENTS
    stored = db.session.scalar(select(func.count()).select_from(Answer).join(Item, Answer.item_id == Item.id)
                               .where(Item.code.like("satisfaction%")))
    assert stored == RESPONDENTS * len(ROWS)

    auth.login(make.user(Role.EVALUATOR, programme).email)
    pdf = client.get(f"/manage/programmes/{programme.id}/report.pdf?lang=en")
    assert pdf.status_code == 200
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages).split())
    for label in ROWS.values():
        assert f"How satisfied are you with these services?: {label}" in text
