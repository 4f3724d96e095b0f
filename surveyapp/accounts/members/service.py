"""Add, re-role and remove programme members. Services flush; the caller commits (and records the change).

A programme's admin-role members administer its members; site administrators (User.is_admin, and the command
line) administer every programme. So the programme's last admin-role member can be removed or demoted only by a
site administrator: a programme admin cannot lock the programme out of its own administration by mistake,
while a site administrator, who can always add one back, is not blocked when that person leaves.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from surveyapp.accounts.models import Membership, Role, User
from surveyapp.accounts.service import find_user
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme


class MemberError(DomainError):
    status_code = 422


def members_of(programme: Programme) -> list[Membership]:
    """The programme's memberships with their accounts, by e-mail address."""
    return list(db.session.scalars(
        select(Membership).join(Membership.user).options(joinedload(Membership.user))
        .where(Membership.programme_id == programme.id).order_by(User.email)))


def add_member(programme: Programme, email: str, role: Role) -> Membership:
    """Give the existing account `email` a role in the programme (accounts are created by a site administrator)."""
    user = find_user(email or "")
    if user is None:
        raise MemberError(_l("There is no staff account with this e-mail address. A site administrator creates "
                             "accounts (flask users create); then add it here."))
    if any(membership.programme_id == programme.id for membership in user.memberships):
        raise MemberError(_l("%(email)s is a member already: change the role in the list of members.",
                             email=user.email))
    membership = Membership(user=user, programme_id=programme.id, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def set_role(membership: Membership, role: Role, *, actor: User | None) -> bool:
    """Change the member's role (ending their sessions); False when it is the same. `actor` None: the CLI."""
    if membership.role is role:
        return False
    _keep_an_admin(membership, actor)
    membership.role = role
    db.session.flush()
    return True


def remove_member(membership: Membership, *, actor: User | None) -> None:
    """Take the member's role in the programme away (ending their sessions); their account stays."""
    _keep_an_admin(membership, actor)
    db.session.delete(membership)
    db.session.flush()


def find_membership(programme: Programme, email: str) -> Membership | None:
    user = find_user(email or "")
    return next((m for m in user.memberships if m.programme_id == programme.id), None) if user else None


def _keep_an_admin(membership: Membership, actor: User | None) -> None:
    if membership.role is not Role.ADMIN or actor is None or actor.is_admin:
        return
    admins = db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.programme_id == membership.programme_id, Membership.role == Role.ADMIN))
    if admins <= 1:
        raise MemberError(_l("%(email)s is the programme's last admin: make another member admin first, or ask "
                             "a site administrator.", email=membership.user.email))
