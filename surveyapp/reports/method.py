"""The method page: who was asked when, how many answered, and in which words each wave asked the key items.

Reads the wave plan and its invitations (counts and dates only, never contact data). Call inside
``force_locale(report language)``: row labels are translated. Flushes nothing, changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import case, func, select

from surveyapp.datasets import respondents
from surveyapp.datasets.frames import Filters, Scope, flagged_left_out
from surveyapp.extensions import db
from surveyapp.i18n import date_range
from surveyapp.reports import groups
from surveyapp.reports.model import EXACT_BELOW, ItemWordings, MethodRow, Wording
from surveyapp.waves.models import Invitation, Wave


@dataclass(frozen=True)
class Fielding:
    """A wave's invitations actually sent (a cancelled wave's count too) and when its answering ran."""

    sent: int
    first_sent: datetime | None
    last_close: datetime | None


def scope_waves(scope: Scope, frame: pd.DataFrame, wave_filter: str | None = None) -> list[Wave]:
    """The programme's waves that asked a questionnaire in scope or hold responses in it: those answered in the
    order they were fielded (groups.wave_order), then the others in wave order."""
    ids = {q.id for q in scope.questionnaires}
    fielded = {name: rank for rank, name in enumerate(groups.wave_order(frame))}
    waves = [w for w in respondents.waves_of(scope.programme.id) if w.questionnaire_id in ids or w.name in fielded]
    waves.sort(key=lambda w: fielded.get(w.name, len(fielded)))
    if wave_filter:
        waves = [w for w in waves if wave_filter in (w.name, str(w.id))]
    return waves


def fielding(waves: Iterable[Wave]) -> dict[int, Fielding]:
    """Sent invitations per wave id, the first send and the last closing date of those sent."""
    sent = Invitation.first_sent_at.is_not(None)
    rows = db.session.execute(
        select(Invitation.wave_id, func.count(Invitation.first_sent_at), func.min(Invitation.first_sent_at),
               func.max(case((sent, Invitation.closes_at))))
        .where(Invitation.wave_id.in_([w.id for w in waves]))
        .group_by(Invitation.wave_id)
    )
    return {wave_id: Fielding(int(count), first, last) for wave_id, count, first, last in rows}


def _dates(first: date | datetime, last: date | datetime, lang: str) -> str:
    return date_range(first, last, lang)


def _submitted(part: pd.DataFrame, lang: str) -> str | None:
    submitted = part["submitted_at"].dropna()
    return _dates(submitted.min(), submitted.max(), lang) if not submitted.empty else None


def _fielded(wave: Wave, field: Fielding | None, lang: str) -> str | None:
    """The answering period, or None before anything was sent; a cancelled wave ends when it was cancelled."""
    if field is None or not field.sent:
        return None
    end = (field.last_close or field.first_sent).date()
    if wave.cancelled_at is not None:
        period = _dates(field.first_sent, min(end, wave.cancelled_at.date()), lang)
        return _("%(period)s (cancelled)") % {"period": period}
    return _dates(field.first_sent, end, lang)


def method_rows(scope: Scope, frame: pd.DataFrame, lang: str, wave_filter: str | None = None) -> list[MethodRow]:
    """Per wave: fielding period, invitations sent, respondents, response rate and who also answered the first.

    A wave not yet sent has no period and no rate (“not yet fielded”); responses without a wave (public link)
    get a row of their own with no invitations.
    """
    waves = scope_waves(scope, frame, wave_filter)
    if not waves:
        return [MethodRow(_("All respondents"), _submitted(frame, lang), None, len(frame), None)]
    sent = fielding(waves)
    names = [w.name for w in waves]
    retained = groups.retention(frame, names) if frame["panel_code"].notna().any() else {}
    rows = []
    for wave in waves:
        n = int((frame["wave"] == wave.name).sum())
        invited = sent[wave.id].sent if wave.id in sent and sent[wave.id].sent else None
        fielded = _fielded(wave, sent.get(wave.id), lang) or (_submitted(frame[frame["wave"] == wave.name], lang)
                                                               if n else None)  # imported: no invitations
        rows.append(MethodRow(wave.name, fielded, invited, n,
                              n / invited if invited else None,
                              retained.get(wave.name) if wave is not waves[0] else None))
    public = frame[frame["wave"].isna()]
    if not public.empty:
        rows.append(MethodRow(_("Without a wave (public link)"), _submitted(public, lang), None, len(public), None))
    return rows


def item_wordings(scope: Scope, frame: pd.DataFrame, codes: Iterable[str], lang: str,
                  wave_filter: str | None = None) -> list[ItemWordings]:
    """For each key-figure item, the question as each wave's questionnaire put it (questionnaires without waves
    are named by their title)."""
    waves = scope_waves(scope, frame, wave_filter)
    askers = [(w.name, w.questionnaire) for w in waves] or [(q.text("title", lang), q) for q in scope.questionnaires]
    out = []
    for code in codes:
        wordings = [Wording(name, item.text("label", lang) or code)
                    for name, questionnaire in askers for item in questionnaire.items if item.code == code]
        if wordings:  # a wave filter can leave an item no wave in the report asked
            out.append(ItemWordings(code, wordings))
    return out


def source_wordings(scope: Scope, frame: pd.DataFrame, codes: Iterable[str],
                    lang: str | None = None) -> dict[str, dict[str, str]]:
    """Item code -> wave name -> the item's words in its questionnaire's own (default) language, for the waves
    that asked it: what decides whether two waves asked the same question. With ``lang``: in that language
    (the comparison rows' labels)."""
    wanted = set(codes)
    out: dict[str, dict[str, str]] = {}
    for wave in scope_waves(scope, frame):
        questionnaire = wave.questionnaire
        for item in questionnaire.items:
            if item.code in wanted:
                words = item.text("label", lang or questionnaire.default_lang)
                out.setdefault(item.code, {})[wave.name] = words or item.code
    return out


def imported_notes(frame: pd.DataFrame, lang: str) -> list[str]:
    """One note per source file of imported responses (response_import): how many came from it."""
    if "imported" not in frame or not frame["imported"].notna().any():
        return []
    counts = frame["imported"].dropna().value_counts(sort=False).sort_index()
    return [ngettext("%(count)s response was imported from earlier data collection (file %(file)s).",
                     "%(count)s responses were imported from earlier data collection (file %(file)s).",
                     int(n), count=format_decimal(int(n), locale=lang), file=source)
            for source, n in counts.items()]


def flagged_notes(scope: Scope, filters: Filters | None) -> list[str]:
    """How many responses were left out as implausible (kiosk.flags), if any."""
    left_out = flagged_left_out(scope, filters)
    if not left_out:
        return []
    return [ngettext("%(num)d response was left out as implausible (answered too fast, or the same answers sent "
                     "again at once from a kiosk).",
                     "%(num)d responses were left out as implausible (answered too fast, or the same answers sent "
                     "again at once from a kiosk).", left_out)]


def _dates_counted(filters: Filters | None, lang: str) -> list[str]:
    if filters is None or (filters.date_from is None and filters.date_to is None):
        return []
    start, end = (format_date(day, "medium", locale=lang) if day else "…"
                  for day in (filters.date_from, filters.date_to))
    return [_("Only responses submitted from %(start)s to %(end)s are counted; response rates are of these.")
            % {"start": start, "end": end}]


def computation(min_n: int, top_boxes: int, lang: str, filters: Filters | None = None,
                exact_below: int = EXACT_BELOW) -> list[str]:
    """How shares, intervals and tests are computed and what is hidden, in the report language; with a date
    filter, that response rates count only the responses submitted in it."""
    hidden = _("n < %(min_n)s") % {"min_n": min_n}
    return [
        *_dates_counted(filters, lang),
        _("Shares are of the respondents who answered the item; agreement counts the top %(top)s answers of the "
          "scale. Intervals are %(level)s Wilson score intervals.") % {
            "top": top_boxes, "level": format_percent(0.95, locale=lang)},
        _("Each later wave is compared with the first and with the wave before it, on the respondents matched "
          "by panel code who answered the item in both (McNemar's test, two-sided): exact (binomial) when fewer "
          "than %(exact)s of them changed their answer (discordant pairs), otherwise χ² with continuity "
          "correction.") % {"exact": exact_below},
        _("Where the two waves asked an item in different words, their answers are to two questions: the "
          "matched respondents, shares and discordant pairs are shown, but not tested."),
        _("Figures based on fewer than %(min_n)s respondents are not shown; they appear as “%(hidden)s”. Where "
          "hidden figures could be worked out from the total and the others, the next smallest are hidden too "
          "(secondary suppression), until the hidden figures together hold at least %(min_n)s respondents and "
          "none can be told; they appear as “%(withheld)s”.") % {
            "min_n": min_n, "hidden": hidden, "withheld": _("withheld")},
    ]
