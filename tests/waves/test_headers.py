"""E-mail headers from stored data are one safe line; long subjects fold on short lines without losing a space
in any language; unusable envelope addresses are refused before SMTP."""

import base64
import re
import smtplib
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.header import decode_header

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from surveyapp.i18n import INTERFACE_LANGUAGES
from surveyapp.waves.letters import Letter, LetterWriter, WaveFacts, _header, header_text
from surveyapp.waves.mail import Mailer, is_permanent


@pytest.mark.parametrize("breaker", ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x00", "\x85", "\u2028", "\u2029"])
def test_header_text_is_one_line(breaker):
    value = f"Road safety{breaker}Bcc: evil@example.org"
    assert header_text(value) == "Road safety Bcc: evil@example.org"
    line = _header("Subject", value)
    assert line.endswith("\r\n") and "\n" not in line[:-2].replace("\r\n ", "")


def test_long_and_non_ascii_subject_is_folded_not_broken():
    line = _header("Subject", "Rückblick " * 30)
    assert all(part.startswith(" ") for part in line.split("\r\n")[1:-1])
    assert "=?utf-8?" in line


@pytest.mark.parametrize("address", ["a@example.org\r\nRCPT TO:<x@evil>", "a b@example.org", "", "a@example.org\x00"])
def test_mailer_refuses_unsafe_envelope_address_as_permanent(address):
    mailer = Mailer({"MAIL_MODE": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9})  # never connected
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        mailer.send("survey@example.org", address, b"Subject: x\r\n\r\nbody\r\n")
    assert is_permanent(refused.value) and mailer.connection is None


LONG_SUBJECTS = {
    "ar": "تذكير: السلامة على الطرق – استبيان المتابعة بعد الدورة التدريبية في مدرسة القيادة في المدينة",
    "tr": "Hatırlatma: Trafik güvenliği – İzmir'deki sürüş okulundaki eğitimden sonra ılık izleme anketi",
    "uk": "Нагадування: Безпека дорожнього руху – подальша анкета після навчання в автошколі Києва",
    "de": "Erinnerung: Fahrsicherheit – Rückblick auf die Schulung in der Fahrschule Göß, drei Monate später",
    "en": "Reminder: Road safety – looking back on the course at the driving school, three months later",
    "ascii": "Reminder: " + "x" * 90 + " and a word after it, then =?utf-8?q?not_an_encoded_word?= too",
    "plain": "Reminder: " + " ".join(["road", "safety", "course", "abcdefghijklmnopqrstuvwxyz" * 2][i % 4]
                                     for i in range(40)),
}


def decoded(line: str) -> str:
    return message_from_bytes(line.encode("ascii") + b"\r\n", policy=policy.default)["Subject"]


@pytest.mark.parametrize("lang", LONG_SUBJECTS)
def test_long_subject_decodes_to_itself_on_short_lines(lang):
    subject = LONG_SUBJECTS[lang]
    line = _header("Subject", subject)
    assert decoded(line) == subject, "a space was lost or added in folding"
    assert line.endswith("\r\n") and all(len(physical) <= 78 for physical in line[:-2].split("\r\n"))
    assert all(physical.startswith(" ") for physical in line[:-2].split("\r\n")[1:])


@pytest.mark.parametrize("cut", range(1, 60))
def test_every_length_of_a_mixed_subject_decodes_exactly(cut):
    """Cuts between encoded words land anywhere: inside a word, before or after a space, in a two-byte letter."""
    subject = "ı İ ğ Ж ع ö " * 4 + "x" * cut + " Göß ок"
    assert decoded(_header("Subject", subject)) == subject


@pytest.mark.parametrize("width", range(1, 40))
def test_plain_subject_folds_at_spaces_within_78_characters(width):
    subject = " ".join(f"{n:0{width}d}" for n in range(300 // width + 3))
    line = _header("Subject", subject)
    assert decoded(line) == subject and "=?" not in line
    assert all(len(physical) <= 78 for physical in line[:-2].split("\r\n"))


def test_letter_subject_is_the_rendered_subject_in_each_language(app):
    with app.test_request_context():
        writer = LetterWriter()
        for wave_id, (lang, title) in enumerate(LONG_SUBJECTS.items()):  # one wave each: kinds are cached
            lang = lang if lang in INTERFACE_LANGUAGES else "en"
            wave = WaveFacts((7,), 1, {lang: title}, {})
            row = Letter(1, wave_id, "s" * 32, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 22, tzinfo=UTC),
                         "anna@example.org", lang, date(2026, 2, 27), "Göß")
            for step in (0, 1):
                raw = writer.compose(row, wave, step, datetime(2026, 3, 1, tzinfo=UTC))
                with force_locale(lang):
                    wanted = _("Reminder: %(title)s", title=title) if step else _(
                        "Your follow-up questionnaire: %(title)s", title=title)
                assert message_from_bytes(raw, policy=policy.default)["Subject"] == wanted
                head = raw.split(b"\r\n\r\n")[0].decode("ascii")
                subject = re.search(r"^Subject:.*?\r\n(?! )", head + "\r\n", re.M | re.S).group(0)
                assert all(len(physical) <= 78 for physical in subject.split("\r\n"))


SENDERS = ["Команда подальшої анкети після навчання в автошколі нашого міста Київ",
           "فريق استبيان المتابعة بعد الدورة التدريبية في مدرسة القيادة في المدينة الكبيرة",
           "Équipe « Close To » de l’école"]


@pytest.mark.parametrize("name", SENDERS)
def test_sender_name_keeps_its_spaces(app, name):
    """Decoded as RFC 2047 says (white space between adjacent encoded words dropped): the name comes back."""
    app.config["MAIL_SENDER"] = f"{name} <survey@example.org>"
    with app.test_request_context():
        writer = LetterWriter()
    line = writer.sender_line
    assert writer.sender == "survey@example.org"
    assert all(len(physical) <= 78 for physical in line[:-2].split("\r\n"))
    parts = decode_header(line.removeprefix("From:").replace("\r\n", ""))
    text = "".join(part.decode(charset or "ascii") if isinstance(part, bytes) else part for part, charset in parts)
    assert text.strip() == f"{name} <survey@example.org>"
    parsed = message_from_bytes(line.encode("ascii") + b"\r\n", policy=policy.default)["From"]
    assert parsed.addresses[0].addr_spec == "survey@example.org"


ENCODED = re.compile(r"=\?utf-8\?b\?([A-Za-z0-9+/=]*)\?=")
WHOLE_WORDS = [*SENDERS, "للسائقين الجدد في مدرسة القيادة – فريق المتابعة والتقييم بعد الدورة التدريبية الأولى"]


def encoded_words(line: str) -> list[str]:
    return [base64.b64decode(word).decode("utf-8") for word in ENCODED.findall(line)]


@pytest.mark.parametrize("name", WHOLE_WORDS)
def test_sender_name_decodes_with_its_words_whole(app, name):
    """Decoded with email.policy.default (which keeps the white space between encoded words in an address): no
    space inside a word ("للسائق ين"): each encoded word ends at a space, with it, or at the name's end."""
    app.config["MAIL_SENDER"] = f"{name} <survey@example.org>"
    with app.test_request_context():
        line = LetterWriter().sender_line
    pieces = encoded_words(line)
    assert "".join(pieces) == name
    assert all(piece.endswith(" ") for piece in pieces[:-1])
    parsed = message_from_bytes(line.encode("ascii") + b"\r\n", policy=policy.default)["From"]
    assert parsed.addresses[0].display_name.split() == name.split()


@pytest.mark.parametrize("lang", ["ar", "tr", "uk", "de"])
def test_subject_encoded_words_hold_whole_words(lang):
    subject = LONG_SUBJECTS[lang]
    line = _header("Subject", subject)
    pieces = encoded_words(line)
    assert len(pieces) > 1 and "".join(pieces) == subject == decoded(line)
    assert all(piece.endswith(" ") for piece in pieces[:-1])


def test_only_a_word_longer_than_a_line_is_cut():
    word = "ع" * 60  # 120 bytes of UTF-8: more than one encoded word holds
    subject = f"قبل {word} بعد"
    line = _header("Subject", subject)
    assert decoded(line) == subject and all(len(physical) <= 78 for physical in line[:-2].split("\r\n"))
    pieces = encoded_words(line)
    assert pieces[0] == "قبل " and pieces[-1].endswith(" بعد")
