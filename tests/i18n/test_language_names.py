"""Staff pages name a questionnaire's languages in the interface language ("Englisch" on a German page);
the respondent's language switch names each language in itself ("English", "Deutsch")."""
from flask_babel import refresh

from surveyapp.accounts.models import Role
from surveyapp.i18n import language_name, ui_language_name


def test_names_in_the_interface_language(app):
    cases = (("de", "en", "Englisch"), ("fr", "de", "allemand"), ("en", "xx-nonsense!", "xx-nonsense!"))
    for accept, lang, name in cases:
        with app.test_request_context(headers={"Accept-Language": accept}):
            refresh()  # the locale is cached per app context, which the app fixture keeps
            assert ui_language_name(lang) == name
            assert language_name("en") == "English"


def test_german_staff_pages_say_englisch(client, make, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    html = client.get(f"/manage/questionnaires/{questionnaire.id}", headers={"Accept-Language": "de"})
    assert "Englisch" in html.get_data(as_text=True)


def test_translation_download_names_its_charset_once(client, make, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    response = client.get(f"/manage/questionnaires/{questionnaire.id}/translations/de.po")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/x-gettext-translation; charset=utf-8"
