"""Indicators: define them (checked against the item's type) and compute them per group and period.

A share counts the answers in the item type's share codes (the top boxes of a Likert item, "yes"), with a
95 % Wilson interval; a mean is of a numeric or 0–10 item, with a 95 % t interval. Periods are waves (in
wave order) or calendar quarters or years of the submission date (UTC). A cell under ``min_n`` answers is
suppressed; where cells of a period are, the next smallest are hidden too until the total row gives none
away (``surveyapp.suppression``). Call ``compute`` inside ``force_locale(lang)``: titles
and labels are translated.
Services flush, never commit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from surveyapp.datasets.frames import Scope, programme_scope, response_frame
from surveyapp.datasets.versions import History
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.indicators.models import DIRECTIONS, PERIODS, STATISTICS, Indicator
from surveyapp.indicators.results import (
    DOWN,
    FLAT,
    MET,
    NO_DATA,
    NOT_MET,
    UP,
    IndicatorCell,
    IndicatorResult,
    IndicatorRow,
    target_digits,
    value_digits,
)
from surveyapp.itemtypes import SHARES, Statistic
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.stats import mean_interval, wilson_interval
from surveyapp.suppression import gives_away, secondary_suppression
from surveyapp.textclean import normal_name

DIMENSIONS = ("site", "session", "all")
FIELDS = ("name", "item_code", "statistic", "top_boxes", "target", "direction", "dimension", "period")
# A change that prints as zero (0 % at whole percent, 0.0 on a scale) is flat.
FLAT_BELOW = {"share": 0.005, "mean": 0.05}
UNGROUPED = object()  # the group of answers without a site or session (through the public link)


def dimension_title(key: str) -> str:
    return {"site": _("Site"), "session": _("Session"), "all": _("All respondents")}[key]


def programme_indicators(programme_id: int) -> list[Indicator]:
    return list(db.session.scalars(
        select(Indicator).where(Indicator.programme_id == programme_id).order_by(Indicator.name, Indicator.id)))


def programme_items(programme_id: int) -> dict[str, Item]:
    """The programme's items by code; the first questionnaire asking a code defines its type."""
    questionnaires = db.session.scalars(
        select(Questionnaire).where(Questionnaire.programme_id == programme_id).order_by(Questionnaire.id))
    items: dict[str, Item] = {}
    for questionnaire in questionnaires:
        for item in questionnaire.items:
            items.setdefault(item.code, item)
    return items


def supports(item: Item, statistic: str) -> bool:
    """A share needs a type that reports one (Likert, yes/no); a mean a numeric type (number, 0–10)."""
    statistics = item.kind.statistics
    if statistic == "share":
        return any(s in SHARES for s in statistics)
    return Statistic.MEAN_MEDIAN in statistics


def save_indicator(programme: Programme, values: Mapping, indicator: Indicator | None = None) -> Indicator:
    """Create or change an indicator after checking it against its item; raises DomainError, flushes."""
    _checked(programme.id, values)
    target = float(values["target"])  # as precise as shown (4 decimals of a percent / of a mean): re-saving keeps it
    target = round(target, 6) if values["statistic"] == "share" else round(target, 4)
    values = {**values, "name": normal_name(values["name"]), "target": target}
    name = values["name"].casefold()
    if any(normal_name(other.name).casefold() == name and other is not indicator
           for other in programme_indicators(programme.id)):
        raise DomainError(_("This programme already has an indicator named “%(name)s”.") % {"name": values["name"]})
    if indicator is None:
        indicator = Indicator(programme_id=programme.id)
        db.session.add(indicator)
    for key in FIELDS:
        setattr(indicator, key, values[key])
    db.session.flush()
    return indicator


def delete_indicator(indicator: Indicator) -> None:
    db.session.delete(indicator)
    db.session.flush()


def _checked(programme_id: int, values: Mapping) -> Item:
    if (values["statistic"] not in STATISTICS or values["direction"] not in DIRECTIONS
            or values["period"] not in PERIODS or values["dimension"] not in DIMENSIONS):
        raise DomainError(_("Please choose a figure, a direction, a grouping and a period from the lists."))
    item = programme_items(programme_id).get(values["item_code"])
    if item is None:
        raise DomainError(_("No questionnaire of this programme has an item with the code “%(code)s”.")
                          % {"code": values["item_code"]})
    if not supports(item, values["statistic"]):
        raise DomainError(_("The item “%(code)s” does not report a share.") % {"code": item.code}
                          if values["statistic"] == "share" else
                          _("The item “%(code)s” has no mean: choose a number or 0–10 item.") % {"code": item.code})
    target = float(values["target"])
    if not math.isfinite(target) or (values["statistic"] == "share" and not 0 <= target <= 1):
        raise DomainError(_("A share's target is a percentage from 0 to 100."))
    low, high = _mean_range(item) if values["statistic"] == "mean" else (None, None)
    if (low is not None and target < low) or (high is not None and target > high):
        bounds = {"low": format_decimal(low or 0), "high": format_decimal(high or 0)}
        raise DomainError(_("The target must be a value the item can have: at least %(low)s.") % bounds
                          if high is None else
                          _("The target must be a value the item can have: at most %(high)s.") % bounds
                          if low is None else
                          _("The target must be a value the item can have: from %(low)s to %(high)s.") % bounds)
    if values["statistic"] == "share":
        try:
            item.kind.share_codes(item, values["top_boxes"])
        except ValueError:
            raise DomainError(_("This item has too few answer options for %(count)s top boxes.")
                              % {"count": values["top_boxes"]}) from None
    return item


def _mean_range(item: Item) -> tuple[float | None, float | None]:
    """The lowest and highest value an answer can have: a number's minimum and maximum (each if set), the
    scale's points (0 and 10)."""
    if item.kind.code == "number":
        low, high = item.settings.get("min"), item.settings.get("max")
        return (None if low is None else float(low)), (None if high is None else float(high))
    try:
        points = [float(choice.code) for choice in item.kind.choices(item, "en")]
    except (TypeError, ValueError, AttributeError, NotImplementedError):
        return None, None
    return (min(points), max(points)) if points else (None, None)


def programme_results(programme: Programme, lang: str, min_n: int) -> list[IndicatorResult]:
    """Every indicator of the programme over all its submitted responses (the indicator screen)."""
    indicators = programme_indicators(programme.id)
    if not indicators:
        return []
    scope = programme_scope(programme)
    return compute_all(indicators, scope, response_frame(scope), lang, min_n)


def report_results(scope: Scope, frame: pd.DataFrame, lang: str, min_n: int) -> list[IndicatorResult]:
    """The programme's indicators on items in the report's scope, over its responses (filters applied)."""
    codes = {item.code for item in scope.items}
    indicators = [i for i in programme_indicators(scope.programme.id) if i.item_code in codes]
    return compute_all(indicators, scope, frame, lang, min_n)


def compute_all(indicators: list[Indicator], scope: Scope, frame: pd.DataFrame, lang: str,
                min_n: int) -> list[IndicatorResult]:
    history = History.of_frame(scope, frame) if indicators else None
    return [compute(indicator, scope, _latest_meaning(frame, indicator.item_code, history), lang, min_n)
            for indicator in indicators]


def _latest_meaning(frame: pd.DataFrame, code: str, history: History | None) -> pd.DataFrame:
    """Only the answers given on the item's latest meaning: a 5 of 5 points is no 5 of 7."""
    segments = (history.segments.get(code) or []) if history is not None else []
    if len(segments) <= 1:
        return frame
    latest = max(segments, key=lambda segment: max(segment.keys))
    return frame[latest.rows(frame)]


def compute(indicator: Indicator, scope: Scope, frame: pd.DataFrame, lang: str, min_n: int) -> IndicatorResult:
    """The indicator per group and period of ``frame``'s responses, against its target."""
    item = next((item for item in scope.items if item.code == indicator.item_code), None)
    result = IndicatorResult(
        name=indicator.name, item_code=indicator.item_code,
        question=(item.text("label", lang) or item.code) if item is not None else indicator.item_code,
        statistic=indicator.statistic, target=indicator.target, direction=indicator.direction,
        dimension=dimension_title(indicator.dimension), period_kind=indicator.period,
        target_digits=target_digits(indicator.statistic, indicator.target))
    if item is None or item.code not in frame or not supports(item, indicator.statistic):
        note = _("The item “%(code)s” is not asked in the questionnaires of this report.")
        return replace(result, note=note % {"code": indicator.item_code})
    data = pd.DataFrame({"value": _values(item, indicator, frame[item.code]),
                         "group": _groups(frame, indicator.dimension), "period": _periods(frame, indicator.period)})
    data = data.dropna(subset=["period"])
    periods = _ordered_periods(frame, indicator.period, data["period"])
    # Answers without a site or session (through the public link) get a row of their own: else a site's
    # "no answers" would stand beside a total made of them.
    grouped = data.assign(group=data["group"].astype("object").where(data["group"].notna(), UNGROUPED))
    groups = sorted(grouped["group"].unique(), key=lambda group: (group is UNGROUPED, str(group)))
    cells = {group: _cells(indicator, grouped[grouped["group"] == group], periods, min_n) for group in groups}
    _hide_complement(cells, periods, grouped.dropna(subset=["value"]), min_n)
    wordings = _period_wordings(scope, item.code, frame, data, periods, lang)
    labels = [label for _key, label in periods]
    public = _("without a wave") if indicator.period == "wave" and _("without a wave") in labels else None
    rows = [IndicatorRow(_ungrouped_title(indicator.dimension) if group is UNGROUPED else str(group),
                         _trended(indicator, cells[group], wordings, public)) for group in groups]
    total = None if indicator.dimension == "all" else IndicatorRow(
        _("All respondents"), _trended(indicator, _cells(indicator, data, periods, min_n), wordings, public))
    differ = len(set(wordings.values())) > 1
    return replace(result, periods=labels, rows=rows, total=total, public_period=public,
                   wordings=list(wordings.items()) if differ else [],
                   not_asked=_not_asked(scope, item.code, frame, data, periods))


def _ungrouped_title(dimension: str) -> str:
    return _("No site (public link)") if dimension == "site" else _("No session (public link)")


def _values(item: Item, indicator: Indicator, values: pd.Series) -> pd.Series:
    """1.0/0.0 per answer for a share (in the share codes or not), the number for a mean; NA if unanswered."""
    if indicator.statistic == "mean":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    codes = item.kind.share_codes(item, indicator.top_boxes)
    as_text = values.map(lambda value: None if pd.isna(value) else _code_text(value))
    return as_text.isin(codes).astype("float64").where(as_text.notna())


def _code_text(value) -> str:
    """A stored code as text: scale points read as numbers (5.0 is "5")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _groups(frame: pd.DataFrame, dimension: str) -> pd.Series:
    if dimension == "all" or dimension not in frame:
        return pd.Series(_("All respondents"), index=frame.index, dtype="object")
    return frame[dimension].astype("object")


def _periods(frame: pd.DataFrame, kind: str) -> pd.Series:
    """Each response's period key: the wave's name, or (year, quarter) / year of its submission."""
    if kind == "wave":  # answers through the public link have no wave: a period of their own
        waves = frame["wave"] if "wave" in frame else pd.Series(None, index=frame.index)
        return waves.astype("object").where(waves.notna(), _("without a wave"))
    submitted = pd.to_datetime(frame["submitted_at"], utc=True)
    if kind == "year":
        return submitted.dt.year.astype("object").where(submitted.notna())
    keys = list(zip(submitted.dt.year, submitted.dt.quarter, strict=True))
    return pd.Series(keys, index=frame.index, dtype="object").where(submitted.notna())


def _ordered_periods(frame: pd.DataFrame, kind: str, keys: pd.Series) -> list[tuple[object, str]]:
    """(key, label) of each period present, in time order (waves by their position)."""
    if kind == "wave":
        ranked = frame[["wave", "wave_position"]].dropna().drop_duplicates("wave").sort_values("wave_position")
        waves = [*ranked["wave"], _("without a wave")]
        return [(wave, str(wave)) for wave in waves if wave in set(keys)]
    present = sorted(set(keys.dropna()))
    if kind == "year":
        return [(int(year), str(int(year))) for year in present]
    return [((year, quarter), _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year})
            for year, quarter in present]


def _cells(indicator: Indicator, data: pd.DataFrame, periods: list, min_n: int) -> list[IndicatorCell]:
    answered = data.dropna(subset=["value"])
    return [_cell(indicator, label, answered.loc[answered["period"] == key, "value"], min_n)
            for key, label in periods]


def _cell(indicator: Indicator, period: str, values: pd.Series, min_n: int) -> IndicatorCell:
    n = int(values.size)
    if n < min_n:
        return _no_data(period, suppressed=n > 0)
    if indicator.statistic == "share" and gives_away(int(values.sum()), n, min_n):
        return _no_data(period, suppressed=True)
    if indicator.statistic == "share":
        value = float(values.sum()) / n
        low, high = wilson_interval(int(values.sum()), n)
    else:
        value = float(values.mean())
        low, high = mean_interval(value, float(values.std(ddof=1)), n)
    met = value >= indicator.target if indicator.direction == "at_least" else value <= indicator.target
    digits = value_digits(indicator.statistic, value, indicator.target, indicator.direction)
    return IndicatorCell(period, n, value, _finite(low), _finite(high), MET if met else NOT_MET, digits=digits)


def _no_data(period: str, suppressed: bool) -> IndicatorCell:
    return IndicatorCell(period, None, None, None, None, NO_DATA, suppressed=suppressed)


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value


def _hide_complement(cells: dict[object, list[IndicatorCell]], periods: list, answered: pd.DataFrame,
                     min_n: int) -> None:
    """Where groups of a period are suppressed, hide the smallest shown too until the total gives none away
    (the reports' rule: ``secondary_suppression``)."""
    groups = list(cells)
    for index, (key, label) in enumerate(periods):
        in_period = answered.loc[answered["period"] == key, "group"]
        sizes = np.array([int((in_period == group).sum()) for group in groups], dtype="int64")
        hidden = np.array([cells[group][index].suppressed for group in groups], dtype=bool)
        for group, hide in zip(groups, secondary_suppression(sizes, hidden, min_n), strict=True):
            if hide:
                cells[group][index] = _no_data(label, suppressed=True)


def _trended(indicator: Indicator, cells: list[IndicatorCell], wordings: Mapping[str, str],
             public: str | None) -> list[IndicatorCell]:
    """Each cell with its change from the previous period, where both have a value. None into or out of the
    public link's period (not a time after the last wave), and none where the item's wording changed."""
    out, previous = [], None
    for cell in cells:
        both = previous is not None and cell.value is not None and previous.value is not None
        if both and public in (cell.period, previous.period):
            pass
        elif both and wordings.get(cell.period) != wordings.get(previous.period):
            cell = replace(cell, wording_changed=True)
        elif both:
            change = cell.value - previous.value
            trend = FLAT if abs(change) < FLAT_BELOW[indicator.statistic] else UP if change > 0 else DOWN
            cell = replace(cell, change=change, trend=trend)
        out.append(cell)
        previous = cell
    return out


def _not_asked(scope: Scope, code: str, frame: pd.DataFrame, data: pd.DataFrame, periods: list) -> list[str]:
    """The periods none of whose responses came from a questionnaire asking the item."""
    if "questionnaire_id" not in frame:
        return []
    asking = [q.id for q in scope.questionnaires if any(item.code == code for item in q.items)]
    asked = frame.loc[data.index, "questionnaire_id"].isin(asking)
    return [label for key, label in periods if not asked[data["period"] == key].any()]


def _period_wordings(scope: Scope, code: str, frame: pd.DataFrame, data: pd.DataFrame, periods: list,
                     lang: str) -> dict[str, str]:
    """Each period's wording of the item (several joined by " / "); nothing if it was always worded alike."""
    texts = {q.id: item.text("label", lang) or code for q in scope.questionnaires for item in q.items
             if item.code == code}
    if len(set(texts.values())) < 2 or "questionnaire_id" not in frame:
        return {}
    asked = frame.loc[data.index, "questionnaire_id"]
    out = {}
    for key, label in periods:
        wordings = dict.fromkeys(texts[q] for q in asked[data["period"] == key].unique() if q in texts)
        out[label] = " / ".join(wordings)
    return out
