"""One audit event per staff action. Rows are never updated or deleted by the app (a trigger refuses it)."""
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.db import utcnow
from surveyapp.extensions import db

OUTCOMES = ("ok", "refused")


class AuditEvent(db.Model):
    """`seq` orders the chain (unique: two writers can never both append the same link); `hash` is the SHA-256
    of the event's canonical form including `prev_hash` (see service.canonical)."""

    __tablename__ = "audit_events"
    __table_args__ = (CheckConstraint("outcome IN ('ok', 'refused')", name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: events outlive their accounts
    actor: Mapped[str] = mapped_column(String(254), default="")  # e-mail snapshot, or "cli"
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(120), default="")
    outcome: Mapped[str] = mapped_column(String(10), default="ok")
    detail: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON, never answers or contact data
    ip: Mapped[str] = mapped_column(String(45), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
