"""Staff accounts. Admins see everything; managers and evaluators act through per-programme memberships."""
import enum

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
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
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:
        return self.active

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
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20,
                                            values_callable=lambda e: [m.value for m in e]))
    user: Mapped[User] = relationship(back_populates="memberships")
    programme: Mapped[Programme] = relationship()
