"""Build a ReportData from the responses in scope: datasets -> statistics -> the renderers' plain model.

Call inside ``force_locale(options.lang)``: headings, option labels and group names come out in the report
language, whatever language the questionnaire was answered in. Flushes nothing, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
from babel.dates import format_date
from flask_babel import gettext as _

from surveyapp.datasets.frames import Filters, Scope, response_frame
from surveyapp.datasets.pivot import EXCLUDED, declined_count
from surveyapp.datasets.versions import History
from surveyapp.i18n import date_range, is_rtl, quoted
from surveyapp.indicators import service as indicator_service
from surveyapp.itemtypes import SHARES, Statistic
from surveyapp.piping import readable
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.reports import composites, groups, method, pathways, versions
from surveyapp.reports.analysis import (
    frequencies,
    multi_frequencies,
    numeric_summary,
    share_of,
)
from surveyapp.reports.model import (
    DEFAULT_MIN_N,
    ItemSection,
    KeyFigure,
    ReportData,
    WavePart,
    Wording,
)

OPEN_ANSWERS_SHOWN = 200


@dataclass(frozen=True)
class ReportOptions:
    lang: str = "en"
    filters: Filters = field(default_factory=Filters)
    include_open_answers: bool = False
    min_n: int = DEFAULT_MIN_N
    top_boxes: int = 2
    attribute_items: dict[str, str] = field(default_factory=lambda: dict(groups.DEFAULT_ATTRIBUTE_ITEMS))
    pool_waves: bool = False  # add a part over all waves together (never instead of the per-wave parts)


def build_report(scope: Scope, options: ReportOptions, today: date | None = None) -> ReportData:
    """The report: the method, then one part per wave (see ``wave_parts``), then the wave comparisons."""
    frame = response_frame(scope, options.filters)
    lang = options.lang
    history = History.of_frame(scope, frame)  # a changed item's answers never pool across its versions
    flags, labels = key_flags(*versions.comparable(frame, scope.items, history), lang, options.top_boxes)
    waves = groups.wave_order(frame)
    asked = method.source_wordings(scope, frame, labels, lang)  # each pair's rows: the earlier wave's words
    matched, unmatched = groups.comparisons(frame, flags, labels, waves, options.min_n,
                                            method.source_wordings(scope, frame, labels), asked)
    return ReportData(
        title=_("Evaluation report"),
        programme=_subtitle(scope, lang),
        period=_period(frame["submitted_at"], lang),
        waves=waves or [_("all respondents")],
        population=_population(scope, frame, options.filters.wave, lang),
        method=method.method_rows(scope, frame, lang, options.filters.wave),
        wordings=method.item_wordings(scope, frame, labels, lang, options.filters.wave),
        computation=method.computation(options.min_n, options.top_boxes, lang, options.filters),
        notes=[*versions.notes(history, lang), *method.imported_notes(frame, lang),
               *method.flagged_notes(scope, options.filters)],
        parts=wave_parts(scope, frame, waves, options),
        comparisons=matched,
        unmatched=unmatched,
        nonresponse=groups.nonresponse(frame, flags, labels, waves, options.min_n, asked),
        indicators=indicator_service.report_results(scope, frame, lang, options.min_n),
        include_open_answers=options.include_open_answers,
        min_n=options.min_n,
        generated_on=format_date(today or date.today(), "long", locale=lang),
        language=lang,
        pathway=pathways.section(scope, frame, options, key_flags),
    )


def question(item: Item, lang: str) -> str:
    """Its wording, pipes made readable ("[vehicle]", a fallback's text); a part's after its composite's
    ("How satisfied are you with …: the library")."""
    own = readable(item.text("label", lang)) or item.code
    return f"{question(item.parent, lang)}: {own}" if item.parent is not None else own


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


@dataclass(frozen=True)
class _Slice:
    """A part's responses, their questionnaire(s) and the wording of each item code these asked."""

    title: str
    rows: pd.DataFrame
    questionnaires: list[Questionnaire]
    items: list[Item]
    asked: dict[str, str]
    pooled: bool = False


def wave_parts(scope: Scope, frame: pd.DataFrame, waves: list[str], options: ReportOptions) -> list[WavePart]:
    """One part per wave (in wave order), then the responses without a wave (public link), then, only if the
    options ask for it, all of them pooled. Each part lists the items its own questionnaire(s) asked."""
    slices = _slices(scope, frame, waves, options)
    return [_part(piece, slices, scope, options) for piece in slices]


def _slices(scope: Scope, frame: pd.DataFrame, waves: list[str], options: ReportOptions) -> list[_Slice]:
    wave = frame["wave"]
    pieces = [(name, frame[wave == name], False) for name in waves]
    public = frame[wave.isna()]
    if not public.empty or not pieces:
        pieces.append((_("Without a wave (public link)") if pieces else _("All respondents"), public, False))
    if options.pool_waves and len(pieces) > 1:
        pieces.append((_("All waves pooled"), frame, True))
    return [_slice(scope, title, rows, pooled, options.lang) for title, rows, pooled in pieces]


def _slice(scope: Scope, title: str, rows: pd.DataFrame, pooled: bool, lang: str) -> _Slice:
    answered = {int(value) for value in rows["questionnaire_id"].dropna().unique()}
    questionnaires = [q for q in scope.questionnaires if q.id in answered] or scope.questionnaires
    items = scope.items_of({q.id for q in questionnaires})
    return _Slice(title, rows, questionnaires, items, {item.code: question(item, lang) for item in items},
                  pooled)


def _part(piece: _Slice, slices: list[_Slice], scope: Scope, options: ReportOptions) -> WavePart:
    lang, min_n, rows = options.lang, options.min_n, piece.rows
    history = History.of_frame(scope, rows)  # the versions this part's responses were given on
    flags, labels = key_flags(*versions.comparable(rows, piece.items, history), lang, options.top_boxes)
    grouping, order = groups.group_columns(rows, {item.code: item for item in piece.items}, lang,
                                           options.attribute_items)
    others = [other for other in slices if other is not piece and not other.pooled]
    # a ranking's ranks are in its table; a text block has nothing to report
    reported = [item for item in piece.items if (item.kind.reported_alone or item.parent is None)
                and (item.kind.answered or item.kind.composite)]
    sections = versions.sections(reported, rows, history, lang, options, _asked_section(piece.questionnaires))
    return WavePart(
        title=piece.title,
        questionnaire=", ".join(q.text("title", lang) for q in piece.questionnaires),
        n=len(rows),
        key_figures=[KeyFigure(label, share_of(flags[code], min_n)) for code, label in labels.items()],
        items=[replace(section, other_wordings=_other_wordings(section.code, piece, others))
               for section in sections],
        breakdowns=groups.breakdown_tables(flags, labels, grouping, order, min_n),
        not_asked=[] if piece.pooled else _not_asked(piece, others),
        note=_part_note(piece),
    )


def _part_note(piece: _Slice) -> str | None:
    if piece.rows.empty:
        return _("No responses: nobody submitted an answer that matches this report's wave and dates.")
    if piece.pooled:
        return _("All waves together, as asked for: a respondent who answered several waves counts once in each, "
                 "and an item's answers count together whatever its wording.")
    return None


def _asked_section(questionnaires: list[Questionnaire]) -> Callable:
    """``item_section`` over the responses to the questionnaires that have the item: in a part over several
    questionnaires (all waves pooled), a respondent who was never asked an item is not missing its answer."""
    asking: dict[str, set[int]] = {}
    for questionnaire in questionnaires:
        for item in questionnaire.items:
            asking.setdefault(item.code, set()).add(questionnaire.id)

    def section(item: Item, frame: pd.DataFrame, lang: str, options: ReportOptions) -> ItemSection:
        if len(asking.get(item.code, ())) < len(questionnaires):
            frame = frame[frame["questionnaire_id"].isin(sorted(asking.get(item.code, ())))]
        return item_section(item, frame, lang, options)

    return section


def _other_wordings(code: str, piece: _Slice, others: list[_Slice]) -> list[Wording]:
    """How the other waves asked `code`, where their words differ from this part's."""
    own = piece.asked.get(code)
    return [Wording(other.title, other.asked[code]) for other in others
            if code in other.asked and other.asked[code] != own]


def _not_asked(piece: _Slice, others: list[_Slice]) -> list[str]:
    """The wording of the items other parts asked and this one did not, each code once."""
    missing: dict[str, str] = {}
    for other in others:
        for code, text in other.asked.items():
            if code not in piece.asked:
                missing.setdefault(code, text)
    return list(missing.values())


def item_section(item: Item, frame: pd.DataFrame, lang: str, options: ReportOptions) -> ItemSection:
    """The item's figures; the count of unusable stored numbers left out goes with them (``excluded``), and
    that of coded "don't know" answers (``declined``: out of the figures and of the missing answers)."""
    section = _item_section(item, frame, lang, options)
    excluded = frame.attrs.get(EXCLUDED, {}).get(item.code, 0)
    if excluded:
        section = replace(section, excluded=excluded)
    declined = declined_count(frame, item.code)
    if declined:
        shown = declined if declined >= options.min_n else None
        section = replace(section, missing=max(section.missing - declined, 0), declined=shown)
    return section


def _item_section(item: Item, frame: pd.DataFrame, lang: str, options: ReportOptions) -> ItemSection:
    """The statistics the item's type names: its distribution, then its figures (agreement, mean...)."""
    statistics, min_n = item.kind.statistics, options.min_n
    title = question(item, lang)
    for statistic, section in COMPOSITES.items():
        if statistic in statistics:
            return section(item, title, frame, lang, min_n)
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
# The sections of composite items, by the statistic's name: their figures are their parts'.
COMPOSITES = {Statistic.GRID: composites.grid_section, Statistic.RANKING: composites.ranking_section}


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
    return date_range(first, last, lang)


def _subtitle(scope: Scope, lang: str) -> str:
    if len(scope.questionnaires) == 1:
        return f"{scope.programme.name}: {scope.questionnaires[0].text('title', lang)}"
    return scope.programme.name


def _population(scope: Scope, frame: pd.DataFrame, wave: str | None, lang: str) -> str:
    """Who the report counts: everyone who submitted its questionnaires (a wave filter's only); said plainly
    when nobody did."""
    if not scope.questionnaires:
        return _("Nobody: the programme has no questionnaire yet, so there are no responses.")
    asked = {w.questionnaire_id for w in method.scope_waves(scope, frame, wave)} if wave else set()
    questionnaires = [q for q in scope.questionnaires if q.id in asked] or scope.questionnaires
    titles = ", ".join(quoted(q.text("title", lang), isolated=is_rtl(lang)) for q in questionnaires)
    if frame.empty:
        return _("Nobody: no responses to %(questionnaires)s match this report's wave and dates.") % {
            "questionnaires": titles}
    return _("Everyone who submitted %(questionnaires)s; incomplete answers are not counted.") % {
        "questionnaires": titles
    }


def report_pdf(scope: Scope, options: ReportOptions, today: date | None = None) -> bytes:
    """The report as PDF bytes in ``options.lang``; raises FontMissingError without DejaVu Sans."""
    from flask_babel import force_locale

    from surveyapp.reports.model import NumberFormat
    from surveyapp.reports.pdf import render_pdf

    with force_locale(options.lang):
        report = build_report(scope, options, today)
        return render_pdf(report, gettext=_, numbers=NumberFormat.babel(options.lang))
