"""Hostile: replayed staff cookies after logout, a new password, deactivation or a role change; login and
password brute force; X-Forwarded-For spoofing. Each gives a refusal, changes no row and logs nothing secret."""
import time

import pytest

from surveyapp.accounts.access import SEEN_KEY
from surveyapp.accounts.models import Membership, Role
from tests.conftest import PASSWORD, Auth, csrf_token

NEW = "a brand new passphrase"
# Every family of staff routes: the builder, exports, reports, panel, translations.
ROUTES = {
    "manage": "/manage/",
    "questionnaire": "/manage/questionnaires/{q}",
    "export-csv": "/manage/questionnaires/{q}/export.csv",
    "export-xlsx": "/manage/questionnaires/{q}/export.xlsx",
    "report": "/manage/questionnaires/{q}/report",
    "report-pdf": "/manage/questionnaires/{q}/report.pdf",
    "programme-report": "/manage/programmes/{p}/report",
    "panel-csv": "/manage/programmes/{p}/panel.csv",
    "panel-sessions": "/manage/programmes/{p}/sessions",
    "translations": "/manage/questionnaires/{q}/translations/texts.xlsx",
}


@pytest.fixture
def stolen(app, client, make, auth):
    """A logged-in manager of a questionnaire, and a copy of their cookie taken while it was valid."""
    programme = make.programme()
    user = make.user(Role.MANAGER, programme=programme)
    questionnaire = make.questionnaire(programme)
    auth.login(user.email)
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    urls = {name: url.format(q=questionnaire.id, p=programme.id) for name, url in ROUTES.items()}
    assert thief.get(urls["manage"]).status_code == 200  # the copy works before
    return user, thief, urls


def _refused(response) -> bool:
    return response.status_code == 302 and "/login" in response.location


def _replay(thief, urls, row_counts, logs, *secrets):
    before = row_counts()
    for name, url in urls.items():
        assert _refused(thief.get(url)), name
    assert row_counts() == before
    logs.assert_clean(*secrets)


@pytest.mark.parametrize("route", ROUTES)
def test_cookie_replayed_after_logout(stolen, auth, row_counts, logs, route):
    user, thief, urls = stolen
    auth.logout()
    _replay(thief, {route: urls[route]}, row_counts, logs, PASSWORD)


@pytest.mark.parametrize("route", ["manage", "export-csv", "report", "panel-sessions"])
def test_cookie_replayed_after_password_change(stolen, client, row_counts, logs, route):
    user, thief, urls = stolen
    client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW,
                                           "csrf_token": csrf_token(client, "/account/password")})
    _replay(thief, {route: urls[route]}, row_counts, logs, PASSWORD, NEW)
    assert client.get(urls[route]).status_code == 200  # the session that changed it goes on


@pytest.mark.parametrize("route", ["manage", "export-xlsx", "report-pdf", "translations"])
def test_cookie_replayed_after_deactivation(stolen, runner, row_counts, logs, route):
    user, thief, urls = stolen
    assert runner.invoke(args=["users", "deactivate", user.email]).exit_code == 0
    _replay(thief, {route: urls[route]}, row_counts, logs, PASSWORD)


def test_cookie_replayed_after_role_removed(stolen, db, row_counts, logs):
    user, thief, urls = stolen
    user.memberships.clear()
    db.session.commit()
    _replay(thief, urls, row_counts, logs)


def test_cookie_replayed_after_cli_password_reset(stolen, runner, row_counts, logs):
    user, thief, urls = stolen
    assert runner.invoke(args=["users", "set-password", user.email, "--password", NEW]).exit_code == 0
    _replay(thief, urls, row_counts, logs, NEW)


def test_cookie_idle_beyond_the_staff_lifetime(stolen, monkeypatch, row_counts, logs):
    from surveyapp.accounts import access

    user, thief, urls = stolen
    later = time.time() + access.idle_lifetime().total_seconds() + 60
    monkeypatch.setattr(access.time, "time", lambda: later)
    _replay(thief, urls, row_counts, logs)


def test_cookie_from_before_session_generations(app, make, row_counts, logs):
    """A login cookie as issued before 0005 (plain user id, no generation) opens nothing."""
    user = make.user(Role.ADMIN)
    thief = app.test_client()
    with thief.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session[SEEN_KEY] = int(time.time())
    _replay(thief, {"manage": "/manage/"}, row_counts, logs)


def test_remember_cookie_is_not_a_way_in(app, make, row_counts, logs):
    """Remember-me is not offered; a remember cookie (valid signature, current generation) opens nothing."""
    from flask_login.utils import encode_cookie

    user = make.user(Role.ADMIN)
    thief = app.test_client()
    with app.test_request_context():
        thief.set_cookie("remember_token", encode_cookie(user.get_id()))
    _replay(thief, {"manage": "/manage/"}, row_counts, logs)


@pytest.mark.parametrize("user_id", ["1:0:0", "x:0", "1:-1", "", "1:99999999999999999999"])
def test_malformed_login_ids(app, make, row_counts, logs, user_id):
    make.user(Role.ADMIN)
    thief = app.test_client()
    with thief.session_transaction() as session:
        session["_user_id"] = user_id
        session[SEEN_KEY] = int(time.time())
    _replay(thief, {"manage": "/manage/"}, row_counts, logs)


def test_login_brute_force_is_limited(app, client, make, row_counts, logs):
    user = make.user(Role.ADMIN)
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    token = csrf_token(client, "/login")
    before = row_counts()
    guesses = [f"guess number {n}" for n in range(limit)]
    codes = [client.post("/login", data={"email": user.email, "password": guess, "csrf_token": token}).status_code
             for guess in guesses]
    last = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert codes == [422] * limit and last.status_code == 429  # even the right password, once limited
    assert client.get("/manage/").status_code == 302
    assert row_counts() == before
    logs.assert_clean(PASSWORD, *guesses)


def test_password_change_brute_force_is_limited(app, client, make, auth, db, row_counts, logs):
    user = make.user(Role.MANAGER)
    auth.login(user.email)
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    token = csrf_token(client, "/account/password")
    before = row_counts()
    codes = [client.post("/account/password", data={"current": f"guess number {n}", "new": NEW, "confirm": NEW,
                                                     "csrf_token": token}).status_code for n in range(limit + 1)]
    assert codes == [422] * limit + [429]
    db.session.expire_all()
    assert user.check_password(PASSWORD) and row_counts() == before
    logs.assert_clean(PASSWORD, NEW)


def test_spoofed_forwarded_for_does_not_bypass_the_login_limit(app, client, row_counts, logs):
    """No trusted proxy (the default): a fresh X-Forwarded-For per guess still counts against one address."""
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    token = csrf_token(client, "/login")
    before = row_counts()
    codes = [client.post("/login", headers={"X-Forwarded-For": f"198.51.100.{n}"},
                         data={"email": "x@example.org", "password": "wrong password", "csrf_token": token}).status_code
             for n in range(limit + 1)]
    assert codes == [422] * limit + [429]
    assert row_counts() == before
    logs.assert_clean("wrong password")


def test_logout_without_csrf_token_is_refused(app, client, make, auth, row_counts):
    """A foreign page cannot log staff out (nor bump their generation) by posting to /logout."""
    user = make.user(Role.MANAGER)
    auth.login(user.email)
    before = row_counts()
    assert client.post("/logout").status_code == 400
    assert client.get("/manage/").status_code == 200 and row_counts() == before


def test_other_membership_is_unaffected(app, make, db):
    """Ending one user's sessions leaves another user's alone."""
    programme = make.programme()
    first, second = make.user(Role.MANAGER, programme=programme), make.user(Role.MANAGER, programme=programme)
    one, two = app.test_client(), app.test_client()
    Auth(one).login(first.email)
    Auth(two).login(second.email)
    db.session.delete(db.session.get(Membership, first.memberships[0].id))
    db.session.commit()
    assert one.get("/manage/").status_code == 302 and two.get("/manage/").status_code == 200


@pytest.mark.parametrize("email", ["", "notanemail", "bad\nline@example.org", "x@example.org\r\nBcc: y@example.org",
                                   "a@b", "<script>@example.org"],
                         ids=["empty", "no-at", "newline", "crlf-header", "no-dot", "markup"])
def test_cli_refuses_a_hostile_staff_address_and_creates_no_account(runner, row_counts, logs, email):
    before = row_counts()
    result = runner.invoke(args=["users", "create", email, "--role", "admin", "--password", "long enough pw"])
    assert result.exit_code == 1 and "Not a valid e-mail address" in result.output
    assert "Traceback" not in result.output
    assert row_counts() == before
    logs.assert_clean("long enough pw")
