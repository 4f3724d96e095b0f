"""The personal link /i/<token> as an entry point of the one page flow (see respond.flow).

The response key comes from the invitation, never from the form: any device continues the same response.
The invitation records when it was opened, started and submitted; its session's place and date are piped.
"""
from flask import url_for
from flask_babel import format_date

from surveyapp.questionnaires.models import Questionnaire
from surveyapp.respond import service
from surveyapp.respond.flow import EntryPoint, Stored, kept_in
from surveyapp.responses.models import Response
from surveyapp.waves import service as waves
from surveyapp.waves.models import Invitation as InvitationRow

_LOOK_UP = object()  # the response is not known yet: stored() looks it up


class Invitation(EntryPoint):
    """The personal link. The form posts to an address carrying the page's language, and each save stores it
    with the response: a language chosen here sticks, on this device and any other."""

    def __init__(self, questionnaire: Questionnaire, lang: str, invitation: InvitationRow, token: str,
                 response: Response | None | object = _LOOK_UP):
        super().__init__(questionnaire, lang)
        self.invitation = invitation
        self.token = token
        self.key = waves.response_key(invitation)
        self.response = response
        session = invitation.participant.session
        self.piping = {"place": session.place, "date": format_date(session.held_on, "long")}

    def form_key(self) -> str:
        return "-"

    def closed(self) -> bool:
        return self.invitation.submitted_at is not None

    def stored(self) -> Stored | None:
        if self.response is _LOOK_UP:
            self.response = service.find_response(self.key, self.questionnaire)
        return kept_in(self.response, self.questionnaire)

    def save(self, page, answers, *, final):
        service.save_page(self.questionnaire, self.key, page, self.lang, answers, final=final, links=self._links())
        waves.mark(self.invitation, "started")
        if final:
            waves.mark(self.invitation, "submitted")

    def keep_draft(self, page, answers, *, resume_here):
        service.save_draft(self.questionnaire, self.key, self.lang, answers,
                           resume_page=page if resume_here else None, links=self._links())

    def answered(self) -> set[int]:
        return service.answered_items(self.questionnaire, self.key)

    def opened(self) -> None:
        waves.mark(self.invitation, "opened")

    def _links(self) -> dict:
        return {"participant_id": self.invitation.participant_id, "wave_id": self.invitation.wave_id,
                "invitation_id": self.invitation.id}

    def page_url(self, page: int, **args) -> str:
        return url_for("invite.show", token=self.token, page=page, **args)

    def action_url(self) -> str:
        return url_for("invite.answer", token=self.token, lang=self.lang)
