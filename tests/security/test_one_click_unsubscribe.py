"""One-click unsubscribe (RFC 8058): the mail provider's POST of `List-Unsubscribe=One-Click` to the address in
the List-Unsubscribe header needs no CSRF token, and that exact request is the only exemption: any other POST
there, and that body sent to the unsubscribe page, are refused and change nothing. Unknown tokens get the
404 of every personal link; the route is limited like them."""
import itertools
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from surveyapp.db import utcnow
from surveyapp.participants.models import Contact, Participant
from surveyapp.waves.dispatch import dispatch_due
from tests.waves.test_invitations import setup_wave

ONE_CLICK = "List-Unsubscribe=One-Click"
FORM = "application/x-www-form-urlencoded"
_address = itertools.count(1)


@pytest.fixture
def panel(db, make, smtp):
    """(anna, ben, {address: the path of their letter's List-Unsubscribe header})."""
    *_, anna, ben = setup_wave(db, make)
    dispatch_due()
    paths = {}
    for person in ("anna@example.org", "ben@example.org"):
        letter = smtp.to(person)[0]
        assert letter["List-Unsubscribe-Post"] == ONE_CLICK
        paths[person] = urlsplit(letter["List-Unsubscribe"].strip("<>")).path
    return anna, ben, paths


def unsubscribed(db, participant) -> bool:
    db.session.expire_all()
    return db.session.get(Participant, participant.id).unsubscribed_at is not None


def test_one_click_post_without_csrf_unsubscribes_at_once(db, client, smtp, panel):
    anna, ben, paths = panel
    path = paths["anna@example.org"]
    assert path.endswith("/unsubscribe/one-click")
    response = client.post(path, data=ONE_CLICK, content_type=FORM)
    assert response.status_code == 200 and unsubscribed(db, anna) and not unsubscribed(db, ben)
    assert db.session.get(Contact, anna.id).email is None
    first = db.session.get(Participant, anna.id).unsubscribed_at
    assert client.post(path, data=ONE_CLICK, content_type=FORM).status_code == 200  # idempotent
    assert db.session.get(Participant, anna.id).unsubscribed_at == first
    # providers may send it as multipart/form-data too
    assert client.post(paths["ben@example.org"], data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert unsubscribed(db, ben)
    assert dispatch_due(now=utcnow() + timedelta(days=8)).sent == 0  # no reminder to either


@pytest.mark.parametrize("body", ["", "List-Unsubscribe=Yes", "one-click=1", "csrf_token=forged"])
def test_any_other_post_to_the_one_click_address_is_refused(db, client, panel, body):
    anna, _ben, paths = panel
    response = client.post(paths["anna@example.org"], data=body, content_type=FORM)
    assert response.status_code == 400 and not unsubscribed(db, anna)


def test_the_exemption_does_not_reach_the_unsubscribe_page(db, client, panel):
    anna, _ben, paths = panel
    page = paths["anna@example.org"].removesuffix("/one-click")
    assert client.post(page, data=ONE_CLICK, content_type=FORM).status_code == 400
    assert not unsubscribed(db, anna)


def test_opening_the_one_click_address_asks_first(db, client, panel):
    anna, _ben, paths = panel
    response = client.get(paths["anna@example.org"])
    assert response.status_code == 302 and response.location.endswith("/unsubscribe")
    assert not unsubscribed(db, anna)


def test_unknown_token_is_the_404_of_every_personal_link(client, panel):
    token = secrets.token_urlsafe(32)
    refused = client.post(f"/i/{token}/unsubscribe/one-click", data=ONE_CLICK, content_type=FORM)
    assert refused.status_code == 404
    assert refused.get_data() == client.get(f"/i/{token}").get_data()


def test_one_click_is_rate_limited_like_other_token_routes(app, db, panel):
    anna, _ben, paths = panel
    app.config["TOKEN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"203.0.113.{next(_address) % 250 + 1}"
    guesses = [client.post(f"/i/{secrets.token_urlsafe(32)}/unsubscribe/one-click", data=ONE_CLICK,
                           content_type=FORM).status_code for _ in range(3)]
    assert guesses == [404] * 3
    assert client.post(paths["anna@example.org"], data=ONE_CLICK, content_type=FORM).status_code == 429
    assert not unsubscribed(db, anna)
