"""CSRF: every POST route of the app (read from app.url_map, public ones included) without a token or with a wrong
one is a 400 and changes nothing. The test app runs with CSRF on, as production does (tests/conftest.py does not
turn WTF_CSRF_ENABLED off)."""
import pytest

from surveyapp import create_app
from surveyapp.accounts.models import Role
from tests.security import world

_APP = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
POSTS = sorted(rule.endpoint for rule in _APP.url_map.iter_rules() if "POST" in rule.methods)
WRONG = {"none": None, "forged": "IjFhMmIzYyI.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb", "empty": ""}


@pytest.fixture
def own(db, make):
    return world.build(db, make, "own")


def test_csrf_is_on_in_the_tests(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


@pytest.mark.parametrize("wrong", WRONG)
@pytest.mark.parametrize("endpoint", POSTS)
def test_post_without_a_valid_token_is_refused(app, db, client, own, row_counts, logs, endpoint, wrong):
    world.sign_in(client, world.staff(db, Role.ADMIN))
    client.get("/manage/")  # the session holds a real CSRF secret: only the form's token is wrong
    before = row_counts(audit=False)
    response, body = world.send(client, "POST", world.url(app, endpoint, own.ids), WRONG[wrong])
    assert response.status_code == 400, body[:300]
    assert row_counts(audit=False) == before
    logs.assert_clean("secret answer of own")
