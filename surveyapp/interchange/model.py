"""What a reader hands over: the questionnaire it understood and what it could not map.

`Draft.data` follows the starter format (see surveyapp.starters' docstring: languages, title, texts, pages with
title / condition / skips / items, items with code, type, required, settings, condition, texts, options, rows).
Readers may add, per item, `"texts": {"invalid": {lang: message}}` (a pattern's message) and settings the
item type's check_settings takes (min/max, min_length/max_length, pattern, min_choices/max_choices, other, …).
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One row or question that does not map. `where` names it as its author knows it: "survey, row 12
    (name: age)" or "question G2Q3 (code: favourite)"; `reason` says why, in the interface language."""

    where: str
    reason: str


@dataclass
class Draft:
    """A questionnaire as read from a file; created only when `problems` is empty or they are skipped."""

    source: str  # "xlsform" or "limesurvey"
    data: dict  # the starter format
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # mapped with a change worth saying ("de-informal" -> "de")

    @property
    def item_count(self) -> int:
        return sum(len(page["items"]) for page in self.data.get("pages", []))
