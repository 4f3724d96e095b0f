"""Send what is due, exactly once, with several dispatchers at the same time.

1. Claim a batch (one short transaction): one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)`
   picks due invitations no other dispatcher holds, stamps a lease (`claimed_until`) and bumps `attempts`;
   one multi-row insert writes a `send_attempts` row per claim. Committed before any mail leaves, so a crash
   after the claim leaves a trace.
2. Send the batch over one SMTP connection (letters rendered once per kind, see letters.py), then record it in
   one transaction: per invitation `sends + 1`, next reminder, lease cleared, each update matching only if our
   claim is still the current one; failures are rescheduled with backoff, 5xx answers count as bounces.
   SIGTERM, or the mail server unreachable, ends the batch early: its unsent claims are released, still due.
3. A dispatcher killed between 1 and 2 leaves its leases to expire; the next claim sends those again as
   attempt 2, recorded as a retry (at most one batch: choose --batch accordingly).

SQLite has no row locks: run one dispatcher at a time there.
"""

import logging
import os
import smtplib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, func, insert, or_, select, update

from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.participants.models import Contact, Participant, TrainingSession
from surveyapp.waves import scheduling, tokens
from surveyapp.waves.letters import Letter, LetterWriter, WaveFacts
from surveyapp.waves.mail import Mailer, error_text, is_permanent
from surveyapp.waves.models import Invitation, SendAttempt, Wave

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
REMINDER_GAP = timedelta(days=1)  # never two messages of one invitation in one run
INVITATIONS = Invitation.__table__
ATTEMPTS = SendAttempt.__table__


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    bounced: int = 0
    released: int = 0  # claimed, not sent: the batch stopped (SIGTERM, the mail server unreachable); still due
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Report") -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.bounced += other.bounced
        self.released += other.released
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
    stopping: Callable[[], bool] = lambda: False,
) -> Report:
    """Claim and send batches until nothing is due or `stopping()` says so between batches (SIGTERM: a batch
    claimed is a batch sent and recorded); the caller owns nothing (this commits per step)."""
    report, worker, done = Report(), worker_name(), 0
    check_secret(now or utcnow())
    mailer = mailer or Mailer(current_app.config)
    round_ = Round(LetterWriter(), {})
    expire_closed(now or utcnow())
    with mailer:
        while (max_batches is None or done < max_batches) and not stopping():
            started, moment = time.perf_counter(), now or utcnow()
            claims = claim(batch, moment, lease, worker)
            if not claims:
                break
            outcome = deliver(claims, moment, mailer, moment + timedelta(seconds=lease), round_, stopping)
            report.add(outcome)
            done += 1
            log.info("dispatch batch", extra={"claimed": len(claims), "sent": outcome.sent,
                                              "failed": outcome.failed, "bounced": outcome.bounced,
                                              "released": outcome.released,
                                              "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
            if outcome.released:
                break  # stopping, or the mail server is unreachable: the next round tries again
    return report


class SecretMismatch(Exception):
    """SECRET_KEY is not the one the invitations were made with: every link sent would be dead."""

    message = "SECRET_KEY differs from the one these invitations were made with"


def check_secret(now: datetime) -> None:
    """Rebuild the next due invitation's token and compare its stored hash, before anything is claimed or sent
    (a changed or forgotten SECRET_KEY would otherwise mail dead links and record them as sent)."""
    due = db.session.execute(
        select(Invitation.token_salt, Invitation.token_hash)
        .where(Invitation.next_send_at <= now)
        .order_by(Invitation.next_send_at)
        .limit(1)
    ).first()
    if due and tokens.hash_token(tokens.make_token(current_app.config["SECRET_KEY"], due.token_salt)) != due.token_hash:
        raise SecretMismatch(SecretMismatch.message)


@dataclass
class Round:
    """What one dispatcher round keeps between batches: rendered kinds of letter and the waves' facts."""

    writer: LetterWriter
    waves: dict[int, WaveFacts]


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
    """Take up to `batch` due invitations no one else holds, and log an attempt for each; commits."""
    due = (
        select(Invitation.id)
        .join(Participant, Participant.id == Invitation.participant_id)
        .join(Wave, Wave.id == Invitation.wave_id)
        .where(
            Invitation.next_send_at <= now,
            Invitation.closes_at > now,
            Wave.cancelled_at.is_(None),  # even a reminder set by a send in flight when the wave was cancelled
            Invitation.submitted_at.is_(None),
            Invitation.bounced_at.is_(None),
            Participant.unsubscribed_at.is_(None),  # withdrawn or unsubscribed, even if an invitation was missed
            Participant.erased_at.is_(None),
            or_(Invitation.claimed_until.is_(None), Invitation.claimed_until < now),
        )
        .order_by(Invitation.next_send_at)  # not `, id`: a session's letters share one time; the index serves
        .limit(batch)
        .with_for_update(of=Invitation, skip_locked=True)
        .correlate(None)  # the subquery reads invitations itself, not the row being updated
    )
    rows = db.session.execute(
        update(INVITATIONS)
        .where(INVITATIONS.c.id.in_(due))
        .values(claimed_until=now + timedelta(seconds=lease), attempts=INVITATIONS.c.attempts + 1)
        .returning(INVITATIONS.c.id, INVITATIONS.c.sends, INVITATIONS.c.attempts)
    ).all()
    if not rows:
        db.session.commit()
        return []
    rows.sort()
    attempt_rows = [
        {"invitation_id": i, "sequence": s, "attempt": a, "worker": worker, "claimed_at": now}
        for i, s, a in rows
    ]
    attempt_ids = db.session.scalars(
        insert(ATTEMPTS).returning(ATTEMPTS.c.id, sort_by_parameter_order=True), attempt_rows
    ).all()
    db.session.commit()
    return [Claim(i, s, a, attempt_id) for (i, s, a), attempt_id in zip(rows, attempt_ids, strict=True)]


def deliver(claims: list[Claim], now: datetime, mailer: Mailer, lease_end: datetime, round_: Round,
            stopping: Callable[[], bool] = lambda: False) -> Report:
    """Send a claimed batch, then record every outcome in one transaction. SIGTERM (`stopping()`) or a failure
    to reach the mail server (a timeout, refused) ends the batch after the message in hand; the rest of its
    claims are released, still due, instead of each waiting for the same timeout."""
    report, sent, failed = Report(), [], []
    letters = _load([claim.invitation_id for claim in claims], round_)
    margin = (lease_end - now) / 5
    for position, claim in enumerate(claims):
        if utcnow() > lease_end - margin:
            break  # our lease ran out: another dispatcher may hold these now; leave them to it
        if stopping() or (failed and _unreachable(failed[-1][1])):
            _release(claims[position:], failed[-1][1] if failed else None)
            report.released = len(claims) - position
            break
        letter = letters.get(claim.invitation_id)
        if letter is None:
            continue  # withdrawn or erased since the claim: nothing to send; the lease expires unused
        wave = round_.waves[letter.wave_id]
        try:
            mailer.send(
                round_.writer.sender, letter.email, round_.writer.compose(letter, wave, claim.sequence, now)
            )
        except Exception as error:  # noqa: BLE001 - every failure is recorded and retried or bounced
            failed.append((claim, error))
        else:
            sent.append((claim, letter, wave, utcnow()))
            report.sent += 1
            report.retried += claim.attempt > 1
    _record_sent(sent, now)
    _record_failed(failed, now, report)
    db.session.commit()
    return report


def _unreachable(error: Exception) -> bool:
    """A failure of the connection, not of this message: the next message would wait for it too."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)  # SMTP's are OSErrors too


def _release(claims: list[Claim], cause: Exception | None) -> None:
    """Give claims back unsent: due again at once, their claim's attempt not counted, its log row saying why."""
    why = f"not sent: {error_text(cause)}" if cause else "not sent: the dispatcher was stopping"
    db.session.execute(_ours(claimed_until=None, attempts=INVITATIONS.c.attempts - 1),
                       [_claimed(claim) for claim in claims])
    db.session.execute(update(ATTEMPTS).where(ATTEMPTS.c.id.in_([c.attempt_id for c in claims])).values(error=why))


def _load(ids: list[int], round_: Round) -> dict[int, Letter]:
    rows = db.session.execute(
        select(
            Invitation.id,
            Invitation.wave_id,
            Invitation.token_salt,
            Invitation.due_at,
            Invitation.closes_at,
            Contact.email,
            Contact.lang,
            TrainingSession.held_on,
            TrainingSession.place,
        )
        .join(Participant, Participant.id == Invitation.participant_id)
        .join(Contact, Contact.participant_id == Participant.id)
        .join(TrainingSession, TrainingSession.id == Participant.session_id)
        .where(Invitation.id.in_(ids), Contact.email.is_not(None))
    ).all()
    letters = {row.id: Letter(*row) for row in rows}
    langs: dict[int, set] = {}
    for letter in letters.values():
        langs.setdefault(letter.wave_id, set()).add(letter.lang)
    for wave_id, wanted in langs.items():
        known = round_.waves.get(wave_id)
        if known is None or not wanted <= known.titles.keys():
            round_.waves[wave_id] = _wave_facts(wave_id, wanted | set(known.titles if known else ()))
    return letters


def _wave_facts(wave_id: int, langs: set) -> WaveFacts:
    wave = db.session.get(Wave, wave_id)
    langs = langs | set(wave.questionnaire.languages)
    return WaveFacts(
        tuple(wave.reminder_days),
        wave.max_reminders,
        {code: wave.questionnaire.text("title", code) for code in langs},
        # The programme's own message only in the participant's language: none there, no paragraph (never
        # another language's); gettext lines and dates are always in the participant's language (letters).
        {row.lang: row.text for row in wave.texts if row.key == "message" and row.lang in langs},
    )


def _ours(**values):
    """An update of one invitation per parameter set that only matches while our claim is the current one."""
    return (
        update(INVITATIONS)
        .where(
            INVITATIONS.c.id == bindparam("claimed_id"),
            INVITATIONS.c.attempts == bindparam("claimed_attempt"),
            INVITATIONS.c.sends == bindparam("claimed_sends"),
        )
        .values(**values)
    )


def _claimed(claim: Claim) -> dict:
    return {
        "claimed_id": claim.invitation_id,
        "claimed_attempt": claim.attempt,
        "claimed_sends": claim.sequence,
    }


def _record_sent(sent: list, now: datetime) -> None:
    if not sent:
        return
    db.session.execute(
        _ours(
            sends=INVITATIONS.c.sends + 1,
            attempts=0,
            claimed_until=None,
            next_send_at=bindparam("following"),
            last_sent_at=now,
            last_error=None,
            first_sent_at=func.coalesce(INVITATIONS.c.first_sent_at, now),
        ),
        [
            _claimed(claim)
            | {
                "following": _not_overdue(
                    scheduling.next_send_after(
                        letter.due_at,
                        letter.closes_at,
                        list(wave.reminder_days),
                        wave.max_reminders,
                        claim.sequence + 1,
                    ),
                    now,
                )
            }
            for claim, letter, wave, _ in sent
        ],
    )
    db.session.execute(
        update(ATTEMPTS).where(ATTEMPTS.c.id == bindparam("attempt_id")).values(sent_at=bindparam("at")),
        [{"attempt_id": claim.attempt_id, "at": at} for claim, _, _, at in sent],
    )


def _not_overdue(following: datetime | None, now: datetime) -> datetime | None:
    """A reminder whose day passed while this message waited (late run, retry, re-send) goes a day later."""
    if following is None or scheduling.aware(following) > now:
        return following
    return now + REMINDER_GAP


def _record_failed(failed: list, now: datetime, report: Report) -> None:
    for claim, error in failed:
        message = error_text(error)  # the server's reply, addresses replaced by "<address>"
        permanent = is_permanent(error) or claim.attempt >= MAX_ATTEMPTS
        values = {"claimed_until": None, "last_error": message}
        if permanent:
            values |= {"bounced_at": now, "next_send_at": None}
            report.bounced += 1
        else:
            values["next_send_at"] = scheduling.retry_at(now, claim.attempt)
            report.failed += 1
        db.session.execute(_ours(**values), [_claimed(claim)])
        db.session.execute(update(ATTEMPTS).where(ATTEMPTS.c.id == claim.attempt_id).values(error=message))
        # the invitation id only: addresses never go to logs
        log.warning(
            "invitation %s: send failed (%s), %s",
            claim.invitation_id,
            message,
            "bounced" if permanent else "will retry",
        )
        report.errors.append(f"invitation {claim.invitation_id}: {message}")
