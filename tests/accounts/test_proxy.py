"""PROXY_FIX_X_FOR: behind a trusted proxy each client gets its own rate limit; without it the header is ignored."""
import pytest

from surveyapp import create_app
from tests.conftest import csrf_token


def _failed_logins(client, forwarded_for: str, count: int) -> list[int]:
    token = csrf_token(client, "/login")
    return [client.post("/login", headers={"X-Forwarded-For": forwarded_for},
                        data={"email": "x@example.org", "password": "wrong password", "csrf_token": token}).status_code
            for _ in range(count)]


@pytest.fixture
def proxied_client(_schema, tmp_path):
    """A client of an app built with one trusted proxy hop, on the test database."""
    from tests.conftest import _test_config

    app = create_app({**_test_config(_schema, tmp_path), "PROXY_FIX_X_FOR": 1, "LOGIN_RATE_LIMIT": "3 per minute"})
    yield app.test_client()
    with app.app_context():
        from surveyapp.extensions import db

        db.engine.dispose()


def test_one_trusted_hop_gives_each_client_its_own_login_limit(proxied_client):
    client = proxied_client
    assert _failed_logins(client, "203.0.113.7", 4) == [422, 422, 422, 429]
    assert _failed_logins(client, "198.51.100.9", 4) == [422, 422, 422, 429]  # another client: its own limit


def test_one_trusted_hop_takes_the_address_the_proxy_appended(proxied_client):
    """A client cannot pick its address by sending its own header: the proxy appends the real one last."""
    client = proxied_client
    codes = [_failed_logins(client, f"10.0.0.{n}, 203.0.113.7", 1)[0] for n in range(4)]
    assert codes == [422, 422, 422, 429]


def test_without_trusted_hops_the_header_is_ignored(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    assert _failed_logins(client, "203.0.113.7", 3) == [422, 422, 422]
    assert _failed_logins(client, "198.51.100.9", 1) == [429]  # same socket address: same limit


@pytest.mark.parametrize(("settings", "wrapped"), [
    ({}, False),
    ({"PROXY_FIX_X_FOR": 1}, True),
    ({"PROXY_FIX_X_FOR": 1, "PROXY_FIX_X_PROTO": 1, "PROXY_FIX_X_HOST": 1}, True),
])
def test_setting_wraps_the_app(settings, wrapped):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", **settings})
    assert (type(app.wsgi_app).__name__ == "ProxyFix") is wrapped
    if wrapped:
        assert app.wsgi_app.x_for == settings["PROXY_FIX_X_FOR"]
        assert app.wsgi_app.x_proto == settings.get("PROXY_FIX_X_PROTO", 0)


def test_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("SURVEYAPP_PROXY_FIX_X_FOR", "2")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert app.config["PROXY_FIX_X_FOR"] == 2 and app.wsgi_app.x_for == 2
