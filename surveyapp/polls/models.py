"""Live workshop polls: a session (joined by a short code) holds ordered polls; anonymous votes, one per browser.

A voter is the SHA-256 of a random cookie token, never the token itself and never an address: the table cannot
tell who voted, only that one browser voted once (a re-vote replaces its vote).
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import one_of, utcnow
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme


class Kind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    RATING = "rating"
    RANKING = "ranking"
    WORDS = "words"


class State(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    REVEALED = "revealed"


KINDS = tuple(kind.value for kind in Kind)
STATES = tuple(state.value for state in State)
WITH_OPTIONS = (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING)


class PollSession(db.Model):
    """A workshop's polls, joined at /j/<code>; a closed session's code answers like an unknown one."""

    __tablename__ = "poll_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(6), unique=True)
    lang: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    programme: Mapped[Programme] = relationship()
    polls: Mapped[list["Poll"]] = relationship(back_populates="session", order_by="Poll.position",
                                               cascade="all, delete-orphan")


class Poll(db.Model):
    __tablename__ = "polls"
    __table_args__ = (one_of("kind", KINDS), one_of("state", STATES),
                      UniqueConstraint("session_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("poll_sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    question: Mapped[str] = mapped_column(String(500))
    max_choices: Mapped[int | None] = mapped_column(Integer)  # multiple choice: at most this many
    scale: Mapped[int | None] = mapped_column(Integer)  # rating: 1 to this
    state: Mapped[str] = mapped_column(String(10), default=State.DRAFT.value)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    session: Mapped[PollSession] = relationship(back_populates="polls")
    options: Mapped[list["PollOption"]] = relationship(back_populates="poll", order_by="PollOption.position",
                                                       cascade="all, delete-orphan")

    @property
    def programme_id(self) -> int:
        return self.session.programme_id


class PollOption(db.Model):
    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))

    poll: Mapped[Poll] = relationship(back_populates="options")


class Vote(db.Model):
    """One browser's vote on one poll: `voter` is the hash of its cookie token; `payload` depends on the kind
    (service.validate_vote)."""

    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("poll_id", "voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    voter: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:  # no voter hash in logs
        return f"<Vote {self.id} on poll {self.poll_id}>"


class WordModeration(db.Model):
    """A facilitator's decision on a normalised word of a word cloud: hidden words leave every chart."""

    __tablename__ = "poll_word_moderations"
    __table_args__ = (UniqueConstraint("poll_id", "word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    word: Mapped[str] = mapped_column(String(40))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
