"""Per participant and wave: status, send history, "re-send now" and "fix the address and re-send".

Services flush; the view commits. The status is one SQL CASE over the participant and the invitation, used by
the listing, its filters and the detail alike. The listing never reads `Contact`; `fix_address` writes it.

Re-send sends nothing itself: it sets `next_send_at` to now on an invitation no dispatcher holds, so the
dispatcher's claim (row lock, lease, `sends`-guarded record) stays the only way a message leaves and it leaves
once. The message sent is the next one in line (the invitation, else a reminder); a reminder whose day passed
meanwhile follows a day later, not in the same run (dispatch._not_overdue); once every reminder went out, the
re-send is one message more.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import selectinload

from surveyapp.db import utcnow
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.i18n import FALLBACK_LANGUAGE
from surveyapp.participants import service as participants
from surveyapp.participants.models import Participant
from surveyapp.waves import service as waves
from surveyapp.waves.models import Invitation, SendAttempt, Wave
from surveyapp.waves.scheduling import aware

PAGE_SIZE = 50
STATUS_LABELS = {
    "scheduled": _l("scheduled"),
    "invited": _l("invited"),
    "opened": _l("opened"),
    "started": _l("started"),
    "submitted": _l("submitted"),
    "bounced": _l("bounced"),
    "cancelled": _l("wave cancelled"),
    "unsubscribed": _l("unsubscribed"),
    "erased": _l("erased"),
    "none": _l("not invited"),
}
NOT_YET_ANSWERED = ("invited", "opened", "started", "bounced")  # reached (or tried), no answer, still reachable
OPEN_STATUSES = (*NOT_YET_ANSWERED, "scheduled")  # where "Re-send now" is offered (the service has the last word)


class ResendRefused(DomainError):
    status_code = 409


def status_of():
    """The status of a participant in a wave; needs Participant, Wave and (outer-joined) Invitation."""
    return case(
        (Participant.erased_at.is_not(None), "erased"),
        (Invitation.submitted_at.is_not(None), "submitted"),
        (Participant.unsubscribed_at.is_not(None), "unsubscribed"),
        (Invitation.id.is_(None), "none"),
        (Wave.cancelled_at.is_not(None), "cancelled"),
        (Invitation.bounced_at.is_not(None), "bounced"),
        (Invitation.started_at.is_not(None), "started"),
        (Invitation.opened_at.is_not(None), "opened"),
        (Invitation.sends > 0, "invited"),
        else_="scheduled",
    )


def _with_invitations(query):
    return query.join(Wave, Wave.programme_id == Participant.programme_id).outerjoin(
        Invitation, and_(Invitation.wave_id == Wave.id, Invitation.participant_id == Participant.id)
    )


@dataclass
class Filters:
    wave_id: int | None = None
    session_id: int | None = None
    status: str | None = None
    # "open": not answered, the window still open; "closed": did not answer, the window has closed;
    # True: either
    not_answered: str | bool | None = None
    page: int = 1


@dataclass
class Cell:
    """One participant in one wave."""

    status: str
    sends: int = 0
    error: str | None = None
    next_send_at: datetime | None = None


@dataclass
class Row:
    participant: Participant
    cells: dict[int, Cell]


@dataclass
class Listing:
    rows: list[Row]
    page: int
    pages: int
    total: int


def listing(programme_id: int, filters: Filters, now: datetime | None = None) -> Listing:
    """One page of the programme's participants with their status in every wave, filtered."""
    query = select(Participant).where(Participant.programme_id == programme_id)
    if filters.session_id:
        query = query.where(Participant.session_id == filters.session_id)
    wanted = NOT_YET_ANSWERED if filters.not_answered else (filters.status,) if filters.status else ()
    if filters.wave_id and wanted:
        query = _with_invitations(query).where(Wave.id == filters.wave_id, status_of().in_(wanted))
        now = now or utcnow()
        if filters.not_answered == "open":
            query = query.where(Invitation.closes_at > now)
        elif filters.not_answered == "closed":
            query = query.where(Invitation.closes_at <= now)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    found = db.session.scalars(
        query.order_by(Participant.session_id, Participant.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .options(selectinload(Participant.session), selectinload(Participant.consents))
    ).all()
    cells = _cells([participant.id for participant in found])
    return Listing([Row(p, cells.get(p.id, {})) for p in found], page, pages, total)


def _cells(participant_ids: list[int]) -> dict[int, dict[int, Cell]]:
    if not participant_ids:
        return {}
    rows = db.session.execute(
        _with_invitations(
            select(
                Participant.id,
                Wave.id,
                status_of(),
                Invitation.sends,
                Invitation.last_error,
                Invitation.next_send_at,
            )
        ).where(Participant.id.in_(participant_ids))
    ).all()
    cells: dict[int, dict[int, Cell]] = {}
    for participant_id, wave_id, status, sends, error, next_send_at in rows:
        cells.setdefault(participant_id, {})[wave_id] = Cell(status, sends or 0, error, next_send_at)
    return cells


@dataclass
class History:
    """One invitation of a participant: its wave, status and every send attempt."""

    invitation: Invitation
    status: str
    attempts: list[SendAttempt] = field(default_factory=list)


def history(participant: Participant) -> list[History]:
    rows = db.session.execute(
        select(Invitation, status_of())
        .join(Wave, Wave.id == Invitation.wave_id)
        .join(Participant, Participant.id == Invitation.participant_id)
        .where(Invitation.participant_id == participant.id)
        .order_by(Wave.position, Wave.id)
        .options(selectinload(Invitation.wave))
    ).all()
    attempts: dict[int, list[SendAttempt]] = {}
    for attempt in db.session.scalars(
        select(SendAttempt)
        .where(SendAttempt.invitation_id.in_([invitation.id for invitation, _ in rows]))
        .order_by(SendAttempt.id)
    ):
        attempts.setdefault(attempt.invitation_id, []).append(attempt)
    return [History(invitation, status, attempts.get(invitation.id, [])) for invitation, status in rows]


def check_resendable(invitation: Invitation, now: datetime) -> None:
    """Raise ResendRefused (with the reason) unless a message may go out for this invitation now."""
    participant = invitation.participant
    if participant.erased_at is not None:
        raise ResendRefused(_l("This participant's data has been erased: nothing is sent."))
    if participant.unsubscribed_at is not None or participant.active_consent is None:
        raise ResendRefused(_l("This participant has unsubscribed or withdrawn consent: nothing is sent."))
    if invitation.wave.cancelled_at is not None:
        raise ResendRefused(_l("This wave has been cancelled: nothing more is sent."))
    if invitation.submitted_at is not None:
        raise ResendRefused(_l("This participant has already answered this wave."))
    if now >= aware(invitation.closes_at):
        raise ResendRefused(_l("The answering window of this wave has closed: nothing can be sent any more."))
    if now < aware(invitation.due_at):
        raise ResendRefused(_l("This wave's invitation is not due yet: it goes out on its planned date."))
    if participant.contact is None or not participant.contact.email:
        raise ResendRefused(_l("There is no e-mail address for this participant."))


def resendable(entries: list[History], now: datetime | None = None) -> set[int]:
    """The invitations for which "Re-send now" is offered: those the service would accept now."""
    now = now or utcnow()
    ids = set()
    for entry in entries:
        try:
            check_resendable(entry.invitation, now)
        except ResendRefused:
            continue
        ids.add(entry.invitation.id)
    return ids


def resend(invitation: Invitation, now: datetime | None = None) -> None:
    """Have the dispatcher send this invitation's next message at once (see the module docstring)."""
    now = now or utcnow()
    check_resendable(invitation, now)
    _send_now([invitation.id], now)


def fix_address(participant: Participant, email: str, now: datetime | None = None) -> int:
    """Store a corrected address and re-send every invitation whose window is open; returns how many.

    The consent and duplicate checks are those of the contact form (participants.service.update_contact).
    """
    now = now or utcnow()
    contact = participant.contact
    participants.update_contact(
        participant,
        name=contact.name if contact else "",
        email=email,
        phone=contact.phone if contact else None,
        lang=contact.lang if contact else FALLBACK_LANGUAGE,
    )
    waves.ensure_invitations(participant.programme_id, now)
    db.session.expire(participant)
    current = []
    for entry in history(participant):
        try:
            check_resendable(entry.invitation, now)
        except ResendRefused:
            continue
        current.append(entry.invitation.id)
    if current:
        _send_now(current, now)
    return len(current)


def _send_now(invitation_ids: list[int], now: datetime) -> None:
    """Due now, bounce cleared; refused while a dispatcher holds one of them (it is being sent this minute)."""
    unclaimed = Invitation.claimed_until.is_(None)
    result = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id.in_(invitation_ids),
            Invitation.submitted_at.is_(None),
            Invitation.closes_at > now,
            or_(unclaimed, Invitation.claimed_until < now),
        )
        .values(
            next_send_at=now,
            bounced_at=None,
            last_error=None,
            # a bounce used up its attempts; without a claim out, no dispatcher's record depends on the count
            attempts=case((unclaimed, 0), else_=Invitation.attempts),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != len(invitation_ids):
        raise ResendRefused(_l("This message is being sent right now. Please look again in a minute."))
    db.session.expire_all()
