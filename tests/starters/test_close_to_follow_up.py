"""Done-when of issue 14: the Close To follow-up template, opened, is answered without JavaScript along both
paths ("driven since" yes / no), and only the items shown are stored; its questions pipe the session's place
and date (personal link) and an earlier answer."""
import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Item, Status
from surveyapp.responses.models import Answer, Response
from surveyapp.starters import service
from surveyapp.waves.models import Invitation
from surveyapp.waves.tokens import make_token
from tests import panel_factories as panel
from tests.conftest import hidden_fields

LOOKING_BACK = {"q_remember_story": "4", "q_recommend": "yes", "nav": "submit"}


@pytest.fixture
def follow_up(db, make):
    questionnaire = service.create_from("close_to_follow_up", make.programme(code="closeto"), "close-to-3m",
                                        ["de", "en"])
    builder.set_status(questionnaire, Status.OPEN)
    db.session.commit()
    return questionnaire


def _stored(db) -> dict[str, str]:
    db.session.expire_all()
    return dict(db.session.execute(select(Item.code, Answer.value).join(Answer, Answer.item_id == Item.id)).all())


class Respondent:
    """One browser without JavaScript: GET a page, post its form with the hidden fields it carries."""

    def __init__(self, client, url: str):
        self.client, self.url = client, url
        self.html = ""

    def open(self, location: str | None = None):
        page = self.client.get(location or self.url)
        assert page.status_code == 200, page.status_code
        self.html = page.get_data(as_text=True)
        return self

    @property
    def text(self) -> str:
        """The page without its tags: piped values come isolated in <bdi>."""
        return re.sub(r"<[^>]+>", "", self.html)

    def answer(self, data: dict) -> str:
        moved = self.client.post(self.url, data={**hidden_fields(self.html), **data})
        assert moved.status_code == 302, moved.get_data(as_text=True)
        return moved.location


def _page_of(location: str) -> str:
    return location.rsplit("page=", 1)[-1] if "page=" in location else location


def test_who_has_not_driven_skips_the_driving_questions(app, db, follow_up):
    respondent = Respondent(app.test_client(), f"/s/{follow_up.slug}?lang=en").open()
    assert "Have you driven a car since the session?" in respondent.html
    after_first = respondent.answer({"q_driven_since": "no", "nav": "next"})
    assert _page_of(after_first) == "4"
    respondent.open(after_first)
    assert "I still remember the story well." in respondent.html
    assert "how often have you driven" not in respondent.html
    done = respondent.answer(LOOKING_BACK)
    assert done.endswith("/thanks")
    assert _stored(db) == {"driven_since": "no", "remember_story": "4", "recommend": "yes"}
    assert db.session.scalar(select(Response.submitted_at)) is not None


def test_who_has_driven_answers_them_and_sees_the_earlier_answer_piped(app, db, follow_up):
    respondent = Respondent(app.test_client(), f"/s/{follow_up.slug}?lang=en").open()
    respondent.open(respondent.answer({"q_driven_since": "yes", "nav": "next"}))
    assert "how often have you driven a car?" in respondent.html
    respondent.open(respondent.answer({"q_drive_frequency": "weekly", "q_careful_driving": "5",
                                       "q_changed_driving": "4", "q_near_miss": "no", "nav": "next"}))
    assert "You drive “several times a week”." in respondent.text
    respondent.open(respondent.answer({"q_story_while_driving": "often", "nav": "next"}))
    assert respondent.answer(LOOKING_BACK).endswith("/thanks")
    assert _stored(db) == {"driven_since": "yes", "drive_frequency": "weekly", "careful_driving": "5",
                           "changed_driving": "4", "near_miss": "no", "story_while_driving": "often",
                           "remember_story": "4", "recommend": "yes"}


def test_going_back_to_no_drops_the_driving_answers(app, db, follow_up):
    respondent = Respondent(app.test_client(), f"/s/{follow_up.slug}?lang=en").open()
    respondent.open(respondent.answer({"q_driven_since": "yes", "nav": "next"}))
    respondent.answer({"q_drive_frequency": "daily", "q_careful_driving": "5", "q_changed_driving": "4",
                       "nav": "next"})
    respondent.open(f"/s/{follow_up.slug}?page=1&lang=en")
    respondent.open(respondent.answer({"q_driven_since": "no", "nav": "next"}))
    assert respondent.answer(LOOKING_BACK).endswith("/thanks")
    assert _stored(db) == {"driven_since": "no", "remember_story": "4", "recommend": "yes"}


def test_the_personal_link_pipes_the_session_place_and_date_in_german(app, db, follow_up):
    held_on = date.today() - timedelta(days=1)  # inside the wave's answering window
    session = panel.session(db, follow_up.programme, held_on, place="Fahrschule Graz")
    panel.participant(db, session, "lena@example.org", "de")
    panel.wave(db, follow_up.programme, follow_up)
    invitation = db.session.scalar(select(Invitation))
    url = f"/i/{make_token(app.config['SECRET_KEY'], invitation.token_salt)}"
    respondent = Respondent(app.test_client(), url).open()
    respondent.open(respondent.answer({"q_driven_since": "yes", "nav": "next"}))
    held = format_date(held_on, "long", locale="de")
    assert f"Seit der Session in der Fahrschule Graz ({held}): Wie oft bist du Auto gefahren?" in respondent.text


def test_the_public_link_reads_naturally_without_an_invitation(app, follow_up):
    respondent = Respondent(app.test_client(), f"/s/{follow_up.slug}?lang=en").open()
    respondent.open(respondent.answer({"q_driven_since": "yes", "nav": "next"}))
    assert "Since the session at your driving school (a few months ago), how often" in respondent.text
    assert "{place" not in respondent.html and "{date" not in respondent.html


def test_the_driving_pages_are_shown_only_to_who_has_driven(follow_up):
    assert [(page.number, page.condition, page.skips) for page in follow_up.pages] == [
        (2, "driven_since = 'yes'", []), (3, "driven_since = 'yes'", [])]
