"""Wave comparison for the panel: McNemar's test on matched respondents, descriptive unmatched shares."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from surveyapp.reports.analysis import share_of
from surveyapp.reports.model import (
    DEFAULT_MIN_N,
    EXACT_BELOW,
    MatchedComparison,
    NonResponseNote,
    UnmatchedComparison,
)


@dataclass(frozen=True)
class McNemarResult:
    b: int
    c: int
    statistic: float | None
    p_value: float
    method: str  # "exact" or "chi2-cc"


def chi2_1_sf(x: float) -> float:
    """Survival function of the chi-square distribution with one degree of freedom."""
    if x <= 0:
        return 1.0
    return math.erfc(math.sqrt(x / 2))


def mcnemar(b: int, c: int, exact_below: int = EXACT_BELOW) -> McNemarResult:
    """Two-sided McNemar test: exact binomial if b + c < exact_below, else continuity-corrected chi-square."""
    if b < 0 or c < 0:
        raise ValueError("discordant counts must not be negative")
    total = b + c
    if total == 0:
        return McNemarResult(b, c, None, 1.0, "exact")
    if total < exact_below:
        tail = sum(math.comb(total, i) for i in range(min(b, c) + 1)) / 2**total
        return McNemarResult(b, c, None, min(1.0, 2 * tail), "exact")
    statistic = (abs(b - c) - 1) ** 2 / total
    return McNemarResult(b, c, statistic, chi2_1_sf(statistic), "chi2-cc")


def _flags_by_code(frame: pd.DataFrame, flag: str, key: str) -> pd.Series:
    data = frame[[key, flag]].dropna()
    if data[key].duplicated().any():
        raise ValueError(f"panel code column {key!r} has duplicates within one wave")
    return data.set_index(key)[flag].astype(bool)


def matched_comparison(before: pd.DataFrame, after: pd.DataFrame, flag: str, *, key: str = "panel_code",
                       label: str = "", wave_before: str = "", wave_after: str = "",
                       min_n: int = DEFAULT_MIN_N, exact_below: int = EXACT_BELOW,
                       reworded: bool = False) -> MatchedComparison:
    """Compare a yes/no (or top-box) flag between two waves for respondents with the same panel code.

    Only codes with a valid answer in both waves count. b = yes before, no after; c = no before, yes after.
    Where the waves asked the item in different words (``reworded``) the answers are to two questions: the
    counts are shown, but there is no test and no p.
    """
    first = _flags_by_code(before, flag, key)
    second = _flags_by_code(after, flag, key)
    pairs = pd.concat([first.rename("before"), second.rename("after")], axis=1, join="inner")
    n = int(pairs.shape[0])
    if n < min_n:
        return MatchedComparison(label, wave_before, wave_after, None, None, None, None, None, None, None,
                                 None, suppressed=True, code=flag)
    b = int((pairs["before"] & ~pairs["after"]).sum())
    c = int((~pairs["before"] & pairs["after"]).sum())
    test = None if reworded else mcnemar(b, c, exact_below)
    share_before = float(pairs["before"].mean())
    share_after = float(pairs["after"].mean())
    return MatchedComparison(label, wave_before, wave_after, matched_n=n, share_before=share_before,
                             share_after=share_after, change=share_after - share_before, b=b, c=c,
                             p_value=None if test is None else test.p_value,
                             method=None if test is None else test.method, code=flag,
                             reworded=reworded)


def unmatched_comparison(before: pd.DataFrame, after: pd.DataFrame, flag: str, *, label: str = "",
                         wave_before: str = "", wave_after: str = "",
                         min_n: int = DEFAULT_MIN_N) -> UnmatchedComparison:
    """Shares of all respondents of each wave, for display beside (never instead of) the matched ones."""
    return UnmatchedComparison(label, wave_before, wave_after, before=share_of(before[flag], min_n),
                               after=share_of(after[flag], min_n), code=flag)


def nonresponse_note(before: pd.DataFrame, answered_after: pd.Series, flag: str, *, key: str = "panel_code",
                     label: str = "", wave_before: str = "", wave_after: str = "",
                     min_n: int = DEFAULT_MIN_N) -> NonResponseNote:
    """The first wave's share among those who answered the later wave (``answered_after``: their panel codes),
    beside the share among all its respondents: a gap shows who stayed in the panel is no random half."""
    stayed = before[before[key].isin(answered_after.dropna())].drop_duplicates(key, keep="last")
    return NonResponseNote(label, wave_before, wave_after, respondents=share_of(stayed[flag], min_n),
                           everyone=share_of(before[flag], min_n))


def attrition(codes_by_wave: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Respondents per wave and how many of the first wave's panel codes are still there."""
    waves = list(codes_by_wave)
    if not waves:
        return pd.DataFrame({"wave": pd.Series(dtype="string"), "n": pd.Series(dtype="Int64"),
                             "retained": pd.Series(dtype="Int64"), "retention": pd.Series(dtype="Float64")})
    baseline = pd.Index(codes_by_wave[waves[0]].dropna().unique())
    n, retained = [], []
    for wave in waves:
        codes = pd.Index(codes_by_wave[wave].dropna().unique())
        n.append(len(codes))
        retained.append(len(codes.intersection(baseline)))
    base = len(baseline)
    return pd.DataFrame({
        "wave": pd.Series(waves, dtype="string"),
        "n": pd.array(n, dtype="Int64"),
        "retained": pd.array(retained, dtype="Int64"),
        "retention": pd.array([r / base if base else math.nan for r in retained], dtype="Float64"),
    })
