"""Staff pages in a real browser: axe on login, list and builder; a manager builds and opens a questionnaire;
an evaluator downloads the CSV."""
import csv
import io

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from surveyapp.demo import LOGINS, PROGRAMME_CODE
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.models import Questionnaire
from tests.browser.conftest import DEMO_RESPONSES, login

pytestmark = pytest.mark.browser

ADMIN, MANAGER, EVALUATOR = ((email, password) for email, password, _role in LOGINS)


def test_login_page_accessible_with_and_without_errors(pages):
    page = pages.open("/login")
    pages.assert_accessible(page)
    page.get_by_label("E-mail").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert page.locator(".error").count() >= 1
    pages.assert_accessible(page)


def add_item(pages, page, code: str, kind: str, label: str, *, required: bool = True) -> None:
    page.get_by_role("link", name="Add item").click()
    pages.assert_accessible(page)  # step 1: the types
    page.get_by_role("link", name=kind, exact=True).click()
    pages.assert_accessible(page)  # step 2: that type's form
    page.locator("#code").fill(code)
    if required:
        page.locator("#required").check()
    page.locator("#label").fill(label)
    page.get_by_role("button", name="Add item").click()


def test_manager_builds_and_opens_a_two_item_questionnaire(pages):
    page = pages.open("/")
    login(page, *MANAGER)
    pages.assert_accessible(page)  # the questionnaire list
    page.get_by_role("link", name="New questionnaire").click()
    pages.assert_accessible(page)
    page.locator("#title").fill("Werkstatt-Feedback")
    page.locator("#slug").fill("werkstatt")
    page.locator("#default_lang").select_option("de")
    page.get_by_label("English", exact=True).uncheck()  # every offered language must be complete to open
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/manage/questionnaires/*")
    add_item(pages, page, "useful", "Likert scale", "War die Werkstatt hilfreich?")
    page.goto(page.url.split("/items")[0])  # a Likert item has no options to add: back to the questionnaire
    pages.assert_accessible(page)
    add_item(pages, page, "remark", "Short text", "Was sollen wir ändern?", required=False)
    edit_url = page.url.split("#")[0]
    page.get_by_role("button", name="Open for responses").click()
    expect(page.get_by_role("link", name="Close", exact=True)).to_be_visible()  # to a confirmation page
    expect(page.locator("table.items tbody tr")).to_have_count(2)
    pages.assert_accessible(page)
    pages.screenshot(page, "builder")

    respondent = pages.open("/s/werkstatt?lang=de", phone=True)
    assert respondent.locator("h1").inner_text() == "Werkstatt-Feedback"
    respondent.locator("input[name=q_useful][value='5']").check()
    respondent.locator("#q_remark").fill("Mehr davon")
    respondent.locator("button.primary[name=nav][value=submit]").click()
    respondent.wait_for_url("**/thanks")
    page.goto(edit_url)
    assert "1 response" in page.content()


def test_evaluator_downloads_the_csv(pages):
    page = pages.open("/")
    login(page, *EVALUATOR)
    pages.assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").first.click()
    download = info.value
    name = download.suggested_filename
    assert name.startswith("close-to-") and name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == DEMO_RESPONSES
    assert {"attention", "age", "driving_school"} <= set(rows[0])


def test_evaluator_reads_the_report_preview(pages, db):
    questionnaire_id = db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == "close-to"))
    page = pages.open("/")
    login(page, *EVALUATOR)
    page.goto(f"/manage/questionnaires/{questionnaire_id}/report")
    assert page.locator("h1").inner_text() == "Evaluation report"
    pages.assert_accessible(page)
    pages.screenshot(page, "report", full_page=False)


@pytest.mark.parametrize("who", [MANAGER, ADMIN])
def test_the_programme_page_at_360_px_has_no_serious_violations(pages, db, who):
    """On a phone the members table scrolls sideways: the scrolling region takes the focus (a manager's
    read-only table holds nothing else that could), named by its heading."""
    programme = db.session.scalar(select(Programme).where(Programme.code == PROGRAMME_CODE))
    page = pages.open("/", viewport={"width": 360, "height": 740})
    login(page, *who)
    page.goto(f"/manage/programmes/{programme.id}")
    assert page.locator("#members").count() == 1
    region = page.get_by_role("region", name="Members")
    assert region.evaluate("wrap => wrap.scrollWidth > wrap.clientWidth")
    pages.assert_accessible(page)
