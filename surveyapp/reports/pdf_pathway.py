"""The report PDF's outcome-pathway section: per stage, each wave's tagged items with their headline figure.

Takes the pdf module's ``_Writer`` for its styles, translations and number format; no Flask. A wave that did
not ask any item of a stage says so, distinct from a figure hidden under the minimum n.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether

from surveyapp.reports.model import ItemSection

DASH = "–"


def section(writer, width: float) -> list:
    """The "Outcome pathway" heading, its warnings and one table per stage and wave; nothing without a tag."""
    pathway = writer.report.pathway
    if pathway is None:
        return []
    _ = writer._
    out: list = [CondPageBreak(60 * mm), writer.text(_("Outcome pathway"), "h1"),
                 writer.text(_("Model: %(model)s. Each item's headline figure as its wave asked it: the share "
                               "agreeing (or answering yes) with its 95 %% interval, or the mean.")
                             % {"model": pathway.model}, "small")]
    out += [writer.text(warning) for warning in pathway.warnings]
    shown = None
    for stage, wave, items in pathway.stages:
        block: list = []
        if stage != shown:
            out.append(CondPageBreak(40 * mm))
            block.append(writer.text(stage, "h2"))
            shown = stage
        # A stage's and a wave's heading stay with their table: never alone at the foot of a page.
        block += [writer.text(_("Wave: %(wave)s") % {"wave": wave}, "small"),
                  _table(writer, items, width) if items else writer.text(_("Not asked in this wave."))]
        out.append(KeepTogether(block))
    return out


def _table(writer, items: list[ItemSection], width: float):
    _ = writer._
    rows = [[item.question, *_figure(writer, item)] for item in items]
    return writer.table([_("Item"), _("Figure"), _("95 % CI"), _("n")], rows,
                        [width * f for f in (.52, .18, .18, .12)])


def _figure(writer, item: ItemSection) -> list[str]:
    """Figure, interval and n: a share with its interval, a mean, or only n (a type without a headline)."""
    if item.suppressed or item.n is None:
        return [writer.hidden, DASH, DASH]
    n = writer.num.integer(item.n)
    if item.agreement is not None:
        return [writer.pct(item.agreement.share), writer.ci(item.agreement), n]
    if item.summary is not None:
        return [writer._("Mean %(mean)s") % {"mean": writer.num.decimal(item.summary.mean, 1)}, DASH, n]
    return [DASH, DASH, n]
