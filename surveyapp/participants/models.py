"""Sessions and participants. A participant is a panel code; who they are lives only in `Contact`.

Answers link to `Participant` (the code), never to `Contact`: exports, reports and logs never join contacts.
"""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import one_of, utcnow
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme

CONSENT_SOURCES = ("self", "roster", "manual")  # enrolment link, roster import, added by a manager


IMPORTED_ENROLMENT = "imported-"  # enrol_code prefix of a session standing for imported answers: no enrolment


class TrainingSession(db.Model):
    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    trainer: Mapped[str] = mapped_column(String(200), default="")
    enrol_code: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    programme: Mapped[Programme] = relationship()
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="session", order_by="Participant.id"
    )

    @property
    def enrolment_open(self) -> bool:
        """False for the session of an import's historical panel: nobody enrols in data collected elsewhere."""
        return not self.enrol_code.startswith(IMPORTED_ENROLMENT)


class Participant(db.Model):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    panel_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Tombstone: contact data, links and send log removed (erasure or retention); the code stays for reports.
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    session: Mapped[TrainingSession] = relationship(back_populates="participants")
    contact: Mapped["Contact | None"] = relationship(cascade="all, delete-orphan", uselist=False)
    consents: Mapped[list["Consent"]] = relationship(cascade="all, delete-orphan", order_by="Consent.id")

    @property
    def active_consent(self) -> "Consent | None":
        return next((c for c in reversed(self.consents) if c.withdrawn_at is None), None)


class Contact(db.Model):
    """Personal data: read only by the programme's managers, never exported, reported or logged."""

    __tablename__ = "contacts"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(20))

    def __repr__(self) -> str:  # never leak the address into logs or tracebacks
        return f"<Contact of participant {self.participant_id}>"


class Consent(db.Model):
    """What was agreed (scope), when, to which text version, and how; withdrawable, never deleted."""

    __tablename__ = "consents"
    __table_args__ = (one_of("source", CONSENT_SOURCES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(40), default="follow_up")
    text_version: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))  # one of CONSENT_SOURCES
    statement: Mapped[str] = mapped_column(Text, default="")
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
