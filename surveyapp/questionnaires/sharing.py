"""The public link as QR codes (SVG for the page, PNG to download) and as a printable A4 poster.

segno makes the codes (pure Python, no dependencies); the poster is drawn with reportlab in the report fonts,
right-to-left titles shaped as the reports shape them (surveyapp.pdftext). The poster takes plain strings:
what to say in which language is decided by `poster_lines`, the layout by `poster_pdf`.
"""
import io
from dataclasses import dataclass

import segno
from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate, Spacer

from surveyapp.i18n import in_language, interface_language_for
from surveyapp.pdftext import BOLD, REGULAR, Text, printable, register_fonts, word_fit_size
from surveyapp.questionnaires.models import Questionnaire

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
QR_SIZE = 10 * cm  # on the poster, quiet zone included: scannable from a few metres
QR_SMALLEST = 8 * cm
SCALES = (1, 0.85, 0.7, 0.55, 0.45)  # of the type and the code, tried in turn until the poster fits one page
MARGIN = 1.8 * cm
PNG_SCALE = 10  # pixels per module of the downloadable PNG


def qr_code(link: str) -> segno.QRCode:
    """A QR code for `link`, error correction M at least (a printed poster gets scuffed), never a Micro QR."""
    return segno.make(link, error="m", micro=False)


def qr_svg(link: str, title: str) -> str:
    """An inline SVG of the code with `title` as its text alternative (segno escapes it); sized by the style
    sheet (a viewBox, no width or height)."""
    return qr_code(link).svg_inline(border=QUIET_ZONE, title=title, omitsize=True, svgclass="qr")


def qr_png(link: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(link).save(buffer, kind="png", scale=PNG_SCALE, border=QUIET_ZONE)
    return buffer.getvalue()


@dataclass(frozen=True)
class PosterLine:
    """The questionnaire's title in one language and "Scan or type the link" in that language."""

    title: str
    caption: str


def poster_lines(questionnaire: Questionnaire) -> list[PosterLine]:
    """One line per language with a title of its own (the default language first), each with the caption in
    its interface language; left out only where an earlier language has the same interface language (a
    language without an interface of its own speaks the fallback's). Compared by language, not by wording: an
    untranslated caption is still that language's line, to be translated in its catalogue."""
    lines, spoken = [], set()
    for lang in dict.fromkeys([questionnaire.default_lang, *questionnaire.languages]):
        title = next((row.text for row in questionnaire.texts if row.key == "title" and row.lang == lang), "")
        if not title and lang != questionnaire.default_lang:
            continue
        with in_language(lang):
            caption = _("Scan or type the link")
        interface = interface_language_for(lang)
        lines.append(PosterLine(title, "" if interface in spoken else caption))
        spoken.add(interface)
    return lines


def poster_pdf(link: str, lines: list[PosterLine]) -> bytes:
    """An A4 poster on one page: the titles, the code (10 cm), the link in large type under it, the captions.

    Many languages with long titles would run onto a second page: the type, then the code (never below 8 cm),
    shrink until it fits."""
    register_fonts()
    for scale in SCALES:
        pdf, pages = _poster(link, lines, scale)
        if pages == 1:
            break
    return pdf


def _poster(link: str, lines: list[PosterLine], scale: float) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                 bottomMargin=MARGIN, title=printable(lines[0].title if lines else link))
    width = A4[0] - 2 * MARGIN
    story = [*_titles(lines, width, scale), Spacer(1, 0.6 * cm * scale),
             _qr_drawing(link, max(QR_SIZE * scale, QR_SMALLEST)), Spacer(1, 0.4 * cm), _link(link, width),
             Spacer(1, 0.6 * cm * scale)]
    caption = _style("caption", REGULAR, 14 * scale)
    story += [Text(line.caption, caption, width) for line in lines if line.caption]
    document.build(story)
    return buffer.getvalue(), document.page


def _style(name: str, font: str, size: float) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25, alignment=TA_CENTER,
                          spaceAfter=size * 0.4)


def _titles(lines: list[PosterLine], width: float, scale: float) -> list[Text]:
    """The first language's title large, the others smaller; smaller still when there are many."""
    first, other = (26, 18) if len(lines) <= 3 else (20, 14)
    return [Text(line.title, _style(f"title{index}", BOLD, (first if index == 0 else other) * scale), width)
            for index, line in enumerate(lines)]


def _link(link: str, width: float) -> Drawing:
    """The link on one line, as large as fits: a paragraph would break it after a hyphen, and a line break in
    a link gets typed as a space."""
    size = word_fit_size(link, BOLD, 24, width, smallest=8)
    drawing = Drawing(width, size * 1.3)
    drawing.add(String(width / 2, size * 0.3, link, fontName=BOLD, fontSize=size, textAnchor="middle"))
    return drawing


def _qr_drawing(link: str, size: float) -> Drawing:
    """The code as vector squares (one rectangle per run of dark modules in a row): sharp at any print size."""
    matrix = qr_code(link).matrix
    modules = len(matrix) + 2 * QUIET_ZONE
    unit = size / modules
    drawing = Drawing(size, size)
    drawing.hAlign = "CENTER"
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for row_index, row in enumerate(matrix):
        y = size - (row_index + QUIET_ZONE + 1) * unit
        for start, length in _dark_runs(row):
            drawing.add(Rect((start + QUIET_ZONE) * unit, y, length * unit, unit, fillColor=colors.black,
                             strokeColor=None))
    return drawing


def _dark_runs(row) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in one row of the code."""
    runs, start = [], None
    for index, dark in enumerate([*row, 0]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs
