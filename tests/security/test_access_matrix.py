"""Foreign ids on every staff route, and roles: read from app.url_map, so a new staff route without access control
makes these tests fail without anyone touching this file.

Each route is filled with the ids of ANOTHER programme and requested (GET, and POST with a valid CSRF token) as a
manager and as an evaluator of the first programme and anonymously: 403/404 or a redirect to login, never the other
programme's data, never a change. Evaluators change nothing: every POST route on their own programme is a 403.
"""
import pytest

from surveyapp import create_app
from surveyapp.accounts.models import Role
from tests.conftest import csrf_token
from tests.security import world

_APP = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
RULES = world.staff_rules(_APP)
_ARGS = {rule.endpoint: rule.arguments - {"lang"} for rule in _APP.url_map.iter_rules()}
WITH_IDS = [(e, m) for e, m in RULES if _ARGS[e]]  # the others list or create within the user's own programmes
SELF_SERVICE = {"accounts.password", "accounts.logout"}  # every signed-in user's own account
UNSCOPED = {"questionnaires.index", "questionnaires.create", "waves.programmes"}  # list or create within own programmes
ADMIN_ONLY = {"audit.events", "audit.export"}
NAVIGATION = {"respond_preview.answer"}  # a POST that only turns pages of the preview, stores nothing


def _data(row_counts) -> dict:
    """Row counts of every table but the audit trail (a refused request is itself recorded)."""
    return row_counts(audit=False)


@pytest.fixture
def two(db, make):
    return world.build(db, make, "own"), world.build(db, make, "other")


def _secrets(db, other) -> list[bytes]:
    from surveyapp.participants.models import Contact

    contact = db.session.get(Contact, other.ids["participant_id"])
    return [b"secret answer of other", contact.email.encode(), other.programme.name.encode()]


def test_the_enumeration_finds_every_staff_family():
    families = {endpoint.split(".")[0] for endpoint, _ in RULES}
    assert {"questionnaires", "exports", "reports", "participants", "waves", "gdpr", "audit", "translations",
            "responses", "accounts"} <= families
    assert not any(endpoint.startswith(("respond.", "invite.")) for endpoint, _ in RULES)


@pytest.mark.parametrize(("endpoint", "method"), RULES, ids=[f"{e}-{m}" for e, m in RULES])
def test_anonymous_is_sent_to_login(app, client, two, row_counts, logs, endpoint, method):
    own, _ = two
    token = csrf_token(client, "/login")
    before = _data(row_counts)
    response, _ = world.send(client, method, world.url(app, endpoint, own.ids), token)
    if endpoint == "accounts.logout":
        assert response.status_code in (302, 401)
    else:
        assert response.status_code == 302 and "/login" in response.location
    assert _data(row_counts) == before
    logs.assert_clean("secret answer of own")


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EVALUATOR])
@pytest.mark.parametrize(("endpoint", "method"), WITH_IDS, ids=[f"{e}-{m}" for e, m in WITH_IDS])
def test_foreign_ids_are_refused(app, db, client, two, row_counts, logs, endpoint, method, role):
    own, other = two
    world.sign_in(client, world.staff(db, role, own.programme))
    token = csrf_token(client, "/manage/")
    before = _data(row_counts)
    response, body = world.send(client, method, world.url(app, endpoint, other.ids), token)
    assert response.status_code in (403, 404), f"{role.value} reached {endpoint} of another programme"
    assert not [secret for secret in _secrets(db, other) if secret in body]
    assert _data(row_counts) == before
    logs.assert_clean(*[s.decode() for s in _secrets(db, other)])


POSTS = [endpoint for endpoint, method in RULES if method == "POST" and endpoint not in SELF_SERVICE | NAVIGATION]


@pytest.mark.parametrize("endpoint", POSTS)
def test_evaluator_changes_nothing(app, db, client, two, row_counts, logs, endpoint):
    own, _ = two
    world.sign_in(client, world.staff(db, Role.EVALUATOR, own.programme))
    token = csrf_token(client, "/manage/")
    before = _data(row_counts)
    response, _ = world.send(client, "POST", world.url(app, endpoint, own.ids), token)
    assert response.status_code == 403
    assert _data(row_counts) == before
    logs.assert_clean("secret answer of own")


@pytest.mark.parametrize(("endpoint", "method"), [r for r in RULES if r[0] in ADMIN_ONLY])
def test_admin_pages_refuse_managers(app, db, client, two, row_counts, endpoint, method):
    own, _ = two
    world.sign_in(client, world.staff(db, Role.MANAGER, own.programme))
    before = _data(row_counts)
    response, _ = world.send(client, method, world.url(app, endpoint, own.ids), None)
    assert response.status_code == 403
    assert _data(row_counts) == before
