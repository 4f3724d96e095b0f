"""Staff accounts: creation and authentication."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from surveyapp.accounts.models import Membership, Role, User
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme

MIN_PASSWORD_LENGTH = 10


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def create_user(email: str, password: str, role: Role, programme_code: str | None = None) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if find_user(email):
        raise DomainError(_l("A user with this e-mail already exists."))
    user = User(email=email.strip().lower(), is_admin=role is Role.ADMIN)
    user.set_password(password)
    db.session.add(user)
    if role is not Role.ADMIN:
        grant(user, programme_code, role)
    db.session.flush()
    return user


def grant(user: User, programme_code: str | None, role: Role) -> Membership:
    programme = db.session.scalar(select(Programme).where(Programme.code == programme_code))
    if programme is None:
        raise DomainError(_l("Managers and evaluators need an existing programme code."))
    membership = Membership(programme=programme, role=role)
    user.memberships.append(membership)
    return membership
