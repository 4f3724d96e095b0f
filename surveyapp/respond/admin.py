"""Staff housekeeping of responses: the paged list of a questionnaire's responses and deleting one.

Plain functions for the view and tests: they take the questionnaire (already access-checked by the caller),
flush and never commit. The list shows metadata only (id, times, language, panel code); answer values are
read only for the confirmation page of one deletion (an audited read), never written to the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

from surveyapp.errors import NotFound
from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.responses.models import Answer, Response

PAGE_SIZE = 50


@dataclass(frozen=True)
class ResponseRow:
    id: int
    started_at: datetime
    submitted_at: datetime | None
    lang: str
    panel_code: str | None
    flag_reason: str | None  # flagged as implausible (kiosk.flags): left out of reports


@dataclass(frozen=True)
class ResponsePage:
    rows: list[ResponseRow]
    page: int
    pages: int
    total: int


def list_responses(questionnaire: Questionnaire, page: int = 1, size: int = PAGE_SIZE) -> ResponsePage:
    """One page of the questionnaire's responses, newest first (submitted and still in progress)."""
    total = db.session.scalar(
        select(func.count()).select_from(Response).where(Response.questionnaire_id == questionnaire.id)
    )
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        select(Response.id, Response.started_at, Response.submitted_at, Response.lang, Participant.panel_code,
               Response.flag_reason)
        .outerjoin(Participant, Participant.id == Response.participant_id)
        .where(Response.questionnaire_id == questionnaire.id)
        .order_by(Response.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return ResponsePage([ResponseRow(*row) for row in rows], page, pages, total)


def get_response(questionnaire: Questionnaire, response_id: int) -> Response:
    """The response, only if it belongs to this questionnaire (else NotFound, whoever asks)."""
    response = db.session.get(Response, response_id)
    if response is None or response.questionnaire_id != questionnaire.id:
        from flask_babel import gettext as _

        raise NotFound(_("This response does not exist (any more)."))
    return response


@dataclass(frozen=True)
class ShownAnswer:
    code: str
    question: str
    texts: list[str]  # the chosen options' labels, or the value as entered


def response_answers(response: Response) -> list[ShownAnswer]:
    """The response's answers as its respondent saw them: item order, question and option labels in its language."""
    values: dict[int, list[str]] = {}
    for item_id, value in db.session.execute(
        select(Answer.item_id, Answer.value).where(Answer.response_id == response.id).order_by(Answer.id)
    ):
        values.setdefault(item_id, []).append(value)
    items = db.session.scalars(
        select(Item).where(Item.id.in_(values)).order_by(Item.page, Item.position, Item.id)
    ) if values else []
    shown = []
    for item in items:
        labels = item.kind.value_labels(item, response.lang)  # e.g. "Ja" for a yes/no item answered in German
        shown.append(ShownAnswer(item.code, item.text("label", response.lang),
                                 [labels.get(value, value) for value in values[item.id]]))
    return shown


def delete_response(questionnaire: Questionnaire, response_id: int) -> int:
    """Delete one response and its answers (one transaction: the caller's), with an audit record.

    Returns the number of answers removed. The record says which response, whether it was submitted and
    how many answers went with it; never a value.
    """
    from surveyapp.audit.service import record

    response = get_response(questionnaire, response_id)
    detail = {
        "questionnaire_id": questionnaire.id,
        "questionnaire": questionnaire.slug,
        "submitted": response.submitted_at is not None,
        "panel": response.participant_id is not None,
        "wave_id": response.wave_id,
    }
    answers = db.session.execute(delete(Answer).where(Answer.response_id == response.id)).rowcount
    db.session.execute(delete(Response).where(Response.id == response.id))
    if response.invitation_id is not None:
        _reopen_invitation(response.invitation_id)
    db.session.expunge(response)
    record("response.delete", target=f"response:{response_id}", detail=detail | {"answers": answers})
    db.session.flush()
    return answers


def _reopen_invitation(invitation_id: int) -> None:
    """The invitation of a deleted panel response no longer counts as started or submitted (panel status,
    response rates); its link may be answered again. Reached through the foreign key, so respond does not
    import waves (dependencies run waves -> respond)."""
    invitations = next(iter(Response.__table__.c.invitation_id.foreign_keys)).column.table
    db.session.execute(update(invitations).where(invitations.c.id == invitation_id)
                       .values(started_at=None, submitted_at=None))
