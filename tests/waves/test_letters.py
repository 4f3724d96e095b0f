"""Letters rendered once per kind, token put in per recipient: the same message as rendering each directly."""

from datetime import UTC, date, datetime
from email import message_from_bytes, policy

import pytest
from flask import render_template
from flask_babel import force_locale, format_date

from surveyapp.waves import tokens
from surveyapp.waves.letters import Letter, LetterWriter, NoPublicAddress, WaveFacts
from surveyapp.waves.mail import readable

WAVE = WaveFacts(
    (7,),
    1,
    {"de": "Fahrsicherheit – Rückblick", "en": "Road safety"},
    {"de": "Bis bald in {place}!   " + "sehr lang " * 20, "en": ""},
)


def letter(invitation_id, lang, email, salt):
    return Letter(
        invitation_id,
        3,
        salt,
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 3, 22, tzinfo=UTC),
        email,
        lang,
        date(2026, 2, 27),
        "Fahrschule Göß",
    )


def direct(app, row, sequence, part):
    """The plain or HTML body as a template renders it for this one recipient."""
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    token = tokens.make_token(app.config["SECRET_KEY"], row.token_salt)
    with force_locale(row.lang):
        values = {"place": row.place, "date": format_date(row.held_on, "long")}
        context = {
            "title": WAVE.titles[row.lang],
            "note": WAVE.notes[row.lang].replace("{place}", row.place),
            "reminder": sequence > 0,
            "link": f"{base}/i/{token}",
            "unsubscribe": f"{base}/i/{token}/unsubscribe",
            "closes": format_date(row.closes_at, "long"),
            **values,
        }
        return render_template(f"waves/email/invitation.{part}", lang=row.lang, **context)


def test_each_recipient_gets_the_directly_rendered_letter_with_own_token(app):
    with app.test_request_context():
        writer = LetterWriter()
        now = datetime(2026, 3, 1, 8, tzinfo=UTC)
        rows = [letter(1, "de", "anna@example.org", "a" * 32), letter(2, "de", "bea@example.org", "b" * 32)]
        rows.append(letter(3, "en", "ben@example.org", "c" * 32))
        for row in rows:
            for sequence in (0, 1):
                raw = writer.compose(row, WAVE, sequence, now)
                lines = raw.split(b"\r\n")
                assert all(len(line) <= 998 and b"\n" not in line and b"\r" not in line for line in lines)
                message = message_from_bytes(raw, policy=policy.default)
                token = tokens.make_token(app.config["SECRET_KEY"], row.token_salt)
                assert message["To"] == row.email and message["Content-Language"] == row.lang
                assert message["Message-ID"] == f"<invitation-{row.invitation_id}-{sequence}@localhost>"
                assert message["List-Unsubscribe"] == f"<http://localhost/i/{token}/unsubscribe/one-click>"
                assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
                assert WAVE.titles[row.lang] in message["Subject"]
                opening = ("Erinnerung", "Reminder") if sequence else ("Ihr", "Your")
                assert message["Subject"].startswith(opening)
                for part, subtype in (("txt", "plain"), ("html", "html")):
                    content = message.get_body((subtype,)).get_content()
                    content = content.replace("\r\n", "\n")  # CRLF on the wire
                    assert content == direct(app, row, sequence, part)
                assert f"/i/{token}" in readable(raw)
        assert len(writer.kinds) == 4  # rendered once per language and step, not per recipient


def test_letters_carry_the_configured_public_address_not_the_request_host(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://survey.example.org/")
    with app.test_request_context(base_url="http://10.0.0.5:8000"):
        raw = LetterWriter().compose(letter(1, "en", "ben@example.org", "c" * 32), WAVE, 0,
                                     datetime(2026, 3, 1, 8, tzinfo=UTC))
    token = tokens.make_token(app.config["SECRET_KEY"], "c" * 32)
    message = message_from_bytes(raw, policy=policy.default)
    assert f"https://survey.example.org/i/{token}" in message.get_body(("plain",)).get_content()
    assert b"10.0.0.5" not in raw


def test_without_a_public_address_the_dispatcher_refuses_with_one_line(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    with pytest.raises(NoPublicAddress):
        LetterWriter()
    result = app.test_cli_runner().invoke(args=["waves", "dispatch"])
    assert result.exit_code == 1 and "sent 0" not in result.output
    error = result.output.strip().removeprefix("Error: ")
    assert "\n" not in error and error.startswith("SURVEYAPP_PUBLIC_BASE_URL is not set")
