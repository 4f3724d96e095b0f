"""Two programmes with one of everything each (questionnaire, item, option, session, participant, wave, response),
and staff sign-in without hashing a password, for the enumerated route tests of the hostile suite."""
import itertools
import time
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import select

from surveyapp.accounts.access import SEEN_KEY
from surveyapp.accounts.models import Membership, Role, User
from surveyapp.indicators.models import Indicator
from surveyapp.polls import service as polls
from surveyapp.waves.models import Invitation
from surveyapp.waves.service import ensure_invitations
from surveyapp.waves.tokens import make_token
from tests import panel_factories as panel
from tests.reports.seed import seed_responses

ITEMS = [("colour", "single", True, 1, {}, ["red", "green"]), ("remark", "text", False, 1, {}, [])]
PUBLIC = {"respond", "invite", "static", "ops", "kiosk"}  # ops: health checks, metrics (by address)
PUBLIC_ENDPOINTS = {"participants.enrol", "accounts.login", "polls.join", "polls.vote", "polls.results_json"}
_seq = itertools.count(1)


def staff_rules(app) -> list[tuple[str, str]]:
    """(endpoint, method) of every rule outside the public respondent pages, login and static files."""
    return sorted((rule.endpoint, method) for rule in app.url_map.iter_rules()
                  if rule.endpoint.split(".")[0] not in PUBLIC and rule.endpoint not in PUBLIC_ENDPOINTS
                  for method in rule.methods - {"HEAD", "OPTIONS"})


@dataclass
class Programme:
    programme: object
    ids: dict


def build(db, make, code: str) -> Programme:
    from datetime import date

    programme = make.programme(code=f"{code}{next(_seq)}", name=f"Programme {code}")
    questionnaire = make.questionnaire(programme, items=ITEMS)
    item = next(i for i in questionnaire.items if i.options)
    session = panel.session(db, programme, date(2026, 1, 10))
    participant = panel.participant(db, session, f"{code}-{next(_seq)}@example.org", "de")
    wave = panel.wave(db, programme, questionnaire)
    ensure_invitations(programme.id)
    db.session.commit()
    invitation = db.session.scalar(select(Invitation).where(Invitation.participant_id == participant.id))
    response_id = seed_responses(questionnaire, [{"colour": "red", "remark": f"secret answer of {code}"}])[0]
    indicator = Indicator(programme_id=programme.id, name=f"Indicator of {code}", item_code=item.code,
                          statistic="share", target=0.5)
    db.session.add(indicator)
    db.session.commit()
    member = staff(db, Role.MANAGER, programme)  # for the member routes' <membership_id>
    checklist = mystery_checklist(db, programme, member)
    poll_session = polls.create_session(programme.id, f"Workshop of {code}", "en", member.id)
    poll = polls.add_poll(poll_session, "words", "One word?", [])
    db.session.commit()
    ids = {"programme_id": programme.id, "questionnaire_id": questionnaire.id, "item_id": item.id,
           "option_id": item.options[0].id, "session_id": session.id, "participant_id": participant.id,
           "wave_id": wave.id, "response_id": response_id, "lang": "en", "indicator_id": indicator.id,
           "invitation_id": invitation.id, "page_number": 1, "membership_id": member.memberships[0].id,
           "poll_session_id": poll_session.id, "poll_id": poll.id,
           "checklist_id": checklist.id,
           "upload_token": "0" * 22,  # a staged import (response_import): unknown here, so 410 for its owner
           # the public routes: /s/<slug>, /e/<code>, /i/<token>
           "slug": questionnaire.slug, "code": session.enrol_code,
           "token": make_token(current_app.config["SECRET_KEY"], invitation.token_salt)}
    return Programme(programme, ids)


def mystery_checklist(db, programme, shopper):
    """A mystery-shopping checklist with one visit whose evidence note is the programme's secret."""
    from datetime import UTC, datetime

    from surveyapp.mystery import service

    checklist = service.create_checklist(programme.id, f"Checklist of {programme.name}", "en", ["web"],
                                         "greeted | Greeted? | yn")
    service.record_visit(checklist, shopper.id, service.VisitInput(
        "web", "Ask", datetime(2026, 1, 11, tzinfo=UTC), "", {checklist.items[0].id: "yes"},
        {checklist.items[0].id: f"evidence of {programme.name}"}))
    db.session.commit()
    return checklist


def url(app, endpoint: str, ids: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        return url_for(endpoint, **{k: v for k, v in ids.items() if k in rule.arguments})


def staff(db, role: Role, programme=None) -> User:
    """A staff account whose password is never checked (login itself is tested in tests/accounts)."""
    user = User(email=f"{role.value}-{next(_seq)}@example.org", password_hash="!", is_admin=role is Role.ADMIN)
    if programme is not None:
        user.memberships.append(Membership(programme_id=programme.id, role=role))
    db.session.add(user)
    db.session.commit()
    return user


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session[SEEN_KEY] = int(time.time())


def sign_out(client) -> None:
    with client.session_transaction() as session:
        session.clear()


# A form that would change something on any staff POST route if access control let it through.
FORM = {"direction": "up", "action": "close", "title": "changed", "label": "changed", "name": "changed",
        "place": "changed", "email": "changed@example.org", "lang": "en", "text": "changed", "code": "changed",
        "slug": "changed", "with_answers": "y", "confirm": "y", "retention_months": "1", "languages": "de",
        "default_lang": "de", "type": "text", "subject": "changed", "body": "changed", "position": "0"}


def send(client, method: str, path: str, token: str | None):
    if method == "GET":
        response = client.get(path)
    else:
        data = dict(FORM)
        if token is not None:
            data["csrf_token"] = token
        response = client.post(path, data=data)
    body = response.get_data()  # downloads may stream: consume and close them inside the test
    response.close()
    return response, body
