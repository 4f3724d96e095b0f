"""Every line of an invitation and a reminder, text and HTML part, is in the participant's language.

ENGLISH lists the English letter's own lines (its data cut out: link, place, date, wave title and note). A line
added to the templates fails the first test until it is listed here; a line left untranslated in a shipped
catalogue fails the second.
"""

import html
import re
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from surveyapp.i18n import INTERFACE_LANGUAGES
from surveyapp.questionnaires import service as builder
from surveyapp.waves import service as waves
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.letters import ONE_CLICK, Letter, LetterWriter, WaveFacts
from tests import panel_factories as panel

ENGLISH = (
    "Your follow-up questionnaire:",
    "Reminder:",
    "Hello,",
    "A friendly reminder: we have not received your answers yet.",
    "You took part in the session at",
    "We would like to know how things are going for you now.",
    "Your personal link (please do not pass it on):",
    "You can answer until",
    "It takes a few minutes, and you can stop and continue later.",
    "Your answers are stored under a code, never with your e-mail address.",
    "No more e-mails from us? Unsubscribe with one click:",
    "Answer the questionnaire",
    "Unsubscribe",
)
PLACE = "Fahrschule Göß"
TITLES = {lang: f"Wave title {lang}" for lang in INTERFACE_LANGUAGES}
NOTES = {lang: f"Wave note {lang} for {{place}}" for lang in INTERFACE_LANGUAGES}
WAVE = WaveFacts((7,), 1, TITLES, NOTES)
TAGS = re.compile(r"<[^>]*>")
LONG_TITLES = {  # long enough to fold; dotted and dotless i, Cyrillic, Arabic with its spaces
    "de": "Fahrsicherheit – Rückblick auf die Schulung in der Fahrschule, drei Monate später",
    "en": "Road safety – looking back on the course at the driving school, three months later",
    "fr": "Sécurité routière – retour sur la formation à l’auto-école, trois mois après",
    "it": "Sicurezza stradale – uno sguardo al corso di guida, tre mesi più tardi",
    "tr": "Trafik güvenliği – İzmir'deki sürüş okulundaki ılık eğitimden üç ay sonra",
    "uk": "Безпека дорожнього руху – погляд на навчання в автошколі через три місяці",
    "ar": "السلامة على الطرق – نظرة على الدورة في مدرسة القيادة بعد ثلاثة أشهر",
}


def letter(lang: str) -> Letter:
    return Letter(1, 3, "s" * 32, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 22, tzinfo=UTC),
                  "anna@example.org", lang, date(2026, 2, 27), PLACE)


def lines_of(raw: bytes) -> list[str]:
    """The subject and the lines of both parts, as a reader sees them (HTML without tags, entities decoded)."""
    message = message_from_bytes(raw, policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    page = html.unescape(TAGS.sub("\n", message.get_body(("html",)).get_content()))
    return [line.strip() for line in [message["Subject"], *(text + page).splitlines()] if line.strip()]


@pytest.fixture
def letters(app):
    """(lang, step) -> the letter's lines, rendered as the dispatcher renders them."""
    with app.test_request_context():
        writer = LetterWriter()
        now = datetime(2026, 3, 1, 8, tzinfo=UTC)
        return {(lang, step): lines_of(writer.compose(letter(lang), WAVE, step, now))
                for lang in INTERFACE_LANGUAGES for step in (0, 1)}


def test_the_listed_lines_are_all_of_the_english_letter(letters):
    data = re.compile(r"http://\S+|" + "|".join(map(re.escape, (PLACE, TITLES["en"], NOTES["en"][:12]))) +
                      r"|\w+ \d+, \d{4}|for\b|\b(on|at)\b")
    leftovers = set()
    for step in (0, 1):
        for line in letters["en", step]:
            for english in sorted(ENGLISH, key=len, reverse=True):
                line = line.replace(english, " ")
            leftovers.add(data.sub(" ", line).strip(" .,:"))
    assert leftovers == {""}, "a template line is not listed in ENGLISH"
    assert {english for english in ENGLISH if any(english in line for step in (0, 1)
                                                   for line in letters["en", step])} == set(ENGLISH)


@pytest.mark.parametrize("lang", [lang for lang in INTERFACE_LANGUAGES if lang != "en"])
@pytest.mark.parametrize("step", [0, 1], ids=["invitation", "reminder"])
def test_no_english_line_in_another_language(letters, lang, step):
    lines = letters[lang, step]
    english = [line for line in ENGLISH if any(line in text for text in lines)]
    assert not english, f"{lang}: English left in the letter (translate these msgids): {english}"
    assert any(TITLES[lang] in line for line in lines) and any(PLACE in line for line in lines)



def test_letters_sent_over_smtp_decode_whole_in_each_language(app, db, make, smtp):
    """Through the dispatcher and a real SMTP server: long subjects decode to exactly the rendered ones."""
    programme = make.programme()
    questionnaire = make.questionnaire(programme, languages=INTERFACE_LANGUAGES)
    for lang, title in LONG_TITLES.items():
        builder.set_questionnaire_texts(questionnaire, lang, {"title": title})
    db.session.commit()
    session = panel.session(db, programme, date.today() - timedelta(days=1), PLACE)
    for lang in INTERFACE_LANGUAGES:
        panel.participant(db, session, f"{lang}@example.org", lang)
    panel.wave(db, programme, questionnaire)
    assert dispatch_due().sent == len(INTERFACE_LANGUAGES)
    for lang, title in LONG_TITLES.items():
        message = smtp.to(f"{lang}@example.org")[0]
        with app.test_request_context(), force_locale(lang):
            assert message["Subject"] == _("Your follow-up questionnaire: %(title)s", title=title)
        assert message["Content-Language"] == lang and message["List-Unsubscribe-Post"] == ONE_CLICK


DEMO_NOTES = {"de": "Deine Antworten helfen uns, die Schulung in {place} zu verbessern.",
              "en": "Your answers help us improve the course in {place}."}
DEMO_PEOPLE = ("de", "en", "ar", "tr", "uk", "fr", "it")


@pytest.fixture
def demo_letters(app, db, make, smtp):
    """A demo-like programme (questionnaire in de/en/ar, wave message in de/en only), one participant per
    language, letters sent through the dispatcher over SMTP: {lang: message}."""
    programme = make.programme()
    questionnaire = make.questionnaire(programme, languages=("de", "en", "ar"))
    session = panel.session(db, programme, date.today() - timedelta(days=1), PLACE)
    for lang in DEMO_PEOPLE:
        panel.participant(db, session, f"{lang}@example.org", lang)
    wave = panel.wave(db, programme, questionnaire)
    for lang, note in DEMO_NOTES.items():
        waves.set_wave_message(wave, lang, note)
    db.session.commit()
    assert dispatch_due().sent == len(DEMO_PEOPLE)
    return {lang: smtp.to(f"{lang}@example.org")[0] for lang in DEMO_PEOPLE}


def own_fragments(message, data: tuple[str, ...]) -> set[str]:
    """The letter's own wording (gettext lines and wave message), its data (place, dates, links) cut out."""
    fragments = set()
    for line in lines_of(message.as_bytes()):
        for piece in re.split("|".join(map(re.escape, data)) + r"|http://\S+", line):
            if len(piece.strip(" .,:")) >= 8:
                fragments.add(piece.strip(" .,:"))
    return fragments


def test_demo_letters_are_wholly_in_the_participants_language(app, demo_letters):
    """The wave message only in the participant's language (none there: no paragraph, never German); every
    gettext line and date in the participant's language, in the text and the HTML part."""
    with app.test_request_context(), force_locale("de"):
        dates = tuple(format_date(day, "long") for day in (date.today() - timedelta(days=1), date.today()))
    german = own_fragments(demo_letters["de"], (PLACE, "Title de", *dates))
    assert len(german) >= 8
    for lang, message in demo_letters.items():
        lines = lines_of(message.as_bytes())
        note = DEMO_NOTES.get(lang, "").replace("{place}", PLACE)
        assert (note in lines) == (lang in DEMO_NOTES), lang
        assert not any("Deine Antworten" in line for line in lines) or lang == "de", lang
        with app.test_request_context(), force_locale(lang):
            assert _("Hello,") in lines and message["Content-Language"] == lang
            assert any(_("Answer the questionnaire") == line for line in lines), lang
        if lang != "de":
            assert not [line for line in lines if any(fragment in line for fragment in german)], lang
        assert ".." not in message.get_body(("plain",)).get_content(), lang


def test_ukrainian_date_ends_one_sentence_with_one_full_stop(app, demo_letters):
    text = demo_letters["uk"].get_body(("plain",)).get_content()
    page = demo_letters["uk"].get_body(("html",)).get_content()
    with app.test_request_context(), force_locale("uk"):
        held = format_date(date.today() - timedelta(days=1), "long")
    assert held.endswith("р.") and held in text and held in page
    assert "р.." not in text and "р.." not in page


@pytest.mark.parametrize("lang", ["tr", "uk", "fr", "it", "ar", "de"])
def test_unsubscribe_page_is_in_the_participants_language(client, demo_letters, lang):
    """Even where the questionnaire is not offered in it (tr, uk, fr, it): the page is the link's own."""
    path = urlsplit(demo_letters[lang]["List-Unsubscribe"].strip("<>")).path
    page = client.get(path.removesuffix("/one-click"), headers={"Accept-Language": "de"})
    assert page.status_code == 200 and f'<html lang="{lang}"' in page.text
    redirected = client.get(path, headers={"Accept-Language": "de"}, follow_redirects=True)
    assert redirected.status_code == 200 and f'<html lang="{lang}"' in redirected.text


def test_personal_link_closed_after_one_click_unsubscribe_is_in_the_participants_language(app, client,
                                                                                          demo_letters):
    """An Italian participant (questionnaire not offered in Italian), no Accept-Language: the 410 in Italian."""
    path = urlsplit(demo_letters["it"]["List-Unsubscribe"].strip("<>")).path
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    page = client.get(path.removesuffix("/unsubscribe/one-click"))
    assert page.status_code == 410
    assert "geschlossen" not in page.text
    with app.test_request_context(), force_locale("it"):
        assert html.escape(_("This questionnaire is closed now. Thank you all the same!")) in page.text
