"""Render a ReportData as an evaluation-report PDF with reportlab; no Flask, aggregated data only.

All headings go through the caller's ``gettext`` (e.g. flask_babel.gettext inside force_locale), so the
report language is independent of the questionnaire's. All user text is escaped before it reaches a
Paragraph, so markup in answers appears literally.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from surveyapp.i18n import quoted
from surveyapp.pdftext import (
    BOLD,
    REGULAR,
    Text,
    fit,
    printable,
    register_fonts,
    right_aligned,
    rtl_language,
    word_fit_size,
)
from surveyapp.reports import charts, pdf_composites, pdf_indicators, pdf_pathway
from surveyapp.reports.model import (
    BreakdownTable,
    ItemSection,
    MatchedComparison,
    NonResponseNote,
    NumberFormat,
    ReportData,
    Share,
    UnmatchedComparison,
    WavePart,
)

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
FRAME_PADDING = 6  # SimpleDocTemplate's frame pads its content by 6 points a side: the margins make room for it
DASH = "–"


def _identity(text: str) -> str:
    return text


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=charts.MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=8.5, leading=10.5),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=24, leading=30, spaceAfter=14),
        "part": ParagraphStyle("part", parent=base, fontName=BOLD, fontSize=19, leading=24, spaceAfter=4),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=15, leading=19, spaceBefore=6,
                             spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=10,
                             spaceAfter=4),
        "figure": ParagraphStyle("figure", parent=base, fontName=BOLD, fontSize=26, leading=30),
    }


class _Writer:
    """Builds the flowables; holds the styles, the translations and the number format."""

    def __init__(self, report: ReportData, gettext: Callable[[str], str], numbers: NumberFormat):
        self.report = report
        self._ = gettext
        self.num = numbers
        self.styles = _styles()
        self.hidden = gettext("n < %(min_n)s") % {"min_n": report.min_n}
        self.rtl = rtl_language(report.language)

    # -- text helpers -------------------------------------------------------------------------------
    def text(self, value: str, style: str = "body", width: float = WIDTH, bullet: str | None = None) -> Text:
        """Paragraph for user-supplied or translated text: escaped, RTL shaped, its lines at most ``width`` points
        long (less where the layout gives less). In a right-to-left report every paragraph is right-aligned and
        reads from the right, whatever its first letter (a heading may start with a Latin title); elsewhere a
        paragraph of RTL text is right-aligned."""
        st = self.styles[style]
        if self.rtl or right_aligned(value):
            st = ParagraphStyle(f"{style}-rtl", parent=st, alignment=TA_RIGHT)
        if bullet is not None:
            st = ParagraphStyle(f"{st.name}-bullet", parent=st, leftIndent=10, bulletIndent=0)
        return Text(value, st, width, bullet, base="R" if self.rtl else None)

    def quoted(self, value: str) -> str:
        """``value`` in the report language's quotation marks, isolated in a right-to-left report."""
        return quoted(value, self._, self.rtl)

    def pct(self, value: float | None, digits: int = 0) -> str:
        return DASH if value is None else self.num.percent(value, digits)

    def ci(self, share: Share) -> str:
        if share.suppressed or share.ci_low is None or share.ci_high is None:
            return DASH
        return f"{self.num.decimal(share.ci_low * 100, 1)}{DASH}{self.num.decimal(share.ci_high * 100, 1)}"

    def n_text(self, n: int | None, suppressed: bool) -> str:
        return self.hidden if suppressed or n is None else self._("n = %(n)s") % {"n": self.num.integer(n)}

    def heading_cell(self, value: str, width: float) -> Text:
        """A column heading in bold, its font shrunk (down to 6.5 pt) where that keeps every word whole: with
        no hyphenation dictionary a break inside a word (“Matc-hed”) would be a guess; only a word too long
        even then is hyphenated (``pdftext.markup``)."""
        head = self.styles["head"]
        size = word_fit_size(value, head.fontName, head.fontSize, width, smallest=6.5)
        if size < head.fontSize:
            self.styles[f"head-{size}"] = ParagraphStyle(f"head-{size}", parent=head, fontSize=size,
                                                         leading=size * 1.25)
            return self.text(value, f"head-{size}", width)
        return self.text(value, "head", width)

    def table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
        """A table with a bold heading row repeated on each page; in a right-to-left report its first column is
        on the right and every cell is right-aligned."""
        if self.rtl:
            header, rows, widths = header[::-1], [row[::-1] for row in rows], widths[::-1]
        cells = [[self.heading_cell(h, w - 6) for h, w in zip(header, widths, strict=True)]]
        cells += [[self.text(c, "cell", w - 6) for c, w in zip(row, widths, strict=True)] for row in rows]
        table = Table(cells, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, charts.GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]))
        return table

    # -- sections -----------------------------------------------------------------------------------
    def title_page(self) -> list:
        r, _ = self.report, self._
        out = [Spacer(1, 50 * mm), self.text(r.title, "title"), self.text(r.programme, "h1"),
               self.text(_("Period: %(period)s") % {"period": r.period}),
               self.text(_("Waves: %(waves)s") % {"waves": ", ".join(r.waves)})]
        if r.generated_on:
            out.append(self.text(_("Generated on %(date)s") % {"date": r.generated_on}, "small"))
        return [*out, PageBreak()]

    def method(self) -> list:
        """The method page: who was asked, fielding and response per wave, wording, computation, suppression."""
        r, _ = self.report, self._
        out = [self.text(_("Method"), "h1"),
               self.text(_("Who was asked: %(population)s") % {"population": r.population}),
               self.text(_("Fielding and response"), "h2"), self.method_table()]
        if any(w.wordings for w in r.wordings):
            out += [self.text(_("Question wording"), "h2"), self.wordings_table()]
        out += [self.text(_("How figures are computed"), "h2"), *(self.text(p) for p in r.computation)]
        out += [self.text(note, "small") for note in r.notes]
        return [*out, PageBreak()]

    def method_table(self) -> Table:
        _ = self._
        rows = [[m.wave, _("not yet fielded") if m.fielded is None else m.fielded,
                 DASH if m.invited is None else self.num.integer(m.invited), self.num.integer(m.n),
                 self.pct(m.response_rate, 1), DASH if m.retained is None else self.num.integer(m.retained)]
                for m in self.report.method]
        header = [_("Wave"), _("Fielded"), _("Invited"), _("Respondents"), _("Response rate"),
                  _("Also in first wave")]
        return self.table(header, rows, [WIDTH * f for f in (.18, .26, .12, .14, .13, .17)])

    def wordings_table(self) -> Table:
        _ = self._
        rows = [[w.code, wording.wave, self.quoted(wording.text)] for w in self.report.wordings
                for wording in w.wordings]
        return self.table([_("Code"), _("Wave"), _("Question")], rows, [WIDTH * f for f in (.2, .2, .6)])

    def concealed(self, secondary: bool) -> str:
        """What a hidden cell shows: “n < 5”, or for a cell hidden only to protect another, “withheld”."""
        return self._("withheld") if secondary else self.hidden

    def part(self, part: WavePart) -> list:
        """One wave's (or the public link's, or the pooled) key figures, items and breakdowns, then a new page."""
        _ = self._
        heading = [self.text(part.title, "part")]
        if part.questionnaire:  # none for a programme without questionnaires: its note says there is nothing
            heading.append(self.text(_("Questionnaire “%(questionnaire)s”, respondents: %(n)s") % {
                "questionnaire": part.questionnaire, "n": self.num.integer(part.n)}, "small"))
        if part.note:
            heading.append(self.text(part.note))
        out: list = [CondPageBreak(70 * mm), KeepTogether(heading)]
        out += self.key_figures(part)
        if part.items:
            out.append(self.text(_("Results by item"), "h1"))
            for item in part.items:
                out += self.item(item)
        if part.not_asked:
            out.append(self.text(_("Not asked in this wave: %(items)s") % {
                "items": "; ".join(self.quoted(text) for text in part.not_asked)}, "small"))
        if part.breakdowns:
            out.append(self.text(_("Breakdowns"), "h1"))
            for table in part.breakdowns:
                out += self.breakdown(table)
        return [*out, PageBreak()]

    def key_figures(self, part: WavePart) -> list:
        out: list = [self.text(self._("Key figures"), "h1")] if part.key_figures else []
        for figure in part.key_figures:
            res = figure.result
            big = self.concealed(res.secondary) if res.suppressed else self.pct(res.share)
            detail = [self.text(figure.label, "h2", WIDTH * 0.7)]
            if not res.suppressed:
                detail.append(self.text(self._("95 %% CI: %(interval)s") % {"interval": self.ci(res)}))
            detail.append(self.text(self.n_text(res.n, res.suppressed)))
            row = Table([[self.text(big, "figure"), detail]], colWidths=[WIDTH * 0.28, WIDTH * 0.72])
            row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                     ("LINEBELOW", (0, 0), (-1, -1), 0.25, charts.GRID)]))
            out.append(row)
        return out

    def item(self, item: ItemSection) -> list:
        _ = self._
        head = [CondPageBreak(60 * mm), self.text(item.question, "h2")]
        head += [self.text(_("In %(wave)s: %(text)s") % {"wave": other.wave, "text": self.quoted(other.text)},
                           "small") for other in item.other_wordings]
        if item.excluded:
            head.append(self.text(self.excluded_note(item.excluded), "small"))
        if item.suppressed or item.n is None:
            return [*head, self.text(self.hidden)]
        head.append(self.text(_("Valid answers: %(n)s, missing: %(missing)s") % {
            "n": self.num.integer(item.n), "missing": self.num.integer(item.missing)}, "small"))
        if item.declined != 0:
            count = self.hidden if item.declined is None else self.num.integer(item.declined)
            head.append(self.text(_("Don't know / prefer not to say: %(count)s") % {"count": count}, "small"))
        bars = [charts.Bar(r.label, r.share, r.ci_low, r.ci_high, r.suppressed, self.concealed(r.secondary))
                for r in item.rows]
        body: list = pdf_composites.figures(self, item, WIDTH)
        if bars and item.chart == "bar":
            body.append(charts.share_bars(bars, WIDTH, self.num, self.hidden))
        elif bars and item.chart == "stacked":
            body.append(charts.stacked_bar(bars, WIDTH, self.num, self.hidden))
        if item.rows:
            rows = [[row.label, self.concealed(row.secondary) if row.suppressed else self.num.integer(row.count or 0),
                     self.pct(row.share, 1), self.ci(Share(row.count, item.n, row.share, row.ci_low,
                                                           row.ci_high, row.suppressed))]
                    for row in item.rows]
            body += [Spacer(1, 3), self.table([_("Answer"), _("Count"), _("Share"), _("95 % CI")], rows,
                                              [WIDTH * 0.5, WIDTH * 0.15, WIDTH * 0.15, WIDTH * 0.2])]
        if item.agreement is not None:
            a = item.agreement
            value = self.concealed(a.secondary) if a.suppressed else f"{self.pct(a.share)} ({self.ci(a)})"
            body.append(self.text(_("Agreement (top boxes): %(value)s") % {"value": value}))
        if item.summary is not None:
            s = item.summary
            cells = [self.num.decimal(v, 1) if v is not None else DASH
                     for v in (s.mean, s.median, s.sd, s.minimum, s.maximum)]
            if s.suppressed:
                cells = [self.hidden] + [DASH] * 4
            body.append(self.table([_("Mean"), _("Median"), _("SD"), _("Minimum"), _("Maximum")], [cells],
                                   [WIDTH / 5] * 5))
        if self.report.include_open_answers and item.open_answers:
            body.append(self.text(_("Open answers"), "small"))
            body += [self.text(answer, "body", WIDTH - 10, bullet="•") for answer in item.open_answers]
        return [KeepTogether(head + body[:1]), *body[1:]]

    def excluded_note(self, count: int) -> str:
        return self._("Left out as no usable number (infinite, not a number or beyond ±10^15): %(count)s") % {
            "count": self.num.integer(count)}

    def comparisons(self) -> list:
        _, r = self._, self.report
        out: list = []
        if r.comparisons:
            out += [self.text(_("Wave comparison"), "h1"),
                    self.text(_("Matched respondents only: the same panel code answered in both waves. "
                                "b: agreed before, not after; c: did not agree before, agreed after. Only these "
                                "discordant pairs enter McNemar's test."), "small")]
        pairs = dict.fromkeys((c.wave_before, c.wave_after) for c in r.comparisons)
        for before, after in pairs:
            out += [self.text(f"{before} → {after}", "h2"), self.table(
                [_("Item"), _("Matched n"), _("Before"), _("After"), _("Change"), "b", "c", _("Test"), "p"],
                [self._matched_row(c) for c in r.comparisons if (c.wave_before, c.wave_after) == (before, after)],
                [WIDTH * f for f in (.19, .1, .09, .09, .1, .05, .05, .2, .13)])]
            out += self.nonresponse(before, after)
        if r.unmatched:
            out += [self.text(_("Unmatched comparison"), "h2"),
                    self.text(_("All respondents of each wave, whether or not they answered both; "
                                "descriptive only, not a panel comparison."), "small")]
            out.append(self.table([_("Item"), _("Waves"), _("Before"), _("After")],
                                  [self._unmatched_row(u) for u in r.unmatched],
                                  [WIDTH * f for f in (.3, .16, .27, .27)]))
        return out

    def nonresponse(self, before: str, after: str) -> list:
        """Self-selection: the first-wave share of those who answered the later wave, beside everyone's."""
        notes = [n for n in self.report.nonresponse if (n.wave_before, n.wave_after) == (before, after)]
        if not notes:
            return []
        return [self.text(self._("Who answered %(wave)s") % {"wave": after}, "h2"),
                *(self.text(self.nonresponse_note(note)) for note in notes)]

    def nonresponse_note(self, note: NonResponseNote) -> str:
        def share(s: Share) -> str:
            return self.concealed(s.secondary) if s.suppressed else self.pct(s.share)

        return self._("“%(item)s”: of those who answered %(later)s (%(n_later)s), %(share)s agreed in %(first)s, "
                      "against %(everyone)s of all %(first)s respondents (%(n_first)s).") % {
            "item": note.label, "later": note.wave_after, "first": note.wave_before,
            "share": share(note.respondents), "everyone": share(note.everyone),
            "n_later": self.n_text(note.respondents.n, note.respondents.suppressed),
            "n_first": self.n_text(note.everyone.n, note.everyone.suppressed)}

    def test_name(self, method: str | None) -> str:
        names = {"exact": self._("McNemar exact (binomial)"),
                 "chi2-cc": self._("McNemar χ² with continuity correction")}
        return names.get(method or "", DASH)

    def p_value(self, p: float | None) -> str:
        """Three decimals, never “0.000”: below 0.001 it reads “< 0.001”."""
        return DASH if p is None else self.num.p_value(p)

    def compared_item(self, c: MatchedComparison | UnmatchedComparison) -> str:
        """The item as the first wave asked it, and the later wave's words where they differ."""
        later = self.report.reworded(c.code, c.wave_before, c.wave_after)
        if later is None:
            return c.label
        return f"{c.label} " + self._("In %(wave)s: %(text)s") % {"wave": c.wave_after, "text": self.quoted(later)}

    def _matched_row(self, c: MatchedComparison) -> list[str]:
        if c.suppressed or c.matched_n is None:
            return [self.compared_item(c), self.hidden, *[DASH] * 7]
        change = DASH if c.change is None else self._("%(value)s pp") % {
            "value": self._signed(c.change * 100)}
        counts = [DASH if v is None else self.num.integer(v) for v in (c.b, c.c)]
        if c.reworded:  # two questions: the counts, but no change, no test, no p
            return [self.compared_item(c), self.num.integer(c.matched_n), self.pct(c.share_before),
                    self.pct(c.share_after), DASH, *counts, self.not_tested(), DASH]
        return [self.compared_item(c), self.num.integer(c.matched_n), self.pct(c.share_before),
                self.pct(c.share_after), change, *counts, self.test_name(c.method), self.p_value(c.p_value)]

    def not_tested(self) -> str:
        return self._("not tested: the waves asked this in different words")

    def _signed(self, value: float) -> str:
        return self.num.signed(value)

    def _share_cell(self, s: Share) -> str:
        if s.suppressed:
            return self.concealed(s.secondary)
        return f"{self.pct(s.share)} ({self.ci(s)}), {self.n_text(s.n, False)}"

    def _unmatched_row(self, u: UnmatchedComparison) -> list[str]:
        return [self.compared_item(u), f"{u.wave_before} → {u.wave_after}", self._share_cell(u.before),
                self._share_cell(u.after)]

    def breakdown(self, table: BreakdownTable) -> list:
        _ = self._
        bars = [charts.Bar(row.group, row.result.share, row.result.ci_low, row.result.ci_high,
                           row.result.suppressed, self.concealed(row.result.secondary)) for row in table.rows]
        rows = [[row.group, self.concealed(row.result.secondary) if row.result.suppressed
                 else self.num.integer(row.result.n or 0),
                 self.pct(row.result.share, 1), self.ci(row.result)] for row in table.rows]
        return [CondPageBreak(50 * mm), self.text(table.title, "h2"),
                charts.share_bars(bars, WIDTH, self.num, self.hidden), Spacer(1, 3),
                self.table([table.dimension, _("n"), _("Share"), _("95 % CI")], rows,
                           [WIDTH * 0.45, WIDTH * 0.15, WIDTH * 0.15, WIDTH * 0.25])]

    def story(self) -> list:
        out = [*self.title_page(), *self.method()]
        for part in self.report.parts:
            out += self.part(part)
        out += self.comparisons()
        out += pdf_pathway.section(self, WIDTH)
        out += pdf_indicators.section(self, WIDTH)
        return out


def render_pdf(report: ReportData, *, gettext: Callable[[str], str] = _identity,
               numbers: NumberFormat | None = None, font_dir: Path | None = None) -> bytes:
    """Return the report as PDF bytes. Raises FontMissingError when DejaVu Sans is not installed."""
    register_fonts(font_dir)
    writer = _Writer(report, gettext, numbers or NumberFormat.en())
    footer = gettext("“%(hidden)s”: fewer than %(min_n)s respondents, not shown.") % {
        "hidden": writer.hidden, "min_n": report.min_n}
    page_label = gettext("Page %(page)s")

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7)
        canvas.setFillColor(charts.MUTED)
        base = "R" if writer.rtl else None
        footer_line = fit(footer, WIDTH - 60, REGULAR, 7, base=base)
        page_line = fit(page_label % {"page": doc.page}, 55, REGULAR, 7, base=base)
        if writer.rtl:  # a right-to-left report's footer starts on the right, its page number on the left
            footer_line, page_line = page_line, footer_line
        canvas.drawString(MARGIN, 10 * mm, footer_line)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, page_line)
        canvas.restoreState()

    buffer = io.BytesIO()
    side = MARGIN - FRAME_PADDING
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=side, rightMargin=side, topMargin=MARGIN,
                            bottomMargin=MARGIN + 6 * mm, title=printable(report.title),
                            author=printable(report.programme), lang=report.language, invariant=True)
    doc.build(writer.story(), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
