"""Staff accounts. Admins see everything; managers and evaluators act through per-programme memberships.

A login lives in a signed cookie, so the server cannot delete it. Instead each user has a session generation,
carried in the login's id (`get_id`, "<id>:<generation>"); the user loader refuses any other generation.
Logging out, a new password, deactivation and a role changed or removed bump it (`_bump_generations`, on every flush),
which ends every copy of every session and remember cookie of that user at once.
"""
import enum

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from surveyapp.extensions import db
from surveyapp.programmes.models import Programme


class Role(enum.StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    EVALUATOR = "evaluator"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    def end_sessions(self) -> None:
        """Invalidate every session of this user, this one included (a new login gets the new generation)."""
        self.session_generation = (self.session_generation or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def role_in(self, programme_id: int) -> Role | None:
        if self.is_admin:
            return Role.ADMIN
        for membership in self.memberships:
            if membership.programme_id == programme_id:
                return membership.role
        return None

    def can(self, programme_id: int, *roles: Role) -> bool:
        """True for admins and for members holding one of `roles` in that programme."""
        role = self.role_in(programme_id)
        return role is Role.ADMIN or (role is not None and role in roles)


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20, create_constraint=True, name="role",
                                            values_callable=lambda e: [m.value for m in e]))
    user: Mapped[User] = relationship(back_populates="memberships")
    programme: Mapped[Programme] = relationship()


# Changes that must end every session of the user: who they are, whether they may log in, what they may do.
# A membership added only grants more, so it leaves sessions alone; one changed or removed ends them.
_SESSION_ATTRIBUTES = ("password_hash", "active", "is_admin", "email")


@event.listens_for(Session, "before_flush")
def _bump_generations(session, _context, _instances) -> None:
    """Bump the session generation of every user whose password, status or roles change in this flush."""
    users = set()
    for obj in session.dirty:
        if isinstance(obj, User) and (_changed(obj, _SESSION_ATTRIBUTES)
                                      or inspect(obj).attrs.memberships.history.deleted):
            users.add(obj)
        elif isinstance(obj, Membership) and _changed(obj, ("role", "programme_id", "user_id")):
            users.add(_user_of(session, obj))
    for obj in session.deleted:
        if isinstance(obj, Membership):
            users.add(_user_of(session, obj))
    for user in users:
        if (user is not None and inspect(user).persistent and user not in session.deleted
                and not _changed(user, ("session_generation",))):
            user.end_sessions()


def _user_of(session, membership: "Membership") -> User | None:
    if membership.user is not None:
        return membership.user
    return session.get(User, membership.user_id) if membership.user_id else None


def _changed(obj, attributes) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)
