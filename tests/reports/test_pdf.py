import io
import re
from dataclasses import replace
from datetime import date
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from surveyapp.i18n import date_range, quoted
from surveyapp.i18n_cli import TRANSLATIONS
from surveyapp.pdftext import (
    BOLD,
    REGULAR,
    FontMissingError,
    Text,
    find_font_dir,
    fit,
    markup,
    register_fonts,
    word_fit_size,
    wrap,
)
from surveyapp.reports.analysis import make_share
from surveyapp.reports.model import (
    BreakdownRow,
    BreakdownTable,
    FrequencyRow,
    ItemSection,
    ItemWordings,
    KeyFigure,
    MatchedComparison,
    MethodRow,
    NumberFormat,
    NumericSummary,
    ReportData,
    Share,
    UnmatchedComparison,
    WavePart,
    Wording,
)
from surveyapp.reports.pdf import render_pdf

MARKUP = "<b>bold</b> & <script>x</script>"
ARABIC = "سأقود بحذر أكثر"

GERMAN = {
    "Key figures": "Kennzahlen",
    "Method": "Methode",
    "Wave comparison": "Wellenvergleich",
    "Breakdowns": "Aufschlüsselungen",
    "Results by item": "Ergebnisse nach Frage",
    "Who was asked": "Wer wurde befragt",
    "Open answers": "Offene Antworten",
}


def _report(include_open_answers: bool = True) -> ReportData:
    agree = make_share(1289, 1448)
    rows = [FrequencyRow("1", "Strongly disagree", 0, 0.0, 0.0, 0.003),
            FrequencyRow("2", "Disagree", None, None, None, None, suppressed=True),
            FrequencyRow("3", "Neutral", 156, 156 / 1448, 0.09, 0.12),
            FrequencyRow("4", "Agree", 389, 389 / 1448, 0.25, 0.29),
            FrequencyRow("5", "Strongly agree", 900, 900 / 1448, 0.6, 0.65)]
    return ReportData(
        title="Close To: evaluation report",
        programme="Close To – road safety",
        period="2024-01-01 – 2024-12-31",
        waves=["T1", "T2"],
        population="Learner drivers after the session",
        method=[MethodRow("T1", "Jan–Dec 2024", 1600, 1448, 1448 / 1600),
                MethodRow("T2", "3–12 months later", 1448, 610, 610 / 1448, retained=610)],
        parts=[WavePart("T1", "Close To questionnaire", 1448, key_figures=[
            KeyFigure("will drive more carefully", agree), KeyFigure("tiny group", make_share(3, 4))], items=[
            ItemSection("careful", "I will drive more carefully", "likert", 1448, 12, rows=rows,
                        chart="stacked", agreement=agree),
            ItemSection("car", "Do you have a car? " + ARABIC, "single", 1448, 0, rows=rows[3:], chart="bar"),
            ItemSection("age", "Age", "number", 1448, 0,
                        summary=NumericSummary(1448, 0, 19.4, 18.0, 2.1, 17.0, 45.0), chart="none"),
            ItemSection("open", "What stayed with you?", "text", 2, 0, chart="none",
                        open_answers=[MARKUP, ARABIC, "ok"]),
        ], breakdowns=[BreakdownTable("Agreement by gender", "Gender", [
            BreakdownRow("female", make_share(700, 780)),
            BreakdownRow("male", make_share(585, 664)),
            BreakdownRow("diverse", make_share(4, 4)),
        ])])],
        comparisons=[MatchedComparison("will drive more carefully", "T1", "T2", 580, 0.9, 0.72, -0.18,
                                       120, 16, 0.0000001, "chi2-cc"),
                     MatchedComparison("small", "T1", "T2", None, None, None, None, None, None, None,
                                       None, suppressed=True)],
        unmatched=[UnmatchedComparison("will drive more carefully", "T1", "T2", agree, make_share(440, 610))],
        include_open_answers=include_open_answers,
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def english() -> str:
    pdf = render_pdf(_report())
    assert pdf.startswith(b"%PDF")
    return _text(pdf)


@pytest.fixture(scope="module")
def german() -> str:
    return _text(render_pdf(_report(), gettext=lambda s: GERMAN.get(s, s), numbers=NumberFormat.de()))


def test_headline_figure_with_interval_and_n(english):
    assert re.search(r"\b89%", english)
    assert "87.3–90.5" in english
    assert "n = 1,448" in english


def test_german_number_format(german):
    assert re.search(r"\b89\s%", german)
    assert "87,3–90,5" in german
    assert "n = 1.448" in german


def test_small_group_is_suppressed(english):
    # the 3-of-4 key figure, the group of 4 and the small cell show "n < 5", never their numbers
    assert re.search(r"tiny group\s+n < 5", english)
    assert re.search(r"diverse\s+n < 5\s+–\s+–", english)
    assert re.search(r"Disagree\s+n < 5\s+–\s+–", english)
    assert "100.0%" not in english


def test_markup_in_open_answers_is_literal(english):
    assert MARKUP in english


def test_open_answers_are_optional():
    text = _text(render_pdf(_report(include_open_answers=False)))
    assert "<script>" not in text


def test_headings_follow_report_language(english, german):
    def lines(text: str) -> set[str]:
        return {line.strip() for line in text.splitlines()}

    for heading in ("Key figures", "Method", "Wave comparison", "Breakdowns"):
        assert heading in lines(english)
        assert heading not in lines(german)
    for heading in ("Kennzahlen", "Methode", "Wellenvergleich", "Aufschlüsselungen"):
        assert heading in lines(german)
        assert heading not in lines(english)


def test_fonts_embedded(english):
    pdf = render_pdf(_report())
    assert b"DejaVuSans" in pdf
    assert b"/FontFile2" in pdf


def test_missing_font_names_the_file(tmp_path: Path):
    with pytest.raises(FontMissingError, match=r"DejaVuSans\.ttf.*fonts-dejavu-core"):
        find_font_dir(tmp_path)


def test_suppressed_share_renders_without_numbers():
    report = _report()
    hidden = Share(None, None, None, None, None, suppressed=True)
    report.parts[0].key_figures[:] = [KeyFigure("all hidden", hidden)]
    assert "n < 5" in _text(render_pdf(report))


def test_arabic_is_shaped(english):
    # arabic_reshaper turns letters into contextual presentation forms (U+FE70-U+FEFF)
    assert re.search("[\ufe70-\ufeff]{3}", english)
    assert ARABIC not in english


def catalogue(lang: str):
    """The shipped catalogue of ``lang`` compiled from its .po file (fuzzy entries left out, as pybabel does)."""
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(handle, locale=lang))
    compiled.seek(0)
    return GNUTranslations(compiled)


def broken_words(text: str, vocabulary: set[str]) -> list[str]:
    """Words of ``vocabulary`` that the text splits over two lines without a hyphen (“Rücklaufquot / e”)."""
    return [head + tail for head, tail in re.findall(r"(\w+)\n(\w+)", text) if head + tail in vocabulary]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_no_word_broken_without_a_hyphen(lang):
    given: list[str] = []

    def gettext(message: str) -> str:
        given.append(catalogue(lang).gettext(message) if lang != "en" else message)
        return given[-1]

    text = _text(render_pdf(_report(), gettext=gettext, numbers=NumberFormat.babel(lang)))
    vocabulary = {word for value in given for word in re.findall(r"\w+", value)}
    assert "Rücklaufquote" in vocabulary or lang == "en"
    assert broken_words(text, vocabulary) == []


def test_narrow_heading_shrinks_and_a_long_word_is_hyphenated():
    register_fonts()
    assert word_fit_size("Rücklaufquote", BOLD, 8.5, 200, smallest=6.5) == 8.5
    assert 6.5 <= word_fit_size("Rücklaufquote", BOLD, 8.5, 55, smallest=6.5) < 8.5
    lines = wrap("Die Straßenverkehrsordnungsänderung gilt", REGULAR, 8.5, 60)
    assert all(stringWidth(line, REGULAR, 8.5) <= 60 for line in lines)
    assert all(line.endswith("-") for line in lines[1:-2])
    assert "".join(lines[1:-1]).replace("-", "") + lines[-1].split()[0] == "Straßenverkehrsordnungsänderung"
    assert wrap("Post-Session-Befragung", REGULAR, 8.5, 60) == ["Post-Session-", "Befragung"]


def test_text_without_long_words_is_left_to_reportlab():
    register_fonts()
    assert markup("Response rate", BOLD, 8.5, 200) == "Response rate"
    head, tail = markup("Rücklaufquote", BOLD, 8.5, 55).split("<br/>")
    assert head.endswith("-") and head[:-1] + tail == "Rücklaufquote"


@pytest.mark.parametrize("value", [" ".join([ARABIC] * 12), "Straßenverkehrsordnungsänderungsvorschlag " * 3])
def test_lines_made_here_are_not_broken_again_by_reportlab(value):
    # Made for the frame's full width and drawn 12 points narrower, an RTL line used to lose its first word to a
    # line of its own; Text makes its lines for the width the layout offers.
    register_fonts()
    style = ParagraphStyle("t", fontName=REGULAR, fontSize=9.5, leading=13)
    text = Text(value, style, width=480)
    text.wrap(150, 1000)
    made = text.paragraph(150).text.count("<br/>") + 1
    assert made > 1 and len(text._paragraph.blPara.lines) == made


def test_brackets_in_arabic_are_mirrored():
    shown = markup("اختبار ماكنمار (ذو الحدين) دقيق", REGULAR, 9.5, 400)
    assert shown.index("(") < shown.index(")")


def test_a_right_to_left_report_puts_the_first_column_on_the_right(english):
    arabic = _text(render_pdf(replace(_report(), language="ar")))
    assert english.index("Answer") < english.index("Count")
    assert arabic.index("Count") < arabic.index("Answer")


def test_a_legend_entry_keeps_its_value_and_reads_from_the_right():
    register_fonts()
    assert fit("strongly disagree with everything said here", 100, REGULAR, 8, suffix=": 10 %").endswith("…: 10 %")
    shown = fit("لا أوافق", 100, REGULAR, 8, suffix=": 0%")
    assert shown.startswith("0% :")  # the locale's “0%”, drawn left of the label; never “%0”


def _arabic(message: str) -> str:
    """A stand-in Arabic catalogue: every message with an Arabic word in front, so each line is RTL text."""
    return "نص " + message


def test_arabic_numbers_keep_one_percent_pattern_and_low_high_intervals():
    report = replace(_report(), language="ar",
                     method=[MethodRow("T1", date_range(date(2025, 9, 27), date(2026, 12, 10), "ar"), 1600, 1448, 0.9),
                             MethodRow("T2", date_range(date(2026, 9, 26), date(2026, 11, 30), "ar") + " (ألغيت)",
                                       1448, 610, 0.42)])
    text = _text(render_pdf(report, gettext=_arabic, numbers=NumberFormat.babel("ar")))
    assert re.findall(r"\d%", text) and not re.findall(r"%\d", text), "one percent pattern: “47%”, never “%47”"
    ranges = [(float(low), float(high)) for low, high in re.findall(r"(\d+\.\d)–(\d+\.\d)", text)]
    assert ranges and all(low <= high for low, high in ranges), ranges
    assert "27/09/2025 – 10/12/2026" in text and "26/09/2026 – 30/11/2026" in text
    assert "2026/11/30" not in text and "\u2066" not in text and "\u200f" not in text


def test_a_latin_title_in_arabic_text_stays_whole():
    title = quoted("Close To – wie geht es dir heute?", lambda m: "”%(text)s“" if m == "“%(text)s”" else m, True)
    shown = markup("السؤال " + title, REGULAR, 9.5, 400)
    assert "”Close To – wie geht es dir heute?“" in shown or "“Close To – wie geht es dir heute?”" in shown
    footer = markup("”n < 5“: أقل من 5 مستجيبين.", REGULAR, 9.5, 400, base="R")
    assert footer.startswith("."), "the full stop ends the line on its left"


def test_comparison_header_is_not_broken_inside_a_word(english, german):
    assert "Matched n" in " ".join(english.split()) and "Matc-" not in english
    assert "Matc-" not in _text(render_pdf(_report(), gettext=lambda s: {"Matched n": "Matched n"}.get(s, s)))


def test_german_report_quotes_the_german_way():
    report = replace(_report(), wordings=[ItemWordings("careful", [Wording("T1", "Ich fahre vorsichtig"),
                                                                   Wording("T2", "Ich bin vorsichtig gefahren")])],
                     parts=[replace(_report().parts[0], not_asked=["Wie alt bist du?"])])
    german = {"“%(text)s”": "„%(text)s“", "In %(wave)s: %(text)s": "In %(wave)s: %(text)s", **GERMAN}
    text = _text(render_pdf(report, gettext=lambda s: german.get(s, s), numbers=NumberFormat.de()))
    assert "„Ich fahre vorsichtig“" in text and "„Wie alt bist du?“" in text
    assert "“Ich" not in text and "“Wie" not in text


def test_p_is_never_zero(english):
    assert re.search(r"<\s0\.001", english) and not re.search(r"\b0\.000\b", english)
    german = NumberFormat.babel("de")
    assert (german.p_value(1e-7), german.p_value(0.0312), german.p_value(1.0)) == ("<\u00a00,001", "0,031", "1,000")
    assert (german.signed(-10.94), german.signed(3.0), german.signed(0.0)) == ("−10,9", "+3,0", "0,0")
