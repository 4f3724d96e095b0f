"""Outgoing mail: SMTP (host, port, STARTTLS, login from config/environment) or printed to the console.

One connection per dispatcher round; `send` raises smtplib errors so the dispatcher can retry or record a
bounce.
"""

import re
import smtplib
import sys
from email import message_from_bytes, policy

ENVELOPE_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")
PERMANENT = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class Mailer:
    def __init__(self, config, stream=None):
        self.mode = config["MAIL_MODE"]
        self.config = config
        self.stream = stream or sys.stdout
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        if self.connection is None:
            config = self.config
            connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
            if config["MAIL_USE_TLS"]:
                connection.starttls()
            if config["MAIL_USERNAME"]:
                connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            self.connection = connection
        return self.connection

    def send(self, sender: str, recipient: str, message: bytes) -> None:
        """Send one ready-made RFC 5322 message (CRLF line ends) to one recipient.

        An envelope address with white space or a control character in it (a stored address can predate
        the checks) is refused as a permanent failure (a bounce) before it reaches the SMTP dialogue.
        """
        for address in (sender, recipient):
            if not address or ENVELOPE_UNSAFE.search(address):
                raise smtplib.SMTPRecipientsRefused({recipient: (501, b"unusable address")})
        if self.mode == "console":
            self.stream.write(readable(message) + "\n" + "-" * 72 + "\n")
            return
        try:
            self._connect().sendmail(sender, [recipient], message)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()  # reconnect for the next message; this one is retried later
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.connection = None


def is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message or recipient: retrying will not help."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= c < 600 for c, _ in error.recipients.values())
    return isinstance(error, PERMANENT) and code is not None and 500 <= code < 600


ADDRESS = re.compile(r"<?[^\s<>@()\[\]\"',;:]+@[^\s<>@()\[\]\"',;]+>?")


def error_text(error: Exception, limit: int = 300) -> str:
    """What went wrong, for the invitation and the send log: the error's kind and the server's reply code and
    text ("SMTPRecipientsRefused: 550 5.1.1 <address>: User unknown"), every e-mail address in it replaced by
    "<address>": the reason is shown to evaluators, who never see contact data."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        replies = [(error.smtp_code, error.smtp_error)]
    else:
        replies = [("", str(error))]
    parts = []
    for code, reply in replies:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        text = ADDRESS.sub("<address>", " ".join(text.split()))
        part = f"{code} {text}".strip()
        if part not in parts:
            parts.append(part)
    return f"{type(error).__name__}: {'; '.join(parts)}".strip()[:limit]


def readable(message: bytes) -> str:
    """The headers and the plain-text part, decoded: what the console mode shows for the demo."""
    parsed = message_from_bytes(message, policy=policy.default)
    headers = "".join(f"{name}: {value}\n" for name, value in parsed.items() if name != "Content-Type")
    return headers + "\n" + parsed.get_body(("plain",)).get_content()
