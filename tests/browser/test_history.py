"""The respondent's history in a real browser: an error page leaves no POST entry (Back and reload never ask to
send the form again), its summary takes the focus, and Back after the thank-you page shows the thank-you page."""
import pytest

pytestmark = pytest.mark.browser

ITEMS = [("agree", "likert", True, 1, {"points": 5}, []), ("note", "longtext", False, 2, {}, [])]
NEXT = "button.primary[name=nav][value=next]"


@pytest.fixture
def survey(live_server, make):
    return f"/s/{make.questionnaire(slug='history', languages=('en', 'de'), items=ITEMS).slug}"


def test_an_error_page_takes_the_focus_and_leaves_no_form_to_resend(pages, survey):
    page = pages.open(f"{survey}?lang=en")
    page.locator(NEXT).click()
    page.wait_for_selector("#errors")
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.id") == "errors"
    assert page.url.endswith(f"{survey}?page=1&lang=en")  # the POST's entry now holds the page's GET address
    pages.assert_accessible(page)
    page.locator("label[for=q_agree-3]").click()
    page.locator(NEXT).click()
    page.wait_for_url("**page=2")
    page.go_back()  # with the POST still in the history this would be "Confirm form resubmission"
    assert page.url.endswith(f"{survey}?page=1&lang=en")
    assert page.locator("#errors").count() == 0 and page.locator("#q_agree-3").is_checked()


def test_back_after_the_thank_you_page_shows_it_again(pages, survey):
    page = pages.open(f"{survey}?lang=en")
    page.locator("label[for=q_agree-1]").click()
    page.locator(NEXT).click()
    page.wait_for_url("**page=2")
    page.locator("button.primary[name=nav][value=submit]").click()
    page.wait_for_url("**/thanks")
    page.go_back()
    page.wait_for_url("**/thanks")
    assert page.get_by_role("heading", name="Thank you!").is_visible()
    page.get_by_role("link", name="Start a new response").click()
    assert page.locator("#q_agree-1").is_checked() is False
