"""A questionnaire on one page (rating, yes/no, comment) and a browser turned into its kiosk by a manager."""
import re
import uuid

import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.kiosk.models import KioskDevice
from tests.conftest import csrf_token, hidden_fields
from tests.security import world

ITEMS = [("handled", "likert", True, 1, {"points": 5}, []), ("resolved", "yesno", True, 1, {}, []),
         ("comment", "longtext", False, 1, {}, [])]
PIN = "4711"


@pytest.fixture
def manager(db, make):
    """A manager whose password is never checked (login is tested in tests/accounts): hashing costs ~0.5 s."""
    return world.staff(db, Role.MANAGER, make.programme())


def sign_in(client, user):
    world.sign_in(client, user)
    return client


@pytest.fixture
def questionnaire(make, manager):
    return make.questionnaire(manager.memberships[0].programme, items=ITEMS, languages=("en", "de"))


def open_kiosk(client, questionnaire, **settings):
    """POST the kiosk form of `questionnaire` as the logged-in manager of `client`."""
    url = f"/manage/questionnaires/{questionnaire.id}/kiosk"
    data = {"idle_seconds": "90", "on_idle": "discard", "restart_seconds": "8", "pin": PIN,
            "csrf_token": csrf_token(client, url), **settings}
    return client.post(url, data=data)


@pytest.fixture
def kiosk(app, client, manager, questionnaire):
    """`client` as a kiosk of `questionnaire` (the manager logged in, then opened kiosk mode)."""
    sign_in(client, manager)
    reply = open_kiosk(client, questionnaire)
    assert reply.status_code == 302 and reply.location.endswith("/k/")
    return client


def device(db) -> KioskDevice:
    db.session.expire_all()
    return db.session.scalars(select(KioskDevice).order_by(KioskDevice.id.desc())).first()


def page(client):
    """The kiosk's blank page: its HTML and its hidden fields."""
    reply = client.get("/k/")
    assert reply.status_code == 200
    html = reply.get_data(as_text=True)
    return html, hidden_fields(html)


def answers(client, *, handled="4", resolved="yes", comment="", **extra):
    """A respondent's form as the kiosk page issues it, with these answers (and any field in `extra`)."""
    _html, fields = page(client)
    data = {**fields, "q_handled": handled, "q_resolved": resolved, "q_comment": comment, "nav": "submit"}
    return {**data, **extra}


def new_uuid() -> str:
    return str(uuid.uuid4())


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)
