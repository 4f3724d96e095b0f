"""A login ends for every copy of its cookie: logout, a new password, deactivation, a role change, idle time."""
import time

import pytest
from sqlalchemy import select

from surveyapp.accounts import access
from surveyapp.accounts.models import Membership, Role, User
from surveyapp.accounts.service import set_active, set_password

NEW_PASSWORD = "a brand new passphrase"


def _copy(app, client):
    """A second browser holding a copy of `client`'s session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _opens_manage(client) -> bool:
    return client.get("/manage/").status_code == 200


def test_logout_ends_every_copy_and_every_device(app, client, make, auth):
    user = make.user(Role.MANAGER)
    other_device = app.test_client()
    from tests.conftest import Auth

    Auth(other_device).login(user.email)
    auth.login(user.email)
    copy = _copy(app, client)
    assert _opens_manage(copy) and _opens_manage(other_device)
    auth.logout()
    assert not _opens_manage(copy) and not _opens_manage(other_device) and not _opens_manage(client)
    assert auth.login(user.email).status_code == 302  # a new login works, with the new generation
    assert _opens_manage(client) and not _opens_manage(copy)


def test_login_id_carries_the_generation(app, make, db):
    user = make.user(Role.EVALUATOR)
    assert user.get_id() == f"{user.id}:0"
    user.end_sessions()
    db.session.commit()
    assert user.get_id() == f"{user.id}:1"


@pytest.mark.parametrize("change", ["password", "deactivate", "admin", "membership_role", "membership_removed",
                                    "membership_deleted"])
def test_account_changes_bump_the_generation(make, db, change):
    user = make.user(Role.MANAGER)
    before = user.session_generation
    if change == "password":
        set_password(user, NEW_PASSWORD)
    elif change == "deactivate":
        set_active(user, False)
    elif change == "admin":
        user.is_admin = True
    elif change == "membership_role":
        user.memberships[0].role = Role.EVALUATOR
    elif change == "membership_removed":
        user.memberships.clear()
    else:
        db.session.delete(db.session.scalar(select(Membership).where(Membership.user_id == user.id)))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).session_generation == before + 1


def test_new_accounts_grants_and_unrelated_flushes_leave_the_generation_alone(make, db):
    user = make.user(Role.MANAGER)
    make.questionnaire(user.memberships[0].programme)
    db.session.add(Membership(user_id=user.id, programme_id=make.programme().id, role=Role.EVALUATOR))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).session_generation == 0


def test_role_change_ends_the_session(app, client, make, auth, db):
    user = make.user(Role.MANAGER)
    auth.login(user.email)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    membership.role = Role.EVALUATOR
    db.session.commit()
    assert not _opens_manage(client)


def test_idle_session_ends_after_the_staff_lifetime(app, client, make, auth, monkeypatch):
    user = make.user(Role.MANAGER)
    auth.login(user.email)
    lifetime = access.idle_lifetime().total_seconds()
    assert lifetime == 12 * 3600
    start = time.time()
    monkeypatch.setattr(access.time, "time", lambda: start + lifetime - 120)
    assert _opens_manage(client)  # a request renews the stamp: the limit is on idle time
    monkeypatch.setattr(access.time, "time", lambda: start + 2 * lifetime - 180)
    assert _opens_manage(client)
    monkeypatch.setattr(access.time, "time", lambda: start + 3 * lifetime)
    assert not _opens_manage(client)


def test_idle_lifetime_from_the_environment(monkeypatch, tmp_path):
    from surveyapp import create_app

    monkeypatch.setenv("SURVEYAPP_STAFF_SESSION_IDLE_LIFETIME", "900")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    with app.app_context():
        assert access.idle_lifetime().total_seconds() == 900
