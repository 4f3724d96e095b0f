"""Numbers: Eastern Arabic and Persian digits, the range as a hint before anyone errs, the settings checks."""
import pytest
from flask_babel import force_locale
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
