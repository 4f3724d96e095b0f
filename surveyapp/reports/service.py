"""Build a ReportData from the responses in scope: datasets -> statistics -> the renderers' plain model.

Call inside ``force_locale(options.lang)``: headings, option labels and group names come out in the report
language, whatever language the questionnaire was answered in. Flushes nothing, changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
from babel.dates import format_date
from flask_babel import gettext as _

from surveyapp.datasets import respondents
from surveyapp.datasets.frames import Filters, Scope, response_frame
from surveyapp.datasets.pivot import EXCLUDED
from surveyapp.datasets.versions import History
from surveyapp.indicators import service as indicator_service
from surveyapp.itemtypes import SHARES, Statistic
from surveyapp.questionnaires.models import Item
from surveyapp.reports import groups, pathways, versions
from surveyapp.reports.analysis import (
    frequencies,
    multi_frequencies,
    numeric_summary,
    share_of,
)
from surveyapp.reports.model import DEFAULT_MIN_N, ItemSection, KeyFigure, MethodRow, ReportData

OPEN_ANSWERS_SHOWN = 200


@dataclass(frozen=True)
class ReportOptions:
    lang: str = "en"
    filters: Filters = field(default_factory=Filters)
    include_open_answers: bool = False
    min_n: int = DEFAULT_MIN_N
    top_boxes: int = 2
    attribute_items: dict[str, str] = field(default_factory=lambda: dict(groups.DEFAULT_ATTRIBUTE_ITEMS))


def build_report(scope: Scope, options: ReportOptions, today: date | None = None) -> ReportData:
    frame = response_frame(scope, options.filters)
    lang = options.lang
    items = {item.code: item for item in scope.items}
    history = History.of_frame(scope, frame)  # a changed item's answers never pool across its versions
    flags, labels = key_flags(*versions.comparable(frame, scope.items, history), lang, options.top_boxes)
    waves = _waves(frame)
    grouping, order = groups.group_columns(frame, items, lang, options.attribute_items)
    matched, unmatched = groups.comparisons(frame, flags, labels, waves, options.min_n)
    return ReportData(
        title=_("Evaluation report"),
        programme=_subtitle(scope, lang),
        period=_period(frame["submitted_at"], lang),
        waves=waves or [_("all respondents")],
        population=_population(scope, lang),
        method=_method(scope, frame, waves, lang),
        notes=versions.notes(history, lang),
        key_figures=_key_figures(frame, flags, labels, waves, options.min_n),
        items=versions.sections(scope.items, frame, history, lang, options, item_section),
        comparisons=matched,
        unmatched=unmatched,
        breakdowns=groups.breakdown_tables(flags, labels, grouping, order, options.min_n),
        indicators=indicator_service.report_results(scope, frame, lang, options.min_n),
        include_open_answers=options.include_open_answers,
        min_n=options.min_n,
        generated_on=format_date(today or date.today(), "long", locale=lang),
        language=lang,
        pathway=pathways.section(scope, frame, options, key_flags),
    )


def question(item: Item, lang: str) -> str:
    return item.text("label", lang) or item.code


def key_flags(frame: pd.DataFrame, items: list[Item], lang: str, top: int) -> tuple[pd.DataFrame, dict]:
    """The headline flags: one per item whose type reports a share (agreement of the top boxes, "yes")."""
    flags, labels = {}, {}
    for item in items:
        if any(statistic in SHARES for statistic in item.kind.statistics):
            flags[item.code] = share_flags(frame[item.code], item.kind.share_codes(item, top))
            labels[item.code] = question(item, lang)
    return pd.DataFrame(flags, index=frame.index), labels


def share_flags(values: pd.Series, codes: list[str]) -> pd.Series:
    """Flag the answers that are one of `codes` (scale points compare as numbers); missing stays NA."""
    if pd.api.types.is_numeric_dtype(values):
        chosen = values.isin([float(code) for code in codes])
    else:
        chosen = values.astype("str").isin(codes)
    return chosen.astype("boolean").where(values.notna())


def _waves(frame: pd.DataFrame) -> list[str]:
    if "wave" not in frame or frame["wave"].isna().all():
        return []
    ranked = frame[["wave", "wave_position"]].dropna(subset=["wave"]).drop_duplicates("wave")
    return list(ranked.sort_values("wave_position")["wave"])


def _key_figures(frame, flags, labels, waves, min_n) -> list[KeyFigure]:
    figures = []
    for wave in waves or [None]:
        rows = flags if wave is None else flags[frame["wave"] == wave]
        figures += [
            KeyFigure(label, share_of(rows[code], min_n), wave=wave) for code, label in labels.items()
        ]
    return figures


def item_section(item: Item, frame: pd.DataFrame, lang: str, options: ReportOptions) -> ItemSection:
    """The item's figures; the count of unusable stored numbers left out goes with them (``excluded``)."""
    section = _item_section(item, frame, lang, options)
    excluded = frame.attrs.get(EXCLUDED, {}).get(item.code, 0)
    return replace(section, excluded=excluded) if excluded else section


def _item_section(item: Item, frame: pd.DataFrame, lang: str, options: ReportOptions) -> ItemSection:
    """The statistics the item's type names: its distribution, then its figures (agreement, mean...)."""
    statistics, min_n = item.kind.statistics, options.min_n
    title = question(item, lang)
    if Statistic.DISTRIBUTION in statistics:
        section = _section(item, title, _distribution(item, frame, min_n), item.kind.value_labels(item, lang),
                           item.kind.chart)
        if section.suppressed:
            return section
        figures = {}
        for statistic in statistics:
            if statistic in FIGURES:
                figures.update(FIGURES[statistic](item, frame[item.code], options))
        return replace(section, **figures)
    values = frame[item.code]
    if Statistic.MEAN_MEDIAN in statistics:
        summary = numeric_summary(values, min_n)
        return ItemSection(
            item.code,
            title,
            item.type,
            summary.n,
            summary.missing,
            chart="none",
            summary=summary,
            suppressed=summary.suppressed,
        )
    answered = values.dropna()
    answered = answered[answered.str.strip() != ""]
    n = int(answered.size)
    shown = _open_answers(answered) if options.include_open_answers and n >= min_n else []
    return ItemSection(
        item.code,
        title,
        item.type,
        n if n >= min_n else None,
        int(values.size - n),
        chart="none",
        open_answers=shown,
        suppressed=n < min_n,
    )


def _distribution(item: Item, frame: pd.DataFrame, min_n: int):
    """Counts per option: of the item's column, or of its options' 0/1 columns (multiple choice)."""
    columns = item.kind.columns(item)
    if columns[0].option is None:
        return frequencies(frame[item.code], item.kind.option_codes(item), min_n=min_n)
    block = frame[[column.name for column in columns]]
    block.columns = [column.option for column in columns]
    return multi_frequencies(block, min_n=min_n)


def _agreement(item: Item, values: pd.Series, options: ReportOptions) -> dict:
    codes = item.kind.share_codes(item, options.top_boxes)
    return {"agreement": share_of(share_flags(values, codes), options.min_n)}


def _mean_median(item: Item, values: pd.Series, options: ReportOptions) -> dict:
    return {"summary": numeric_summary(values, options.min_n)}


# The figures a section adds to its distribution, by the statistic's name (a yes share is a key figure only).
FIGURES = {Statistic.AGREEMENT: _agreement, Statistic.MEAN_MEDIAN: _mean_median}


def _open_answers(answered: pd.Series) -> list[str]:
    shown = list(answered.iloc[:OPEN_ANSWERS_SHOWN])
    rest = int(answered.size - len(shown))
    if rest:
        shown.append(_("… and %(count)s more answers (see the data export)") % {"count": rest})
    return shown


def _section(item: Item, title: str, table, labels: dict[str, str], chart) -> ItemSection:
    return ItemSection(
        item.code,
        title,
        item.type,
        table.n,
        table.missing,
        rows=table.as_rows(labels),
        chart=chart,
        suppressed=table.suppressed,
    )


def _period(submitted: pd.Series, lang: str) -> str:
    if submitted.empty:
        return "–"
    first, last = submitted.min().date(), submitted.max().date()
    return f"{format_date(first, 'medium', locale=lang)} – {format_date(last, 'medium', locale=lang)}"


def _subtitle(scope: Scope, lang: str) -> str:
    if len(scope.questionnaires) == 1:
        return f"{scope.programme.name}: {scope.questionnaires[0].text('title', lang)}"
    return scope.programme.name


def _population(scope: Scope, lang: str) -> str:
    titles = ", ".join(f"“{q.text('title', lang)}”" for q in scope.questionnaires)
    return _("Everyone who submitted %(questionnaires)s; incomplete answers are not counted.") % {
        "questionnaires": titles
    }


def _method(scope: Scope, frame: pd.DataFrame, waves: list[str], lang: str) -> list[MethodRow]:
    if not waves:
        return [MethodRow(_("all respondents"), _period(frame["submitted_at"], lang), None, len(frame), None)]
    invited = respondents.invited_per_wave(scope.programme.id)
    retained = groups.retention(frame, waves) if frame["panel_code"].notna().any() else {}
    rows = []
    for wave in waves:
        part = frame[frame["wave"] == wave]
        asked = invited.get(wave)
        rows.append(
            MethodRow(
                wave,
                _period(part["submitted_at"], lang),
                asked,
                len(part),
                len(part) / asked if asked else None,
                retained.get(wave) if wave != waves[0] else None,
            )
        )
    return rows


def report_pdf(scope: Scope, options: ReportOptions, today: date | None = None) -> bytes:
    """The report as PDF bytes in ``options.lang``; raises FontMissingError without DejaVu Sans."""
    from flask_babel import force_locale

    from surveyapp.reports.model import NumberFormat
    from surveyapp.reports.pdf import render_pdf

    with force_locale(options.lang):
        report = build_report(scope, options, today)
        return render_pdf(report, gettext=_, numbers=NumberFormat.babel(options.lang))
