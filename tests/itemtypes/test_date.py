"""Dates: the earliest and latest date allowed, checked, hinted and handed to the browser's date picker."""
from datetime import date

import pytest

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.itemtypes import item_type
from surveyapp.questionnaires.models import Item
from tests.itemtypes.examples import answer, questionnaire_with, stored
from tests.questionnaires.builder import Builder

LIMITS = {"earliest": "2020-01-01", "latest": "2030-12-31"}


@pytest.mark.parametrize("day", ["2020-01-01", "2030-12-31"])
def test_the_limits_themselves_are_allowed(app, db, make, day):
    questionnaire = questionnaire_with(make, "date", settings=LIMITS)
    assert answer(app.test_client(), questionnaire, day).status_code == 302
    assert stored(db, questionnaire) == [day]


@pytest.mark.parametrize(("settings", "day", "message"), [
    (LIMITS, "2019-12-31", "Please enter a date from Jan 1, 2020 to Dec 31, 2030."),
    (LIMITS, "2031-01-01", "Please enter a date from Jan 1, 2020 to Dec 31, 2030."),
    ({"earliest": "2020-01-01"}, "2019-12-31", "Please enter a date on or after Jan 1, 2020."),
    ({"latest": "2030-12-31"}, "2031-01-01", "Please enter a date on or before Dec 31, 2030."),
])
def test_a_date_beyond_the_limits_is_refused(app, db, make, settings, day, message):
    questionnaire = questionnaire_with(make, "date", settings=settings)
    refused = answer(app.test_client(), questionnaire, day)
    assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert stored(db, questionnaire) == []


def test_the_limits_are_a_hint_and_the_date_picker_s_bounds(app, make):
    questionnaire = questionnaire_with(make, "date", settings=LIMITS)
    page = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert "A date from Jan 1, 2020 to Dec 31, 2030." in page
    assert 'max="2030-12-31"' in page and 'min="2020-01-01"' in page
    german = app.test_client().get(f"/s/{questionnaire.slug}?lang=de").get_data(as_text=True)
    assert "01.01.2020" in german  # the dates in the respondent's own format


@pytest.mark.parametrize(("settings", "message"), [
    ({"earliest": "2030-01-01", "latest": "2020-01-01"}, "The earliest date must not be after the latest date."),
    ({"earliest": "2020-13-01"}, "Please give dates as YYYY-MM-DD."),
])
def test_contradictory_or_malformed_limits_are_refused(settings, message):
    with pytest.raises(DomainError, match=message):
        item_type("date").check_settings(settings)


def test_limits_are_stored_as_iso_dates():
    checked = item_type("date").check_settings({"earliest": date(2020, 1, 1), "latest": None})
    assert checked == {"earliest": "2020-01-01"}


def test_the_builder_sets_the_limits_on_a_new_date_item(client, make, auth, db):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = questionnaire_with(make, "text", programme)
    builder = Builder(client)
    added = builder.add_item(questionnaire.id, "born", "date", "Born on", earliest="1900-01-01",
                             latest="2026-11-30")
    assert added.status_code == 302
    item = db.session.scalar(db.select(Item).where(Item.code == "born"))
    assert item.settings == {"earliest": "1900-01-01", "latest": "2026-11-30"}
    page = client.get(f"/manage/items/{item.id}").get_data(as_text=True)
    assert "Date settings" in page and 'value="1900-01-01"' in page
    refused = builder.add_item(questionnaire.id, "later", "date", "Later", earliest="2030-01-01",
                               latest="2020-01-01")
    assert refused.status_code == 422
    assert "The earliest date must not be after the latest date." in refused.get_data(as_text=True)
