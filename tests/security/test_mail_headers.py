"""CRLF in whatever reaches an e-mail header (questionnaire title, session place, programme name, wave name, the
configured sender name) cannot add a header or a recipient: the real dispatcher sends to a real SMTP server
exactly one message, to exactly the intended recipient, with no Bcc/Cc and a one-line Subject."""
import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import Wave
from surveyapp.waves.service import reschedule
from tests.security import world

INJECT = "Road\r\nBcc: evil@example.org\r\nCc: evil2@example.org\r\n\r\ninjected body"
BREAKERS = {"crlf": "\r\n", "lf": "\n", "cr": "\r", "nel": "\x85", "u2028": "\u2028"}
WHERE = {
    "title": "UPDATE questionnaire_texts SET text = :m WHERE questionnaire_id = :q AND key = 'title'",
    "place": "UPDATE training_sessions SET place = :m WHERE id = :s",
    "programme": "UPDATE programmes SET name = :m WHERE id = :p",
    "wave": "UPDATE waves SET name = :m WHERE id = :w",
}


@pytest.fixture
def due(db, make):
    own = world.build(db, make, "own")
    db.session.execute(text("UPDATE training_sessions SET held_on = :d WHERE id = :s"),
                       {"d": date.today() - timedelta(days=1), "s": own.ids["session_id"]})
    db.session.execute(text("UPDATE questionnaire_texts SET text = 'Follow-up {place}' WHERE key = 'title' "
                            "AND questionnaire_id = :q"), {"q": own.ids["questionnaire_id"]})
    db.session.commit()
    reschedule(db.session.get(Wave, own.ids["wave_id"]))
    db.session.commit()
    return own


def _one_clean_message(smtp, own_email: str):
    [(recipients, message)] = smtp.messages
    assert recipients == [own_email]
    assert not {"Bcc", "Cc"} & set(message.keys())
    assert message.get_all("To") == [own_email]
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    return message


def _email(db, own) -> str:
    from surveyapp.participants.models import Contact

    return db.session.get(Contact, own.ids["participant_id"]).email


@pytest.mark.parametrize("breaker", list(BREAKERS))
@pytest.mark.parametrize("field", list(WHERE))
def test_line_breaks_in_stored_texts_add_no_header(db, smtp, due, caplog, logs, field, breaker):
    caplog.set_level(logging.WARNING, logger="mail.log")
    value = INJECT.replace("\r\n", BREAKERS[breaker])
    ids = due.ids
    db.session.execute(text(WHERE[field]), {"m": value, "q": ids["questionnaire_id"], "s": ids["session_id"],
                                            "p": ids["programme_id"], "w": ids["wave_id"]})
    db.session.commit()
    report = dispatch_due()
    assert report.sent == 1 and report.failed == 0
    _one_clean_message(smtp, _email(db, due))
    logs.assert_clean(_email(db, due), ids["token"])


@pytest.mark.parametrize("sender", ["Survey\r\nBcc: evil@example.org <survey@example.org>",
                                    "survey@example.org\r\nBcc: evil@example.org",
                                    "Survey\nteam <survey@example.org>"])
def test_line_breaks_in_the_sender_add_no_header(app, db, smtp, due, caplog, sender):
    caplog.set_level(logging.WARNING, logger="mail.log")
    app.config["MAIL_SENDER"] = sender
    report = dispatch_due()
    if report.sent:
        message = _one_clean_message(smtp, _email(db, due))
        assert "evil" not in str(message.get("Bcc", ""))
    else:  # an unusable sender is refused, never sent with an extra header
        assert smtp.messages == []
