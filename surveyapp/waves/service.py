"""The wave plan and the invitations it implies. Services flush; the view or CLI commits.

Editing a wave recomputes only what is still to come: `sends` never goes back, so nothing is re-sent.
"""

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, exists, insert, or_, select, update

from surveyapp.db import utcnow
from surveyapp.errors import DomainError, Gone, NotFound
from surveyapp.extensions import db
from surveyapp.participants import signals
from surveyapp.participants.models import Consent, Contact, Participant, TrainingSession
from surveyapp.piping import PLACEHOLDER
from surveyapp.questionnaires.models import Questionnaire, set_text
from surveyapp.responses.models import Response
from surveyapp.textclean import normal_name
from surveyapp.waves import scheduling, tokens
from surveyapp.waves.letters import PLACEHOLDERS
from surveyapp.waves.models import Invitation, Wave, WaveText
from surveyapp.web import public_url

WAVE_FIELDS = (
    "name",
    "position",
    "questionnaire_id",
    "offset_days",
    "offset_months",
    "window_days",
    "reminder_days",
    "max_reminders",
)


class WaveError(DomainError):
    status_code = 422


class WaveNameTaken(WaveError):
    """Another wave of the programme has this name."""


class WaveConflict(DomainError):
    """The wave's state forbids the action (deleting a wave that sent mail, cancelling one twice)."""

    status_code = 409


def programme_waves(programme_id: int) -> list[Wave]:
    return list(
        db.session.scalars(
            select(Wave).where(Wave.programme_id == programme_id).order_by(Wave.position, Wave.id)
        )
    )


def save_wave(programme_id: int, values: dict, wave: Wave | None = None, now: datetime | None = None) -> Wave:
    """Create or edit a wave, then bring its invitations in line with the plan."""
    if wave is not None and wave.cancelled_at is not None:
        raise WaveConflict(_l("The wave “%(name)s” was cancelled and can no longer be changed.", name=wave.name))
    questionnaire = db.session.get(Questionnaire, values["questionnaire_id"])
    if questionnaire is None or questionnaire.programme_id != programme_id:
        raise WaveError(_l("Please choose a questionnaire of this programme."))
    values = {**values, "name": normal_name(values["name"])}
    if name_taken(programme_id, values["name"], wave):
        raise WaveNameTaken(_l("A wave with this name exists in this programme."))
    wave = wave or Wave(programme_id=programme_id)
    for key in WAVE_FIELDS:
        setattr(wave, key, values[key])
    wave.reminder_days = sorted({int(day) for day in values["reminder_days"]})
    db.session.add(wave)
    db.session.flush()
    reschedule(wave, now)
    ensure_invitations(programme_id, now)
    return wave


def name_taken(programme_id: int, name: str, wave: Wave | None = None) -> bool:
    """Whether another wave of the programme has this name, ignoring case and whitespace differences."""
    query = select(Wave.id, Wave.name).where(Wave.programme_id == programme_id)
    if wave is not None and wave.id is not None:
        query = query.where(Wave.id != wave.id)
    wanted = normal_name(name).casefold()
    return any(normal_name(other).casefold() == wanted for _id, other in db.session.execute(query))


def set_wave_message(wave: Wave, lang: str, text: str) -> None:
    """Store (or, when empty, remove) the wave's e-mail message in one of its questionnaire's languages.

    Only future e-mails use it: sent invitations and reminders are untouched and never re-sent.
    """
    if lang not in wave.questionnaire.languages:
        raise NotFound(_l("This questionnaire is not offered in that language."))
    if wave.cancelled_at is not None:
        raise WaveConflict(_l("The wave “%(name)s” was cancelled and can no longer be changed.", name=wave.name))
    unknown = sorted({name for name in PLACEHOLDER.findall(text or "") if name not in PLACEHOLDERS})
    if unknown:
        raise WaveError(
            _l(
                "Unknown placeholder: %(names)s. You can use %(known)s.",
                names=", ".join(f"{{{name}}}" for name in unknown),
                known=placeholder_list(),
            )
        )
    set_text(wave, WaveText, "message", lang, text)
    db.session.flush()


def placeholder_list() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def has_sent(wave: Wave) -> bool:
    """Whether any mail of the wave went out or any response came in through it."""
    sent = exists().where(
        Invitation.wave_id == wave.id, or_(Invitation.sends > 0, Invitation.first_sent_at.is_not(None))
    )
    answered = exists().where(Response.wave_id == wave.id)
    return bool(db.session.scalar(select(sent | answered)))


def delete_wave(wave: Wave, now: datetime | None = None) -> None:
    """Delete a wave that has sent nothing, with its unsent invitations; else WaveConflict."""
    now = now or utcnow()
    # Locked first, so that a dispatcher (which skips locked rows) cannot send one of them meanwhile.
    claims = db.session.scalars(
        select(Invitation.claimed_until).where(Invitation.wave_id == wave.id).with_for_update()
    ).all()
    if has_sent(wave):
        raise WaveConflict(
            _l("The wave “%(name)s” has sent e-mails and cannot be deleted. You can cancel it instead.",
               name=wave.name)
        )
    if any(until and scheduling.aware(until) > now for until in claims):
        raise WaveConflict(_l("E-mails of this wave are being sent right now. Please try again in a few minutes."))
    db.session.execute(delete(Invitation).where(Invitation.wave_id == wave.id))
    db.session.delete(wave)
    db.session.flush()


def cancel_wave(wave: Wave, now: datetime | None = None) -> None:
    """Send nothing more for a wave that has sent mail; invitations, send log and responses stay."""
    if wave.cancelled_at is not None:
        raise WaveConflict(_l("The wave “%(name)s” is already cancelled.", name=wave.name))
    if not has_sent(wave):
        raise WaveConflict(
            _l("The wave “%(name)s” has sent nothing yet: delete it instead.", name=wave.name)
        )
    wave.cancelled_at = now or utcnow()
    db.session.execute(
        update(Invitation).where(Invitation.wave_id == wave.id).values(next_send_at=None)
    )
    db.session.flush()


def reschedule(wave: Wave, now: datetime | None = None) -> None:
    """New dates for what is not sent or claimed yet; sent messages stay sent. A cancelled wave plans nothing."""
    if wave.cancelled_at is not None:
        return
    now = now or utcnow()
    rows = db.session.execute(
        select(Invitation.id, Invitation.sends, TrainingSession.held_on)
        .join(Participant, Participant.id == Invitation.participant_id)
        .join(TrainingSession, TrainingSession.id == Participant.session_id)
        .where(
            Invitation.wave_id == wave.id,
            Invitation.submitted_at.is_(None),
            Invitation.bounced_at.is_(None),
            Participant.unsubscribed_at.is_(None),
            (Invitation.claimed_until.is_(None)) | (Invitation.claimed_until < now),
        )
    ).all()
    for invitation_id, sends, held_on in rows:
        values = _dates(wave, held_on, sends)
        if sends:  # the invitation went out with its own due date; keep it
            values.pop("due_at")
        db.session.execute(update(Invitation).where(Invitation.id == invitation_id).values(**values))


def _dates(wave: Wave, held_on, sends: int = 0) -> dict:
    due = scheduling.due_at(held_on, wave.offset_days, wave.offset_months)
    closes = scheduling.closes_at(due, wave.window_days)
    return {
        "due_at": due,
        "closes_at": closes,
        "next_send_at": scheduling.next_send_after(
            due, closes, wave.reminder_days, wave.max_reminders, sends
        ),
    }


@signals.joined.connect
def _plan_for_new_participants(programme_id: int) -> None:
    ensure_invitations(programme_id)


@signals.contact_stopped.connect
def _cancel_pending(participant_ids: list[int], now: datetime) -> None:
    """Nothing more is sent to these participants: no invitation, no reminder (the rows stay, for the record)."""
    db.session.execute(
        update(Invitation).where(Invitation.participant_id.in_(participant_ids)).values(next_send_at=None))


def ensure_invitations(programme_id: int, now: datetime | None = None) -> int:
    """One invitation per (consenting, reachable) participant and wave; returns how many were added."""
    consenting = select(Consent.id).where(
        Consent.participant_id == Participant.id, Consent.withdrawn_at.is_(None)
    )
    missing = db.session.execute(
        select(Wave, Participant.id, TrainingSession.held_on)
        .join(Participant, Participant.programme_id == Wave.programme_id)
        .join(TrainingSession, TrainingSession.id == Participant.session_id)
        .join(Contact, Contact.participant_id == Participant.id)
        .outerjoin(
            Invitation, and_(Invitation.wave_id == Wave.id, Invitation.participant_id == Participant.id)
        )
        .where(
            Wave.programme_id == programme_id,
            Wave.cancelled_at.is_(None),
            Invitation.id.is_(None),
            Contact.email.is_not(None),
            Participant.unsubscribed_at.is_(None),
            consenting.exists(),
        )
    ).all()
    secret = current_app.config["SECRET_KEY"]
    rows = []
    for wave, participant_id, held_on in missing:
        salt = tokens.new_salt()
        rows.append(
            {
                "wave_id": wave.id,
                "participant_id": participant_id,
                "token_salt": salt,
                "token_hash": tokens.hash_token(tokens.make_token(secret, salt)),
                "sends": 0,
                "attempts": 0,
                **_dates(wave, held_on),
            }
        )
    for start in range(0, len(rows), 1000):
        db.session.execute(insert(Invitation), rows[start : start + 1000])
    return len(rows)


def invitation_link(invitation: Invitation) -> str:
    token = tokens.make_token(current_app.config["SECRET_KEY"], invitation.token_salt)
    return public_url(f"/i/{token}")


def find_invitation(token: str) -> Invitation:
    """The invitation behind a personal link; NotFound for anything unknown (nothing is stored)."""
    invitation = None
    if 20 <= len(token) <= 64:
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == tokens.hash_token(token))
        )
    if invitation is None:
        raise NotFound(_l("This link is not valid. Please check that you copied all of it."))
    return invitation


def check_open(invitation: Invitation, now: datetime | None = None) -> None:
    """Gone once the window has closed, the participant unsubscribed or the wave was cancelled."""
    now = now or utcnow()
    if (
        now >= scheduling.aware(invitation.closes_at)
        or invitation.participant.unsubscribed_at is not None
        or invitation.wave.cancelled_at is not None
    ):
        raise Gone(_l("This questionnaire is closed now. Thank you all the same!"))


def response_key(invitation: Invitation) -> str:
    return tokens.response_key(current_app.config["SECRET_KEY"], invitation.token_salt)


def mark(invitation: Invitation, event: str, now: datetime | None = None) -> None:
    """Record opened / started / submitted once (the first time counts); submitted stops all reminders."""
    now = now or utcnow()
    column = getattr(Invitation, f"{event}_at")
    values = {column.key: now}
    if event == "submitted":
        values["next_send_at"] = None
    db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, column.is_(None)).values(**values)
    )
