"""E-mail headers from stored data are one safe line; unusable envelope addresses are refused before SMTP."""

import smtplib

import pytest

from surveyapp.waves.letters import _header, header_text
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
