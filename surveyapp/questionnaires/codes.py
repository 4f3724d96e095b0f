"""Codes suggested from wording, so a manager writes the question first and need not invent its code.

Pure functions (no Flask, no database): the builder passes the codes already taken.
"""
import re
import unicodedata
from collections.abc import Collection

MAX_SUGGESTED = 30
_WORDS = re.compile(r"[a-z0-9]+")
_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
_FOLDED = str.maketrans({**_GERMAN, "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ı": "i"})


def ascii_words(text: str) -> list[str]:
    """'Wie oft fährst du?' -> ['wie', 'oft', 'faehrst', 'du']: German umlauts written out as Germans do
    (before folding, which would drop them to 'fahrst'), other accents dropped, other scripts lost."""
    composed = unicodedata.normalize("NFC", text or "").translate(_FOLDED).lower()
    folded = unicodedata.normalize("NFKD", composed)
    return _WORDS.findall(folded.encode("ascii", "ignore").decode())


def suggest_code(text: str, taken: Collection[str], *, fallback: str = "q", letter_first: bool = True) -> str:
    """A code from `text`: its words joined by '_', at most 30 characters, unique among `taken` (q, q_2, …).

    A text with no Latin letters (Arabic, Ukrainian) gives `fallback`. Item codes must start with a letter
    (`letter_first`); option codes may be digits ('1', '2').
    """
    base = _joined(ascii_words(text), MAX_SUGGESTED) or fallback
    if letter_first and not base[0].isalpha():
        base = _joined(["q", base], MAX_SUGGESTED)
    return unique(base, taken)


def unique(base: str, taken: Collection[str]) -> str:
    """`base`, or `base_2`, `base_3`… (still at most 30 characters) when taken."""
    code, number = base, 1
    while code in taken:
        number += 1
        suffix = f"_{number}"
        code = _cut(base, MAX_SUGGESTED - len(suffix)) + suffix
    return code


def _cut(code: str, limit: int) -> str:
    """`code` shortened to `limit` characters, at a word boundary ('_') when one is there."""
    if len(code) <= limit:
        return code
    head = code[:limit + 1]
    return head[:head.rfind("_")] if head.rfind("_") > 0 else code[:limit]


def _joined(words: list[str], limit: int) -> str:
    """Whole words while they fit; a single overlong word is cut."""
    code = ""
    for word in words:
        longer = f"{code}_{word}" if code else word
        if len(longer) > limit:
            return code or word[:limit]
        code = longer
    return code
