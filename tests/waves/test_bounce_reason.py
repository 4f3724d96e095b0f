"""A bounce keeps the server's reply code and text, with every e-mail address in it replaced by "<address>"."""

from sqlalchemy import select

from surveyapp.participants.models import Contact, Participant
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import Invitation, SendAttempt
from tests.waves.test_invitations import setup_wave

REPLY = "550 5.1.1 <anna@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
KEPT = "SMTPRecipientsRefused: 550 5.1.1 <address>: Recipient address rejected: User unknown in virtual mailbox table"


def test_bounce_reason_has_the_reply_without_the_address(db, make, smtp):
    async def handle_RCPT(_server, _session, envelope, address, _options):  # noqa: N802 - aiosmtpd's hook name
        if address.startswith("anna@"):
            return REPLY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.handle_RCPT = handle_RCPT  # aiosmtpd looks the hooks up per connection
    *_, wave, anna, ben = setup_wave(db, make)
    report = dispatch_due()
    assert (report.sent, report.bounced) == (1, 1)
    bounced = db.session.scalar(select(Invitation).where(Invitation.participant_id == anna.id))
    assert bounced.bounced_at is not None and bounced.last_error == KEPT
    assert db.session.scalar(select(SendAttempt.error).where(SendAttempt.invitation_id == bounced.id)) == KEPT
    assert report.errors == [f"invitation {bounced.id}: {KEPT}"]
    emails = db.session.scalars(select(Contact.email).join(Participant)).all()
    assert emails and not any(email in KEPT for email in emails)
