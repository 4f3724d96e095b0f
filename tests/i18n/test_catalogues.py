"""The interface catalogues cannot fall behind the code: every msgid of the code and the templates is
translated, not fuzzy, in every shipped language, and compiled."""
import pytest
from babel.messages.pofile import read_po

from surveyapp.i18n import INTERFACE_LANGUAGES, missing_catalogues
from surveyapp.i18n_cli import TRANSLATIONS, catalogue_problems, extract_messages


@pytest.fixture(scope="module")
def pot(tmp_path_factory):
    return extract_messages(tmp_path_factory.mktemp("pot") / "messages.pot")


def test_every_message_is_translated_in_every_language(pot):
    problems = catalogue_problems(pot)
    assert not problems, ("catalogues are behind the code; run `flask translate update`, translate, then "
                          "`flask translate compile`:\n" + "\n".join(problems[:60]))


def test_extraction_finds_code_and_template_messages(pot):
    with pot.open("rb") as handle:
        ids = {message.id if isinstance(message.id, str) else message.id[0] for message in read_po(handle)}
    assert "Please answer this question." in ids  # lazy_gettext in Python
    assert "Skip to content" in ids  # gettext in a template
    assert "There is %(num)d problem with your answers." in ids  # ngettext in a template


@pytest.mark.parametrize("lang", INTERFACE_LANGUAGES)
def test_plural_forms_are_complete(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    plurals = [message for message in catalogue if message.id and message.pluralizable]
    assert plurals
    for message in plurals:
        assert len(message.string) == catalogue.num_plurals and all(message.string), message.id
    assert catalogue.num_plurals == {"uk": 3, "ar": 6, "tr": 1}.get(lang, 2)


def test_every_interface_language_is_compiled():
    assert missing_catalogues(TRANSLATIONS) == [], "run `make translations` (pybabel compile -d translations)"


def test_startup_warns_about_a_missing_catalogue(app, tmp_path, caplog):
    from surveyapp.i18n import check_catalogues

    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)
    check_catalogues(app, tmp_path)
    assert "de, en, fr, it, tr, uk, ar" in caplog.text
