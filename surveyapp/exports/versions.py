"""What exports say about answers from several questionnaire versions (see datasets.versions).

Every answer keeps its stored value and its `version` column. Value labels are the current version's, plus
what an earlier version called a code differently or a code only it had ("5; version 1: 5 – agree"), so a
5 given on a 5-point scale is labelled as its respondents saw it. The workbook's "versions" sheet describes
each changed item as each version asked it: type, settings, codes and labels per language.
"""

from __future__ import annotations

import json

from flask_babel import gettext as _

from surveyapp.datasets.versions import History
from surveyapp.i18n import in_language
from surveyapp.questionnaires.models import Item

SHEET = "versions"


def value_labels(history: History, item: Item, lang: str) -> dict[str, str]:
    """`item`'s value labels in `lang` over every version: the current ones, then earlier differences."""
    labels = item.kind.value_labels(item, lang)
    current = dict(labels)
    for segment in history.segments.get(item.code) or []:
        if segment.describing(item) is item:  # the versions that asked what `item` asks now
            continue
        when = history.label(segment, lang)
        for code, label in segment.item.kind.value_labels(segment.item, lang).items():
            with in_language(lang):
                if code not in labels:  # a code only earlier versions had
                    labels[code] = _("%(label)s (%(versions)s)", label=label, versions=when)
                elif code in current and label != current[code]:
                    labels[code] = _("%(label)s; %(versions)s: %(earlier)s", label=labels[code], versions=when,
                                     earlier=label)
    return labels


def version_rows(history: History, langs: list[str]) -> tuple[list[str], list[list[str]]]:
    """The "versions" sheet: per changed item and version segment a row, then one per value code."""
    header = ["item", "versions", "type", "settings", "code", *(f"label_{lang}" for lang in langs)]
    rows = []
    for code, segments in history.changed().items():
        for segment in segments:
            item = segment.item
            numbers = ", ".join(str(number) for number in segment.numbers)
            settings = json.dumps(item.settings, sort_keys=True, ensure_ascii=False)
            rows.append([code, numbers, item.type, settings, "", *("" for _lang in langs)])
            labels = {lang: item.kind.value_labels(item, lang) for lang in langs}
            rows += [[code, numbers, "", "", value, *(labels[lang].get(value, "") for lang in langs)]
                     for value in (labels[langs[0]] if langs else {})]
    return header, rows
