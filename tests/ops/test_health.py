"""/healthz and /readyz: what a load balancer reads; never rate limited, no cookie, no personal data."""
import pytest

from surveyapp import create_app
from surveyapp.extensions import db as _db


def test_healthz_answers_ok_without_cookie_or_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Request-ID"]


def test_readyz_ok_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"status": "ok"} and "Set-Cookie" not in response.headers


def test_version_only_when_an_operator_sets_one(app, client):
    app.config["HEALTH_VERSION"] = "2026.11"
    assert client.get("/healthz").get_json() == {"status": "ok", "version": "2026.11"}


def test_health_and_metrics_are_exempt_from_every_rate_limit(app):
    from flask_limiter import ExemptionScope

    from surveyapp.extensions import limiter

    for endpoint in ("ops.healthz", "ops.readyz", "ops.metrics_page"):
        assert limiter.limit_manager.exemption_scope(app, endpoint, "ops") != ExemptionScope.NONE


@pytest.fixture
def other_app(tmp_path):
    """An app of its own on a database the test chooses."""
    def build(**config):
        app = create_app({"TESTING": True, "SECRET_KEY": "x", **config})
        return app
    yield build


def test_readyz_503_when_the_database_is_not_migrated(other_app, tmp_path):
    app = other_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with app.app_context():
        response = app.test_client().get("/readyz")
        _db.engine.dispose()
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.get_json() == {"status": "unavailable", "reason": "database not migrated"}


def test_readyz_503_when_the_database_is_unreachable(other_app):
    app = other_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    with app.app_context():
        response = app.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 503 and body["reason"].startswith("database unreachable")
    assert response.headers["Retry-After"] == "5"
    assert "secret" not in response.get_data(as_text=True) and "nobody" not in response.get_data(as_text=True)


def test_readyz_503_when_redis_is_configured_but_unreachable(app, client):
    app.config["LIVE_REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["reason"] == "redis unreachable (ConnectionError)"
