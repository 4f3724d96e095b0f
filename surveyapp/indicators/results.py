"""What an indicator came to, per group and period: plain data for the screen, the web report and the PDF.

No pandas, no Flask, no database (reports.model holds a list of these). A share is a fraction in [0, 1]; a
suppressed cell (fewer than min_n answers) has no numbers at all, not even its n, so no renderer can show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"
UP, DOWN, FLAT = "up", "down", "flat"


@dataclass(frozen=True)
class IndicatorCell:
    """One group in one period; ``change`` and ``trend`` against the same group's previous period."""

    period: str
    n: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    status: str  # MET, NOT_MET or NO_DATA (no answers, or suppressed)
    change: float | None = None
    trend: str | None = None  # UP, DOWN, FLAT; None without two comparable periods with a value
    suppressed: bool = False
    digits: int = 0  # decimals to show the value with (a share in percent): enough that the mark agrees with it
    wording_changed: bool = False  # no trend: the previous period asked the item in other words


@dataclass(frozen=True)
class IndicatorRow:
    group: str
    cells: list[IndicatorCell]  # one per period, in the result's period order


@dataclass(frozen=True)
class IndicatorResult:
    name: str
    item_code: str
    question: str
    statistic: str  # "share" or "mean"
    target: float
    direction: str  # "at_least" or "at_most"
    dimension: str  # the grouping's title, in the report language
    period_kind: str  # "wave", "quarter" or "year"
    periods: list[str] = field(default_factory=list)
    rows: list[IndicatorRow] = field(default_factory=list)
    total: IndicatorRow | None = None  # every group together, per period
    wordings: list[tuple[str, str]] = field(default_factory=list)  # (period, wording) where wordings differ
    not_asked: list[str] = field(default_factory=list)  # periods whose questionnaires lack the item
    note: str | None = None  # why there is nothing to show (item not asked in this report)
    public_period: str | None = None  # the period of the answers through the public link (no wave), if shown
    target_digits: int = 0  # decimals to show the target with (a share in percent): as precise as entered


def target_digits(statistic: str, target: float) -> int:
    """Decimals that show a target as entered: none for 81 % or a mean of 20, one for 80.9 %."""
    scaled = target * 100 if statistic == "share" else target
    return next((digits for digits in range(4) if abs(round(scaled, digits) - scaled) < 1e-9), 4)


def value_digits(statistic: str, value: float, target: float, direction: str) -> int:
    """Decimals for a value such that the printed value compared with the printed target gives the mark:
    80.6 % against a target of 81 % shows as “80.6 %”, never “81 %” next to “target not met”."""
    scale = 100 if statistic == "share" else 1
    least = max(target_digits(statistic, target), 0 if statistic == "share" else 2)  # a mean's value: two
    met = value >= target if direction == "at_least" else value <= target
    for digits in range(least, least + 4):
        shown, goal = round(value * scale, digits), round(target * scale, digits)
        if (shown >= goal if direction == "at_least" else shown <= goal) == met:
            return digits
    return least + 4
