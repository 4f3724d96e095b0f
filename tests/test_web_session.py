"""The signed session cookie's serializer is built once per set of keys (web._SessionInterface), never reused
across a key change: a new SECRET_KEY refuses cookies signed with the old one unless it is a fallback."""
import pytest
from itsdangerous import BadSignature


def test_the_signing_serializer_is_built_once_per_set_of_keys(app):
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    cookie = first.dumps({"ui_lang": "de"})
    old_key = app.secret_key
    app.config["SECRET_KEY"] = "another-" + "k" * 32
    with pytest.raises(BadSignature):
        interface.get_signing_serializer(app).loads(cookie)
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert interface.get_signing_serializer(app).loads(cookie) == {"ui_lang": "de"}


def test_a_session_value_survives_between_requests(client):
    client.get("/login?ui=de")  # select_locale keeps the chosen interface language in the session
    assert 'lang="de"' in client.get("/login").get_data(as_text=True)
