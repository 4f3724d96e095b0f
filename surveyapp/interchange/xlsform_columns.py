"""The columns of an XLSForm sheet: `label`, `label::de`, `LABEL::EN`, `label:English (en)`, `label::Deutsch`.

A column name is a key (lower case; spaces as underscores: "list name" is list_name) and, for texts, a
language given by its code, by its name in English or in itself, or as "Name (code)". A plain text column is
in the form's default language (`None` here). Language names are read from Babel's data, so every language it
knows by name maps; a name it does not know is reported, and its column left out.
"""
import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

from surveyapp.i18n import INTERFACE_LANGUAGES, is_known_language

TEXT_KEYS = ("label", "hint", "constraint_message", "required_message")
MEDIA_KEYS = ("image", "big-image", "audio", "video", "media")
EXTENSION = "surveyapp"  # our own column: type and settings XLSForm has no words for (see xlsform_export)
EXTENSION_TEXT = "surveyapp_"  # surveyapp_<text key>::<language>: wording XLSForm has no column for
_CODE_IN_NAME = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,4})?)\s*\)\s*$")
_NAMED_LANGUAGES = ("bs", "hr", "sr", "hu", "pl", "ro", "cs", "sk", "sl", "sq", "bg", "ru", "fa", "ps", "ku", "so",
                    "ti", "es", "pt", "nl", "el", "zh", "sw", "hi", "ja", "ko", "sv", "da", "nb", "fi")


class UnknownLanguage(ValueError):
    """A language column whose language is neither a code nor a name Babel knows."""


@dataclass(frozen=True)
class Column:
    index: int
    key: str
    lang: str | None  # None: no language given (the default language, for a text)
    heading: str


def columns(header: list[str]) -> tuple[list[Column], list[str]]:
    """The columns of a header row, and the headings of those whose language is unknown (left out)."""
    found, unknown = [], []
    for index, heading in enumerate(header):
        heading = heading.strip()
        if not heading:
            continue
        key, _sep, lang = heading.partition("::") if "::" in heading else heading.partition(":")
        key = re.sub(r"\s+", "_", key.strip().lower())
        if not lang.strip() or not (key in TEXT_KEYS or key.startswith(EXTENSION_TEXT)):
            found.append(Column(index, key if key in MEDIA_KEYS else re.sub(r"\s+", "_", heading.lower()), None,
                                heading))
            continue
        try:
            found.append(Column(index, key, language_code(lang), heading))
        except UnknownLanguage:
            unknown.append(heading)
    return found, unknown


def language_code(text: str) -> str:
    """"English (en)", "en", "EN", "english", "Deutsch", "de-AT" -> a code; UnknownLanguage otherwise."""
    text = text.strip()
    given = _CODE_IN_NAME.search(text)
    candidate = (given.group(1) if given else text).replace("-", "_")
    if re.fullmatch(r"[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})?", candidate) and is_known_language(candidate.lower()):
        base, _sep, region = candidate.partition("_")
        return base.lower() + (f"_{region.upper()}" if region else "")
    code = _names().get(text.casefold())
    if code is None:
        raise UnknownLanguage(text)
    return code


@cache
def _names() -> dict[str, str]:
    """Language name (English, or the language's own) in lower case -> its code."""
    names = {name.casefold(): code for code, name in Locale("en").languages.items()
             if re.fullmatch(r"[a-z]{2,3}", code)}
    for code in (*INTERFACE_LANGUAGES, *_NAMED_LANGUAGES):
        try:
            names.setdefault(Locale.parse(code).get_language_name(code).casefold(), code)
        except (ValueError, UnknownLocaleError):
            continue
    return names


def english_name(code: str) -> str:
    """"de" -> "German", for the export's "label::German (de)" (the spelling KoboToolbox writes)."""
    base = code.split("_")[0]
    return Locale("en").languages.get(base, code)
