"""Staff accounts: creation, authentication, passwords and ending sessions."""
import secrets
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from surveyapp.accounts.models import Membership, Role, User
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200


class PasswordError(DomainError):
    status_code = 422

    def __init__(self, message, field: str = "new"):
        super().__init__(message)
        self.field = field  # the form field the message belongs to


class EmailError(DomainError):
    status_code = 422


def normalise_email(email: str) -> str:
    """A new account's address checked with email-validator and written as the login looks it up (lower case).

    Raises EmailError with the validator's reason. Lookups of existing accounts do not validate, so an older
    account with an odd address can still be found, locked or given a new password.
    """
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        # the reason names a bad character as U+000A; the address itself is not echoed (it may hold a line break)
        raise EmailError(_l("Not a valid e-mail address: %(reason)s", reason=str(error))) from None


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None, after the same work in every case.

    An unknown e-mail is checked against a dummy hash made the same way, so the answer time does not tell
    whether an account exists; an inactive account's password is checked before its status for the same reason.
    """
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))


def check_new_password(email: str, password: str) -> None:
    """Raise PasswordError unless `password` is acceptable for the account `email`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordError(_l("The password must have at most %(n)d characters.", n=MAX_PASSWORD_LENGTH))
    if password.strip().casefold() == email.strip().casefold():
        raise PasswordError(_l("The password must not be the e-mail address."))


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: needs the current password; ends every session of the user (flush, no commit)."""
    if not user.check_password(current):
        raise PasswordError(_l("The current password is wrong."), field="current")
    if new == current:
        raise PasswordError(_l("The new password must differ from the current one."))
    set_password(user, new)


def set_password(user: User, password: str) -> None:
    """Set a new password (also by an administrator); every session of the user ends with the flush."""
    check_new_password(user.email, password)
    user.set_password(password)
    user.end_sessions()
    db.session.flush()


def set_active(user: User, active: bool) -> None:
    """(De)activate an account; deactivation ends every session at once."""
    user.active = active
    user.end_sessions()
    db.session.flush()


def end_sessions(user: User) -> None:
    """Log the user out everywhere (logout ends every copy of every session, not only this cookie)."""
    user.end_sessions()
    db.session.flush()


def create_user(email: str, password: str, role: Role, programme_code: str | None = None) -> User:
    check_new_password(email, password)
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
