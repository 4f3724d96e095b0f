"""Brute force and guessing: login, invitation links (/i/<token>) and enrolment codes (/e/<code>) answer 429 past the
configured limit (counted per client address); a random, truncated or over-long token or code gets the very same 404
as any other wrong one, so an answer tells nothing about how close a guess was."""
import itertools
import secrets

import pytest

from tests.conftest import csrf_token
from tests.security import world

_address = itertools.count(1)


def _client(app):
    """A client with an address of its own: the limiter's in-memory counts outlive one test's app."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"198.51.100.{next(_address) % 250 + 1}"
    return client


def _data(row_counts) -> dict:
    return row_counts(audit=False)


@pytest.fixture
def own(db, make):
    return world.build(db, make, "own")


def test_login_is_limited(app, make, row_counts, logs):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    user = make.user()
    client = _client(app)
    token = csrf_token(client, "/login")
    before = _data(row_counts)
    tries = [client.post("/login", data={"email": user.email, "password": f"guess {n}", "csrf_token": token})
             for n in range(3)]
    assert all(r.status_code in (200, 401, 422) for r in tries)
    assert client.post("/login", data={"email": user.email, "password": "guess 4", "csrf_token": token}
                       ).status_code == 429
    from tests.conftest import PASSWORD

    # the right password does not get through the limit either
    assert client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
                       ).status_code == 429
    assert client.get("/manage/").status_code == 302
    assert _data(row_counts) == before
    logs.assert_clean(PASSWORD, "guess 4")


@pytest.mark.parametrize("route", ["/i/{}", "/e/{}", "/i/{}/unsubscribe"])
def test_guessing_links_is_limited(app, own, row_counts, logs, route):
    app.config["TOKEN_RATE_LIMIT"] = "5 per minute"
    client = _client(app)
    before = _data(row_counts)
    statuses = [client.get(route.format(secrets.token_urlsafe(16))).status_code for _ in range(5)]
    assert statuses == [404] * 5
    real = own.ids["code"] if route.startswith("/e/") else own.ids["token"]
    assert client.get(route.format(real)).status_code == 429, "the limit holds for a right guess too"
    assert _data(row_counts) == before
    logs.assert_clean(real)


def _variants(real: str) -> dict[str, str]:
    return {"random": secrets.token_urlsafe(len(real)), "truncated": real[:-1], "one-changed":
            real[:-1] + ("A" if real[-1] != "A" else "B"), "over-long": real + "A" * 500, "doubled": real * 2,
            "dots": "..", "sql": "' OR '1'='1", "unicode": "ä" * len(real)}


@pytest.mark.parametrize("variant", list(_variants("abcdef")))
@pytest.mark.parametrize("kind", ["token", "code"])
def test_wrong_tokens_and_codes_look_alike(app, own, row_counts, logs, kind, variant):
    client = _client(app)
    prefix = "/i/" if kind == "token" else "/e/"
    real = own.ids[kind]
    before = _data(row_counts)
    reference = client.get(prefix + secrets.token_urlsafe(12))
    response = client.get(prefix + _variants(real)[variant])
    assert response.status_code == reference.status_code == 404
    assert response.get_data() == reference.get_data()
    assert client.get(prefix + real).status_code in (200, 410)  # recognised (the demo wave may be closed)
    assert _data(row_counts) == before
    logs.assert_clean(real)
