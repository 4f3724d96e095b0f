"""Interval estimates shared by reports and indicators: pure numpy, no pandas, no Flask.

A leaf module so that any package may use it (reports.analysis and indicators.service both do).
"""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959964
T95_FEW_DF = {1: 12.7062, 2: 4.3027, 3: 3.1824}  # exact; the expansion below is off by up to 11 % there


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Return the Wilson score interval for k successes in n trials; (nan, nan) when n is 0."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    low, high = wilson_arrays(np.array([k]), np.array([n]), z)
    return float(low[0]), float(high[0])


def wilson_arrays(k: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised Wilson interval; bounds are exactly 0 at k = 0 and exactly 1 at k = n."""
    k = np.asarray(k, dtype="float64")
    n = np.asarray(n, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        z2 = z * z
        denom = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
        low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    invalid = ~(n > 0)
    return np.where(invalid, np.nan, low), np.where(invalid, np.nan, high)


def t_quantile(df: int, z: float = Z95) -> float:
    """Student's t quantile matching the normal quantile ``z`` (Cornish-Fisher, Abramowitz & Stegun 26.7.5).

    Within 0.001 of the exact 97.5 % quantile from 4 degrees of freedom up (2.776 at 4, 2.262 at 9); no scipy.
    Below 4, the 95 % quantiles come from a table.
    """
    if df < 1:
        raise ValueError(f"need at least one degree of freedom, got {df}")
    if z == Z95 and df in T95_FEW_DF:
        return T95_FEW_DF[df]
    terms = (
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    )
    return z + sum(term / df**power for power, term in enumerate(terms, start=1))


def mean_interval(mean: float, sd: float, n: int) -> tuple[float, float]:
    """The 95 % t interval of a mean from its standard deviation and n; (nan, nan) below two values."""
    if n < 2 or math.isnan(sd):
        return math.nan, math.nan
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half
