"""A manager on a phone (360 px) starts from a template: the list and the form have no serious axe violations,
and the new draft opens in the builder."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.demo import LOGINS
from surveyapp.questionnaires.models import Questionnaire, Status
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

MANAGER = next((email, password) for email, password, role in LOGINS if role is Role.MANAGER)


def test_a_manager_starts_from_a_template_on_a_phone(pages, db):
    page = pages.open("/", phone=True)
    login(page, *MANAGER)
    page.goto("/manage/")
    page.get_by_role("link", name="Start from a template").click()
    pages.assert_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Use this template").nth(2).click()
    assert page.locator("#starter").input_value() == "youth_survey"
    assert page.locator("#slug").input_value() == "youth-survey"
    pages.assert_accessible(page)
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/manage/questionnaires/*")
    assert page.get_by_role("heading", name="Jugendbefragung: Angebote und Lebensqualität").count() == 1
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "youth-survey"))
    assert questionnaire.status is Status.DRAFT
    assert questionnaire.programme.code == "closeto"
