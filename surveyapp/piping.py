"""Piping: put facts known about the respondent into questionnaire texts.

"... since the session at {place} on {date}?" -> "... since the session at Fahrschule Graz on 3 March 2026?"
An item's code names its earlier answer: "How often do you drive your {vehicle}?" -> "... your motorbike?"
(`answer_texts`: an option's label in the page's language, several answers joined with ", ", nothing yet
answered: an empty text). `{code|text}` gives `text` when there is no value (no invitation, not answered),
so a public link reads "since your session at your driving school"; without a fallback a missing invitation fact
is empty rather than a literal "{place}". Other unknown placeholders stay as written, so a text with no
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

PLACEHOLDER = re.compile(r"\{(\w+)(?:\|[^{}|]*)?\}")  # one group, the name: `{code}` or `{code|fallback}`
SEPARATOR = ", "  # between the answers of a multiple choice
FACTS = ("place", "date")  # what an invitation knows of its session (respond.invitation)


def pipe(text: str, values: Mapping[str, str] | None) -> str:
    if not text or "{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: _value(m, values or {}), text)


def pipe_html(text: str, values: Mapping[str, str] | None) -> Markup:
    """`text` escaped, each known placeholder replaced by its value, escaped and isolated."""
    text, values = text or "", values or {}
    pieces, end = [], 0
    for match in PLACEHOLDER.finditer(text):
        value = _value(match, values)
        given = match.group(1) in values and str(values[match.group(1)])
        pieces += [text[end:match.start()], _isolated(value) if given else value]
        end = match.end()
    return Markup("").join([*pieces, text[end:]])  # join escapes every piece that is not Markup


def _value(match: re.Match, values: Mapping[str, str]) -> str:
    """A placeholder's value, else its fallback, else nothing for a known fact, else the placeholder as written."""
    name, fallback = match.group(1), fallback_of(match)
    value = str(values[name]) if name in values else ""
    if value:
        return value
    if fallback is not None:
        return fallback
    return "" if name in values or name in FACTS else match.group(0)


def fallback_of(match: re.Match) -> str | None:
    """The text after `|` in a placeholder (None without one)."""
    whole = match.group(0)
    return whole[whole.index("|") + 1:-1] if "|" in whole else None


def readable(text: str | None) -> str:
    """A wording as a report shows it: `{x}` -> "[x]", `{x|text}` -> its fallback text."""
    return PLACEHOLDER.sub(lambda m: m.group(1).join("[]") if fallback_of(m) is None else fallback_of(m),
                           text or "")


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
