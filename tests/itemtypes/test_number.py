"""Numbers: Eastern Arabic and Persian digits, a decimal comma, the range and the decimal places as a hint before
anyone errs and checked, a decimal shown as stored, the settings checks."""
import re

import pytest
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.itemtypes import item_type
from surveyapp.itemtypes.number import ascii_digits
from tests.conftest import hidden_fields
from tests.itemtypes.examples import answer, questionnaire_with, stored
from tests.questionnaires.builder import Builder

RANGE = {"min": 0, "max": 120}


def test_eastern_arabic_and_persian_digits_and_the_arabic_decimal_separator_become_ascii():
    assert ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert ascii_digits("-١٢٫٥") == "-12.5"
    assert ascii_digits("12.5 kg") == "12.5 kg"


@pytest.mark.parametrize("typed", ["٤٢", "۴۲", " ٤2 "], ids=["eastern-arabic", "persian", "mixed"])
def test_a_whole_number_in_arabic_or_persian_digits_is_stored_in_ascii(app, db, make, typed):
    questionnaire = questionnaire_with(make, "number", settings=RANGE)
    assert answer(app.test_client(), questionnaire, typed, lang="ar").status_code == 302
    assert stored(db, questionnaire) == ["42"]


@pytest.mark.parametrize("typed", ["١٢٫٥", "۱۲٫۵", "١٢.٥"])
def test_a_decimal_with_the_arabic_separator_is_stored_in_ascii(app, db, make, typed):
    questionnaire = questionnaire_with(make, "number", settings={"decimals": 2})
    assert answer(app.test_client(), questionnaire, typed, lang="ar").status_code == 302
    assert stored(db, questionnaire) == ["12.5"]


def test_arabic_digits_out_of_range_are_refused_with_the_range(app, db, make):
    questionnaire = questionnaire_with(make, "number", settings=RANGE)
    refused = answer(app.test_client(), questionnaire, "٢٠٠")
    assert refused.status_code == 422
    assert "Please enter a number from 0 to 120." in refused.get_data(as_text=True)
    assert stored(db, questionnaire) == []


def test_the_field_takes_any_digits_a_phone_keyboard_types(app, make):
    """type="number" refuses Arabic digits in browsers: a text box with a numeric keyboard instead."""
    questionnaire = questionnaire_with(make, "number", settings=RANGE)
    page = app.test_client().get(f"/s/{questionnaire.slug}?lang=ar").get_data(as_text=True)
    assert 'type="text"' in page and 'inputmode="numeric"' in page and 'type="number"' not in page


@pytest.mark.parametrize("lang", ["en", "de", "ar"])
def test_the_range_is_a_hint_before_anyone_errs_in_the_respondent_s_language(app, make, lang):
    questionnaire = questionnaire_with(make, "number", settings=RANGE)
    page = app.test_client().get(f"/s/{questionnaire.slug}?lang={lang}").get_data(as_text=True)
    with force_locale(lang):
        hint = _("A number from %(min)s to %(max)s.", min=0, max=120)
    assert f'<p class="help hint" id="q_x-hint">{hint}</p>' in page
    assert 'aria-describedby="q_x-hint"' in page and 'class="error"' not in page


@pytest.mark.parametrize(("settings", "hint"), [({"min": 18}, "A number of at least 18."),
                                                ({"max": 9}, "A number of at most 9."),
                                                ({}, None)])
def test_one_sided_ranges_have_their_own_hint(app, make, settings, hint):
    questionnaire = questionnaire_with(make, "number", settings=settings)
    page = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert (hint in page) if hint else 'id="q_x-hint"' not in page


@pytest.mark.parametrize(("settings", "message"), [
    ({"min": 10, "max": 1}, "The minimum must not be greater than the maximum."),
    ({"decimals": 7}, "A number has from 0 to 6 decimal places."),
])
def test_contradictory_settings_are_refused(settings, message):
    with pytest.raises(DomainError, match=message):
        item_type("number").check_settings(settings)


def test_the_builder_refuses_a_minimum_above_the_maximum(client, make, auth, db):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = questionnaire_with(make, "number", programme, settings=RANGE)
    item = questionnaire.items[0]
    page = client.get(f"/manage/items/{item.id}").get_data(as_text=True)
    assert "Number settings" in page and "Likert scale settings" not in page
    refused = Builder(client).post(f"/manage/items/{item.id}", {
        **hidden_fields(page), "code": "x", "page": 1, "label": "x", "min": 50, "max": 5})
    assert refused.status_code == 422
    assert "The minimum must not be greater than the maximum." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert item.settings == RANGE


def _two_pages(make, decimals: int):
    """Item n (a number with `decimals` places) on page 1, a text on page 2."""
    return make.questionnaire(languages=("en", "de"), items=[
        ("n", "number", True, 1, {"decimals": decimals}, []), ("z", "text", False, 2, {}, [])])


def _shown(html: str) -> str:
    return re.search(r'<input[^>]* name="q_n"[^>]* value="([^"]*)"', html).group(1)


def test_back_shows_a_decimal_as_stored_and_next_keeps_it(app, db, make):
    questionnaire = _two_pages(make, 4)
    client, url = app.test_client(), f"/s/{questionnaire.slug}"
    hidden = hidden_fields(client.get(url).get_data(as_text=True))
    assert client.post(url, data={**hidden, "q_n": "1.2345", "nav": "next"}).status_code == 302
    hidden = hidden_fields(client.get(f"{url}?page=2").get_data(as_text=True))
    assert client.post(url, data={**hidden, "nav": "back"}).status_code == 302
    page = client.get(f"{url}?page=1").get_data(as_text=True)
    assert _shown(page) == "1.2345"
    assert client.post(url, data={**hidden_fields(page), "q_n": _shown(page), "nav": "next"}).status_code == 302
    assert stored(db, questionnaire) == ["1.2345"]


@pytest.mark.parametrize(("typed", "kept"), [("1.23", "1.23"), ("1.230", "1.230"), ("-0.5", "-0.5")])
def test_up_to_the_decimal_places_set_are_taken(app, db, make, typed, kept):
    questionnaire = questionnaire_with(make, "number", settings={"decimals": 2})
    assert answer(app.test_client(), questionnaire, typed).status_code == 302
    assert stored(db, questionnaire) == [kept]


@pytest.mark.parametrize(("places", "typed", "lang"), [(2, "1.234", "en"), (1, "0.05", "de"), (2, "1,234", "de")])
def test_more_decimal_places_than_set_are_refused_with_the_number_in_the_hint(app, db, make, places, typed, lang):
    questionnaire = questionnaire_with(make, "number", settings={"decimals": places})
    refused = answer(app.test_client(), questionnaire, typed, lang=lang)
    html = refused.get_data(as_text=True)
    with force_locale(lang):
        message = ngettext("Please use at most %(num)d decimal place.", "Please use at most %(num)d decimal places.",
                           places)
        hint = ngettext("At most %(num)d decimal place.", "At most %(num)d decimal places.", places)
    assert refused.status_code == 422 and message in html
    assert f'<p class="help hint" id="q_x-hint">{hint}</p>' in html
    assert stored(db, questionnaire) == []


def test_the_hint_gives_the_range_and_the_decimal_places(app, make):
    questionnaire = questionnaire_with(make, "number", settings={"min": 0, "max": 10, "decimals": 1})
    page = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert '<p class="help hint" id="q_x-hint">A number from 0 to 10. At most 1 decimal place.</p>' in page


@pytest.mark.parametrize(("typed", "kept"), [("12,5", "12.5"), (" -0,25 ", "-0.25"), ("١٢,٥", "12.5")])
def test_a_decimal_comma_is_taken_and_stored_with_a_point(app, db, make, typed, kept):
    questionnaire = questionnaire_with(make, "number", settings={"decimals": 2})
    assert answer(app.test_client(), questionnaire, typed, lang="de").status_code == 302
    assert stored(db, questionnaire) == [kept]


@pytest.mark.parametrize("typed", ["1,234.5", "1.234,5", "1,234,567", "1,2٫5"])
def test_thousands_separators_are_refused_with_a_clear_message(app, db, make, typed):
    questionnaire = questionnaire_with(make, "number", settings={"decimals": 2})
    refused = answer(app.test_client(), questionnaire, typed)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Please enter a number such as 1234.5 or 1234,5 (no thousands separators)." in html
    assert "Not a valid decimal value." not in html
    assert stored(db, questionnaire) == []


def test_a_whole_number_item_refuses_a_decimal_comma(app, db, make):
    questionnaire = questionnaire_with(make, "number", settings={})
    refused = answer(app.test_client(), questionnaire, "12,5", lang="de")
    assert refused.status_code == 422 and "Keine gültige, ganze Zahl." in refused.get_data(as_text=True)
    assert stored(db, questionnaire) == []
