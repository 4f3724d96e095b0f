"""Responses and answers. Answers hold option codes and raw values, never labels: they are language-independent."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import utcnow
from surveyapp.extensions import db


class Response(db.Model):
    __tablename__ = "responses"
    # an imported row is stored once per questionnaire (NULL keys, answers given here, never clash)
    __table_args__ = (Index("ix_responses_questionnaire_id_import_key", "questionnaire_id", "import_key",
                            unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    lang: Mapped[str] = mapped_column(String(20))
    page: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # The questionnaire version the answers were given on (questionnaires.versions): what they mean.
    questionnaire_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set only for answers given through a personal invitation (follow-up waves): the panel code, never a contact.
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), index=True)
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id", ondelete="SET NULL"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"), unique=True)
    # Set only for responses imported from earlier data collection (response_import): the source file or batch
    # label, and a stable key of the imported row (importing the same file again stores nothing twice).
    imported_from: Mapped[str | None] = mapped_column(String(200))
    import_key: Mapped[str | None] = mapped_column(String(64))
    # Implausible submissions (a kiosk's too fast or repeated answers, kiosk.flags): left out of reports by default.
    flagged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    flag_reason: Mapped[str | None] = mapped_column(String(20))

    # by name: this package sits below questionnaires, which asks it whether a questionnaire has answers
    questionnaire = relationship("Questionnaire")
    answers: Mapped[list["Answer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    """One stored value; a multiple-choice item keeps one row per chosen option."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
