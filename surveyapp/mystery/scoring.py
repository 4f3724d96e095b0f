"""Pure scoring and agreement: no database, no Flask, so the arithmetic is tested on textbook numbers.

A score is points earned ÷ the applicable maximum: "yes" earns the item's points, "no" none, "n/a" takes the
item out of both; a rating v of 1–5 earns (v − 1) / 4 of the points. Agreement between two shoppers is the share
of items both rated with the same value, and Cohen's kappa on those values (n/a is a value like any other).
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def fraction(kind: str, value: str) -> float | None:
    """The share of an item's points a value earns; None for "n/a" (not applicable: left out)."""
    if kind == "rating_1_5":
        return (int(value) - 1) / 4
    return {"yes": 1.0, "no": 0.0}.get(value)


@dataclass(frozen=True)
class Scored:
    """One answer as scoring sees it: the item's points and the share of them earned (None: n/a)."""

    points: int
    earned: float | None


@dataclass(frozen=True)
class Score:
    earned: float
    maximum: int
    answers: int  # applicable answers counted

    @property
    def share(self) -> float | None:
        """Earned ÷ applicable maximum; None when nothing applied (every item n/a or no answers)."""
        return self.earned / self.maximum if self.maximum else None


def score(answers: Iterable[Scored]) -> Score:
    earned, maximum, count = 0.0, 0, 0
    for answer in answers:
        if answer.earned is None:
            continue
        earned += answer.earned * answer.points
        maximum += answer.points
        count += 1
    return Score(earned, maximum, count)


@dataclass(frozen=True)
class Agreement:
    """Two shoppers on the same items: n pairs, the share that agree and Cohen's kappa.

    kappa is None when it is undefined: no pairs, or both shoppers used one and the same category only
    (chance agreement is then 1, and kappa 0 ÷ 0)."""

    n: int
    agreeing: int
    kappa: float | None

    @property
    def share(self) -> float | None:
        return self.agreeing / self.n if self.n else None

    @property
    def single_category(self) -> bool:
        return self.n > 0 and self.kappa is None


def agreement(pairs: Sequence[tuple[str, str]]) -> Agreement:
    """Agreement of two raters over `pairs` of (first rater's value, second rater's value)."""
    n = len(pairs)
    agreeing = sum(first == second for first, second in pairs)
    return Agreement(n, agreeing, cohen_kappa(pairs))


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """(p_o − p_e) ÷ (1 − p_e), p_e from each rater's own category shares; None where undefined."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(first == second for first, second in pairs) / n
    firsts, seconds = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(firsts[category] * seconds[category] for category in firsts) / (n * n)
    if chance >= 1:
        return None
    return (observed - chance) / (1 - chance)
