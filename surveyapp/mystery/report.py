"""The mystery-shopping report as a PDF: a summary, then a section per channel and scenario with its score,
its item table, the two shoppers' agreement (share and Cohen's kappa with n) and the evidence notes.

Drawn like the evaluation report (surveyapp/reports/pdf.py): DejaVu Sans, the same type sizes and table rules,
every stored text escaped and shaped by surveyapp.pdftext. The headings speak the checklist's language.
"""

import io
from datetime import UTC, datetime

from babel.dates import format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from surveyapp.i18n import in_language, interface_language_for
from surveyapp.mystery.figures import Figures
from surveyapp.mystery.forms import CHANNEL_LABELS, VALUE_LABELS
from surveyapp.mystery.results import Results, Section
from surveyapp.mystery.scoring import Agreement, Score
from surveyapp.pdftext import BOLD, REGULAR, Text, printable, register_fonts, rtl_language
from surveyapp.reports.charts import GRID, MUTED

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13)
    return {"body": body,
            "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
            "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
            "head": ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=8.5, leading=10.5),
            "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=22, leading=28, spaceAfter=10),
            "h1": ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=15, leading=19, spaceBefore=10,
                                 spaceAfter=6),
            "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8,
                                 spaceAfter=4)}


class _Writer:
    def __init__(self, results: Results, lang: str):
        self.results, self.lang = results, lang
        self.figures = Figures(lang)
        self.num = self.figures.num
        self.rtl = rtl_language(lang)
        self.styles = _styles()

    def text(self, value: str, style: str = "body", width: float = WIDTH) -> Text:
        st = self.styles[style]
        if self.rtl:
            st = ParagraphStyle(f"{style}-rtl", parent=st, alignment=TA_RIGHT)
        return Text(value, st, width, base="R" if self.rtl else None)

    def table(self, header: list[str], rows: list[list[str]], shares: tuple[float, ...]) -> Table:
        widths = [WIDTH * share for share in shares]
        if self.rtl:
            header, rows, widths = header[::-1], [row[::-1] for row in rows], widths[::-1]
        cells = [[self.text(h, "head", w - 6) for h, w in zip(header, widths, strict=True)]]
        cells += [[self.text(c, "cell", w - 6) for c, w in zip(row, widths, strict=True)] for row in rows]
        table = Table(cells, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                                   ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
        return table

    def score(self, score: Score | None) -> str:
        return self.figures.percent(None if score is None else score.share)

    def scored(self, label: str, score: Score | None, visits: int) -> str:
        """“Score: 86 % (2 visits)”: `label` holds %(score)s."""
        count = ngettext("%(num)d visit", "%(num)d visits", visits)
        return f"{label % {'score': self.score(score)}} ({count})"

    def story(self) -> list:
        r = self.results
        out = [self.text(r.checklist.title, "title"), self.text(r.checklist.programme.name, "h2"),
               self.text(_("Mystery-shopping report, generated on %(date)s", date=format_date(
                   datetime.now(UTC).date(), "medium", locale=self.lang)), "small"),
               self.text(_("Score: points earned ÷ the points of the items that applied (yes: all points, no: "
                           "none, not applicable: left out; a rating of 1–5: (rating − 1) ÷ 4 of the points)."),
                         "small"),
               self.text(self.scored(_("Overall score: %(score)s"), r.overall, len(r.visits)), "h2")]
        out += [self.text(_("By channel"), "h1"), self.table(
            [_("Channel"), _("Score")], [[str(CHANNEL_LABELS[c]), self.score(s)] for c, s in r.channels], (.6, .4))]
        out += [self.text(_("By scenario"), "h1"), self.table(
            [_("Scenario"), _("Score")], [[name, self.score(s)] for name, s in r.scenarios], (.6, .4))]
        for section in r.sections:
            out += self.section(section)
        out += [CondPageBreak(40 * mm), self.text(_("Visits"), "h1"), self.visits()]
        return out

    def section(self, section: Section) -> list:
        heading = _("%(channel)s: %(scenario)s", channel=CHANNEL_LABELS[section.channel],
                    scenario=section.scenario)
        out = [CondPageBreak(60 * mm), self.text(heading, "h1"),
               self.text(self.scored(_("Score: %(score)s"), section.score, len(section.visits)), "h2"),
               self.table([_("Code"), _("Item"), _("Points"), _("Score"), _("Not applicable")],
                          [[ir.item.code, ir.item.text, self.num.integer(ir.item.points), self.score(ir.score),
                            self.num.integer(ir.not_applicable)] for ir in section.items],
                          (.14, .5, .1, .12, .14)),
               Spacer(1, 4), self.text(self.agreement(section), "body")]
        if section.evidence:
            out += [self.text(_("Evidence notes"), "h2"), self.table(
                [_("Code"), _("Shopper"), _("Answer"), _("Note")],
                [[e.code, self.num.integer(e.shopper), str(VALUE_LABELS.get(e.value, e.value)), e.note]
                 for e in section.evidence], (.14, .1, .16, .6))]
        return out

    def agreement(self, section: Section) -> str:
        a: Agreement | None = section.agreement
        if a is None or section.compared is None:
            return _("Agreement: needs visits by two shoppers.")
        figures = {"first": section.compared[0], "second": section.compared[1], "n": self.num.integer(a.n),
                   "share": self.figures.percent(a.share)}
        if a.kappa is None:
            return _("Agreement of shoppers %(first)s and %(second)s: %(share)s of n = %(n)s items; Cohen's kappa "
                     "undefined (both used one and the same answer only).", **figures)
        return _("Agreement of shoppers %(first)s and %(second)s: %(share)s of n = %(n)s items; Cohen's kappa "
                 "%(kappa)s.", kappa=self.figures.decimal(a.kappa, 2), **figures)

    def visits(self) -> Table:
        rows = [[format_date(v.visit.visited_at, "medium", locale=self.lang), self.num.integer(v.shopper),
                 str(CHANNEL_LABELS[v.visit.channel]), v.visit.scenario, self.score(v.score)]
                for v in self.results.visits]
        return self.table([_("Date"), _("Shopper"), _("Channel"), _("Scenario"), _("Score")], rows,
                          (.18, .12, .16, .38, .16))


def checklist_pdf(results: Results) -> bytes:
    """The report in the checklist's language (its interface language where it has none of its own)."""
    register_fonts()
    lang = interface_language_for(results.checklist.lang)
    with in_language(lang):
        buffer = io.BytesIO()
        document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN - 6, rightMargin=MARGIN - 6,
                                     topMargin=MARGIN, bottomMargin=MARGIN, title=printable(results.checklist.title),
                                     lang=lang, invariant=True)
        document.build(_Writer(results, lang).story())
    return buffer.getvalue()
