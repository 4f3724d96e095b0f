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
    trend: str | None = None  # UP, DOWN, FLAT; None without two periods with a value
    suppressed: bool = False


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
