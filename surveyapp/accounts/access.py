"""Role checks for staff views: every staff view goes through one of these."""

from flask import abort
from flask_login import current_user, login_required

from surveyapp.accounts.models import Role
from surveyapp.extensions import db, login_manager

MANAGE = (Role.MANAGER,)
READ = (Role.MANAGER, Role.EVALUATOR)


@login_manager.user_loader
def _load_user(user_id: str):
    from surveyapp.accounts.models import User

    return db.session.get(User, int(user_id))


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
