"""Same-page display conditions in a real browser on a 360 px phone: static/logic.js shows an item as soon as
its condition holds and hides (and disables) it again; without JavaScript the item is simply there."""
import pytest
from sqlalchemy import select

from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.responses.models import Answer

pytestmark = pytest.mark.browser

ITEMS = [
    ("drove", "yesno", True, 1, {}, []),
    ("km", "number", False, 1, {"min": 0, "max": 2000, "decimals": 1}, []),
    ("why", "text", True, 1, {}, []),
]
PHONE_360 = {"viewport": {"width": 360, "height": 740}}
SUBMIT = "button.primary[name=nav][value=submit]"


@pytest.fixture
def survey(live_server, make, db):
    questionnaire = make.questionnaire(slug="logic", languages=("en", "de"), items=ITEMS)
    conditions = {"km": "drove = 'yes'", "why": "drove = 'no' or km > 500.5"}
    for item in questionnaire.items:
        item.condition = conditions.get(item.code)
    db.session.commit()
    return f"/s/{questionnaire.slug}"


def questionnaire_id(db) -> int:
    return db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == "logic"))


def shown(page, code: str) -> bool:
    return page.locator(f"#q_{code}").is_visible()


def test_an_item_appears_when_its_condition_holds(pages, survey, db):
    page = pages.open(f"{survey}?lang=de", phone=True, **PHONE_360)
    assert not shown(page, "km") and not shown(page, "why")
    assert page.locator("#q_why").is_disabled()
    page.locator("label[for=q_drove-0]").click()  # yes: the distance is asked
    assert shown(page, "km") and not shown(page, "why")
    page.locator("#q_km").fill("600,5")  # a decimal comma, compared as 600.5 > 500.5
    assert shown(page, "why")
    page.locator("#q_km").fill("500.5")
    assert not shown(page, "why")
    page.locator("label[for=q_drove-1]").click()  # no: the distance goes, the reason is asked
    assert not shown(page, "km") and shown(page, "why") and page.locator("#q_km").is_disabled()
    pages.assert_accessible(page)
    page.locator("#q_why").fill("Kein Auto")
    page.locator(SUBMIT).click()
    page.wait_for_url("**/thanks")
    db.session.expire_all()
    stored = dict(db.session.execute(select(Item.code, Answer.value).join(Item, Answer.item_id == Item.id)
                                     .where(Item.questionnaire_id == questionnaire_id(db))).all())
    assert stored == {"drove": "no", "why": "Kein Auto"}  # the hidden distance was not sent


def test_without_javascript_every_item_is_there(pages, survey):
    page = pages.open(f"{survey}?lang=en", phone=True, javascript=False, **PHONE_360)
    assert shown(page, "km") and shown(page, "why")
