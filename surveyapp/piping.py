"""Piping: put facts known about the respondent into questionnaire texts.

"... since the session at {place} on {date}?" -> "... since the session at Fahrschule Graz on 3 March 2026?"
An item's code names its earlier answer: "How often do you drive your {vehicle}?" -> "... your motorbike?"
(`answer_texts`: an option's label in the page's language, several answers joined with ", ", nothing yet
answered: an empty text). Unknown placeholders and texts without values stay as written, so a text with no
placeholder is unchanged. `pipe` gives plain text (letters); the respondent's page uses `pipe_html`, which
escapes wording and values and isolates each value in <bdi>: an answer is the respondent's text, and a
right-to-left override in it (U+202E) must not reverse the question's own words after it.
The builder refuses a placeholder that is neither an earlier answered item nor one of FACTS
(questionnaires.conditions.check_pipes).

A leaf module: items are read by what they offer (`code`, `kind`), never imported.
"""

import re
from collections.abc import Iterable, Mapping, Sequence

from markupsafe import Markup

from surveyapp.i18n import in_language

PLACEHOLDER = re.compile(r"\{(\w+)\}")
SEPARATOR = ", "  # between the answers of a multiple choice
FACTS = ("place", "date")  # what an invitation knows of its session (respond.invitation)


def pipe(text: str, values: Mapping[str, str] | None) -> str:
    if not text or not values:
        return text
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def pipe_html(text: str, values: Mapping[str, str] | None) -> Markup:
    """`text` escaped, each known placeholder replaced by its value, escaped and isolated."""
    text, values = text or "", values or {}
    pieces, end = [], 0
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        pieces += [text[end:match.start()], _isolated(str(values[name])) if name in values else match.group(0)]
        end = match.end()
    return Markup("").join([*pieces, text[end:]])  # join escapes every piece that is not Markup


def _isolated(value: str) -> Markup | str:
    """A value in <bdi>, so its direction ends with it; nothing for an empty one (a blank page stays blank)."""
    return Markup("<bdi>{}</bdi>").format(value) if value else ""


def placeholders(text: str | None) -> set[str]:
    """The names in a text's placeholders."""
    return set(PLACEHOLDER.findall(text or ""))


def answer_texts(items: Iterable, answers: Mapping[str, Sequence[str]], lang: str) -> dict[str, str]:
    """Each answered-type item's code -> its answer as put into a text in `lang` ("" when not answered).

    Coded answers become their option's label (interface words such as "Yes" in `lang` too); other values
    are put in as stored."""
    texts = {}
    with in_language(lang):
        for item in items:
            kind = item.kind
            if not kind.answered:
                continue
            values = answers.get(item.code) or ()
            labels = {choice.code: str(choice.label) for choice in kind.offered(item, lang)} \
                if kind.coded and values else {}
            texts[item.code] = SEPARATOR.join(labels.get(value, value) for value in values)
    return texts
