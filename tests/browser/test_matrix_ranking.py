"""A matrix and a ranking in a real browser on a 360 px phone, in German and in Arabic (right to left): the
matrix stacks row by row without scrolling sideways, the ranking is done with the keyboard alone, and axe finds
no serious violations."""
import pytest
from sqlalchemy import select

from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.responses.models import Answer
from tests.itemtypes.composites import youth_survey

pytestmark = pytest.mark.browser

PHONE_360 = {"viewport": {"width": 360, "height": 740}}
WIDE = {"viewport": {"width": 1024, "height": 800}}


@pytest.fixture
def survey(live_server, make):
    questionnaire = youth_survey(make, ranking=True, ranking_settings={"rank_at_most": 2})
    return questionnaire.slug


def _box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_matrix_stacks_row_by_row_on_a_phone(pages, survey, lang):
    page = pages.open(f"/s/{survey}?lang={lang}", phone=True, **PHONE_360)
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert not page.locator(".mx-head").is_visible()  # the header is for the wide grid
    library, bus = _box(page, "#q_services_library"), _box(page, "#q_services_bus")
    assert bus["y"] >= library["y"] + library["height"] - 1  # one row under the other
    legend = _box(page, "#q_services_library legend")
    first = _box(page, "label[for=q_services_library-0]")
    assert first["y"] >= legend["y"] + legend["height"] - 1  # the choices under the row's text
    assert page.locator("label[for=q_services_library-4] .mx-choice").is_visible()  # each choice labelled
    assert _no_sideways_scroll(page)
    pages.assert_accessible(page)
    pages.screenshot(page, f"matrix-phone-{lang}")


def test_on_a_wide_screen_the_rows_line_up_under_one_header(pages, survey):
    page = pages.open(f"/s/{survey}?lang=en", **WIDE)
    assert page.locator(".mx-head").is_visible()
    legend, first = _box(page, "#q_services_library legend"), _box(page, "label[for=q_services_library-0]")
    assert abs((legend["y"] + legend["height"] / 2) - (first["y"] + first["height"] / 2)) < 20  # one line
    head = page.locator(".mx-head .mx-cols > span").nth(4).bounding_box()
    last = _box(page, "label[for=q_services_bus-4]")
    assert abs((head["x"] + head["width"] / 2) - (last["x"] + last["width"] / 2)) < 4  # under its header
    pages.assert_accessible(page)
    pages.screenshot(page, "matrix-wide-en")


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_ranking_is_done_by_keyboard_alone(pages, survey, db, lang):
    page = pages.open(f"/s/{survey}?lang={lang}", phone=True, **PHONE_360)
    page.locator("label[for=q_services_library-3]").click()
    page.locator("label[for=q_services_bus-1]").click()
    page.locator("#q_services_bus-1").focus()
    page.keyboard.press("Tab")  # from the last radio group to the first rank
    assert page.evaluate("() => document.activeElement.id") == "q_modes_bike"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "–" -> 1 -> 2
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "q_modes_bus"
    page.keyboard.press("ArrowDown")  # 1
    assert page.locator("#q_modes_bike").input_value() == "2" and page.locator("#q_modes_bus").input_value() == "1"
    assert _no_sideways_scroll(page)
    pages.assert_accessible(page)
    pages.screenshot(page, f"ranking-phone-{lang}")
    for _step in range(6):  # on to the submit button, by keyboard too
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('button.primary')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks")
    db.session.expire_all()
    slug_id = db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == survey))
    stored = dict(db.session.execute(select(Item.code, Answer.value).join(Item, Answer.item_id == Item.id)
                                     .where(Item.questionnaire_id == slug_id)).all())
    assert stored == {"services_library": "4", "services_bus": "2", "modes_bike": "2", "modes_bus": "1"}

