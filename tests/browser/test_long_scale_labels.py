"""Long end labels of a 0–10 scale and a 0–10 matrix wrap on a 360 px phone instead of widening the page
(the outside tester's 481 px, 404 px in Arabic), and each of the eleven points stays a target of at least
24 × 24 px (WCAG 2.2, 2.5.8)."""
import pytest

from surveyapp.questionnaires import parts
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Status

pytestmark = pytest.mark.browser

PHONE_360 = {"viewport": {"width": 360, "height": 740}}
LOW, HIGH = "Überhauptnichtwahrscheinlich", "Äußerstwahrscheinlichkeitsgrad"


@pytest.fixture
def survey(live_server, make):
    items = [("likely", "scale10", True, 1, {}, []),
             ("grid", "matrix", True, 1, {"scale": "scale10", "rows": "a = Erste Zeile\nb = Zweite Zeile"}, [])]
    questionnaire = make.questionnaire(languages=("de", "ar"), status=Status.DRAFT, items=items)
    scale, grid = questionnaire.items[0], next(item for item in questionnaire.items if item.code == "grid")
    for item in (scale, grid):
        for lang in ("de", "ar"):
            builder.set_item_texts(item, lang, {"low": LOW, "high": HIGH})
    parts.sync(grid, {"rows": "a = السطر الأول\nb = السطر الثاني"}, "ar")
    builder.set_status(questionnaire, Status.OPEN)
    make.db.session.commit()
    return questionnaire.slug


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_long_end_labels_wrap_at_360_px(pages, survey, lang):
    page = pages.open(f"/s/{survey}?lang={lang}", phone=True, **PHONE_360)
    assert page.get_by_text(HIGH).first.is_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, width
    for selector in ("#item-likely label", "#item-grid .mx-cols label"):
        for box in (label.bounding_box() for label in page.locator(selector).all()):
            assert box["width"] >= 24 and box["height"] >= 24, (selector, box)
