"""Every line of an invitation and a reminder, text and HTML part, is in the participant's language.

ENGLISH lists the English letter's own lines (its data cut out: link, place, date, wave title and note). A line
added to the templates fails the first test until it is listed here; a line left untranslated in a shipped
catalogue fails the second.
"""

import html
import re
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from surveyapp.i18n import INTERFACE_LANGUAGES
from surveyapp.questionnaires import service as builder
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
