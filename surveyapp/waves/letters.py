"""Invitation and reminder e-mails as ready-to-send bytes, rendered once per kind of letter.

Everything in a letter but the personal token is shared by the participants of one session, wave, language and
step (invitation or reminder): it is rendered once (templates, gettext, dates, piping) with a random stand-in
for the token, and each recipient's message is that text with the token put in, wrapped in a small MIME
envelope (7bit when plain ASCII, quoted-printable otherwise, as the e-mail package would choose).
"""

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from email import policy
from email.utils import formatdate, parseaddr
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from markupsafe import escape

from surveyapp.errors import DomainError
from surveyapp.i18n import interface_language_for
from surveyapp.piping import pipe
from surveyapp.waves import tokens

# Line breaks (CR, LF and Unicode's own) and other control characters; a header is one line of text.
HEADER_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
CACHE_SIZE = 512  # kinds of letter kept per dispatcher round (session x wave x language x step)
PLACEHOLDERS = ("place", "date")  # what _render pipes into the wave's message: the session's place and date
LINE = 78  # the longest header line we write (RFC 5322's SHOULD)
WORD = "=?utf-8?b?{}?="  # an RFC 2047 encoded word; one holds at most 75 characters
ONE_CLICK = "List-Unsubscribe=One-Click"  # RFC 8058: the header's value and the body mail providers POST


@dataclass(frozen=True)
class WaveFacts:
    reminder_days: tuple
    max_reminders: int
    titles: dict
    notes: dict


@dataclass(frozen=True)
class Letter:
    """What one message needs, read once per batch as plain values (no ORM objects)."""

    invitation_id: int
    wave_id: int
    token_salt: str
    due_at: datetime
    closes_at: datetime
    email: str
    lang: str
    held_on: date
    place: str


class NoPublicAddress(DomainError):
    """Letters are written without a request, so their links need the configured public address."""

    status_code = 409


@dataclass(frozen=True)
class Kind:
    """One rendered kind of letter: header lines and bodies with `stand_in` where the token goes."""

    headers: str
    text: str
    html: str


class LetterWriter:
    """Turns letters into RFC 5322 messages (bytes); one per dispatcher round, inside the app context."""

    def __init__(self):
        config = current_app.config
        self.secret = config["SECRET_KEY"]
        self.base = (config.get("PUBLIC_BASE_URL") or "").rstrip("/")
        if not self.base:
            raise NoPublicAddress(_("SURVEYAPP_PUBLIC_BASE_URL is not set: letters need the public address of the "
                                    "survey site for their links (e.g. https://survey.example.org). Nothing was "
                                    "sent."))
        self.host = urlsplit(self.base).hostname or "localhost"
        # MAIL_SENDER may carry a display name ("Survey team <survey@example.org>"): the envelope takes the address.
        self.sender = parseaddr(header_text(config["MAIL_SENDER"]))[1] or config["MAIL_SENDER"]
        self.sender_line = _address_header("From", config["MAIL_SENDER"])
        self.stand_in = "tok" + secrets.token_hex(12)  # never in a text; tokens need no HTML escaping
        self.boundary = "=_" + secrets.token_hex(12)  # '=' never starts a line of 7bit/QP text
        self.kinds: dict[tuple, Kind] = {}

    def compose(self, letter: Letter, wave: WaveFacts, sequence: int, now: datetime) -> bytes:
        kind = self._kind(letter, wave, sequence)
        token = tokens.make_token(self.secret, letter.token_salt)
        lines = [
            kind.headers,
            _address_line("To", letter.email),
            f"Date: {formatdate(now.timestamp(), usegmt=True)}\r\n",
            f"Message-ID: <invitation-{letter.invitation_id}-{sequence}@{self.host}>\r\n",
            f"List-Unsubscribe: <{self.base}/i/{token}/unsubscribe/one-click>\r\n",
            f"List-Unsubscribe-Post: {ONE_CLICK}\r\n",
            f'Content-Type: multipart/alternative; boundary="{self.boundary}"\r\n\r\n',
            _part(self.boundary, "plain", kind.text.replace(self.stand_in, token)),
            _part(self.boundary, "html", kind.html.replace(self.stand_in, token)),
            f"--{self.boundary}--\r\n",
        ]
        return "".join(lines).encode("ascii")

    def _kind(self, letter: Letter, wave: WaveFacts, sequence: int) -> Kind:
        key = (letter.wave_id, letter.lang, sequence > 0, letter.held_on, letter.place, letter.closes_at)
        kind = self.kinds.get(key)
        if kind is None:
            if len(self.kinds) >= CACHE_SIZE:
                self.kinds.clear()
            kind = self.kinds[key] = self._render(letter, wave, sequence)
        return kind

    def _render(self, letter: Letter, wave: WaveFacts, sequence: int) -> Kind:
        """The invitation (sequence 0) or a reminder in the participant's language, session facts piped in."""
        lang = letter.lang
        with force_locale(interface_language_for(lang)):
            values = dict(zip(PLACEHOLDERS, (letter.place, format_date(letter.held_on, "long")), strict=True))
            title = pipe(wave.titles.get(lang, ""), values)
            context = {
                "title": title,
                "note": pipe(wave.notes.get(lang, ""), values),
                "reminder": sequence > 0,
                "link": f"{self.base}/i/{self.stand_in}",
                "unsubscribe": f"{self.base}/i/{self.stand_in}/unsubscribe",
                "closes": format_date(letter.closes_at, "long"),
                **values,
            }
            subject = (
                _("Reminder: %(title)s", title=title)
                if sequence
                else _("Your follow-up questionnaire: %(title)s", title=title)
            )
            dates = (context["date"], context["closes"])
            text = _one_stop(render_template("waves/email/invitation.txt", **context), dates)
            html = _one_stop(render_template("waves/email/invitation.html", lang=lang, **context), dates)
        headers = (
            self.sender_line
            + _header("Subject", subject)
            + _header("Content-Language", lang)
            + "MIME-Version: 1.0\r\n"
        )
        return Kind(headers, text, html)


def _one_stop(body: str, dates: tuple[str, ...]) -> str:
    """No doubled full stop where a sentence ends with a date whose own format ends with one (Ukrainian's
    long date "25 листопада 2026 р." before the sentence's ".")."""
    for value in dates:
        if value.endswith("."):
            for written in {value, str(escape(value))}:
                body = body.replace(written + ".", written)
    return body


def _address_line(name: str, address: str) -> str:
    if address.isascii() and address.isprintable() and " " not in address and len(address) < 900:
        return f"{name}: {address}\r\n"
    return _address_header(name, address)


def _address_header(name: str, value: str) -> str:
    """An address header, folded; a non-ASCII display name in encoded words that keep its spaces (see _header).

    The value is made one line first (see ``header_text``): a sender name with a line break in it can neither
    add a header nor make the letter unsendable. The rest is written as the e-mail package writes it for SMTP.
    """
    text = header_text(value)
    display, address = parseaddr(text)
    if display.isascii() or not address or not address.isascii():
        return policy.SMTP.fold(*policy.SMTP.header_store_parse(name, text))
    lines = _encoded_lines(name, display)
    if len(lines[-1]) + len(address) + 3 <= LINE:
        lines[-1] += f" <{address}>"
    else:
        lines.append(f" <{address}>")
    return "\r\n".join(lines) + "\r\n"


def _header(name: str, value: str) -> str:
    """An unstructured header (Subject) on lines of at most 78 characters that decode to exactly ``value``.

    Plain ASCII is folded at its spaces. Anything else becomes base64 encoded words, one per line, each holding
    its spaces inside: the e-mail package's own folder may put a space between two encoded words, where
    readers drop it (RFC 2047 6.2), and an Arabic or Ukrainian subject lost a space that way.
    """
    text = header_text(value)
    lines = _plain_lines(name, text) if text.isascii() and "=?" not in text else None
    return "\r\n".join(lines or _encoded_lines(name, text)) + "\r\n"


def _plain_lines(name: str, text: str) -> list[str] | None:
    """``name: text`` folded before spaces (unfolding gives the text back), or None if a word is too long."""
    lines = [f"{name}:"]
    for word in text.split(" "):
        if len(lines[-1]) + 1 + len(word) <= LINE:
            lines[-1] += " " + word
        elif 1 + len(word) <= LINE:
            lines.append(" " + word)
        else:
            return None
    return lines


def _encoded_lines(name: str, text: str) -> list[str]:
    """The text in UTF-8 encoded words, each line at most 78 characters, cut only after a space.

    Every word sits whole in one encoded word, with the space after it: a reader joins adjacent encoded words
    without the white space between them (RFC 2047 6.2), so the text comes back exactly, and no reader can show a
    space inside a word (Python's parser of address headers keeps that white space: a cut inside a word read
    "للس ائق"). Only a word too long for a line of its own is cut between characters.
    """
    chunks, chunk = [], ""
    room = _word_bytes(LINE - len(name) - 2)  # "Subject: " on the first line, one space on the others
    for piece in re.findall(r"[^ ]+ ?| ", text):
        if _fits(chunk + piece, room):
            chunk += piece
            continue
        if chunk:
            chunks.append(chunk)
            chunk, room = "", _word_bytes(LINE - 1)
        for char in piece:  # a fresh line holds the word whole, unless it is longer than a line
            if chunk and not _fits(chunk + char, room):
                chunks.append(chunk)
                chunk, room = "", _word_bytes(LINE - 1)
            chunk += char
    chunks.append(chunk)
    words = [WORD.format(base64.b64encode(part.encode("utf-8")).decode("ascii")) for part in chunks]
    return [f"{name}: {words[0]}", *(" " + word for word in words[1:])]


def _fits(chunk: str, room: int) -> bool:
    return len(chunk.encode("utf-8")) <= room


def _word_bytes(width: int) -> int:
    """How many bytes of UTF-8 one base64 encoded word of at most ``width`` (and 75) characters holds."""
    return (min(width, 75) - len(WORD.format(""))) // 4 * 3


def header_text(value: str) -> str:
    """``value`` on one line: line breaks and control characters become spaces, white space runs one space."""
    return " ".join(HEADER_BREAKS.sub(" ", value).split())


def _part(boundary: str, subtype: str, body: str) -> str:
    """One text part, CRLF line ends: 7bit when it can be, else quoted-printable (readable, links intact)."""
    body = body.replace("\r\n", "\n")
    if not body.endswith("\n"):
        body += "\n"
    if body.isascii() and max(map(len, body.split("\n"))) <= 78 and not _needs_quoting(body):
        encoding, data = "7bit", body
    else:
        encoding = "quoted-printable"
        data = binascii.b2a_qp(body.encode("utf-8"), istext=True).decode("ascii")
    return (
        f"--{boundary}\r\n"
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n" + data.replace("\n", "\r\n")
    )


def _needs_quoting(body: str) -> bool:
    """Trailing white space would be lost in transit, so such a body goes quoted-printable."""
    return " \n" in body or "\t\n" in body or "\r" in body
