"""Role checks for staff views: every staff view goes through one of these. Also where a login is loaded."""
import time
from datetime import timedelta

from flask import abort, current_app, session
from flask_login import current_user, login_required, login_user

from surveyapp.accounts.models import Role
from surveyapp.extensions import db, login_manager

MANAGE = (Role.MANAGER,)
READ = (Role.MANAGER, Role.EVALUATOR)
SEEN_KEY = "_staff_seen"  # epoch seconds of the last request of this login (idle limit)
SEEN_RESOLUTION = 60  # re-sign the cookie at most once a minute for the stamp alone


def start_session(user) -> None:
    """Log `user` in on this client with their current session generation (login, or after a new password)."""
    login_user(user)
    session[SEEN_KEY] = int(time.time())


@login_manager.user_loader
def _load_user(user_id: str):
    """The user of this login, or None when it was ended (generation bumped, deactivated) or idle too long."""
    from surveyapp.accounts.models import User

    uid, _, generation = user_id.partition(":")
    if not (uid.isdigit() and generation.isdigit()) or _idle_expired():
        return None
    user = db.session.get(User, int(uid))
    if user is None or not user.is_active or user.session_generation != int(generation):
        return None
    _touch()
    return user


def _idle_expired() -> bool:
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int):
        return True  # not made by start_session (remember-me is not offered): refuse
    return time.time() - seen > idle_lifetime().total_seconds()


def _touch() -> None:
    now = int(time.time())
    if now - session.get(SEEN_KEY, 0) >= SEEN_RESOLUTION:
        session[SEEN_KEY] = now


def idle_lifetime() -> timedelta:
    value = current_app.config["STAFF_SESSION_IDLE_LIFETIME"]
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def staff_required(view):
    """Any logged-in staff member; per-object checks use `require`."""
    return login_required(view)


def require(programme_id: int, roles=READ) -> None:
    if not current_user.is_authenticated or not current_user.can(programme_id, *roles):
        abort(403)


def visible_programme_ids() -> list[int] | None:
    """None means all (admins)."""
    if current_user.is_admin:
        return None
    return [m.programme_id for m in current_user.memberships]
