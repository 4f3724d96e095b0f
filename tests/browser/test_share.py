"""The sharing page in a real browser: accessible, no CSP errors, the copy button copies the full link and the
QR code as drawn on screen decodes to it; closing asks on its own page first."""
import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from surveyapp.demo import LOGINS, SLUG
from surveyapp.questionnaires.models import Questionnaire, Status
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

MANAGER = LOGINS[1][:2]


def _demo(db) -> Questionnaire:
    return db.session.scalar(select(Questionnaire).where(Questionnaire.slug == SLUG))


def test_share_page_copies_the_link_and_its_qr_code_decodes_to_it(pages, live_server, db):
    questionnaire = _demo(db)
    page = pages.open("/", permissions=["clipboard-read", "clipboard-write"])
    login(page, *MANAGER)
    page.goto(f"/manage/questionnaires/{questionnaire.id}/share")
    link = f"{live_server}/s/{SLUG}"
    expect(page.locator("#share-link")).to_have_value(link)
    pages.assert_accessible(page)
    # shown by share.js; without JavaScript the field is there to copy by hand
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    copy = page.locator("button[data-copy]")  # its name changes on copying
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    drawn = Image.open(io.BytesIO(page.locator("figure.qr svg").screenshot()))
    assert [result.text for result in zxingcpp.read_barcodes(drawn)] == [link]


def test_closing_asks_first(pages, db):
    questionnaire = _demo(db)
    page = pages.open("/")
    login(page, *MANAGER)
    page.goto(f"/manage/questionnaires/{questionnaire.id}")
    page.get_by_role("link", name="Close", exact=True).click()
    page.wait_for_url("**/close")
    pages.assert_accessible(page)
    page.get_by_role("button", name="Close", exact=True).click()
    page.wait_for_url(f"**/manage/questionnaires/{questionnaire.id}")
    db.session.expire_all()
    assert _demo(db).status is Status.CLOSED
