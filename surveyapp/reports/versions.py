"""Reports over answers from several questionnaire versions: never pool answers whose meaning differs.

An item whose scale, range or options changed between the versions in the report (datasets.versions) is
shown once per version segment, each described as its versions asked it; the key figures, wave comparisons
and breakdowns count only the answers given on its latest version. The method box says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
from flask_babel import gettext as _

from surveyapp.datasets.versions import History, Segment, versions_text
from surveyapp.questionnaires.models import Item
from surveyapp.reports.model import ItemSection


def sections(items: list[Item], frame: pd.DataFrame, history: History, lang: str, options,
             item_section: Callable) -> list[ItemSection]:
    """`item_section` of each item; a changed item's once per segment, over that segment's answers only."""
    out = []
    for item in items:
        segments = history.segments.get(item.code) or []
        if len(segments) <= 1:
            out.append(item_section(segments[0].describing(item) if segments else item, frame, lang, options))
            continue
        for segment in segments:
            section = item_section(segment.describing(item), frame[segment.rows(frame)], lang, options)
            out.append(replace(section, question=f"{section.question} ({history.label(segment, lang)})"))
    return out


def comparable(frame: pd.DataFrame, items: list[Item], history: History) -> tuple[pd.DataFrame, list]:
    """The frame with a changed item's answers from other than its latest segment left out, and each item
    as that segment asked it: what key figures may count together."""
    shown, described = frame, []
    for item in items:
        segments = history.segments.get(item.code) or []
        latest = _latest(segments)
        described.append(latest.describing(item) if latest else item)
        if len(segments) > 1:
            shown = shown.copy() if shown is frame else shown
            columns = [column.name for column in item.kind.columns(item)]
            shown.loc[~latest.rows(shown), columns] = pd.NA
    return shown, described


def _latest(segments: list[Segment]) -> Segment | None:
    return max(segments, key=lambda segment: max(segment.keys), default=None)


def notes(history: History, lang: str) -> list[str]:
    """The method box's lines on versions: which versions answered, which items changed and how."""
    numbers = history.numbers()
    lines = [_("Answers from %(versions)s.", versions=versions_text(numbers, lang))] if len(numbers) > 1 else []
    for code, segments in history.changed().items():
        latest = _latest(segments)
        for before, after, changed_in in history.changes(code):
            lines.append(_("%(item)s changed in %(version)s (%(change)s): its figures are shown per version, "
                           "and key figures count only answers given on %(latest)s.",
                           item=code, version=history.label(changed_in, lang),
                           change=change_text(before, after), latest=history.label(latest, lang)))
    return lines


def change_text(before, after) -> str:
    """What differs between two descriptions of an item: its type, each setting, else its option codes."""
    parts = [f"{before.kind.label} → {after.kind.label}"] if before.type != after.type else []
    defaults = {**before.kind.defaults, **after.kind.defaults}
    for key in sorted({*before.settings, *after.settings}):
        old, new = (item.settings.get(key, defaults.get(key)) for item in (before, after))
        if old != new:
            parts.append(f"{key} {_blank(old)} → {_blank(new)}")
    old_codes, new_codes = before.kind.option_codes(before), after.kind.option_codes(after)
    if not parts and old_codes != new_codes:
        parts.append(_("options %(before)s → %(after)s", before=", ".join(old_codes), after=", ".join(new_codes)))
    return "; ".join(parts)


def _blank(value) -> str:
    return "–" if value is None else str(value)
