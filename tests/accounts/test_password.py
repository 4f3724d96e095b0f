"""Changing one's own password at /account/password, and `flask users set-password/deactivate/activate`."""
import pytest

from surveyapp.accounts.models import Role, User
from tests.conftest import PASSWORD, csrf_token

NEW = "a brand new passphrase"


def _change(client, current=PASSWORD, new=NEW, confirm=None, token=True):
    data = {"current": current, "new": new, "confirm": new if confirm is None else confirm}
    if token:
        data["csrf_token"] = csrf_token(client, "/account/password")
    return client.post("/account/password", data=data)


def _reload(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_page_needs_a_login(client):
    assert client.get("/account/password").status_code == 302
    assert client.post("/account/password", data={}).status_code in (302, 400)


def test_change_keeps_this_session_and_ends_the_others(app, client, make, auth, db):
    user = make.user(Role.EVALUATOR)
    auth.login(user.email)
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    page = client.get("/account/password")
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.get_data(as_text=True)
    result = _change(client)
    assert result.status_code == 302 and result.location.endswith("/manage/")
    assert "Your password has been changed." in client.get("/manage/").get_data(as_text=True)
    assert other.get("/manage/").status_code == 302
    user = _reload(db, user)
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    auth.logout()
    assert auth.login(user.email, PASSWORD).status_code == 422
    assert auth.login(user.email, NEW).status_code == 302


@pytest.mark.parametrize(("current", "new", "confirm", "message"), [
    ("wrong password!", NEW, None, "The current password is wrong."),
    (PASSWORD, "short pw", None, "The password must have at least 12 characters."),
    (PASSWORD, "x" * 201, None, "Field cannot be longer than 200 characters."),
    (PASSWORD, NEW, NEW + "!", "The new passwords differ."),
    (PASSWORD, PASSWORD, None, "The new password must differ from the current one."),
    (PASSWORD, "EMAIL", None, "The password must not be the e-mail address."),
], ids=["wrong-current", "too-short", "too-long", "mismatch", "unchanged", "email"])
def test_refused_changes_say_why_and_change_nothing(client, make, auth, db, current, new, confirm, message):
    user = make.user(Role.MANAGER, email="a.long.address@example.org")
    new = user.email.upper() if new == "EMAIL" else new
    auth.login(user.email)
    result = _change(client, current, new, confirm)
    assert result.status_code == 422
    assert message in result.get_data(as_text=True)
    user = _reload(db, user)
    assert user.check_password(PASSWORD) and user.session_generation == 0
    assert client.get("/manage/").status_code == 200


def test_change_without_csrf_token_is_refused(client, make, auth, db):
    user = make.user(Role.MANAGER)
    auth.login(user.email)
    assert _change(client, token=False).status_code == 400
    assert _reload(db, user).check_password(PASSWORD)


def test_link_in_the_staff_header(client, make, auth):
    user = make.user(Role.MANAGER)
    auth.login(user.email)
    assert 'href="/account/password"' in client.get("/manage/").get_data(as_text=True)


def test_cli_set_password_ends_sessions(app, runner, client, make, auth, db):
    user = make.user(Role.MANAGER)
    auth.login(user.email)
    result = runner.invoke(args=["users", "set-password", user.email.upper(), "--password", NEW])
    assert result.exit_code == 0, result.output
    assert client.get("/manage/").status_code == 302
    assert _reload(db, user).check_password(NEW)


@pytest.mark.parametrize(("args", "message"), [
    (["users", "set-password", "nobody@example.org", "--password", NEW], "no account nobody@example.org"),
    (["users", "set-password", "EMAIL", "--password", "too short"], "at least 12 characters"),
    (["users", "deactivate", "nobody@example.org"], "no account nobody@example.org"),
], ids=["unknown", "short", "deactivate-unknown"])
def test_cli_errors(runner, make, db, args, message):
    user = make.user(Role.MANAGER)
    args = [user.email if arg == "EMAIL" else arg for arg in args]
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and message in result.output
    assert _reload(db, user).check_password(PASSWORD)


def test_cli_deactivate_and_activate(runner, client, make, auth, db):
    user = make.user(Role.EVALUATOR)
    auth.login(user.email)
    assert runner.invoke(args=["users", "deactivate", user.email]).exit_code == 0
    assert client.get("/manage/").status_code == 302
    assert auth.login(user.email).status_code == 422
    assert runner.invoke(args=["users", "activate", user.email]).exit_code == 0
    assert auth.login(user.email).status_code == 302


@pytest.mark.parametrize(("args", "action"), [
    (["users", "set-password", "EMAIL", "--password", NEW], "user.set_password"),
    (["users", "deactivate", "EMAIL"], "user.deactivate"),
    (["users", "activate", "EMAIL"], "user.activate"),
], ids=["set-password", "deactivate", "activate"])
def test_cli_account_changes_are_audited(runner, make, db, args, action):
    from sqlalchemy import select

    from surveyapp.audit.models import AuditEvent

    user = make.user(Role.MANAGER)
    assert runner.invoke(args=[user.email if arg == "EMAIL" else arg for arg in args]).exit_code == 0
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.target, event.actor) == (action, f"user:{user.id}", "cli")
