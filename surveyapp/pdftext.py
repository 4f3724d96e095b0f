"""Fonts, line breaking and right-to-left text for PDFs: DejaVu Sans covers Latin, Turkish, Cyrillic and Arabic.

A leaf module: the reports and the questionnaire's sharing poster both use it.

A word never breaks without a hyphen: reportlab splits a word wider than its line anywhere (``splitLongWords``),
so text holding such a word is broken into lines here, the word hyphenated at a line's end.
RTL lines are reordered by python-bidi's pure-Python algorithm: its default (Rust) ``get_display`` does not
mirror brackets, so “(ذو الحدين)” came out as “)…(”. That algorithm predates isolates (LRI, RLI, FSI … PDI),
so ``visual`` does their work: each isolated run, and in RTL text each number, percentage and number range
(“20.8–40.8”), is reordered on its own and stands in the line as one neutral character, so no “%47”, no
“40.8–20.8” and no Latin title turned inside out; bidi controls and marks are dropped after reordering.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from babel import Locale, UnknownLocaleError
from bidi.algorithm import get_base_level, get_display
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
BUNDLED_DIR = Path(__file__).resolve().parent / "fonts"
# Debian/Ubuntu: package fonts-dejavu-core.
SYSTEM_DIR = Path("/usr/share/fonts/truetype/dejavu")

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# Control characters other than tab and line breaks: no glyph, and a stored label or answer may hold them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Bidi controls and marks: they steer the reordering and are then dropped (DejaVu draws isolates as boxes).
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BIDI_ISOLATES = re.compile("[\u2066-\u2069]")
_ISOLATED = re.compile("([\u2066\u2067\u2068])([^\u2066-\u2069]*)\u2069")
_NUMBER_PART = r"[+\u2212]?\d[\d.,]*(?:[\u00a0\u202f]?%)?"
_NUMBER = re.compile(rf"{_NUMBER_PART}(?:–{_NUMBER_PART})*")
# Stand-ins for isolated runs while a line is reordered: Control Pictures are neutral (ON) and never mirrored.
_HOLD = 0x2400
_HOLDS = 0x27
_HELD = re.compile(f"[{chr(_HOLD)}-{chr(_HOLD + _HOLDS - 1)}]")
HYPHEN = "-"
# A word may break after a hyphen it already has (no second hyphen is added there).
_HYPHENS = frozenset("-\u2010")
# A break before a consonant that starts a syllable (consonant then vowel) reads best: "Rücklauf-quote".
_VOWELS = frozenset("aeiouyäöüàâæçéèêëîïôœùûüáíóúıаеєиіїоуюяыэё")
# Room left for rounding: reportlab must find each line no wider than the width it was made for.
_SLACK = 0.5


class FontMissingError(RuntimeError):
    """A font file the PDF needs is not installed."""


def find_font_dir(font_dir: Path | None = None) -> Path:
    """Pick the first directory holding both DejaVu files: explicit, bundled (surveyapp/fonts), system."""
    candidates = [font_dir] if font_dir is not None else [BUNDLED_DIR, SYSTEM_DIR]
    for directory in candidates:
        if all((directory / name).is_file() for name in FONT_FILES.values()):
            return directory
    directory = candidates[-1]
    missing = next(directory / name for name in FONT_FILES.values() if not (directory / name).is_file())
    raise FontMissingError(
        f"PDF font file not found: {missing}. Install the Debian package fonts-dejavu-core "
        f"(apt-get install fonts-dejavu-core) or copy {' and '.join(FONT_FILES.values())} "
        f"into {BUNDLED_DIR}."
    )


def register_fonts(font_dir: Path | None = None) -> None:
    """Register DejaVu Sans regular and bold with reportlab (once per process)."""
    registered = pdfmetrics.getRegisteredFontNames()
    if all(name in registered for name in FONT_FILES):
        return
    directory = find_font_dir(font_dir)
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(directory / filename)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def printable(text: str) -> str:
    """``text`` without control characters (tab and line breaks stay): what may go into the PDF."""
    return _CONTROL.sub("", text)


def is_rtl(text: str) -> bool:
    """Whether the text contains right-to-left letters and so needs shaping and reordering."""
    return bool(_RTL.search(text))


def rtl_language(lang: str) -> bool:
    """Whether the language is written right to left (Babel's CLDR data), so a report in it reads from the right."""
    try:
        return Locale.parse(lang).character_order == "right-to-left"
    except (ValueError, UnknownLocaleError):
        return False


def right_aligned(text: str) -> bool:
    """Whether the paragraph direction is right-to-left (its first strong letter is RTL)."""
    return is_rtl(text) and get_base_level(text) == 1


def visual(line: str, base: str | None = None) -> str:
    """One line of shaped RTL text in display order; ``base`` "R" or "L" sets the paragraph direction (else its
    first strong letter does).

    An isolate (LRI, RLI or FSI … PDI) and every number run is ordered on its own and counts as one neutral
    character in the line, as the Unicode algorithm's isolates do: “95 %: 20.8–40.8” keeps its numbers whole."""
    if _HELD.search(line):
        return _BIDI_CONTROLS.sub("", get_display(line, base_dir=base))
    runs: list[str] = []

    def hold(run: str) -> str:
        if len(runs) == _HOLDS:
            return run
        runs.append(run)
        return chr(_HOLD + len(runs) - 1)

    def isolated(match: re.Match) -> str:
        opener, inner = match.groups()
        if not is_rtl(inner):
            return hold(_BIDI_CONTROLS.sub("", inner))
        rtl = opener == "\u2067" or (opener == "\u2068" and right_aligned(inner))
        return hold(visual(inner, "R" if rtl else "L"))

    # An isolate that a line break cut in two is closed at the line's end and opened at the next one's start.
    line = re.sub("^([^\u2066-\u2068]*\u2069)", "\u2068\\1", line)
    line = re.sub("([\u2066-\u2068][^\u2069]*)$", "\\1\u2069", line)
    line = _BIDI_ISOLATES.sub("", _ISOLATED.sub(isolated, line))
    line = _NUMBER.sub(lambda match: hold(match.group(0)), line)
    display = _BIDI_CONTROLS.sub("", get_display(line, base_dir=base))
    return _HELD.sub(lambda match: runs[ord(match.group(0)) - _HOLD], display)


def markup(text: str, font: str, size: float, width: float, base: str | None = None) -> str:
    """Return Paragraph markup for user text: escaped; RTL text shaped; broken into lines here when needed.

    Lines are made here for RTL text (broken in logical order, each line reordered on its own: reordering a
    whole paragraph before wrapping would put its end on the first line) and for text with a word wider than
    ``width`` (hyphenated, see ``wrap``); other text is left to reportlab, which breaks only at spaces.
    """
    text = printable(text)
    rtl = is_rtl(text)
    if rtl:
        text = "\n".join(arabic_reshaper.reshape(part) for part in text.splitlines())
    else:
        text = _BIDI_CONTROLS.sub("", text)
    if not rtl and widest_word(text, font) * size <= width - _SLACK:
        return escape(text)
    lines = wrap(text, font, size, width - _SLACK)
    return "<br/>".join(escape(visual(line, base) if rtl else line) for line in lines)


class Text(Flowable):
    """A paragraph of user or translated text whose lines are made once the layout gives it a width.

    ``markup`` breaks RTL text and text with an over-long word into lines itself; made for a width wider than
    the real one (a frame's or a cell's padding), reportlab would break those lines again, and in an RTL line
    that puts its first word on a line of its own. So the markup is made in ``wrap``, for the width offered.
    """

    def __init__(self, value: str, style: ParagraphStyle, width: float, bullet: str | None = None,
                 base: str | None = None):
        super().__init__()
        self.value, self.style, self.width_limit, self.bullet, self.base = value, style, width, bullet, base
        self._paragraph: Paragraph | None = None

    def paragraph(self, width: float) -> Paragraph:
        """The text as a reportlab Paragraph broken for ``width`` points (less the style's indents)."""
        st = self.style
        lines = min(width, self.width_limit) - st.leftIndent - st.rightIndent
        return Paragraph(markup(self.value, st.fontName, st.fontSize, lines, self.base), st, bulletText=self.bullet)

    def wrap(self, availWidth, availHeight):
        self._paragraph = self.paragraph(availWidth)
        self.width, self.height = self._paragraph.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        self._paragraph.drawOn(self.canv, 0, 0)

    def split(self, availWidth, availHeight):
        return self.paragraph(availWidth).split(availWidth, availHeight)

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter


def widest_word(text: str, font: str) -> float:
    """Width of the text's widest word at a font size of 1 point (widths grow with the size)."""
    return max((_width(word, font, 1) for word in text.split()), default=0.0)


def word_fit_size(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest font size up to ``size`` (in quarter points, not below ``smallest``) at which every word of
    the text fits ``width``: a narrow column's heading shrinks rather than break a word."""
    widest = widest_word(text, font)
    if widest * size <= width - _SLACK:
        return size
    return max(smallest, math.floor((width - _SLACK) / widest * 4) / 4)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines of at most ``width`` points at spaces; a word wider than a line is hyphenated."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if _width(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            *heads, line = hyphenate(word, font, size, width)
            lines += heads
        lines.append(line)
    return lines


def _width(text: str, font: str, size: float) -> float:
    """The drawn width: bidi controls are dropped before drawing (the font would draw an isolate as a box)."""
    return pdfmetrics.stringWidth(_BIDI_CONTROLS.sub("", text), font, size)


def hyphenate(word: str, font: str, size: float, width: float) -> list[str]:
    """Split a word into pieces no wider than ``width``, each but the last ending in a hyphen.

    Breaks after a hyphen the word has where one fits, else before a consonant that starts a syllable, else
    after as many letters as fit; two letters at least on each side, so no piece is a lone letter.
    """
    pieces = []
    while _width(word, font, size) > width and len(word) > 3:
        cut = _cut(word, font, size, width)
        head = word[:cut]
        pieces.append(head if head[-1] in _HYPHENS else head + HYPHEN)
        word = word[cut:]
    return [*pieces, word]


def _cut(word: str, font: str, size: float, width: float) -> int:
    """Where to break ``word``: the longest head (with its hyphen) that fits, at the best kind of break."""
    def fits(cut: int) -> bool:
        head = word[:cut]
        return _width(head if head[-1] in _HYPHENS else head + HYPHEN, font, size) <= width

    cuts = [cut for cut in range(len(word) - 2, 1, -1) if fits(cut)]
    own = [cut for cut in cuts if word[cut - 1] in _HYPHENS]
    syllable = [cut for cut in cuts if _starts_syllable(word, cut)]
    return (own or syllable or cuts or [2])[0]


def _starts_syllable(word: str, cut: int) -> bool:
    before, letter, after = (word[i].lower() for i in (cut - 1, cut, cut + 1))
    return before.isalpha() and letter.isalpha() and letter not in _VOWELS and after in _VOWELS


def fit(text: str, width: float, font: str, size: float, suffix: str = "", base: str | None = None) -> str:
    """Return one line of plain text, shortened with an ellipsis to ``width`` points, in visual order.

    ``suffix`` (e.g. “: 35 %”) is never shortened; it follows the text in reading order, so in an RTL line it
    ends up on the left of it. ``base`` sets the line's direction (see ``visual``)."""
    text = " ".join(printable(text).split())
    rtl = is_rtl(text + suffix)
    if rtl:
        text = arabic_reshaper.reshape(text)
    else:
        text, suffix = _BIDI_CONTROLS.sub("", text), _BIDI_CONTROLS.sub("", suffix)
    room = width - _width(suffix, font, size)
    if _width(text, font, size) > room:
        while text and _width(text + "…", font, size) > room:
            text = text[:-1]
        text += "…"
    return visual(text + suffix, base) if rtl else text + suffix
