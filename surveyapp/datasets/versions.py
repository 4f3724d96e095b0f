"""Answers from several versions of a questionnaire, lined up by item code.

Each response records the questionnaire version it was given on (questionnaires.versions); the current
version is described by the live items, an earlier one by its snapshot. An item whose meaning (type,
settings, offered option codes) differs between versions has answers that must never be pooled: a 5 given
on a 5-point scale is no 5 of 7. `History` groups, per item code, the (questionnaire, version) pairs whose
item means the same into `Segment`s; reports show a changed item per segment, exports keep every answer
with its version and describe each segment's scale. Reads only the questionnaire tables, never answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from babel.lists import format_list
from flask_babel import ngettext

from surveyapp.i18n import in_language
from surveyapp.itemtypes import Column, ItemType, item_type
from surveyapp.questionnaires.models import Item, Questionnaire, pick_text
from surveyapp.questionnaires.versions import meaning, snapshots

Key = tuple[int, int]  # (questionnaire id, version number)


@dataclass(frozen=True)
class _Text:
    key: str
    lang: str
    text: str


def _text_rows(texts: dict[str, dict[str, str]]) -> list[_Text]:
    return [_Text(key, lang, text) for key, by_lang in texts.items() for lang, text in by_lang.items()]


class SnapshotOption:
    """An option of an earlier version, read the way the item types read an Option."""

    def __init__(self, data: dict, default_lang: str):
        self.code = data["code"]
        self.texts = _text_rows({"label": data.get("labels", {})})
        self._default_lang = default_lang

    def label(self, lang: str) -> str:
        return pick_text(self.texts, "label", lang, self._default_lang) or self.code


class SnapshotItem:
    """An item as an earlier version asked it (read-only): what the item types need of an Item."""

    id = None
    parent = None  # an earlier version's part reads as an item of its own
    parts = ()

    def __init__(self, data: dict, questionnaire: Questionnaire):
        self.code, self.type = data["code"], data["type"]
        self.settings = dict(data.get("settings") or {})
        self.required, self.page = bool(data.get("required")), int(data.get("page") or 1)
        self.texts = _text_rows(data.get("texts") or {})
        self.options = [SnapshotOption(option, questionnaire.default_lang) for option in data.get("options", [])]
        self.questionnaire = questionnaire  # its default language only

    @property
    def kind(self) -> ItemType:
        return item_type(self.type)

    def text(self, key: str, lang: str) -> str:
        return pick_text(self.texts, key, lang, self.questionnaire.default_lang)


@dataclass(frozen=True)
class Segment:
    """The versions whose item `code` means the same; `item` describes it as the latest of them asked it."""

    item: Item | SnapshotItem
    keys: tuple[Key, ...]

    def describing(self, item: Item) -> Item | SnapshotItem:
        """`item` itself if these versions include its questionnaire's current one, else how they asked it."""
        return item if (item.questionnaire_id, item.questionnaire.version) in self.keys else self.item

    @property
    def numbers(self) -> list[int]:
        return sorted({number for _questionnaire, number in self.keys})

    def rows(self, frame: pd.DataFrame) -> pd.Series:
        """Which rows of a frame (questionnaire_id, version) were answered on these versions."""
        pairs = pd.MultiIndex.from_arrays([frame["questionnaire_id"].astype("int64"),
                                           frame["version"].astype("int64")])
        return pd.Series(pairs.isin(list(self.keys)), index=frame.index)


class History:
    """What each item of a scope meant on each version: segments per item code, oldest first."""

    def __init__(self, questionnaires: list[Questionnaire], codes: list[str], present: set[Key] | None = None):
        earlier = snapshots([questionnaire.id for questionnaire in questionnaires])
        by_id = {questionnaire.id: questionnaire for questionnaire in questionnaires}
        known = set(earlier) | {(q.id, q.version) for q in questionnaires}
        keys = sorted(known if present is None else present)
        self._slugs = {questionnaire.id: questionnaire.slug for questionnaire in questionnaires}
        self.keys = keys  # the versions shown, oldest first per questionnaire
        self._known, self._questionnaires, self._earlier = sorted(known), by_id, earlier
        self.segments: dict[str, list[Segment]] = {
            code: _segments(code, keys, by_id, earlier) for code in codes}

    @classmethod
    def of_frame(cls, scope, frame: pd.DataFrame) -> History:
        """The versions the frame's responses were given on (reports: only what is being shown)."""
        pairs = frame[["questionnaire_id", "version"]].drop_duplicates().astype("int64")
        return cls(scope.questionnaires, [item.code for item in scope.items],
                   set(map(tuple, pairs.itertuples(index=False, name=None))))

    @classmethod
    def of_scope(cls, scope) -> History:
        """Every version kept for the scope's questionnaires (codebooks: what the data can hold)."""
        return cls(scope.questionnaires, [item.code for item in scope.items])

    def changed(self) -> dict[str, list[Segment]]:
        """The items whose meaning differs between versions, with their segments."""
        return {code: segments for code, segments in self.segments.items() if len(segments) > 1}

    def numbers(self) -> list[int]:
        return sorted({number for segments in self.segments.values() for s in segments for number in s.numbers})

    def option_codes(self, item: Item) -> list[str]:
        """`item`'s option codes, then those only other versions offered (a deleted option's answers keep
        their column and category)."""
        codes = list(item.kind.option_codes(item)) if item.kind.coded else []
        for segment in self.segments.get(item.code) or []:
            if segment.item.kind.coded:
                codes += [code for code in segment.item.kind.option_codes(segment.item) if code not in codes]
        return codes

    def columns(self, item: Item) -> list[Column]:
        """`item`'s export columns over every version (a multiple choice: one per option any version offered)."""
        return item.kind.columns(item, self.option_codes(item))

    def value_labels(self, item: Item, lang: str) -> dict[str, str]:
        """`item`'s labels in `lang`, and for a code only other versions offered the label they gave it."""
        labels = item.kind.value_labels(item, lang)
        for segment in self.segments.get(item.code) or []:
            for code, label in segment.item.kind.value_labels(segment.item, lang).items():
                labels.setdefault(code, label)
        return labels

    def not_offering(self, item: Item) -> dict[str, set[Key]]:
        """Per option code of `item` (over every version), the versions that asked `item` without offering it:
        their respondents could not choose it, so its multiple-choice column is blank for them, not 0."""
        segments = self.segments.get(item.code) or []
        offered = {id(segment): set(segment.item.kind.option_codes(segment.item)) for segment in segments}
        out: dict[str, set[Key]] = {}
        for code in self.option_codes(item):
            keys = {key for segment in segments if code not in offered[id(segment)] for key in segment.keys}
            if keys:
                out[code] = keys
        return out

    def changes(self, code: str) -> list[tuple[Item | SnapshotItem, Item | SnapshotItem, Segment]]:
        """Where item `code`'s meaning changed between the versions shown: (as asked before, as asked after,
        the versions it changed in), one per distinct change. Read over every version kept, answered or not: a
        version that asked it as the version before did is no change of it (another item changed there)."""
        asked = [(key, item) for key in self._known
                 if (item := _item_at(code, key, self._questionnaires, self._earlier)) is not None]
        found: dict[tuple[str, str], tuple] = {}
        for (_previous, old), (key, new) in zip(asked, asked[1:], strict=False):
            was, now = meaning(old), meaning(new)
            if was != now and self.keys and self.keys[0] < key <= self.keys[-1]:
                found.setdefault((was, now), (old, new, []))[2].append(key)
        return [(old, new, Segment(new, tuple(keys))) for old, new, keys in found.values()]

    def label(self, segment: Segment, lang: str) -> str:
        """ "version 2"; over several questionnaires (waves) "post-session version 1; later versions 1 and 2"."""
        if len(self._slugs) == 1:
            return versions_text(segment.numbers, lang)
        numbers: dict[int, list[int]] = {}
        for questionnaire_id, number in segment.keys:
            numbers.setdefault(questionnaire_id, []).append(number)
        return "; ".join(f"{self._slugs[questionnaire_id]} {versions_text(listed, lang)}"
                         for questionnaire_id, listed in numbers.items())


def _segments(code: str, keys: list[Key], questionnaires: dict[int, Questionnaire],
              earlier: dict[Key, dict]) -> list[Segment]:
    grouped: dict[tuple, list[tuple[Key, Item | SnapshotItem]]] = {}
    for key in keys:
        item = _item_at(code, key, questionnaires, earlier)
        if item is not None:
            grouped.setdefault(meaning(item), []).append((key, item))
    return [Segment(members[-1][1], tuple(key for key, _item in members)) for members in grouped.values()]


def _item_at(code: str, key: Key, questionnaires: dict[int, Questionnaire], earlier: dict[Key, dict]):
    """Item `code` as version `key` asked it: a snapshot's, else (the current version) the live item."""
    questionnaire = questionnaires[key[0]]
    if key in earlier:
        data = next((item for item in earlier[key]["items"] if item["code"] == code), None)
        return SnapshotItem(data, questionnaire) if data is not None else None
    return next((item for item in questionnaire.items if item.code == code), None)


def versions_text(numbers: list[int], lang: str) -> str:
    """ "version 2", "versions 1 and 3" in `lang` (the report's or export's language)."""
    listed = format_list([str(number) for number in numbers], locale=lang)
    with in_language(lang):
        return ngettext("version %(list)s", "versions %(list)s", len(numbers), list=listed)
