"""An indicator of an outcome-based contract: which item, which figure, which target, shown per what."""

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import one_of, utcnow
from surveyapp.extensions import db
from surveyapp.indicators.results import target_digits
from surveyapp.programmes.models import Programme

STATISTICS = ("share", "mean")  # share of the top boxes / of "yes"; mean of a scale or number
DIRECTIONS = ("at_least", "at_most")  # the target is met at or above / at or below it
PERIODS = ("wave", "quarter", "year")


class Indicator(db.Model):
    __tablename__ = "indicators"
    __table_args__ = (one_of("statistic", STATISTICS), one_of("direction", DIRECTIONS), one_of("period", PERIODS))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    item_code: Mapped[str] = mapped_column(String(64))  # matched by code across the programme's questionnaires
    statistic: Mapped[str] = mapped_column(String(20))
    top_boxes: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    target: Mapped[float] = mapped_column(Float)  # a share as a fraction in [0, 1], or a mean on the item's scale
    direction: Mapped[str] = mapped_column(String(20), default="at_least", server_default="at_least")
    dimension: Mapped[str] = mapped_column(String(20), default="site", server_default="site")  # groups.DIMENSIONS
    period: Mapped[str] = mapped_column(String(20), default="wave", server_default="wave")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    programme: Mapped[Programme] = relationship()

    @property
    def target_digits(self) -> int:
        """Decimals that show the target as entered (a share in percent)."""
        return target_digits(self.statistic, self.target)
