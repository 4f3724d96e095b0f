"""The wave plan of a programme, one invitation per participant and wave, and the log of every send attempt.

An invitation's state is a few timestamps plus `sends` (messages delivered: 1 = invitation, 2+ = reminders)
and `next_send_at` (when the dispatcher should send the next message; NULL when nothing more is due).
Editing the plan recomputes only what has not been sent, so nothing is sent twice.
"""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from surveyapp.questionnaires.models import Questionnaire, pick_text


class Wave(db.Model):
    __tablename__ = "waves"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="RESTRICT"))
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    offset_months: Mapped[int] = mapped_column(Integer, default=0)
    window_days: Mapped[int] = mapped_column(Integer, default=21)
    reminder_days: Mapped[list[int]] = mapped_column(JSON, default=list)
    max_reminders: Mapped[int] = mapped_column(Integer, default=2)
    # Cancelled after it sent mail (a wave that sent nothing is deleted instead): no further mail, history kept.
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    questionnaire: Mapped[Questionnaire] = relationship()
    texts: Mapped[list["WaveText"]] = relationship(cascade="all, delete-orphan")

    def text(self, key: str, lang: str) -> str:
        return pick_text(self.texts, key, lang, self.questionnaire.default_lang)


class WaveText(db.Model):
    """Per-programme wording of the e-mail ("message") in each language; gettext supplies the rest."""

    __tablename__ = "wave_texts"
    __table_args__ = (UniqueConstraint("wave_id", "key", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)


class Invitation(db.Model):
    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("wave_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    token_salt: Mapped[str] = mapped_column(String(40))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_send_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sends: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bounced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(300))

    wave: Mapped[Wave] = relationship()
    participant: Mapped[Participant] = relationship()


class SendAttempt(db.Model):
    """One row per claim, committed before the SMTP call: a crash leaves a trace, a resend is a retry."""

    __tablename__ = "send_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)  # 0 = invitation, n = n-th reminder
    attempt: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str] = mapped_column(String(80))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(String(300))
