"""The demo survey in Arabic: right to left, answered through the test client, same codes as in German."""
from sqlalchemy import select

from surveyapp.demo import load_demo
from surveyapp.responses.models import Answer, Response
from tests.conftest import hidden_fields

PAGE1 = {"q_attention": "5", "q_risk_aware": "4", "q_careful_driving": "5", "q_remember_story": "3"}
PAGE2 = {"q_age": "19", "q_gender": "f", "q_driving_school": "graz", "q_comment": "١٢٣ شكرا"}


def complete(client, lang: str) -> None:
    first = client.get("/s/close-to", headers={"Accept-Language": f"{lang};q=1"})
    html = first.get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    second = client.post("/s/close-to", data={**hidden_fields(html), **PAGE1, "nav": "next"})
    assert second.status_code == 302
    html = client.get(second.location).get_data(as_text=True)
    done = client.post("/s/close-to", data={**hidden_fields(html), **PAGE2, "nav": "submit"})
    assert done.status_code == 302 and done.location.endswith("/thanks")


def test_arabic_and_german_respondents_store_the_same_codes(app, db):
    load_demo(responses=0)
    arabic = app.test_client().get("/s/close-to", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "شدّت الجلسة انتباهي." in arabic and "أوافق تمامًا" in arabic and "إرسال" not in arabic
    german = app.test_client().get("/s/close-to", headers={"Accept-Language": "de-AT,de"})
    german = german.get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in german
    complete(app.test_client(), "ar")
    complete(app.test_client(), "de")
    responses = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert [r.lang for r in responses] == ["ar", "de"]
    stored = [sorted((a.item_id, a.value)
                     for a in db.session.scalars(select(Answer).where(Answer.response_id == r.id)))
              for r in responses]
    assert stored[0] == stored[1]
    assert "١٢٣ شكرا" in {value for _, value in stored[0]}  # typed text stays as typed
