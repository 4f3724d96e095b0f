"""Plain, aggregated input for the report renderers: no pandas, no Flask, no database.

Every share is a fraction in [0, 1]. A suppressed figure has ``suppressed=True`` and its numbers set to
None, so no renderer can show them by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from surveyapp.indicators.results import IndicatorResult

DEFAULT_MIN_N = 5
EXACT_BELOW = 25  # McNemar's test is exact (binomial) below this many discordant pairs, else chi-square

ChartKind = Literal["bar", "stacked", "none"]


@dataclass(frozen=True)
class Share:
    """k of n respondents, with a 95 % Wilson interval."""

    k: int | None
    n: int | None
    share: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool = False
    secondary: bool = False  # hidden only because another hidden figure could be worked out from it


@dataclass(frozen=True)
class KeyFigure:
    """One headline share; the part (wave) it belongs to says which respondents it counts."""

    label: str
    result: Share


@dataclass(frozen=True)
class FrequencyRow:
    code: str
    label: str
    count: int | None
    share: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool = False
    secondary: bool = False  # hidden only because another hidden cell could be worked out from it


@dataclass(frozen=True)
class NumericSummary:
    n: int | None
    missing: int
    mean: float | None
    median: float | None
    sd: float | None
    minimum: float | None
    maximum: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class GridRow:
    """One row of a matrix's grid chart (reports.composites): its text and its distribution, lowest first."""

    label: str
    n: int | None
    rows: list[FrequencyRow]
    suppressed: bool = False


@dataclass(frozen=True)
class RankRow:
    """One option of a ranking: how many ranked it (n), its mean rank, and the share of those who ranked
    anything that put it first."""

    label: str
    n: int | None
    mean: float | None
    first: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class ItemSection:
    """One item's results; ``rows`` in scale order, lowest first (stacked bars colour low to high)."""

    code: str
    question: str
    item_type: str
    n: int | None
    missing: int
    rows: list[FrequencyRow] = field(default_factory=list)
    chart: ChartKind = "bar"
    agreement: Share | None = None
    summary: NumericSummary | None = None
    open_answers: list[str] = field(default_factory=list)
    suppressed: bool = False
    excluded: int = 0  # stored values that are no usable number (inf, nan, 1e999999, ...), left out
    declined: int | None = 0  # coded "don't know" answers (not among n or missing); None: fewer than min n
    other_wordings: list[Wording] = field(default_factory=list)  # the same code asked in other words elsewhere
    grid: list[GridRow] = field(default_factory=list)  # a matrix: its rows side by side (each has a section too)
    ranks: list[RankRow] = field(default_factory=list)  # a ranking: its options


@dataclass(frozen=True)
class Wording:
    """How another wave (questionnaire) asked an item code: “In <wave>: <text>”."""

    wave: str
    text: str


@dataclass(frozen=True)
class MethodRow:
    """One wave on the method page; ``fielded`` None: nothing sent yet (invitations of a cancelled wave count)."""

    wave: str
    fielded: str | None
    invited: int | None
    n: int
    response_rate: float | None
    retained: int | None = None


@dataclass(frozen=True)
class ItemWordings:
    """How each wave asked one key-figure item, for the method page."""

    code: str
    wordings: list[Wording]


@dataclass(frozen=True)
class MatchedComparison:
    """Same panel codes in both waves; b = yes before and no after, c = no before and yes after."""

    label: str
    wave_before: str
    wave_after: str
    matched_n: int | None
    share_before: float | None
    share_after: float | None
    change: float | None
    b: int | None
    c: int | None
    p_value: float | None
    method: str | None  # "exact" (binomial, b + c < EXACT_BELOW) or "chi2-cc" (continuity-corrected chi-square)
    suppressed: bool = False
    code: str = ""  # the item's code: its wording per wave is in ReportData.wordings
    reworded: bool = False  # the waves asked it in different words: counts shown, no test (p_value, method None)


@dataclass(frozen=True)
class NonResponseNote:
    """Self-selection: the first-wave figure of those who answered a later wave, beside everyone's."""

    label: str
    wave_before: str
    wave_after: str
    respondents: Share  # wave_before's share among those who also answered wave_after
    everyone: Share  # wave_before's share among all its respondents


@dataclass(frozen=True)
class UnmatchedComparison:
    """All respondents of each wave; descriptive only, the samples overlap so no test is given."""

    label: str
    wave_before: str
    wave_after: str
    before: Share
    after: Share
    code: str = ""


@dataclass(frozen=True)
class BreakdownRow:
    group: str
    result: Share


@dataclass(frozen=True)
class BreakdownTable:
    title: str
    dimension: str
    rows: list[BreakdownRow]


@dataclass(frozen=True)
class Pathway:
    """The outcome-pathway section (reports.pathways): per stage in pathway order and per wave, the items tagged
    with it as (stage, wave, items); each item carries only its headline figure (``agreement``: the agreement or
    yes share, or ``summary``: the mean) and n. ``warnings``: outcome data without output data."""

    model: str
    stages: list[tuple[str, str, list[ItemSection]]]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WavePart:
    """One wave's results (or the public link's, or, asked for, all waves pooled): never mixed with another's.

    ``items`` are those the part's questionnaire(s) asked, worded as they asked them; ``not_asked`` holds the
    wording of items other parts asked and this one did not (distinct from a suppressed "n < 5")."""

    title: str
    questionnaire: str
    n: int
    key_figures: list[KeyFigure] = field(default_factory=list)
    items: list[ItemSection] = field(default_factory=list)
    breakdowns: list[BreakdownTable] = field(default_factory=list)
    not_asked: list[str] = field(default_factory=list)
    note: str | None = None  # the pooled part's warning


@dataclass(frozen=True)
class ReportData:
    title: str
    programme: str
    period: str
    waves: list[str]
    population: str
    method: list[MethodRow]
    parts: list[WavePart]
    notes: list[str] = field(default_factory=list)  # the method box's notes (answers from several versions)
    comparisons: list[MatchedComparison] = field(default_factory=list)
    unmatched: list[UnmatchedComparison] = field(default_factory=list)
    nonresponse: list[NonResponseNote] = field(default_factory=list)
    wordings: list[ItemWordings] = field(default_factory=list)  # the method page's question wording per wave
    computation: list[str] = field(default_factory=list)  # the method page: intervals, tests, suppression
    indicators: list[IndicatorResult] = field(default_factory=list)  # against their targets (indicators/)
    include_open_answers: bool = False
    min_n: int = DEFAULT_MIN_N
    generated_on: str | None = None
    language: str = "en"
    pathway: Pathway | None = None  # None: no item is tagged with a stage

    def reworded(self, code: str, before: str, after: str) -> str | None:
        """How wave ``after`` asked item ``code`` where its words differ from wave ``before``'s, else None."""
        asked = {w.wave: w.text for item in self.wordings if item.code == code for w in item.wordings}
        return asked.get(after) if asked.get(after) != asked.get(before) else None


@dataclass(frozen=True)
class NumberFormat:
    """Locale-aware number formatting supplied by the caller; ``en()`` and ``de()`` cover the tests."""

    integer: Callable[[int], str]
    decimal: Callable[[float, int], str]
    percent_pattern: str = "{} %"

    @classmethod
    def simple(cls, decimal_sep: str, group_sep: str, percent_pattern: str = "{} %") -> NumberFormat:
        def integer(value: int) -> str:
            return f"{value:,}".replace(",", group_sep)

        def decimal(value: float, digits: int) -> str:
            text = f"{value:,.{digits}f}"
            return text.replace(",", "\0").replace(".", decimal_sep).replace("\0", group_sep)

        return cls(integer=integer, decimal=decimal, percent_pattern=percent_pattern)

    @classmethod
    def en(cls) -> NumberFormat:
        return cls.simple(".", ",", "{}%")

    @classmethod
    def de(cls) -> NumberFormat:
        return cls.simple(",", ".", "{}\u00a0%")

    @classmethod
    def babel(cls, locale: str) -> NumberFormat:
        """Use Babel's CLDR data (installed with Flask-Babel) for any locale."""
        from babel.numbers import format_decimal, format_percent

        def decimal(value: float, digits: int) -> str:
            pattern = "#,##0" + ("." + "0" * digits if digits else "")
            return format_decimal(value, format=pattern, locale=locale)

        sample = format_percent(0.5, locale=locale)  # e.g. "50%", "50 %", "%50"
        pattern = sample.replace("50", "{}", 1)
        return cls(integer=lambda v: format_decimal(v, locale=locale), decimal=decimal,
                   percent_pattern=pattern)

    def percent(self, share: float, digits: int = 0) -> str:
        return self.percent_pattern.format(self.decimal(share * 100, digits))

    def p_value(self, p: float) -> str:
        """Three decimals, never “0.000”: below 0.001 it reads “< 0.001” (in the locale's digits)."""
        return f"<\u00a0{self.decimal(0.001, 3)}" if p < 0.001 else self.decimal(p, 3)

    def signed(self, value: float, digits: int = 1) -> str:
        """The value with its sign (“+”, the minus sign “−”, none for zero), e.g. a change in points."""
        text = self.decimal(abs(value), digits)
        return ("+" if value > 0 else "−" if value < 0 else "") + text
