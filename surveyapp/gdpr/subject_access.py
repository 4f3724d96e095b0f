"""Subject-access export of one participant: everything held about them, as plain data (rendered to JSON).

Contact data, consents (with the wording they agreed to), invitations (status and dates, never tokens or salts)
and their answers with item codes, questions and chosen options in the language they answered in.
"""

from datetime import date, datetime

from sqlalchemy import select

from surveyapp.audit.service import record
from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from surveyapp.questionnaires.models import Item
from surveyapp.responses.models import Answer, Response
from surveyapp.waves.models import Invitation

FORMAT_VERSION = 1


def subject_access(participant: Participant, *, actor=None) -> dict:
    """Everything held about `participant`; audited (the record names the participant by id only)."""
    record("participant.subject_access", target=f"participant:{participant.id}", actor=actor)
    contact = participant.contact
    session = participant.session
    return {
        "format_version": FORMAT_VERSION,
        "panel_code": participant.panel_code,
        "programme": session.programme.name,
        "session": {"held_on": _iso(session.held_on), "place": session.place},
        "registered_at": _iso(participant.created_at),
        "unsubscribed_at": _iso(participant.unsubscribed_at),
        "erased_at": _iso(participant.erased_at),
        "contact": None
        if contact is None
        else {"name": contact.name, "email": contact.email, "phone": contact.phone, "language": contact.lang},
        "consents": [
            {
                "scope": consent.scope,
                "text_version": consent.text_version,
                "source": consent.source,
                "statement": consent.statement,
                "given_at": _iso(consent.given_at),
                "withdrawn_at": _iso(consent.withdrawn_at),
            }
            for consent in participant.consents
        ],
        "invitations": _invitations(participant.id),
        "responses": _responses(participant.id),
    }


def _invitations(participant_id: int) -> list[dict]:
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.participant_id == participant_id).order_by(Invitation.due_at)
    )
    return [
        {
            "wave": invitation.wave.name,
            "status": invitation_status(invitation),
            "due_at": _iso(invitation.due_at),
            "closes_at": _iso(invitation.closes_at),
            "messages_sent": invitation.sends,
            "first_sent_at": _iso(invitation.first_sent_at),
            "last_sent_at": _iso(invitation.last_sent_at),
            "opened_at": _iso(invitation.opened_at),
            "started_at": _iso(invitation.started_at),
            "submitted_at": _iso(invitation.submitted_at),
            "bounced_at": _iso(invitation.bounced_at),
        }
        for invitation in invitations
    ]


def invitation_status(invitation: Invitation) -> str:
    for status in ("submitted", "bounced", "started", "opened"):
        if getattr(invitation, f"{status}_at") is not None:
            return status
    if invitation.sends:
        return "sent"
    return "planned" if invitation.next_send_at is not None else "cancelled"


def _responses(participant_id: int) -> list[dict]:
    responses = db.session.scalars(
        select(Response).where(Response.participant_id == participant_id).order_by(Response.started_at, Response.id)
    ).all()
    return [_response(response) for response in responses]


def _response(response: Response) -> dict:
    lang, questionnaire = response.lang, response.questionnaire
    values: dict[int, list[str]] = {}
    for item_id, value in db.session.execute(
        select(Answer.item_id, Answer.value).where(Answer.response_id == response.id).order_by(Answer.id)
    ):
        values.setdefault(item_id, []).append(value)
    answers = []
    for item in db.session.scalars(
        select(Item).where(Item.questionnaire_id == questionnaire.id).order_by(Item.page, Item.position, Item.id)
    ):
        if item.id not in values:
            continue
        labels = {option.code: option.label(lang) for option in item.options}
        answers.append(
            {
                "item": item.code,
                "question": item.text("label", lang),
                "values": values[item.id],
                "texts": [labels.get(value, value) for value in values[item.id]],
            }
        )
    return {
        "questionnaire": questionnaire.text("title", lang) or questionnaire.slug,
        "language": lang,
        "started_at": _iso(response.started_at),
        "submitted_at": _iso(response.submitted_at),
        "answers": answers,
    }


def _iso(moment: date | datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
