"""Sessions, participants, contacts and consent. Services flush; the caller commits.

Contact details are written here and read only by the programme's managers' views and by the dispatcher.
"""

import secrets
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from surveyapp.db import utcnow
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.i18n import interface_language_for
from surveyapp.participants import signals
from surveyapp.participants.codes import new_panel_code
from surveyapp.participants.models import Consent, Contact, Participant, TrainingSession

CONSENT_VERSION = "2026-01"
CONSENT_TEXT = _l(
    "I agree that the programme may e-mail me up to three short follow-up questionnaires about "
    "this session. My e-mail address is kept apart from my answers and is never passed on. "
    "I can withdraw at any time through the link in every e-mail."
)


def create_session(programme_id: int, held_on: date, place: str, trainer: str = "") -> TrainingSession:
    session = TrainingSession(
        programme_id=programme_id,
        held_on=held_on,
        place=place.strip(),
        trainer=(trainer or "").strip(),
        enrol_code=secrets.token_urlsafe(9),
    )
    db.session.add(session)
    db.session.flush()
    return session


def find_session_by_enrol_code(code: str) -> TrainingSession | None:
    """Case-sensitive: codes are random mixed-case tokens, unique only as written. Spaces typed from the handout's
    grouped code are ignored (a token has none)."""
    code = "".join(code.split())
    session = db.session.scalar(select(TrainingSession).where(TrainingSession.enrol_code == code))
    return session if session is not None and session.enrolment_open else None


def _unused_panel_code() -> str:
    while True:  # ~39 bits: a clash is rare, but cheap to rule out
        code = new_panel_code()
        if db.session.scalar(select(Participant.id).where(Participant.panel_code == code)) is None:
            return code


def email_taken(programme_id: int, email: str | None, *, other_than: int | None = None) -> bool:
    """Whether another participant of the programme has this address (compared case-insensitively)."""
    address = (email or "").strip().lower()
    if not address:
        return False
    query = select(Participant.id).join(Contact).where(
        Participant.programme_id == programme_id, func.lower(Contact.email) == address
    )
    if other_than is not None:
        query = query.where(Participant.id != other_than)
    return db.session.scalar(query.limit(1)) is not None


def _check_email_free(programme_id: int, email: str | None, other_than: int | None = None) -> None:
    if email_taken(programme_id, email, other_than=other_than):
        raise DuplicateEmail(_l("This e-mail address is already in the programme."))


def add_participant(
    session: TrainingSession,
    *,
    email: str | None,
    lang: str,
    name: str = "",
    phone: str | None = None,
    consent_source: str,
    consent_version: str = CONSENT_VERSION,
    now: datetime | None = None,
) -> Participant:
    """A new participant with a fresh panel code, their contact row and the consent they gave.

    Refuses (DuplicateEmail) an address another participant of the programme already has, as the roster does.
    """
    now = now or utcnow()
    _check_email_free(session.programme_id, email)
    participant = Participant(
        programme_id=session.programme_id, session=session, panel_code=_unused_panel_code(), created_at=now
    )
    participant.contact = Contact(
        name=(name or "").strip(), email=(email or "").strip() or None, phone=(phone or "").strip() or None, lang=lang
    )
    with force_locale(interface_language_for(lang)):  # the wording as the participant read it
        statement = str(CONSENT_TEXT)
    participant.consents.append(
        Consent(text_version=consent_version, source=consent_source, statement=statement, given_at=now)
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def update_contact(
    participant: Participant, *, name: str, email: str | None, phone: str | None, lang: str
) -> None:
    if participant.erased_at is not None:
        raise ConsentWithdrawn(_l("This participant's data has been erased; contact details cannot be added again."))
    if participant.active_consent is None:  # withdrawn (or unsubscribed): storing contact data needs new consent
        raise ConsentWithdrawn(
            _l("This participant has withdrawn consent; contact details cannot be stored without new consent.")
        )
    _check_email_free(participant.programme_id, email, other_than=participant.id)
    contact = participant.contact or Contact(participant_id=participant.id, lang=lang)
    contact.name, contact.lang = (name or "").strip(), lang
    contact.email, contact.phone = (email or "").strip() or None, (phone or "").strip() or None
    participant.contact = contact
    db.session.flush()


def stop_contact(participant_ids: int | list[int], now: datetime | None = None) -> None:
    """Unsubscribe or withdrawal: nothing more is sent, from this moment on; name, e-mail and phone go at once.

    Answers stay, under the pseudonymous code (erasure removes them: surveyapp/gdpr). The contact row keeps
    only the language. Pending invitations and reminders are cancelled in the caller's transaction.
    Takes one id or a list (at most a few hundred: they go into one IN (...)).
    """
    now = now or utcnow()
    ids = [participant_ids] if isinstance(participant_ids, int) else list(participant_ids)
    db.session.execute(
        update(Participant)
        .where(Participant.id.in_(ids), Participant.unsubscribed_at.is_(None))
        .values(unsubscribed_at=now)
    )
    db.session.execute(
        update(Consent).where(Consent.participant_id.in_(ids), Consent.withdrawn_at.is_(None)).values(withdrawn_at=now)
    )
    signals.contact_stopped.send(ids, now=now)
    db.session.execute(
        update(Contact).where(Contact.participant_id.in_(ids)).values(name="", email=None, phone=None)
    )
    db.session.expire_all()


def programme_sessions(programme_id: int) -> list[TrainingSession]:
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.programme_id == programme_id)
            .order_by(TrainingSession.held_on.desc(), TrainingSession.id)
        )
    )


class EnrolmentError(DomainError):
    status_code = 422


class DuplicateEmail(EnrolmentError):
    """The address is already another participant's in this programme."""


class ConsentWithdrawn(DomainError):
    status_code = 409
