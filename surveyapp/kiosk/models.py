"""Kiosk devices (a shared tablet answering one questionnaire) and what each of their submissions was.

A device is known by a random token in its `kiosk` cookie, stored here only as a SHA-256 hash (the token has
256 bits of entropy: a slow hash would buy nothing). Leaving kiosk mode on the tablet needs the staff PIN,
stored as a password hash; wrong PINs count up to a lock-out.
"""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import one_of, utcnow
from surveyapp.extensions import db

ON_IDLE = ("discard", "submit")


class KioskDevice(db.Model):
    __tablename__ = "kiosk_devices"
    __table_args__ = (one_of("on_idle", ON_IDLE),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(255))
    idle_seconds: Mapped[int] = mapped_column(Integer)
    on_idle: Mapped[str] = mapped_column(String(10))
    restart_seconds: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # wrong PINs in a row, and until when leaving is refused after too many
    pin_failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    questionnaire = relationship("Questionnaire")
    creator = relationship("User")


class KioskSubmission(db.Model):
    """The kiosk side of a response (its channel): which device, and how long the respondent took by the
    device's clock. The response's key is the client UUID the device gave the submission."""

    __tablename__ = "kiosk_submissions"

    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("kiosk_devices.id", ondelete="CASCADE"), index=True)
    seconds: Mapped[int | None] = mapped_column(Integer)  # from showing the blank page to sending it
    idle: Mapped[bool] = mapped_column(Boolean, default=False)  # submitted partly at the idle timeout
