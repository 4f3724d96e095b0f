"""A programme with a wave, two participants (Anna answers in German, Ben in English) and a manager."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.waves.models import Invitation
from surveyapp.waves.tokens import make_token
from tests import panel_factories as panel
from tests.conftest import hidden_fields

ITEMS = [("colour", "single", True, 1, {}, ["red", "green"]), ("remark", "text", False, 1, {}, [])]
ANNA, BEN = "anna@example.org", "ben@example.org"


@dataclass
class Panel:
    programme: object
    questionnaire: object
    session: object
    wave: object
    anna: object
    ben: object
    manager: object


def build(db, make, *, held_on=None, window_days=30) -> Panel:
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    session = panel.session(db, programme, held_on or date.today() - timedelta(days=1))
    anna = panel.participant(db, session, ANNA, "de")
    ben = panel.participant(db, session, BEN, "en")
    wave = panel.wave(db, programme, questionnaire, window_days=window_days, reminder_days=(7, 14))
    manager = make.user(Role.MANAGER, programme)
    return Panel(programme, questionnaire, session, wave, anna, ben, manager)


def token_of(app, db, participant) -> str:
    invitation = db.session.scalar(select(Invitation).where(Invitation.participant_id == participant.id))
    return make_token(app.config["SECRET_KEY"], invitation.token_salt)


def answer(client, token: str, colour: str = "red", remark: str = "") -> None:
    link = f"/i/{token}"
    page = client.get(link)
    assert page.status_code == 200
    done = client.post(link, data={**hidden_fields(page.get_data(as_text=True)), "q_colour": colour,
                                   "q_remark": remark, "nav": "submit"})
    assert done.status_code == 302
