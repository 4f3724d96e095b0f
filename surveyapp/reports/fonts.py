"""Fonts and right-to-left text for the PDF: DejaVu Sans covers Latin, Turkish, Cyrillic and Arabic."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_base_level, get_display
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "fonts"
# Debian/Ubuntu: package fonts-dejavu-core.
SYSTEM_DIR = Path("/usr/share/fonts/truetype/dejavu")

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# Control characters other than tab and line breaks: no glyph, and a stored label or answer may hold them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


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


def right_aligned(text: str) -> bool:
    """Whether the paragraph direction is right-to-left (its first strong letter is RTL)."""
    return is_rtl(text) and get_base_level(text) == 1


def markup(text: str, font: str, size: float, width: float) -> str:
    """Return Paragraph markup for user text: escaped, and for RTL text shaped and broken into lines first.

    Lines are broken in logical order and each line reordered on its own; reordering a whole paragraph
    before wrapping would put its end on the first line.
    """
    text = printable(text)
    if not is_rtl(text):
        return escape(text)
    lines: list[str] = []
    for part in text.splitlines() or [""]:
        shaped = arabic_reshaper.reshape(part)
        lines.extend(simpleSplit(shaped, font, size, width) or [""])
    return "<br/>".join(escape(get_display(line)) for line in lines)


def fit(text: str, width: float, font: str, size: float) -> str:
    """Return one line of plain text, shortened with an ellipsis to ``width`` points, in visual order."""
    text = " ".join(printable(text).split())
    rtl = is_rtl(text)
    if rtl:
        text = arabic_reshaper.reshape(text)
    if pdfmetrics.stringWidth(text, font, size) > width:
        while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
            text = text[:-1]
        text += "…"
    return get_display(text) if rtl else text
