"""Respondent groups for breakdowns and the wave comparison, built on the report frame.

Groups come from the participants data (wave, session, site) and, where a questionnaire asks for them, from
items (site, gender, age). Which item codes stand for which attribute is configurable
(``REPORT_ATTRIBUTE_ITEMS``); the demo questionnaire asks ``driving_school``, ``gender`` and ``age``.
Call these inside ``force_locale(report language)``: group names are translated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd
from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _

from surveyapp.itemtypes import Statistic
from surveyapp.questionnaires.models import Item
from surveyapp.reports.analysis import breakdown, breakdown_shares
from surveyapp.reports.comparison import attrition, matched_comparison, nonresponse_note, unmatched_comparison
from surveyapp.reports.model import (
    BreakdownRow,
    BreakdownTable,
    MatchedComparison,
    NonResponseNote,
    UnmatchedComparison,
)

DEFAULT_ATTRIBUTE_ITEMS = {"site": "driving_school", "gender": "gender", "age": "age"}
AGE_EDGES = [0, 18, 21, 25, np.inf]
AGE_LABELS = ["< 18", "18–20", "21–24", "≥ 25"]
DIMENSIONS = ("wave", "session", "site", "gender", "age_group", "language")


def dimension_title(key: str) -> str:
    return {
        "wave": _("Wave"),
        "session": _("Session"),
        "site": _("Site"),
        "gender": _("Gender"),
        "age_group": _("Age group"),
        "language": _("Language"),
    }[key]


def _language_name(code: str, lang: str) -> str:
    try:
        return Locale.parse(code).get_display_name(lang) or code
    except (ValueError, UnknownLocaleError):
        return code


def _labelled(values: pd.Series, labels: dict[str, str]) -> pd.Series:
    return values.astype("str").map(labels).where(values.notna())


def wave_order(frame: pd.DataFrame) -> list[str]:
    """The waves of `frame` in the order they were fielded (their first submission), not created: a historic
    wave imported after newer ones still comes first. Waves first answered at the same moment keep the
    programme's wave order."""
    if "wave" not in frame or frame["wave"].isna().all():
        return []
    answered = frame.dropna(subset=["wave"])
    ranked = answered.groupby("wave", sort=False, observed=True).agg(
        first=("submitted_at", "min"), position=("wave_position", "min"))
    return list(ranked.sort_values(["first", "position"], kind="stable", na_position="last").index)


def group_columns(
    frame: pd.DataFrame,
    items: Mapping[str, Item],
    lang: str,
    attribute_items: Mapping[str, str] = DEFAULT_ATTRIBUTE_ITEMS,
) -> tuple[pd.DataFrame, dict]:
    """One labelled column per dimension, and each dimension's group order."""
    groups = pd.DataFrame(index=frame.index)
    order: dict[str, list[str]] = {}
    for key in ("wave", "session", "site"):
        if key in frame and frame[key].notna().any():
            groups[key] = frame[key]
    if "wave" in groups:
        order["wave"] = wave_order(frame)
    for key in ("site", "gender"):
        item = items.get(attribute_items.get(key, ""))
        labels = item.kind.value_labels(item, lang) if item is not None else {}
        if key not in groups and labels and item.code in frame:
            groups[key] = _labelled(frame[item.code], labels)
            order[key] = list(labels.values())
    age = items.get(attribute_items.get("age", ""))
    if age is not None and Statistic.MEAN_MEDIAN in age.kind.statistics and age.code in frame:
        years = pd.to_numeric(frame[age.code], errors="coerce").astype("float64")
        groups["age_group"] = pd.cut(years, AGE_EDGES, right=False, labels=AGE_LABELS).astype("str")
        groups["age_group"] = groups["age_group"].where(years.notna())
        order["age_group"] = AGE_LABELS
    # Name each language once, not once per response (babel's Locale.parse is slow).
    names = {code: _language_name(code, lang) for code in frame["lang"].dropna().unique()}
    groups["language"] = frame["lang"].map(names)
    return groups, order


def breakdown_tables(
    flags: pd.DataFrame,
    labels: Mapping[str, str],
    groups: pd.DataFrame,
    order: Mapping[str, list[str]],
    min_n: int,
) -> list[BreakdownTable]:
    """A table per flag and dimension, for dimensions with at least two groups."""
    tables = []
    for key in DIMENSIONS:
        if key not in groups or groups[key].dropna().nunique() < 2:
            continue
        for flag, label in labels.items():
            data = pd.DataFrame({"flag": flags[flag], "group": groups[key]})
            wanted = [g for g in order.get(key, []) if g in set(data["group"].dropna())] or None
            table = breakdown(data, "flag", "group", min_n=min_n, order=wanted)
            rows = [BreakdownRow(group, share) for group, share in breakdown_shares(table)]
            title = _("%(item)s – by %(dimension)s") % {"item": label, "dimension": dimension_title(key)}
            tables.append(BreakdownTable(title, dimension_title(key), rows))
    return tables


def wave_frames(frame: pd.DataFrame, flags: pd.DataFrame, waves: list[str]) -> dict[str, pd.DataFrame]:
    """Per wave, the panel code and the flags of its respondents (one row per panel code)."""
    data = pd.concat([frame[["wave", "panel_code"]], flags], axis=1)
    out = {}
    for wave in waves:
        part = data[data["wave"] == wave]
        # A code that answered a wave twice (should not happen) keeps its last answer.
        coded = part.dropna(subset=["panel_code"]).drop_duplicates("panel_code", keep="last")
        out[wave] = (part, coded)
    return out


def wave_pairs(waves: list[str]) -> list[tuple[str, str]]:
    """The waves compared: each later wave with the first, and with the wave before it where that is another."""
    pairs = []
    for index, later in enumerate(waves[1:], start=1):
        pairs.append((waves[0], later))
        if index > 1:
            pairs.append((waves[index - 1], later))
    return pairs


def _asked_in_both(
    frame: pd.DataFrame, flags: pd.DataFrame, labels: Mapping[str, str], waves: list[str],
    wave_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> Iterator[tuple[str, str, str, str, tuple, tuple]]:
    """(earlier wave, later wave, flag, label, earlier wave's frames, later wave's frames) for each pair of
    ``wave_pairs`` and each flag both waves asked: an item one of them never asked is not compared (it is not
    "fewer than 5"). The label is the earlier wave's wording (``wave_labels``: item code -> wave -> words)."""
    wave_labels = wave_labels or {}
    if len(waves) < 2:
        return
    per_wave = wave_frames(frame, flags, waves)
    for first, later in wave_pairs(waves):
        for flag, label in labels.items():
            if per_wave[first][0][flag].notna().any() and per_wave[later][0][flag].notna().any():
                words = wave_labels.get(flag, {}).get(first, label)
                yield first, later, flag, words, per_wave[first], per_wave[later]


def comparisons(
    frame: pd.DataFrame, flags: pd.DataFrame, labels: Mapping[str, str], waves: list[str], min_n: int,
    wordings: Mapping[str, Mapping[str, str]] | None = None,
    wave_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[list[MatchedComparison], list[UnmatchedComparison]]:
    """Each later wave against the first and against the wave before it: matched by panel code (McNemar) and
    all respondents (descriptively). ``wordings`` (item code -> wave -> its words in the questionnaire's own
    language): where the two waves' words differ, the matched counts are shown without a test."""
    wordings = wordings or {}
    matched, unmatched = [], []
    for first, later, flag, label, (before_all, before), (after_all, after) in _asked_in_both(
            frame, flags, labels, waves, wave_labels):
        names = {"label": label, "wave_before": first, "wave_after": later, "min_n": min_n}
        asked = wordings.get(flag, {})
        reworded = first in asked and later in asked and asked[first] != asked[later]
        matched.append(matched_comparison(before, after, flag, **names, reworded=reworded))
        unmatched.append(unmatched_comparison(before_all, after_all, flag, **names))
    return matched, unmatched


def nonresponse(
    frame: pd.DataFrame, flags: pd.DataFrame, labels: Mapping[str, str], waves: list[str], min_n: int,
    wave_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> list[NonResponseNote]:
    """Per compared pair of waves and item: the earlier wave's share among those who answered the later wave,
    beside its share among all its respondents."""
    return [
        nonresponse_note(before_all, after[1]["panel_code"], flag, label=label, wave_before=first,
                         wave_after=later, min_n=min_n)
        for first, later, flag, label, (before_all, _coded), after in _asked_in_both(frame, flags, labels, waves,
                                                                                         wave_labels)
    ]


def retention(frame: pd.DataFrame, waves: list[str]) -> dict[str, int]:
    """Panel codes per wave that also answered the first wave."""
    if not waves or "panel_code" not in frame:
        return {}
    codes = {wave: frame.loc[frame["wave"] == wave, "panel_code"] for wave in waves}
    table = attrition(codes)
    return {str(rec.wave): int(rec.retained) for rec in table.itertuples(index=False)}
