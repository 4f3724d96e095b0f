"""The sharing page: the full public link, QR codes that decode to it (SVG, PNG, the poster's), the A4 poster."""
import io
import re
import unicodedata
from datetime import UTC, datetime
from html import unescape
from urllib.parse import unquote

import pypdfium2
import pytest
import zxingcpp
from flask_babel import get_locale
from PIL import Image, ImageDraw
from pypdf import PdfReader

from surveyapp.accounts.models import Role
from surveyapp.config import Defaults
from surveyapp.questionnaires import service, sharing
from surveyapp.questionnaires.models import Status


@pytest.fixture
def shared(client, make, auth, db):
    """An open questionnaire in German, English and Arabic, its manager logged in."""
    programme = make.programme()
    questionnaire = make.questionnaire(programme, languages=("de", "en", "ar"))
    for lang, title in [("de", "Nach der Fahrstunde"), ("en", "After the driving lesson"), ("ar", "بعد درس القيادة")]:
        service.set_questionnaire_texts(questionnaire, lang, {"title": title})
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme).email)
    return questionnaire


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def svg_image(svg: str, scale: int = 8) -> Image.Image:
    """Draw segno's inline SVG path (rows of horizontal strokes: M x y, h n, m dx dy) as a bitmap."""
    width = int(re.search(r"""viewBox=["']0 0 (\d+)""", svg).group(1))
    path = re.search(r""" d=["']([^"']+)""", svg).group(1)
    image = Image.new("L", (width * scale, width * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, numbers in re.findall(r"([Mmh])([-\d. ]+)", path):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            top = (y - 0.5) * scale
            draw.rectangle([x * scale, top, (x + values[0]) * scale - 1, top + scale - 1], fill=0)
            x += values[0]
    return image


def test_share_page_shows_the_full_link_and_a_qr_code_of_it(app, client, shared, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "")  # none set: the request's own
    page = client.get(f"/manage/questionnaires/{shared.id}/share", base_url="https://localhost")
    html = page.get_data(as_text=True)
    link = f"https://localhost/s/{shared.slug}"  # the scheme (and host) the request came with
    assert page.status_code == 200 and f'value="{link}"' in html
    assert 'data-copy="share-link"' in html and "share.js" in html and "<script>" not in html  # CSP: no inline
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert f"<title>QR code of the link {link}</title>" in unescape(svg)
    assert decode(svg_image(svg)) == [link]
    assert "notice" not in html  # open: no warning


def test_the_link_page_qr_codes_and_poster_use_the_public_base_url_when_set(app, client, shared, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://umfrage.example.org/")
    link = f"https://umfrage.example.org/s/{shared.slug}"  # as enrolment and invitation links are made

    def get(path: str):  # staff on an internal address
        return client.get(f"/manage/questionnaires/{shared.id}/share{path}", base_url="https://localhost:8443")

    html = get("").get_data(as_text=True)
    assert f'value="{link}"' in html and "localhost" not in html
    assert decode(svg_image(re.search(r"<svg.*?</svg>", html, re.S).group(0))) == [link]
    assert decode(Image.open(io.BytesIO(get("/qr.png").data))) == [link]
    poster = get("/poster.pdf").data
    assert link in PdfReader(io.BytesIO(poster)).pages[0].extract_text() and decode(render(poster)[1]) == [link]


def test_png_download_decodes_to_the_link(client, shared):
    png = client.get(f"/manage/questionnaires/{shared.id}/share/qr.png")
    assert png.mimetype == "image/png" and "attachment" in png.headers["Content-Disposition"]
    assert decode(Image.open(io.BytesIO(png.data))) == [f"http://localhost/s/{shared.slug}"]


def test_poster_has_the_titles_the_link_and_a_qr_code_that_decodes_to_it(client, shared):
    poster = client.get(f"/manage/questionnaires/{shared.id}/share/poster.pdf")
    assert poster.status_code == 200 and poster.mimetype == "application/pdf"
    link = f"http://localhost/s/{shared.slug}"
    reader = PdfReader(io.BytesIO(poster.data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Nach der Fahrstunde" in text and "After the driving lesson" in text and link in text
    captions = ["Scannen oder Link eintippen", "Scan or type the link", "امسح الرمز أو اكتب الرابط"]
    assert all(caption in unicodedata.normalize("NFKC", text) for caption in captions)  # one per language, in it
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4
    assert decode(render(poster.data)[1]) == [link]


def render(pdf: bytes) -> tuple[int, Image.Image]:
    """The number of pages and the first page drawn at 144 dpi."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=2)
        image = bitmap.to_pil()
        bitmap.close()
        page.close()
        return len(document), image
    finally:
        document.close()


def test_a_poster_with_seven_long_titles_still_fits_one_page():
    title = "Befragung nach der Fahrstunde für Fahrschülerinnen und Fahrschüler im Programm Close To"
    lines = [sharing.PosterLine(f"{title} ({number})", f"Scan or type the link ({number})") for number in range(7)]
    link = "https://umfrage.example.org/s/" + "a" * 78
    pages, image = render(sharing.poster_pdf(link, lines))
    assert pages == 1 and decode(image) == [link]


@pytest.mark.parametrize("languages", [("de", "ar"), ("de", "en", "ar")])
def test_every_language_gets_the_caption_in_its_own_interface_language(app, make, db, monkeypatch, languages):
    monkeypatch.setattr(sharing, "_", lambda text: f"{get_locale()}: {text}")  # says which language spoke
    questionnaire = make.questionnaire(languages=languages)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        captions = [line.caption for line in sharing.poster_lines(questionnaire)]
    assert captions == [f"{lang}: Scan or type the link" for lang in languages]


def test_a_language_without_an_interface_of_its_own_adds_no_second_caption(app, make):
    questionnaire = make.questionnaire(languages=("en", "sq"))  # Albanian: no catalogue, English interface
    with app.test_request_context():
        captions = [line.caption for line in sharing.poster_lines(questionnaire)]
    assert captions == ["Scan or type the link", ""]


@pytest.mark.parametrize(("status", "changes", "warning"), [
    (Status.DRAFT, {}, "is a draft"), (Status.CLOSED, {}, "is closed"),
    (Status.OPEN, {"opens_at": datetime(2999, 1, 1, tzinfo=UTC)}, "opens on"),
    (Status.OPEN, {"closes_at": datetime(2000, 1, 1, tzinfo=UTC)}, "is closed"),
    (Status.CLOSED, {"archived_at": datetime(2000, 1, 1, tzinfo=UTC)}, "is archived"),
])
def test_share_page_warns_while_the_link_takes_no_answers(client, db, shared, status, changes, warning):
    shared.status = status
    for name, value in changes.items():
        setattr(shared, name, value)
    db.session.commit()
    html = client.get(f"/manage/questionnaires/{shared.id}/share").get_data(as_text=True)
    assert warning in html and 'class="notice"' in html


def test_the_enrolment_qr_code_is_made_by_segno_too_and_decodes():
    from surveyapp.participants.views import qr_data_uri

    link = "https://umfrage.example.org/e/ABCD1234"
    svg = unquote(qr_data_uri(link).partition(",")[2])
    svg = re.sub(r"width='(\d+)' height='\d+'", lambda m: f"viewBox='0 0 {int(m.group(1)) // 8} 0'", svg)
    assert decode(svg_image(svg)) == [link]


def test_by_default_the_link_follows_the_address_staff_use(app, client, shared, monkeypatch):
    assert Defaults.PUBLIC_BASE_URL is None  # not a development address in production's links
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    html = client.get(f"/manage/questionnaires/{shared.id}/share",
                      base_url="https://localhost:8443").get_data(as_text=True)  # the login is localhost's
    link = f"https://localhost:8443/s/{shared.slug}"
    assert f'value="{link}"' in html and "127.0.0.1" not in html
    assert decode(svg_image(re.search(r"<svg.*?</svg>", html, re.S).group(0))) == [link]
