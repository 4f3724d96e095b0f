"""Data protection: erasure of a participant, contact retention per programme. Services flush; the caller commits.

Erasure keeps a tombstone: the participant row (panel code, session, `erased_at`) and its invitations'
dates and counts stay, so dashboards and reports add up and the erasure itself is provable. What goes: the
contact row, the links (a token can open nothing afterwards), the send log, and on request the answers.
Audit records name the participant by id only, never by contact data.
"""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from surveyapp.audit.service import record
from surveyapp.db import utcnow
from surveyapp.errors import DomainError, NotFound
from surveyapp.extensions import db
from surveyapp.participants.models import Contact, Participant, TrainingSession
from surveyapp.participants.service import stop_contact
from surveyapp.programmes.models import Programme
from surveyapp.programmes.service import MAX_RETENTION_MONTHS
from surveyapp.responses.models import Answer, Response
from surveyapp.waves.models import Invitation, SendAttempt
from surveyapp.waves.scheduling import add_months, aware

CHUNK = 500  # ids per IN (...): well below every database's parameter limit


class RetentionError(DomainError):
    status_code = 422


@dataclass
class Erasure:
    participants: int = 0
    responses_deleted: int = 0


def find_participant(panel_code: str) -> Participant:
    participant = db.session.scalar(select(Participant).where(Participant.panel_code == panel_code.strip()))
    if participant is None:
        raise NotFound(_l("No participant has this panel code."))
    return participant


def erase(participant: Participant, *, with_answers: bool, now: datetime | None = None, actor=None) -> Erasure:
    """Erase one participant's personal data (idempotent; `with_answers` also deletes their responses); audited."""
    result = erase_rows([participant.id], with_answers=with_answers, now=now)
    record(
        "participant.erase",
        target=f"participant:{participant.id}",
        detail={"with_answers": with_answers, "responses_deleted": result.responses_deleted},
        actor=actor,
        now=now,
    )
    return result


def erase_rows(participant_ids: list[int], *, with_answers: bool, now: datetime | None = None) -> Erasure:
    """Remove contacts, links and send log of these participants (answers too on request); mark them erased."""
    now = now or utcnow()
    result = Erasure(participants=len(participant_ids))
    for start in range(0, len(participant_ids), CHUNK):
        ids = participant_ids[start : start + CHUNK]
        stop_contact(ids, now)  # consents withdrawn, pending invitations and reminders cancelled
        invitations = select(Invitation.id).where(Invitation.participant_id.in_(ids))
        db.session.execute(delete(SendAttempt).where(SendAttempt.invitation_id.in_(invitations)))
        _unlink(ids)
        result.responses_deleted += _responses(ids, with_answers)
        db.session.execute(delete(Contact).where(Contact.participant_id.in_(ids)))
        db.session.execute(
            update(Participant)
            .where(Participant.id.in_(ids), Participant.erased_at.is_(None))
            .values(erased_at=now)
        )
    db.session.flush()
    db.session.expire_all()
    return result


def _unlink(participant_ids: list[int]) -> None:
    """Give every invitation a random hash no token maps to and no salt: no link (and no key) can be rebuilt."""
    rows = [
        {"id": invitation_id, "token_salt": "", "token_hash": secrets.token_hex(32), "claimed_until": None,
         "last_error": None}
        for invitation_id in db.session.scalars(
            select(Invitation.id).where(Invitation.participant_id.in_(participant_ids), Invitation.token_salt != "")
        )
    ]
    if rows:
        db.session.execute(update(Invitation), rows)  # bulk UPDATE by primary key


def _responses(participant_ids: list[int], with_answers: bool) -> int:
    """Delete the participants' responses, or re-key them so nothing derived from their link resumes them."""
    response_ids = db.session.scalars(select(Response.id).where(Response.participant_id.in_(participant_ids))).all()
    if not response_ids:
        return 0
    if with_answers:
        db.session.execute(delete(Answer).where(Answer.response_id.in_(response_ids)))
        db.session.execute(delete(Response).where(Response.id.in_(response_ids)))
        return len(response_ids)
    linked = db.session.scalars(
        select(Response.id).where(Response.id.in_(response_ids), Response.key.startswith("i"))
    ).all()
    if linked:
        db.session.execute(update(Response), [{"id": i, "key": "e" + secrets.token_hex(20)} for i in linked])
    return 0


def set_retention(programme: Programme, months: int | None, *, actor=None) -> None:
    """Months after a participant's last answering window until their contact data is purged (None: keep); audited."""
    if months is not None and not 1 <= months <= MAX_RETENTION_MONTHS:
        raise RetentionError(
            _l("Please enter a number of months between 1 and %(max)d, or nothing.", max=MAX_RETENTION_MONTHS)
        )
    if programme.contact_retention_months == months:
        return
    before = programme.contact_retention_months
    programme.contact_retention_months = months
    db.session.flush()
    record(
        "programme.retention",
        target=f"programme:{programme.id}",
        detail={"contact_retention_months": months, "before": before},
        actor=actor,
    )


@dataclass
class PurgeLine:
    programme_code: str
    months: int
    participant_ids: list[int] = field(default_factory=list)


def purge_contacts(*, now: datetime | None = None, dry_run: bool = False, actor=None) -> list[PurgeLine]:
    """Erase (without answers) the contacts whose programme's retention has run out; one audit record per programme.

    A participant's reference date is the end of the answering window (`closes_at`) of their last invitation,
    whatever its outcome; without any invitation, the day of their session. Their contact is due once
    `contact_retention_months` months have passed since then (months added calendar-wise: 31 Aug + 6 = 28/29 Feb).
    Programmes without a rule (NULL) keep everything. Erased participants are never picked again, so a second run
    changes nothing. With `dry_run` nothing is changed and nothing is audited.
    """
    now = now or utcnow()
    lines = []
    for programme in db.session.scalars(
        select(Programme).where(Programme.contact_retention_months.is_not(None)).order_by(Programme.code)
    ):
        line = PurgeLine(programme.code, programme.contact_retention_months, due_for_purge(programme, now))
        lines.append(line)
        if dry_run or not line.participant_ids:
            continue
        erase_rows(line.participant_ids, with_answers=False, now=now)
        record(
            "gdpr.purge",
            target=f"programme:{programme.id}",
            detail={"contact_retention_months": line.months, "participants": len(line.participant_ids)},
            actor=actor,
            now=now,
        )
    return lines


def due_for_purge(programme: Programme, now: datetime | None = None) -> list[int]:
    """Ids of the programme's participants whose contact data is due for purge (see purge_contacts)."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Participant.id, func.max(Invitation.closes_at), TrainingSession.held_on)
        .join(TrainingSession, TrainingSession.id == Participant.session_id)
        .outerjoin(Invitation, Invitation.participant_id == Participant.id)
        .where(Participant.programme_id == programme.id, Participant.erased_at.is_(None))
        .group_by(Participant.id, TrainingSession.held_on)
        .order_by(Participant.id)
    ).all()
    months = programme.contact_retention_months
    due = []
    for participant_id, closes, held_on in rows:
        reference = aware(closes) if closes is not None else datetime.combine(held_on, time(0, tzinfo=UTC))
        expiry = datetime.combine(add_months(reference.date(), months), reference.timetz())
        if expiry <= now:
            due.append(participant_id)
    return due
