"""The report PDF's figures of composite items: a matrix's grid chart, a ranking's table.

Takes the pdf module's ``_Writer`` for its translations, number format and tables; no Flask. The grid chart
draws one 100 % bar per row (its choices lowest first, coloured as a stacked Likert bar) under one legend; a
suppressed row gets the text "n < min_n" and no bar.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Spacer

from surveyapp.pdftext import REGULAR, fit
from surveyapp.reports.charts import MUTED, ROW, SIZE, palette
from surveyapp.reports.model import GridRow, ItemSection, NumberFormat

DASH = "–"


def figures(writer, item: ItemSection, width: float) -> list:
    """The grid chart or the ranking table of a composite item's section; nothing for any other item."""
    if item.grid:
        return [grid_chart(item.grid, width, writer.num, writer.hidden)]
    if item.ranks:
        return [Spacer(1, 3), _ranking_table(writer, item, width)]
    return []


def grid_chart(rows: list[GridRow], width: float, numbers: NumberFormat, suppressed_text: str) -> Drawing:
    """One stacked bar per row, the row's text beside it; one legend of the scale's choices underneath."""
    labels = next((row.rows for row in rows if row.rows), [])
    colours = palette(len(labels)) if labels else []
    label_w = width * 0.34
    x0, plot_w = label_w + 6, width - label_w - 6
    legend_rows = (len(labels) + 3) // 4
    height = ROW * len(rows) + legend_rows * 13 + 8
    drawing = Drawing(width, height)
    for index, row in enumerate(rows):
        y = height - ROW * (index + 1)
        drawing.add(String(label_w, y + ROW / 2 - 3, fit(row.label, label_w, REGULAR, SIZE), fontName=REGULAR,
                           fontSize=SIZE, textAnchor="end"))
        if row.suppressed:
            drawing.add(String(x0 + 3, y + ROW / 2 - 3, suppressed_text, fontName=REGULAR, fontSize=SIZE,
                               fillColor=MUTED))
            continue
        _bar(drawing, row, colours, x0, y + 2, plot_w, numbers)
    column_w = width / 4
    for index, (cell, colour) in enumerate(zip(labels, colours, strict=True)):
        lx, ly = column_w * (index % 4), 2 + 13 * (legend_rows - 1 - index // 4)
        drawing.add(Rect(lx, ly, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(String(lx + 11, ly + 1, fit(cell.label, column_w - 14, REGULAR, SIZE), fontName=REGULAR,
                           fontSize=SIZE))
    return drawing


def _bar(drawing: Drawing, row: GridRow, colours, x: float, y: float, width: float, numbers: NumberFormat) -> None:
    for cell, colour in zip(row.rows, colours, strict=False):
        if cell.suppressed or not cell.share:
            continue
        segment = width * cell.share
        drawing.add(Rect(x, y, segment, ROW - 4, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5))
        if segment > 26:
            drawing.add(String(x + segment / 2, y + 3.5, numbers.percent(cell.share), fontName=REGULAR,
                               fontSize=SIZE - 1, textAnchor="middle"))
        x += segment


def _ranking_table(writer, item: ItemSection, width: float):
    _ = writer._
    rows = [[rank.label, writer.hidden if rank.suppressed else writer.num.integer(rank.n),
             DASH if rank.mean is None else writer.num.decimal(rank.mean, 1), writer.pct(rank.first)]
            for rank in item.ranks]
    return writer.table([_("Option"), _("Ranked by (n)"), _("Mean rank"), _("Ranked first")], rows,
                        [width * 0.46, width * 0.18, width * 0.18, width * 0.18])
