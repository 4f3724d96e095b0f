"""A checklist of items scored yes / no / n/a or 1–5, and the visits mystery shoppers record against it.

One language per checklist (`lang`): its title and item texts are written in it, and its report speaks it.
"""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import one_of, utcnow
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme

CHANNELS = ("web", "phone", "counter")
KINDS = ("yes_no_na", "rating_1_5")
YES_NO_NA = ("yes", "no", "na")
RATINGS = ("1", "2", "3", "4", "5")
VALUES = {"yes_no_na": YES_NO_NA, "rating_1_5": RATINGS}


class Checklist(db.Model):
    __tablename__ = "mystery_checklists"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(20))
    channels: Mapped[str] = mapped_column(String(60))  # CHANNELS offered, comma-separated, in CHANNELS order
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    programme: Mapped[Programme] = relationship()
    items: Mapped[list["ChecklistItem"]] = relationship(
        back_populates="checklist", cascade="all, delete-orphan", order_by="ChecklistItem.position")
    visits: Mapped[list["Visit"]] = relationship(
        back_populates="checklist", cascade="all, delete-orphan", order_by="Visit.visited_at")

    @property
    def channel_list(self) -> list[str]:
        return [channel for channel in self.channels.split(",") if channel]


class ChecklistItem(db.Model):
    __tablename__ = "mystery_items"
    __table_args__ = (UniqueConstraint("checklist_id", "code"), one_of("kind", KINDS))

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("mystery_checklists.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # one of KINDS
    points: Mapped[int] = mapped_column(Integer, default=1)
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False)

    checklist: Mapped[Checklist] = relationship(back_populates="items")


class Visit(db.Model):
    __tablename__ = "mystery_visits"
    __table_args__ = (one_of("channel", CHANNELS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("mystery_checklists.id", ondelete="CASCADE"), index=True)
    shopper_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    scenario: Mapped[str] = mapped_column(String(200))  # what the shopper asked for; visits compare within one
    visited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    checklist: Mapped[Checklist] = relationship(back_populates="visits")
    answers: Mapped[list["VisitAnswer"]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitAnswer.item_id")


class VisitAnswer(db.Model):
    __tablename__ = "mystery_answers"
    __table_args__ = (UniqueConstraint("visit_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("mystery_visits.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("mystery_items.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(String(3))  # one of VALUES[item.kind]
    evidence: Mapped[str] = mapped_column(Text, default="")

    visit: Mapped[Visit] = relationship(back_populates="answers")
    item: Mapped[ChecklistItem] = relationship()
