"""Descriptive statistics for evaluation reports: pure pandas, one typed column per item.

Conventions: a missing answer is NA; shares are fractions; every figure based on fewer than ``min_n``
respondents is suppressed (``suppressed=True``, numbers None/NA) so that no renderer can show it. Where one
hidden cell could be worked out from the total and the cells shown, the next smallest is hidden too, and
the next, until the hidden cells hold at least ``min_n`` and cannot be told apart (``secondary=True``): see
``secondary_suppression``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveyapp.reports.model import DEFAULT_MIN_N, FrequencyRow, NumericSummary, Share
from surveyapp.stats import wilson_arrays, wilson_interval
from surveyapp.suppression import gives_away, secondary_suppression


def _opt_float(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def share_of(flags: pd.Series, min_n: int = DEFAULT_MIN_N) -> Share:
    """Share of True among the non-missing values of a boolean series."""
    valid = flags.dropna().astype(bool)
    n = int(valid.size)
    k = int(valid.sum())
    return make_share(k, n, min_n)


def make_share(k: int, n: int, min_n: int = DEFAULT_MIN_N) -> Share:
    """Build a Share from counts, suppressed when n < min_n, withheld when it gives a small cell away."""
    if n < min_n:
        return Share(k=None, n=None, share=None, ci_low=None, ci_high=None, suppressed=True)
    if gives_away(k, n, min_n):
        return Share(k=None, n=None, share=None, ci_low=None, ci_high=None, suppressed=True, secondary=True)
    low, high = wilson_interval(k, n)
    return Share(k=k, n=n, share=k / n, ci_low=low, ci_high=high)


def top_box_flags(values: pd.Series, points: int, top: int = 2) -> pd.Series:
    """Flag answers in the top ``top`` boxes of a 1..points scale; missing stays NA."""
    if not 0 < top < points:
        raise ValueError(f"top must be between 1 and {points - 1}, got {top}")
    numeric = pd.to_numeric(values, errors="coerce").astype("Float64")
    return (numeric > points - top).astype("boolean")


def agreement_share(values: pd.Series, points: int = 5, top: int = 2, min_n: int = DEFAULT_MIN_N) -> Share:
    """Share of respondents in the top boxes of a Likert item (top two of 5 or 7 points by default)."""
    return share_of(top_box_flags(values, points, top), min_n)


@dataclass(frozen=True)
class FrequencyTable:
    """One row per option code (code, count, share, ci_low, ci_high, suppressed) plus n and missing."""

    rows: pd.DataFrame
    n: int | None
    missing: int
    suppressed: bool

    def as_rows(self, labels: dict[str, str] | None = None) -> list[FrequencyRow]:
        labels = labels or {}
        out = []
        for rec in self.rows.itertuples(index=False):
            count = None if pd.isna(rec.count) else int(rec.count)
            out.append(FrequencyRow(
                code=str(rec.code), label=labels.get(str(rec.code), str(rec.code)), count=count,
                share=_opt_float(rec.share), ci_low=_opt_float(rec.ci_low), ci_high=_opt_float(rec.ci_high),
                suppressed=bool(rec.suppressed), secondary=bool(rec.secondary)))
        return out


def _frequency_frame(codes: Sequence, counts: np.ndarray, n: int, min_n: int,
                     suppress_cells: bool, complementary: bool = False) -> pd.DataFrame:
    counts = np.asarray(counts, dtype="int64")
    low, high = wilson_arrays(counts, np.full(counts.shape, n))
    frame = pd.DataFrame({
        "code": pd.Series([str(c) for c in codes], dtype="string"),
        "count": pd.array(counts, dtype="Int64"),
        "share": pd.array(counts / n if n else np.full(counts.shape, np.nan), dtype="Float64"),
        "ci_low": pd.array(low, dtype="Float64"),
        "ci_high": pd.array(high, dtype="Float64"),
    })
    hidden = np.full(counts.shape, n < min_n)
    if suppress_cells:
        # A zero cell identifies nobody; 1..min_n-1 respondents could be recognised.
        hidden |= (counts > 0) & (counts < min_n)
    secondary = np.zeros(counts.shape, dtype=bool)
    if complementary and n >= min_n:
        secondary = secondary_suppression(counts, hidden, min_n)
    hidden |= secondary
    frame["suppressed"] = pd.array(hidden, dtype="boolean")
    frame["secondary"] = pd.array(secondary, dtype="boolean")
    frame.loc[hidden, ["count", "share", "ci_low", "ci_high"]] = pd.NA
    return frame


def frequencies(values: pd.Series, codes: Sequence, min_n: int = DEFAULT_MIN_N,
                suppress_cells: bool = True) -> FrequencyTable:
    """Count a single-choice item over the ordered option ``codes``; answers outside them count as missing.

    The cells add up to n, so hidden cells take the next smallest with them (secondary suppression).
    """
    if pd.api.types.is_float_dtype(values.dtype) and (values.dropna() % 1 == 0).all():
        values = values.astype("Int64")  # 1.0 from a float column is option "1"
    as_text = values.astype("string")
    code_text = [str(c) for c in codes]
    known = as_text.isin(code_text).fillna(False).astype(bool)
    counted = as_text[known].value_counts().reindex(code_text, fill_value=0)
    n = int(known.sum())
    rows = _frequency_frame(code_text, counted.to_numpy(), n, min_n, suppress_cells, complementary=True)
    return FrequencyTable(rows=rows, n=None if n < min_n else n, missing=int(values.size - n),
                          suppressed=n < min_n)


def multi_frequencies(selected: pd.DataFrame, codes: Sequence | None = None, min_n: int = DEFAULT_MIN_N,
                      suppress_cells: bool = True) -> FrequencyTable:
    """Count a multiple-choice item: one boolean column per option code, a row all NA is missing.

    Shares are of respondents who answered, so they can add up to more than 100 %; cells overlap, so none
    can be worked out from n and the others and no secondary suppression is needed.
    """
    codes = list(selected.columns) if codes is None else list(codes)
    block = selected.reindex(columns=codes).astype("boolean")
    answered = block.notna().any(axis=1)
    n = int(answered.sum())
    counts = block[answered].fillna(False).astype(bool).sum(axis=0).to_numpy()
    rows = _frequency_frame(codes, counts, n, min_n, suppress_cells)
    return FrequencyTable(rows=rows, n=None if n < min_n else n, missing=int(selected.shape[0] - n),
                          suppressed=n < min_n)


def numeric_summary(values: pd.Series, min_n: int = DEFAULT_MIN_N) -> NumericSummary:
    """Mean, median, standard deviation and range of a numeric or 0-10 item."""
    numeric = pd.to_numeric(values, errors="coerce").astype("Float64").dropna()
    n = int(numeric.size)
    missing = int(values.size - n)
    if n < min_n:
        return NumericSummary(n=None, missing=missing, mean=None, median=None, sd=None, minimum=None,
                              maximum=None, suppressed=True)
    sd = float(numeric.std(ddof=1)) if n > 1 else math.nan
    return NumericSummary(n=n, missing=missing, mean=float(numeric.mean()), median=float(numeric.median()),
                          sd=_opt_float(sd), minimum=float(numeric.min()), maximum=float(numeric.max()))


def breakdown(frame: pd.DataFrame, flag: str, by: str, min_n: int = DEFAULT_MIN_N,
              order: Sequence | None = None) -> pd.DataFrame:
    """Share of True in column ``flag`` per group of column ``by`` (session, site, wave, gender, ...).

    Returns columns group, k, n, share, ci_low, ci_high, suppressed, secondary; groups under ``min_n`` are
    suppressed and carry no numbers, not even their n. The key figure beside a breakdown shows the total k
    and n, so hidden groups take the next smallest with them (``secondary``). Missing group values form
    no group.
    """
    data = frame[[by, flag]].dropna()
    flags = data[flag].astype(bool)
    grouped = flags.groupby(data[by], observed=True, sort=order is None)
    counts = pd.DataFrame({"k": grouped.sum(), "n": grouped.size()})
    if order is not None:
        counts = counts.reindex(list(order), fill_value=0)
    k = counts["k"].to_numpy(dtype="int64")
    n = counts["n"].to_numpy(dtype="int64")
    low, high = wilson_arrays(k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, k / np.maximum(n, 1), np.nan)
    primary = n < min_n
    secondary = secondary_suppression(n, primary, min_n, floor=0)  # an empty group is hidden too
    secondary |= ~primary & _small_cells(k, n, primary | secondary, min_n)
    hidden = primary | secondary
    result = pd.DataFrame({
        "group": pd.Series([str(g) for g in counts.index], dtype="string"),
        "k": pd.array(k, dtype="Int64"),
        "n": pd.array(n, dtype="Int64"),
        "share": pd.array(share, dtype="Float64"),
        "ci_low": pd.array(low, dtype="Float64"),
        "ci_high": pd.array(high, dtype="Float64"),
        "suppressed": pd.array(hidden, dtype="boolean"),
        "secondary": pd.array(secondary, dtype="boolean"),
    })
    result.loc[hidden, ["k", "n", "share", "ci_low", "ci_high"]] = pd.NA
    return result


def _small_cells(k: np.ndarray, n: np.ndarray, hidden: np.ndarray, min_n: int) -> np.ndarray:
    """Groups whose share gives a small numerator or complement away, with the next smallest shown so that the
    total's k (the key figure beside the breakdown) does not give it away either."""
    small = np.array([gives_away(int(a), int(b), min_n) for a, b in zip(k, n, strict=True)], dtype=bool) & ~hidden
    withheld = small.copy()
    for cells in (k, n - k):
        withheld |= secondary_suppression(cells, small, min_n, floor=0)
    return withheld


def breakdown_shares(table: pd.DataFrame) -> list[tuple[str, Share]]:
    """Turn a ``breakdown`` frame into (group, Share) pairs for the report model."""
    out = []
    for rec in table.itertuples(index=False):
        if rec.suppressed:
            out.append((str(rec.group), Share(None, None, None, None, None, suppressed=True,
                                              secondary=bool(rec.secondary))))
        else:
            out.append((str(rec.group), Share(k=int(rec.k), n=int(rec.n), share=float(rec.share),
                                              ci_low=float(rec.ci_low), ci_high=float(rec.ci_high))))
    return out
