"""A questionnaire's life after it is built: scheduled open and close dates, archiving, deleting.

Whether respondents may answer now is decided here from the status and the clock (`reachable`), so the
respondent pages, the builder and the sharing page agree. Functions flush, never commit.
"""
import enum
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from surveyapp.db import utcnow
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.questionnaires.models import Questionnaire, Status
from surveyapp.questionnaires.versions import has_responses


class Reach(enum.StrEnum):
    """What a respondent following the public link gets now."""

    OPEN = "open"
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # open, but its opening date is still ahead
    CLOSED = "closed"  # closed by hand, or its closing date has passed
    ARCHIVED = "archived"


class Archived(DomainError):
    """An archived questionnaire is kept as it was: unarchive it to change or open it."""

    status_code = 409


ARCHIVED = _l("This questionnaire is archived: unarchive it before changing or opening it.")
PROGRAMME_ARCHIVED = _l("This questionnaire's programme is archived: unarchive the programme before changing or "
                        "opening it.")


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def archived(questionnaire: Questionnaire, programme_archived: bool | None = None) -> bool:
    """Archived itself or within an archived programme: kept as it was either way. `programme_archived` as
    read from the database when the questionnaire is a cached structure (respond.cache), else its programme's."""
    if programme_archived is None:
        programme_archived = questionnaire.programme.archived_at is not None
    return questionnaire.archived_at is not None or programme_archived


def reachable(questionnaire: Questionnaire, now: datetime, status: Status | None = None,
              programme_archived: bool | None = None) -> Reach:
    """What the public link does at `now`; `status` and `programme_archived` as read from the database when
    the questionnaire is a cached structure (respond.cache), else its own."""
    status = status or questionnaire.status
    if status is Status.DRAFT:
        return Reach.DRAFT
    if archived(questionnaire, programme_archived):
        return Reach.ARCHIVED
    closes_at = aware(questionnaire.closes_at)
    if status is Status.CLOSED or (closes_at is not None and now >= closes_at):
        return Reach.CLOSED
    opens_at = aware(questionnaire.opens_at)
    if opens_at is not None and now < opens_at:
        return Reach.SCHEDULED
    return Reach.OPEN


def ensure_not_archived(questionnaire: Questionnaire) -> None:
    if questionnaire.archived_at is not None:
        raise Archived(ARCHIVED)
    if questionnaire.programme.archived_at is not None:
        raise Archived(PROGRAMME_ARCHIVED)


def set_schedule(questionnaire: Questionnaire, opens_at: datetime | None, closes_at: datetime | None,
                 now: datetime | None = None) -> None:
    """Set the answering window (aware datetimes; None: no bound). The status still says whether it is open.
    A new closing date already past on an open questionnaire is refused: its link would turn everyone away at
    once, silently (closing is a decision of its own, with its own confirmation)."""
    ensure_not_archived(questionnaire)
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise DomainError(_l("The closing date must be after the opening date."))
    if (questionnaire.status is Status.OPEN and closes_at is not None and closes_at != aware(questionnaire.closes_at)
            and closes_at <= (now or utcnow())):
        raise DomainError(_l("The closing date is in the past: respondents can no longer answer. Choose a later "
                             "date, or close the questionnaire."))
    questionnaire.opens_at, questionnaire.closes_at = opens_at, closes_at
    db.session.flush()


def archive(questionnaire: Questionnaire, now: datetime) -> None:
    """Take it off the builder's list; an open one closes, so its link no longer takes answers. Its
    responses stay in reports and exports."""
    if questionnaire.status is Status.OPEN:
        questionnaire.status = Status.CLOSED
    questionnaire.archived_at = questionnaire.archived_at or now
    db.session.flush()


def unarchive(questionnaire: Questionnaire) -> None:
    """Back on the list as it was archived (closed if it was open: reopening is a decision of its own)."""
    questionnaire.archived_at = None
    db.session.flush()


class InUse(DomainError):
    status_code = 409


DELETE_REFUSED = _l("This questionnaire has responses and cannot be deleted: archive it instead. Archived "
                    "questionnaires leave the list, and their responses stay in reports and exports.")


def deletable(questionnaire: Questionnaire) -> bool:
    return not has_responses(questionnaire)


def delete(questionnaire: Questionnaire) -> None:
    """Delete a questionnaire nobody has answered; one with responses is archived instead, so they stay."""
    if not deletable(questionnaire):
        raise InUse(DELETE_REFUSED)
    try:
        with db.session.begin_nested():
            db.session.delete(questionnaire)
            db.session.flush()
    except IntegrityError:  # a wave of the panel still plans with it (waves.questionnaire_id RESTRICT)
        raise InUse(_l("A follow-up wave uses this questionnaire: delete the wave first, or archive the "
                       "questionnaire instead.")) from None
