"""Send what is due, exactly once, with several dispatchers at the same time.

1. Claim (one short transaction): `SELECT … FOR UPDATE SKIP LOCKED` picks due invitations no other dispatcher
   holds, stamps a lease (`claimed_until`), bumps `attempts`, writes a `send_attempts` row. Committed before
   any mail leaves, so a crash after the claim leaves a trace.
2. Send each message, then record it (one transaction per message): `sends + 1`, next reminder, lease cleared.
   The update only matches if our claim is still the current one.
3. A dispatcher killed between 1 and 2 leaves its lease to expire; the next claim sends again as attempt 2,
   recorded as a retry. SMTP failures are rescheduled with backoff; 5xx answers count as bounces.

SQLite has no row locks: run one dispatcher at a time there.
"""

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import selectinload

from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.i18n import interface_language_for
from surveyapp.participants.models import Contact, Participant, TrainingSession
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.respond.piping import pipe
from surveyapp.waves import scheduling, tokens
from surveyapp.waves.mail import Mailer, is_permanent
from surveyapp.waves.models import Invitation, SendAttempt, Wave

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    bounced: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Report") -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.bounced += other.bounced
        self.errors += other.errors


@dataclass
class Claim:
    invitation_id: int
    sequence: int
    attempt: int
    attempt_id: int


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def dispatch_due(
    *,
    batch: int = 100,
    now: datetime | None = None,
    lease: int = 600,
    mailer: Mailer | None = None,
    max_batches: int | None = None,
) -> Report:
    """Claim and send batches until nothing is due; the caller owns nothing (this commits per step)."""
    report, worker, done = Report(), worker_name(), 0
    mailer = mailer or Mailer(current_app.config)
    expire_closed(now or utcnow())
    with mailer:
        while max_batches is None or done < max_batches:
            moment = now or utcnow()
            claims = claim(batch, moment, lease, worker)
            if not claims:
                break
            report.add(deliver(claims, moment, mailer, moment + timedelta(seconds=lease)))
            done += 1
    return report


def expire_closed(now: datetime) -> None:
    """Invitations whose window closed before they could go out are not sent any more."""
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.next_send_at <= now, Invitation.closes_at <= now, Invitation.claimed_until.is_(None)
        )
        .values(next_send_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def claim(batch: int, now: datetime, lease: int, worker: str) -> list[Claim]:
    ids = db.session.scalars(
        select(Invitation.id)
        .join(Participant, Participant.id == Invitation.participant_id)
        .where(
            Invitation.next_send_at <= now,
            Invitation.closes_at > now,
            Invitation.submitted_at.is_(None),
            Invitation.bounced_at.is_(None),
            Participant.unsubscribed_at.is_(None),
            or_(Invitation.claimed_until.is_(None), Invitation.claimed_until < now),
        )
        .order_by(Invitation.next_send_at, Invitation.id)
        .limit(batch)
        .with_for_update(of=Invitation, skip_locked=True)
    ).all()
    if not ids:
        db.session.commit()
        return []
    rows = db.session.execute(
        update(Invitation)
        .where(Invitation.id.in_(ids))
        .values(claimed_until=now + timedelta(seconds=lease), attempts=Invitation.attempts + 1)
        .returning(Invitation.id, Invitation.sends, Invitation.attempts)
    ).all()
    attempt_rows = [
        {"invitation_id": i, "sequence": s, "attempt": a, "worker": worker, "claimed_at": now}
        for i, s, a in rows
    ]
    attempt_ids = db.session.scalars(
        insert(SendAttempt).returning(SendAttempt.id, sort_by_parameter_order=True), attempt_rows
    ).all()
    db.session.commit()
    return [Claim(i, s, a, attempt_id) for (i, s, a), attempt_id in zip(rows, attempt_ids, strict=True)]


@dataclass(frozen=True)
class Letter:
    """What one message needs, read once per batch: commits in between expire ORM objects."""

    invitation_id: int
    token_salt: str
    due_at: datetime
    closes_at: datetime
    first_sent_at: datetime | None
    email: str
    lang: str
    held_on: object
    place: str
    wave: "WaveFacts"


@dataclass(frozen=True)
class WaveFacts:
    reminder_days: tuple
    max_reminders: int
    titles: dict
    notes: dict


def deliver(claims: list[Claim], now: datetime, mailer: Mailer, lease_end: datetime) -> Report:
    report = Report()
    letters = _load([claim.invitation_id for claim in claims])
    margin = (lease_end - now) / 5
    for claim in claims:
        if utcnow() > lease_end - margin:
            break  # our lease ran out: another dispatcher may hold these now; leave them to it
        letter = letters[claim.invitation_id]
        try:
            mailer.send(build_message(letter, claim.sequence))
        except Exception as error:  # noqa: BLE001 - every failure is recorded and retried or bounced
            _failed(claim, error, now, report)
        else:
            _sent(claim, letter, now)
            report.sent += 1
            report.retried += claim.attempt > 1
        db.session.commit()
    return report


def _load(ids: list[int]) -> dict[int, Letter]:
    rows = db.session.execute(
        select(Invitation, Contact.email, Contact.lang, TrainingSession.held_on, TrainingSession.place)
        .join(Participant, Participant.id == Invitation.participant_id)
        .join(Contact, Contact.participant_id == Participant.id)
        .join(TrainingSession, TrainingSession.id == Participant.session_id)
        .where(Invitation.id.in_(ids))
        .options(
            selectinload(Invitation.wave).selectinload(Wave.texts),
            selectinload(Invitation.wave).selectinload(Wave.questionnaire).selectinload(Questionnaire.texts),
        )
    ).all()
    waves: dict[int, WaveFacts] = {}
    letters = {}
    for invitation, email, lang, held_on, place in rows:
        wave = invitation.wave
        if wave.id not in waves:
            langs = set(wave.questionnaire.languages) | {row.lang for row in rows}
            waves[wave.id] = WaveFacts(
                tuple(wave.reminder_days),
                wave.max_reminders,
                {code: wave.questionnaire.text("title", code) for code in langs},
                {code: wave.text("message", code) for code in langs},
            )
        letters[invitation.id] = Letter(
            invitation.id,
            invitation.token_salt,
            invitation.due_at,
            invitation.closes_at,
            invitation.first_sent_at,
            email,
            lang,
            held_on,
            place,
            waves[wave.id],
        )
    return letters


def _ours(claim: Claim):
    return update(Invitation).where(
        Invitation.id == claim.invitation_id,
        Invitation.attempts == claim.attempt,
        Invitation.sends == claim.sequence,
    )


def _sent(claim: Claim, letter: Letter, now: datetime) -> None:
    sends = claim.sequence + 1
    following = scheduling.next_send_after(
        letter.due_at, letter.closes_at, list(letter.wave.reminder_days), letter.wave.max_reminders, sends
    )
    db.session.execute(
        _ours(claim).values(
            sends=sends,
            attempts=0,
            claimed_until=None,
            next_send_at=following,
            last_sent_at=now,
            last_error=None,
            first_sent_at=letter.first_sent_at or now,
        )
    )
    db.session.execute(update(SendAttempt).where(SendAttempt.id == claim.attempt_id).values(sent_at=utcnow()))


def _failed(claim: Claim, error: Exception, now: datetime, report: Report) -> None:
    message = f"{type(error).__name__}: {getattr(error, 'smtp_code', '')}"[:300]
    permanent = is_permanent(error) or claim.attempt >= MAX_ATTEMPTS
    values = {"claimed_until": None, "last_error": message}
    if permanent:
        values |= {"bounced_at": now, "next_send_at": None}
        report.bounced += 1
    else:
        values["next_send_at"] = scheduling.retry_at(now, claim.attempt)
        report.failed += 1
    db.session.execute(_ours(claim).values(**values))
    db.session.execute(update(SendAttempt).where(SendAttempt.id == claim.attempt_id).values(error=message))
    # the invitation id only: addresses never go to logs
    log.warning(
        "invitation %s: send failed (%s), %s",
        claim.invitation_id,
        message,
        "bounced" if permanent else "will retry",
    )
    report.errors.append(f"invitation {claim.invitation_id}: {message}")


def build_message(letter: Letter, sequence: int) -> EmailMessage:
    """The invitation (sequence 0) or a reminder in the participant's language, session facts piped in."""
    config = current_app.config
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    token = tokens.make_token(config["SECRET_KEY"], letter.token_salt)
    lang = letter.lang
    with force_locale(interface_language_for(lang)):
        values = {"place": letter.place, "date": format_date(letter.held_on, "long")}
        title = pipe(letter.wave.titles.get(lang, ""), values)
        context = {
            "title": title,
            "note": pipe(letter.wave.notes.get(lang, ""), values),
            "reminder": sequence > 0,
            "link": f"{base}/i/{token}",
            "unsubscribe": f"{base}/i/{token}/unsubscribe",
            "closes": format_date(letter.closes_at, "long"),
            **values,
        }
        subject = (
            _("Reminder: %(title)s", title=title)
            if sequence
            else _("Your follow-up questionnaire: %(title)s", title=title)
        )
        text = render_template("waves/email/invitation.txt", **context)
        html = render_template("waves/email/invitation.html", lang=lang, **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["MAIL_SENDER"]
    message["To"] = letter.email
    message["Message-ID"] = (
        f"<invitation-{letter.invitation_id}-{sequence}@{urlsplit(base).hostname or 'localhost'}>"
    )
    message["List-Unsubscribe"] = f"<{context['unsubscribe']}>"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = lang  # after set_content, which drops Content-* headers
    return message
