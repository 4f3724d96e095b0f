"""The report's outcome-pathway section: the items tagged with a stage, per stage (pathway order) and wave.

Each item shows its headline figure as the wave asked it: the agreement or yes share with its interval (as a
key figure counts it), else the mean, with n. Waves are never pooled. Where the pathway has outcome data
(stages of kind outcome or impact with answers) but no output data, a warning says so: outcomes nobody can
trace to what the programme delivered. Call inside ``force_locale``, as ``service.build_report`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from flask_babel import gettext as _

from surveyapp.datasets.frames import Scope
from surveyapp.datasets.versions import History
from surveyapp.itemtypes import Statistic
from surveyapp.programmes.pathways import DEFAULT, PATHWAYS, stage, stages
from surveyapp.questionnaires.models import Item
from surveyapp.reports import versions
from surveyapp.reports.analysis import numeric_summary, share_of
from surveyapp.reports.model import ItemSection, Pathway

OUTPUT_KINDS = ("output",)
OUTCOME_KINDS = ("outcome", "impact")


@dataclass(frozen=True)
class _Wave:
    """One wave's responses (or those without a wave) and the tagged items its questionnaire(s) asked, by code."""

    title: str
    rows: pd.DataFrame
    items: dict[str, Item]

    def stage_codes(self, code: str) -> list[str]:
        return [item.code for item in self.items.values() if item.stage == code]


def section(scope: Scope, frame: pd.DataFrame, options, key_flags: Callable) -> Pathway | None:
    """The section, or None when no item in scope is tagged with a stage of the programme's pathway.

    `key_flags` is the report's (service.key_flags): a share here is the one its key figures show.
    """
    pathway = scope.programme.pathway
    waves = _waves(scope, frame, pathway)
    used = {item.stage for wave in waves for item in wave.items.values()}
    if not used:
        return None
    figures = [_figures(scope, wave, options, key_flags) for wave in waves]
    blocks = [(str(step.label), wave.title, [shown[code] for code in wave.stage_codes(step.code)])
              for step in stages(pathway) if step.code in used for wave, shown in zip(waves, figures, strict=True)]
    return Pathway(model=str(PATHWAYS[pathway or DEFAULT][0]), stages=blocks, warnings=_warnings(pathway, waves))


def _waves(scope: Scope, frame: pd.DataFrame, pathway: str | None) -> list[_Wave]:
    """The waves in their order, then the responses without one (the public link), each with its tagged items."""
    wave = frame["wave"]
    ordered = frame[["wave", "wave_position"]].dropna(subset=["wave"]).drop_duplicates("wave")
    names = list(ordered.sort_values("wave_position")["wave"])
    pieces = [(name, frame[wave == name]) for name in names]
    public = frame[wave.isna()]
    if not public.empty or not pieces:
        pieces.append((_("Without a wave (public link)") if pieces else _("All respondents"), public))
    return [_Wave(title, rows, _tagged(scope, rows, pathway)) for title, rows in pieces]


def _tagged(scope: Scope, rows: pd.DataFrame, pathway: str | None) -> dict[str, Item]:
    """The items the rows' questionnaires asked (all of scope's if none) that carry a stage of `pathway`, by
    code, as the first of those questionnaires asked them."""
    answered = {int(value) for value in rows["questionnaire_id"].dropna().unique()}
    questionnaires = [q for q in scope.questionnaires if q.id in answered] or scope.questionnaires
    asked: dict[str, Item] = {}
    for questionnaire in questionnaires:
        for item in questionnaire.items:
            asked.setdefault(item.code, item)
    return {code: item for code, item in asked.items() if stage(pathway, item.stage)}


def _figures(scope: Scope, wave: _Wave, options, key_flags: Callable) -> dict[str, ItemSection]:
    """The headline figure of each tagged item the wave asked, over the answers given on its latest version."""
    rows, described = versions.comparable(wave.rows, list(wave.items.values()), History.of_frame(scope, wave.rows))
    flags, _labels = key_flags(rows, described, options.lang, options.top_boxes)
    return {item.code: _figure(item, wave.items[item.code], rows, flags, options) for item in described}


def _figure(item: Item, asked: Item, rows: pd.DataFrame, flags: pd.DataFrame, options) -> ItemSection:
    """An ItemSection carrying only the headline: ``agreement`` (a share) or ``summary`` (the mean), and n."""
    question = asked.text("label", options.lang) or item.code
    if item.code in flags:
        share = share_of(flags[item.code], options.min_n)
        return ItemSection(item.code, question, item.type, share.n, int(flags[item.code].isna().sum()), chart="none",
                           agreement=share, suppressed=share.suppressed)
    if Statistic.MEAN_MEDIAN in item.kind.statistics:
        summary = numeric_summary(rows[item.code], options.min_n)
        return ItemSection(item.code, question, item.type, summary.n, summary.missing, chart="none",
                           summary=summary, suppressed=summary.suppressed)
    answered = int(_answered(item, rows).sum())
    hidden = answered < options.min_n
    return ItemSection(item.code, question, item.type, None if hidden else answered, len(rows) - answered,
                       chart="none", suppressed=hidden)


def _answered(item: Item, rows: pd.DataFrame) -> pd.Series:
    """Which rows answered the item (any of its columns; a blank text is no answer)."""
    answered = pd.Series(False, index=rows.index, dtype="bool")
    for column in item.kind.columns(item):  # column by column: a frame of categoricals has no row-wise any()
        values = rows[column.name]
        given = values.notna() & (values.astype("string").str.strip() != "")
        answered |= given.fillna(False).astype("bool")
    return answered


def _warnings(pathway: str | None, waves: list[_Wave]) -> list[str]:
    """Outcome data without output data: name the outcome stages answered and the output stages that are not."""
    answered = {item.stage for wave in waves for item in wave.items.values() if _answered(item, wave.rows).any()}
    outcomes = [step for step in stages(pathway) if step.kind in OUTCOME_KINDS and step.code in answered]
    outputs = [step for step in stages(pathway) if step.kind in OUTPUT_KINDS]
    if not outcomes or any(step.code in answered for step in outputs):
        return []
    return [_("This pathway has outcome data but no output data: %(outcomes)s answered, while no item of "
              "%(outputs)s has any answer, so the outcomes cannot be traced to what the programme delivered.")
            % {"outcomes": ", ".join(f"“{step.label}”" for step in outcomes),
               "outputs": ", ".join(f"“{step.label}”" for step in outputs)}]
