"""The session handout: one A4 page in the session's language whose QR code, read back from the rendered page,
is the enrolment link, at least 3 cm wide; link, code, date and place in its text."""
import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from surveyapp.accounts.models import Role
from surveyapp.participants.views import enrol_url
from tests import panel_factories as panel

SCALE = 3  # pixels per point of the rendered page
MIN_QR_POINTS = 85  # 3 cm


@pytest.fixture
def session(db, make, auth):
    programme = make.programme()
    make.questionnaire(programme, languages=("de", "en"))  # the programme speaks German first
    auth.login(make.user(Role.MANAGER, programme).email)
    return panel.session(db, programme)


def _handout(client, session, query: str = ""):
    response = client.get(f"/manage/sessions/{session.id}/handout.pdf{query}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def _text(pdf: bytes) -> str:
    [page] = PdfReader(io.BytesIO(pdf)).pages  # one A4 page
    assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]
    return " ".join(page.extract_text().split())


def test_the_handout_speaks_the_programme_language_and_its_code_decodes_to_the_link(app, client, session):
    pdf = _handout(client, session, "?ui=tr")  # a Turkish interface: no questionnaire speaks it
    text = _text(pdf)
    with app.test_request_context():
        link = enrol_url(session)
    assert link in text and session.enrol_code[:4] in text
    assert "10. Januar 2026" in text and "Fahrschule Graz" in text
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=SCALE).to_pil()
    [code] = zxingcpp.read_barcodes(image)
    assert code.text == link
    xs = [point.x for point in (code.position.top_left, code.position.top_right, code.position.bottom_left,
                                code.position.bottom_right)]
    assert (max(xs) - min(xs)) / SCALE >= MIN_QR_POINTS  # the symbol alone, quiet zone left out


def test_the_default_is_the_staff_language_where_the_programme_speaks_it(client, session):
    page = client.get(f"/manage/sessions/{session.id}?ui=en").get_data(as_text=True)
    assert f"/manage/sessions/{session.id}/handout.pdf?lang=en" in page
    assert "January 10, 2026" in _text(_handout(client, session, "?ui=en"))
    assert "10. Januar 2026" in _text(_handout(client, session, "?ui=de"))


def test_the_code_prints_in_groups_with_its_look_alikes_named_and_spaces_typed_are_ignored(db, client, session):
    session.enrol_code = "Il1O0o-_abcd"
    db.session.commit()
    text = _text(_handout(client, session, "?lang=en"))
    assert "Il1O\u2002" in text or "Il1O 0o-_ abcd" in text
    assert ("Capitals and small letters differ. I: capital i, l: small L, 1: one, O: capital O, 0: zero, "
            "o: small o, -: hyphen, _: underscore") in text
    assert client.get("/e/Il1O%200o-_%20abcd").status_code == 200
    assert client.get("/e/il1o0o-_abcd").status_code == 404  # case-sensitive: codes are unique only as written


def test_another_language_on_request(client, session):
    text = _text(_handout(client, session, "?lang=en"))
    assert "January 10, 2026" in text and "Privacy" in text
    assert "Januar" not in _text(_handout(client, session, "?lang=fr")) and "janvier" in _text(
        _handout(client, session, "?lang=fr"))


def test_the_session_page_links_the_handout_and_evaluators_get_none(client, session, make, auth):
    page = client.get(f"/manage/sessions/{session.id}").get_data(as_text=True)
    assert f"/manage/sessions/{session.id}/handout.pdf" in page and "Print handout" in page
    auth.login(make.user(Role.EVALUATOR, session.programme).email)
    assert client.get(f"/manage/sessions/{session.id}/handout.pdf").status_code == 403
