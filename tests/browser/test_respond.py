"""The demo survey in a real browser: phone and desktop, German and Arabic, keyboard only, without
JavaScript, at 200 % zoom; axe-core on every respondent page."""
import pytest

from surveyapp.questionnaires.models import Status

pytestmark = pytest.mark.browser

SURVEY = "/s/close-to"
LIKERT = ("attention", "risk_aware", "careful_driving", "remember_story")
NEXT = "button.primary[name=nav][value=next]"
SUBMIT = "button.primary[name=nav][value=submit]"


def answer_page_one(page) -> None:
    for code in LIKERT:
        page.locator(f"input[name=q_{code}][value='4']").check()


OUTSIDE = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.body.querySelectorAll('*')].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 1 && box.bottom > 0 && (box.left < -1 || box.right > width + 1);
    }).map(el => el.outerHTML.slice(0, 80));
}"""


def assert_no_horizontal_scroll(page) -> None:
    """Nothing scrolls sideways, nor sticks out on the start side (where RTL pages clip instead of scroll)."""
    page.wait_for_load_state("load")  # after a click the next page may still be loading (no document yet)
    width = page.evaluate("() => [document.documentElement.scrollWidth,"
                          " document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width}"
    assert page.evaluate(OUTSIDE) == [], f"{page.url}: elements outside the viewport"


def complete_with_errors(pages, page, lang: str, name: str | None = None) -> None:
    """Skip a required answer, see the errors, correct them, and submit; axe on every state."""
    assert page.locator("html").get_attribute("lang") == lang
    pages.assert_accessible(page)
    if name:
        pages.screenshot(page, name)
    page.locator(NEXT).click()
    summary = page.locator("#errors")
    assert summary.is_visible() and summary.get_attribute("role") == "alert"
    assert summary.locator("a").count() == len(LIKERT)
    first = page.locator(f"input[name=q_{LIKERT[0]}]").first
    assert f"q_{LIKERT[0]}-error" in first.get_attribute("aria-describedby")
    pages.assert_accessible(page)
    summary.locator("a").first.click()
    assert page.evaluate("() => document.activeElement.name") == f"q_{LIKERT[0]}"
    answer_page_one(page)
    page.locator(NEXT).click()
    page.locator("#q_age").fill("12")  # below the minimum of 15
    page.locator("#q_driving_school-0").check()
    page.locator(SUBMIT).click()
    assert page.locator("#q_age").get_attribute("aria-invalid") == "true"
    assert "q_age-error" in page.locator("#q_age").get_attribute("aria-describedby")
    pages.assert_accessible(page)
    page.locator("#q_age").fill("19")
    page.locator(SUBMIT).click()
    page.wait_for_url("**/thanks")
    assert page.locator("html").get_attribute("lang") == lang
    pages.assert_accessible(page)


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_complete_in_german(pages, phone):
    page = pages.open(f"{SURVEY}?lang=de", phone=phone)
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "Die Session hat meine Aufmerksamkeit gehalten." in page.content()
    group = page.get_by_role("group", name="Die Session hat meine Aufmerksamkeit gehalten.")
    assert group.get_by_role("radio", name="1 (trifft gar nicht zu)").count() == 1  # the visible end labels
    assert group.get_by_role("radio", name="5 (trifft voll zu)").count() == 1  # are aria-hidden
    complete_with_errors(pages, page, "de", "respond-phone-de" if phone else None)
    assert "Fahr vorsichtig" in page.content()


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_complete_in_arabic(pages, phone):
    page = pages.open(f"{SURVEY}?lang=ar", phone=phone)
    assert page.locator("html").get_attribute("dir") == "rtl"
    box = page.locator(f"input[name=q_{LIKERT[0]}][value='1']").bounding_box()
    last = page.locator(f"input[name=q_{LIKERT[0]}][value='5']").bounding_box()
    assert box["x"] > last["x"], "a scale runs right to left in Arabic"
    complete_with_errors(pages, page, "ar", "respond-phone-ar" if phone else None)


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focus is on `selector`; every focused element must show a visible outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {visible: el.matches(':focus-visible') && style.outlineStyle !== 'none'
                             && parseFloat(style.outlineWidth) >= 2,
                    html: el.outerHTML.slice(0, 120)};
        }""")
        assert focused["visible"], f"focus not visible on {focused['html']}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only(pages):
    page = pages.open(f"{SURVEY}?lang=de")
    tab_to(page, "a.skip")
    for code in LIKERT:
        tab_to(page, f"input[name=q_{code}]")
        page.keyboard.press("Space")
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2")
    tab_to(page, "#q_age")
    page.keyboard.type("19")
    tab_to(page, "input[name=q_driving_school]")
    page.keyboard.press("Space")
    tab_to(page, SUBMIT)
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks")


def test_works_without_javascript(pages):
    page = pages.open(f"{SURVEY}?lang=de", phone=True, javascript=False)
    page.locator(NEXT).click()
    assert page.locator("#errors").is_visible()
    answer_page_one(page)
    page.locator(NEXT).click()
    page.locator("#q_age").fill("20")
    page.locator("#q_gender-1").check()
    page.locator("#q_driving_school-2").check()
    page.locator("#q_comment").fill("Gut.")
    page.locator("button[name=lang][value=en]").click()  # a language switch keeps the answers
    assert page.locator("#q_age").input_value() == "20"
    page.locator(SUBMIT).click()
    page.wait_for_url("**/thanks")


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_200_percent_zoom_needs_no_horizontal_scrolling(pages, lang):
    zoomed = {"viewport": {"width": 195, "height": 422}, "device_scale_factor": 6, "is_mobile": True,
              "has_touch": True}  # 390 px at 200 %: half the CSS pixels, each twice as large
    page = pages.open(f"{SURVEY}?lang={lang}", **zoomed)
    assert_no_horizontal_scroll(page)
    page.locator(NEXT).click()
    assert_no_horizontal_scroll(page)
    answer_page_one(page)
    page.locator(NEXT).click()
    assert_no_horizontal_scroll(page)
    page.locator(SUBMIT).click()  # errors on page 2
    assert_no_horizontal_scroll(page)
    page.locator("#q_age").fill("18")
    page.locator("#q_driving_school-0").check()
    page.locator(SUBMIT).click()
    page.wait_for_url("**/thanks")
    assert_no_horizontal_scroll(page)


def test_error_pages_accessible(pages, make):
    make.questionnaire(slug="closed-survey", status=Status.CLOSED)
    for path, status in (("/s/no-such-survey", 404), ("/s/closed-survey", 410)):
        page = pages.open("/")
        response = page.goto(path)
        assert response.status == status
        pages.assert_accessible(page)
