"""Scores and agreement as the results page and the PDF print them: in the locale's digits and signs, rounded
half up (62.5 % reads "63 %"), where Babel alone rounds half to even ("62 %") and the page and PDF disagreed."""

from decimal import ROUND_HALF_UP, Decimal

from surveyapp.reports.model import NumberFormat

DASH = "–"


def half_up(value: float, digits: int = 0) -> float:
    """`value` rounded half up to `digits` decimals, from its shortest repr (0.285 is 0.29, not 0.28)."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


class Figures:
    def __init__(self, lang: str):
        self.num = NumberFormat.babel(lang)

    def percent(self, share: float | None) -> str:
        """A share as whole percent, "–" when there is none (nothing applied)."""
        return DASH if share is None else self.num.percent(half_up(share * 100) / 100)

    def decimal(self, value: float, digits: int) -> str:
        return self.num.decimal(half_up(value, digits), digits)
