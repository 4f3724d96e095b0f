"""A programme is the unit of ownership: questionnaires, staff memberships and (later) sessions belong to one."""
from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.extensions import db


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Months after a participant's last answering window closed until their contact data is purged (None: keep);
    # see surveyapp/gdpr/service.py purge_contacts.
    contact_retention_months: Mapped[int | None] = mapped_column(Integer)
    # The outcome-pathway model its items' stages follow (programmes.pathways.PATHWAYS); None: the default.
    pathway: Mapped[str | None] = mapped_column(String(20))
    # Archived programmes leave the lists; their questionnaires, panel and data stay.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<Programme {self.code}>"
