"""Staff login and logout through real HTTP: wrong passwords, rate limit, no open redirect."""
import pytest

from surveyapp.accounts.models import Role
from tests.conftest import PASSWORD, csrf_token


def test_login_then_logout(client, make, auth):
    user = make.user(Role.MANAGER)
    assert client.get("/manage/").status_code == 302
    logged_in = auth.login(user.email.upper())
    assert logged_in.status_code == 302 and logged_in.location.endswith("/manage/")
    assert user.email in client.get("/manage/").get_data(as_text=True)
    out = auth.logout()
    assert out.status_code == 302 and out.location.endswith("/login")
    assert client.get("/manage/").status_code == 302


def test_wrong_password_shows_message_with_422(client, make, auth):
    user = make.user(Role.MANAGER)
    result = auth.login(user.email, "not the password")
    assert result.status_code == 422
    assert "Unknown e-mail or wrong password." in result.get_data(as_text=True)
    assert auth.login("nobody@example.org").status_code == 422
    assert client.get("/manage/").status_code == 302


def test_login_without_csrf_token_is_refused(client, make):
    user = make.user(Role.MANAGER)
    result = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert result.status_code == 400


def test_login_is_rate_limited(client, app):
    token = csrf_token(client, "/login")
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    codes = [client.post("/login", data={"email": "x@example.org", "password": "wrong-password",
                                         "csrf_token": token}).status_code for _ in range(limit + 1)]
    assert codes[:limit] == [422] * limit
    assert codes[-1] == 429


@pytest.mark.parametrize(("target", "expected"), [
    ("/manage/questionnaires/new", "/manage/questionnaires/new"),
    ("https://evil.example/", "/manage/"),
    ("//evil.example/", "/manage/"),
    ("/\\evil.example", "/%5Cevil.example"),  # quoted: a browser cannot read it as //evil.example
    ("javascript:alert(1)", "/manage/"),
])
def test_next_only_follows_local_paths(client, make, target, expected):
    user = make.user(Role.ADMIN)
    token = csrf_token(client, "/login")
    result = client.post("/login", query_string={"next": target},
                         data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert result.status_code == 302
    assert result.location == expected
