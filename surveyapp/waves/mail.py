"""Outgoing mail: SMTP (host, port, STARTTLS, login from config/environment) or printed to the console.

One connection per batch; `send` raises smtplib errors so the dispatcher can retry or record a bounce.
"""

import smtplib
import sys
from email.message import EmailMessage

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

    def send(self, message: EmailMessage) -> None:
        if self.mode == "console":
            self.stream.write(message.as_string() + "\n" + "-" * 72 + "\n")
            return
        try:
            self._connect().send_message(message)
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
