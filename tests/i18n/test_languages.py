"""Every interface language on a respondent page and a staff page; right-to-left Arabic; translated
validation and error messages; the language switch keeps answers."""
import re

import pytest

from surveyapp.i18n import INTERFACE_LANGUAGES
from tests.conftest import hidden_fields

ITEMS = [("colour", "single", True, 1, {}, ["red", "green"]),
         ("age", "number", True, 1, {"min": 15, "max": 99}, [])]
SUBMIT = {"de": "Absenden", "en": "Submit", "fr": "Envoyer", "it": "Invia", "tr": "Gönder", "uk": "Надіслати",
          "ar": "إرسال"}


def html_tag(html: str) -> str:
    return re.search(r"<html[^>]*>", html).group(0)


@pytest.mark.parametrize("lang", INTERFACE_LANGUAGES)
def test_respondent_and_staff_pages_in_each_language(client, make, lang):
    questionnaire = make.questionnaire(languages=INTERFACE_LANGUAGES, items=ITEMS)
    page = client.get(f"/s/{questionnaire.slug}?lang={lang}").get_data(as_text=True)
    direction = "rtl" if lang == "ar" else "ltr"
    assert html_tag(page) == f'<html lang="{lang}" dir="{direction}">'
    assert SUBMIT[lang] in page
    staff = client.get(f"/login?ui={lang}").get_data(as_text=True)
    assert html_tag(staff) == f'<html lang="{lang}" dir="{direction}">'


def test_content_language_without_catalogue_falls_back_to_english_interface(client, make):
    questionnaire = make.questionnaire(languages=("fa", "de"), items=ITEMS)
    page = client.get(f"/s/{questionnaire.slug}?lang=fa").get_data(as_text=True)
    assert html_tag(page) == '<html lang="fa" dir="rtl">'
    assert "colour (fa)" in page and "Submit" in page


@pytest.mark.parametrize(("lang", "required", "range_", "choice"), [
    ("de", "Bitte beantworten Sie diese Frage.", "Bitte geben Sie eine Zahl von 15 bis 99 ein.",
     "Keine gültige Auswahl."),
    ("ar", "يرجى الإجابة عن هذا السؤال.", "يرجى إدخال رقم من 15 إلى 99.", "اختيار غير صحيح."),
])
def test_validation_messages_are_translated(client, make, lang, required, range_, choice):
    questionnaire = make.questionnaire(languages=("de", "en", "ar"), items=ITEMS)
    first = client.get(f"/s/{questionnaire.slug}?lang={lang}").get_data(as_text=True)
    page = client.post(f"/s/{questionnaire.slug}", data={**hidden_fields(first), "nav": "submit"})
    assert page.status_code == 422
    assert required in page.get_data(as_text=True)
    page = client.post(f"/s/{questionnaire.slug}", data={**hidden_fields(first), "q_colour": "purple",
                                                          "q_age": "200", "nav": "submit"})
    html = page.get_data(as_text=True)
    assert range_ in html and choice in html  # ours and a WTForms built-in


def test_wtforms_number_error_translated(client, make):
    questionnaire = make.questionnaire(languages=("de", "en"), items=ITEMS)
    first = client.get(f"/s/{questionnaire.slug}?lang=de").get_data(as_text=True)
    page = client.post(f"/s/{questionnaire.slug}", data={**hidden_fields(first), "q_colour": "red",
                                                          "q_age": "zwölf", "nav": "submit"})
    assert "Keine gültige, ganze Zahl." in page.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "text"), [("de", "Seite nicht gefunden"), ("ar", "الصفحة غير موجودة"),
                                            ("uk", "Сторінку не знайдено")])
def test_error_pages_are_translated(client, lang, text):
    page = client.get(f"/no-such-page?ui={lang}", headers={"Accept-Language": lang})
    assert page.status_code == 404
    assert text in page.get_data(as_text=True)


def test_language_switch_keeps_answers_without_javascript(client, make):
    questionnaire = make.questionnaire(languages=("de", "ar"), items=ITEMS)
    first = client.get(f"/s/{questionnaire.slug}?lang=de").get_data(as_text=True)
    switched = client.post(f"/s/{questionnaire.slug}", data={**hidden_fields(first), "q_colour": "green",
                                                              "q_age": "21", "lang": "ar"})
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and html_tag(html) == '<html lang="ar" dir="rtl">'
    assert re.search(r'value="green" checked', html) and 'value="21"' in html
    assert "colour (ar)" in html
    again = client.get(f"/s/{questionnaire.slug}").get_data(as_text=True)
    assert html_tag(again).startswith('<html lang="ar"')  # the choice is remembered
