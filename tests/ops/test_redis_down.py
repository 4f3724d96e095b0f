"""Redis unreachable: the rate limits fall back to each process's memory instead of failing every request."""
import pytest

from surveyapp import create_app
from surveyapp.extensions import db as _db
from tests.conftest import csrf_token

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down_app(_schema):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": _schema, "SECRET_KEY": "x",
                      "RATELIMIT_STORAGE_URI": DOWN, "LIVE_REDIS_URL": DOWN})
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()


def test_rate_limited_routes_answer_while_redis_is_down(redis_down_app, caplog):
    client = redis_down_app.test_client()
    token = csrf_token(client, "/login")
    login = client.post("/login", data={"csrf_token": token, "email": "nobody@example.org", "password": "wrong"})
    assert login.status_code in (200, 422)
    assert client.get("/i/not-a-token").status_code < 500
    assert client.get("/j/NOCODE").status_code < 500
