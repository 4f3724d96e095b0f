"""Which characters text may hold, and cleaning of staff texts: no Flask, so importers and CLIs can use it too.

Control characters (Unicode category Cc) other than tab and newline, lone surrogates and the noncharacters
(U+FFFE, U+FFFF, U+FDD0-U+FDEF, ...) are not allowed in XML 1.0 (so in XLSX), break e-mail headers and on
PostgreSQL (NUL) the database itself. Respondents' answers containing them are refused (`forbidden_character`);
staff texts lose them (`clean_text`), and single-line texts (titles, labels, places) lose line breaks too,
since they end up in e-mail subjects and spreadsheet cells.
"""
import re
import unicodedata

__all__ = ["clean_text", "forbidden_character", "normal_name", "normalise_newlines", "without_bidi_overrides"]

_LINE_BREAKS = re.compile(r"\r\n?")
# in a single-line text these separate words: a space, not nothing
_TO_SPACE = str.maketrans(dict.fromkeys("\t\n\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029", " "))


# The BMP part as one character class. The astral noncharacters (U+1FFFE, ... U+10FFFF) in that class made every
# search ten times slower (0.5 ms for 5,000 characters), so they are looked for only in texts that have astral
# characters (emoji) at all, which a UTF-16 length tells in microseconds.
_FORBIDDEN_BMP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# embeddings, overrides and isolates (LRE ... RLO, LRI ... PDI): an RLO in a label shows "evil" as "live"
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _astral_noncharacter(match: re.Match) -> bool:
    return ord(match.group()) & 0xFFFE == 0xFFFE


def _search(value: str) -> re.Match | None:
    """The first character of category Cc but tab and newline, surrogate or noncharacter."""
    found = _FORBIDDEN_BMP.search(value)
    if found is None and len(value.encode("utf-16-le")) > 2 * len(value):  # no surrogates left to fail on
        found = next(filter(_astral_noncharacter, _ASTRAL.finditer(value)), None)
    return found


def normal_name(name: str) -> str:
    """A name as stored and compared: NFKC (a no-break space is a space), whitespace runs one space, stripped."""
    return " ".join(unicodedata.normalize("NFKC", str(name)).split())


def normalise_newlines(value: str) -> str:
    """\\r\\n and a lone \\r (as browsers and old files send them) -> \\n."""
    return _LINE_BREAKS.sub("\n", value) if "\r" in value else value


def without_bidi_overrides(value: str) -> str:
    """`value` without bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).

    Short staff texts shown to participants (poll questions and options) need none of them."""
    return _BIDI_OVERRIDES.sub("", value)


def forbidden_character(value: str) -> str | None:
    """The first character `value` must not hold (after normalising line breaks), or None if it is clean."""
    found = _search(normalise_newlines(value))
    return found.group() if found else None


def clean_text(value, multiline: bool = False):
    """`value` without forbidden characters; single-line: line breaks and tabs become spaces, ends stripped.

    Line breaks are normalised to \\n first. Anything that is not a string (None, a number) is returned as it is,
    so this can be a WTForms filter on any text field.
    """
    if not isinstance(value, str):
        return value
    value = normalise_newlines(value)
    if not multiline:
        value = value.translate(_TO_SPACE).strip()
    if _search(value):
        value = _ASTRAL.sub(lambda match: "" if _astral_noncharacter(match) else match.group(),
                            _FORBIDDEN_BMP.sub("", value))
    return value


