"""Every staff URL of the builder and the exports refuses anonymous users, evaluators who would edit
and staff of other programmes.

Rules are read from the app, so a new view is covered without touching this file."""
import time

import pytest
from sqlalchemy import func, select

from surveyapp import create_app
from surveyapp.accounts.access import SEEN_KEY
from surveyapp.accounts.models import Membership, Role, User
from surveyapp.questionnaires.models import Questionnaire
from tests.conftest import csrf_token

BLUEPRINTS = ("questionnaires", "exports", "respond_preview")
# and every export: evaluators may use these
READABLE = {"questionnaires.index", "respond_preview.show", "respond_preview.answer"}
UNSCOPED = {"questionnaires.index", "questionnaires.create"}  # not tied to one questionnaire


def _staff_rules():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "collect"})
    return sorted((rule.endpoint, method) for rule in app.url_map.iter_rules()
                  if rule.endpoint.split(".")[0] in BLUEPRINTS
                  for method in rule.methods - {"HEAD", "OPTIONS"})


RULES = _staff_rules()


@pytest.fixture
def target(make):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    item = next(i for i in questionnaire.items if i.options)
    ids = {"questionnaire_id": questionnaire.id, "item_id": item.id, "option_id": item.options[0].id,
           "programme_id": programme.id, "page_number": 1}
    return programme, ids


def _url(app, endpoint, ids):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{k: v for k, v in ids.items() if k in rule.arguments})


def _call(client, method, url, token):
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": token, "direction": "up", "action": "close"})
    response.get_data()  # downloads may stream: consume and close them inside the test
    response.close()
    return response


def test_rules_were_found():
    assert ("questionnaires.edit_item", "POST") in RULES and ("exports.csv", "GET") in RULES


@pytest.mark.parametrize(("endpoint", "method"), RULES)
def test_staff_url_checks_roles(app, client, make, db, target, endpoint, method):
    programme, ids = target
    url = _url(app, endpoint, ids)
    token = csrf_token(client, "/login")

    anonymous = _call(client, method, url, token)
    assert anonymous.status_code == 302 and "/login" in anonymous.location, "anonymous"

    _sign_in(client, _staff(db, Role.EVALUATOR, programme))
    evaluator = _call(client, method, url, token)
    if endpoint in READABLE or endpoint.startswith("exports."):
        assert evaluator.status_code in (200, 302, 422), "evaluator may read"
    else:
        assert evaluator.status_code == 403, "evaluator may not edit"

    _sign_in(client, _staff(db, Role.MANAGER, make.programme()))
    _check_other_programme(client, db, endpoint, method, url, token, programme, ids)

    if method == "GET":
        for user in (_staff(db, Role.MANAGER, programme), _staff(db, Role.ADMIN, None)):
            _sign_in(client, user)
            assert _call(client, method, url, token).status_code == 200, f"{user.email} reaches {url}"


def _check_other_programme(client, db, endpoint, method, url, token, programme, ids):
    if endpoint == "questionnaires.index":
        listed = client.get(url).get_data(as_text=True)
        assert f"/manage/questionnaires/{ids['questionnaire_id']}" not in listed
    elif endpoint == "questionnaires.create":
        before = db.session.scalar(select(func.count()).select_from(Questionnaire))
        if method == "POST":  # their own programmes only: ours is not a valid choice
            result = client.post(url, data={"csrf_token": token, "programme_id": programme.id, "title": "T",
                                            "slug": "sneaky", "default_lang": "de", "languages": "de"})
            assert result.status_code == 422
        assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == before
    else:
        assert _call(client, method, url, token).status_code == 403, "other programme's manager"


_seq = iter(range(10**6))


def _staff(db, role, programme):
    """A staff account without hashing a password each time: login itself is tested in tests/accounts."""
    user = User(email=f"{role.value}-{next(_seq)}@example.org", password_hash="!",
                is_admin=role is Role.ADMIN)
    if programme is not None:
        user.memberships.append(Membership(programme_id=programme.id, role=role))
    db.session.add(user)
    db.session.commit()
    return user


def _sign_in(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()  # "<id>:<session generation>"
        session["_fresh"] = True
        session[SEEN_KEY] = int(time.time())
