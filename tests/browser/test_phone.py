"""The respondent side on a 360 px phone: Enter moves on (never switches the language), the 0-10 scale keeps
one row with its end labels at its ends (also right to left), Back keeps a typed text, and a respondent
resumes after closing the browser."""
import pytest

from surveyapp.questionnaires import service as builder
from tests.browser.test_respond import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

PHONE_360 = {"viewport": {"width": 360, "height": 740}}
LANGS = ("de", "ar", "en")
ENDS = {"de": ("überhaupt nicht", "voll und ganz"), "ar": ("إطلاقًا", "تمامًا"), "en": ("not at all", "completely")}
ITEMS = [
    ("name", "text", False, 1, {}, []),
    ("age", "number", False, 1, {}, []),
    ("nps", "scale10", False, 1, {}, []),
    ("agree", "likert", False, 1, {"points": 7}, []),
    ("story", "longtext", False, 2, {}, []),
    ("ok", "yesno", False, 3, {}, []),
]
NEXT = "button.primary[name=nav][value=next]"
BACK = "button[name=nav][value=back]"


@pytest.fixture
def survey(live_server, make, db):
    """Three pages in German, Arabic and English (so the page has language buttons); page 1 holds a text,
    a number, a 0-10 scale with end labels and a 7-point Likert scale."""
    questionnaire = make.questionnaire(slug="phone", languages=LANGS, items=ITEMS)
    scale = next(item for item in questionnaire.items if item.code == "nps")
    for lang, (low, high) in ENDS.items():
        builder.set_item_texts(scale, lang, {"low": low, "high": high})
    db.session.commit()
    return f"/s/{questionnaire.slug}"


def page_number(page) -> str:
    return page.locator("input[name=page]").input_value()


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("field, typed", [("#q_name", "Amal"), ("#q_age", "42")], ids=["text", "number"])
def test_enter_moves_to_the_next_page_in_the_same_language(pages, survey, lang, field, typed):
    page = pages.open(f"{survey}?lang={lang}", phone=True, **PHONE_360)
    page.locator(field).fill(typed)
    page.locator(field).press("Enter")
    page.wait_for_url("**page=2")
    assert page_number(page) == "2"
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("button[name=lang][aria-current]").get_attribute("value") == lang
    page.locator(BACK).click()
    page.wait_for_url("**page=1")
    assert page.locator(field).input_value() == typed, "Enter stored the page like Next"


def test_the_default_button_is_neither_seen_nor_heard(pages, survey):
    page = pages.open(f"{survey}?lang=de", phone=True, **PHONE_360)
    assert page.get_by_role("button", name="Weiter", exact=True).count() == 1  # the hidden one is aria-hidden
    box = page.locator("button.default-submit").bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1
    pages.assert_accessible(page)
    page.locator("#q_name").focus()
    for _ in range(30):  # Tab from the text field to the end of the page never lands on it
        page.keyboard.press("Tab")
        assert not page.evaluate("() => document.activeElement.matches('.default-submit')")


def option_boxes(page, code: str, points: range) -> list[dict]:
    return [page.locator(f"label[for=q_{code}-{n}]").bounding_box() for n in points]


def assert_one_row(page, code: str, points: range, rtl: bool) -> list[dict]:
    """Every option on the same line, inside the viewport, in reading order, its number not clipped."""
    width = page.viewport_size["width"]
    boxes = option_boxes(page, code, points)
    assert {round(box["y"]) for box in boxes} == {round(boxes[0]["y"])}, f"{code} wraps: {boxes}"
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes)
    starts = [box["x"] for box in boxes]
    assert starts == sorted(starts, reverse=rtl)
    overflowing = page.evaluate("code => [...document.querySelectorAll(`label[for^=q_${code}-]`)]"
                                ".filter(label => label.scrollWidth > label.clientWidth).length", code)
    assert overflowing == 0
    return boxes


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_zero_to_ten_fits_one_row_with_its_ends_under_0_and_10(pages, survey, lang):
    page = pages.open(f"{survey}?lang={lang}", phone=True, **PHONE_360)
    rtl = page.locator("html").get_attribute("dir") == "rtl"
    assert rtl == (lang == "ar")
    boxes = assert_one_row(page, "nps", range(11), rtl)
    assert_one_row(page, "agree", range(7), rtl)
    zero, ten = boxes[0], boxes[-1]
    ends = page.locator("#q_nps .ends span")
    low, high = ends.nth(0).bounding_box(), ends.nth(1).bounding_box()
    assert ends.nth(0).inner_text() == ENDS[lang][0] and ends.nth(1).inner_text() == ENDS[lang][1]
    assert low["y"] >= zero["y"] + zero["height"] and high["y"] >= ten["y"] + ten["height"], "below the options"

    def right(box):
        return box["x"] + box["width"]

    if rtl:  # 0 and its label on the right, 10 and its label on the left
        assert abs(right(low) - right(zero)) <= 2 and abs(high["x"] - ten["x"]) <= 2
        assert high["x"] + high["width"] < low["x"]
    else:
        assert abs(low["x"] - zero["x"]) <= 2 and abs(right(high) - right(ten)) <= 2
        assert right(low) < high["x"]
    assert_no_horizontal_scroll(page)
    pages.assert_accessible(page)
    page.locator("fieldset#q_nps").scroll_into_view_if_needed()
    pages.screenshot(page, f"phone-360-scale10-{lang}", full_page=False)


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_zero_to_ten_becomes_a_list_when_even_narrower(pages, survey, lang):
    """At 200 % zoom on a 390 px phone (195 CSS px) eleven columns cannot fit: the points stack, each end
    label next to its point, and nothing scrolls sideways."""
    zoomed = {"viewport": {"width": 195, "height": 422}, "device_scale_factor": 6}
    page = pages.open(f"{survey}?lang={lang}", phone=True, **zoomed)
    boxes = option_boxes(page, "nps", range(11))
    assert all(later["y"] > earlier["y"] for earlier, later in zip(boxes, boxes[1:], strict=False))
    assert ENDS[lang][0] in page.locator("label[for=q_nps-0]").inner_text()
    assert_no_horizontal_scroll(page)


def test_back_keeps_a_typed_long_text(pages, survey):
    page = pages.open(f"{survey}?lang=de", phone=True, **PHONE_360)
    page.locator(NEXT).click()
    page.wait_for_url("**page=2")
    page.locator("#q_story").fill("Der Weg zur Schule ist gefährlich,\nbesonders im Winter.")
    page.locator(BACK).click()
    page.wait_for_url("**page=1")
    page.locator(NEXT).click()
    page.wait_for_url("**page=2")
    assert page.locator("#q_story").input_value() == "Der Weg zur Schule ist gefährlich,\nbesonders im Winter."


def test_resume_after_the_browser_is_closed_and_reopened(pages, survey, browser, live_server):
    page = pages.open(f"{survey}?lang=ar", phone=True, **PHONE_360)
    page.locator("#q_name").fill("Amal")
    page.locator(NEXT).click()
    page.wait_for_url("**page=2")
    state = page.context.storage_state()
    page.context.close()
    kept = [cookie for cookie in state["cookies"] if cookie["expires"] != -1]  # a restart drops session cookies
    assert kept and len(kept) < len(state["cookies"]), "the session cookie goes, a lasting one stays"
    reopened = browser.new_context(base_url=live_server, storage_state={**state, "cookies": kept},
                                   viewport=PHONE_360["viewport"], is_mobile=True, has_touch=True)
    try:
        page = reopened.new_page()
        page.goto(survey)
        assert page_number(page) == "2"
        assert page.locator("html").get_attribute("lang") == "ar"
        page.locator(BACK).click()
        assert page.locator("#q_name").input_value() == "Amal"
    finally:
        reopened.close()
