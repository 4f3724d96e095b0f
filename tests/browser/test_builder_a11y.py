"""axe finds no serious violations on the builder's pages: the questionnaire page (items with a condition,
pages with their logic), the type choice, an item form, a choice item with its bulk options, a page's form."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.demo import LOGINS
from surveyapp.questionnaires import pages as page_service
from surveyapp.questionnaires import service
from surveyapp.questionnaires.models import Questionnaire
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

MANAGER = next((email, password) for email, password, role in LOGINS if role is Role.MANAGER)


@pytest.fixture
def questionnaire(db, live_server):
    """The demo questionnaire with a condition on an item and a page with a skip rule."""
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "close-to"))
    first, later = [item for item in questionnaire.items if item.kind.answered and item.parent is None][:2]
    service.set_item_condition(later, f"answered({first.code})")
    page_service.set_title(questionnaire, questionnaire.page_numbers[0], questionnaire.default_lang, "Start")
    db.session.commit()
    return questionnaire


def test_builder_pages_have_no_serious_violations(pages, questionnaire):
    page = pages.open("/")
    login(page, *MANAGER)
    base = f"/manage/questionnaires/{questionnaire.id}"
    page.goto(base)
    assert page.locator("#pages").count() == 1
    pages.assert_accessible(page)
    page.goto(f"{base}/items/new")
    pages.assert_accessible(page)
    page.get_by_role("link", name="Single choice", exact=True).click()
    pages.assert_accessible(page)
    choice = next(item for item in questionnaire.items if item.kind.has_options)
    page.goto(f"/manage/items/{choice.id}")
    assert page.locator("#lines").count() == 1
    pages.assert_accessible(page)
    page.goto(f"{base}/pages/{questionnaire.page_numbers[0]}")
    pages.assert_accessible(page)
    page.goto(f"{base}/pages/{questionnaire.page_numbers[0]}")
    page.locator("#when_0").fill("nonsense ((")
    page.locator("#to_0").select_option("end")
    page.get_by_role("button", name="Save page").click()
    assert page.locator(".errsum").count() == 1
    pages.assert_accessible(page)
