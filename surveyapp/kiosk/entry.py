"""The kiosk as an entry point of the one page flow (respond.flow): a fresh response for every respondent.

The response key is the client UUID: the server puts a new one into every blank page it draws, kiosk.js makes
a new one whenever it resets the form itself (offline). The key is unique, so a submission that arrives twice
(queued offline, sent again after a lost reply) is stored once; the second gets the first one's outcome. Nothing
is stored before the whole (one) page is sent: a kiosk keeps no drafts.
"""
import uuid
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l

from surveyapp.kiosk import flags
from surveyapp.kiosk.models import KioskDevice
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.respond import service
from surveyapp.respond.flow import EntryPoint
from surveyapp.respond.service import BadResponseKey


def client_uuid(value) -> str:
    """The posted key as a canonical UUID; BadResponseKey (400) for anything else."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise BadResponseKey(_l("This form is not valid. Please reload the survey page and try again.")) from None


class Kiosk(EntryPoint):
    template = "kiosk/page.html"

    def __init__(self, questionnaire: Questionnaire, lang: str, device: KioskDevice, now: datetime,
                 when: flags.Timing | None = None, idle: bool = False):
        super().__init__(questionnaire, lang)
        self.device, self.now, self.when, self.idle = device, now, when, idle
        self.key: str | None = None

    def form_key(self) -> str:
        if self.key is None:
            self.key = str(uuid.uuid4())
        return self.key

    def check(self, form) -> None:
        self.key = client_uuid(form.rk.data)

    def stored(self):
        return None

    def save(self, page, answers, *, final):
        when = self.when or flags.Timing(self.now, None)
        response_id = service.save_page(self.questionnaire, self.key, page, self.lang, answers, final=final,
                                        now=when.sent)
        flags.record(self.device.id, response_id, answers, when, idle=self.idle)

    def keep_draft(self, page, answers, *, resume_here):
        """Nothing: a kiosk's respondent finishes in one go or not at all."""

    def answered(self) -> set[int]:
        return set()

    def page_url(self, page: int, **args) -> str:
        return url_for("kiosk.start")

    def action_url(self) -> str:
        return url_for("kiosk.answer")

    def page_context(self) -> dict:
        return {"device": self.device, "shown_ms": int(self.now.timestamp() * 1000)}
