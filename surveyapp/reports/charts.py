"""reportlab.graphics drawings for the PDF: share bars with CI whiskers, and stacked Likert bars.

Suppressed rows get the text "n < min_n" and never a bar, so the chart cannot leak what the table hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from surveyapp.pdftext import REGULAR, fit
from surveyapp.reports.model import NumberFormat

BAR = colors.HexColor("#2f6f9f")
WHISKER = colors.HexColor("#1b1b1b")
GRID = colors.HexColor("#d0d0d0")
MUTED = colors.HexColor("#666666")
LOW = colors.HexColor("#b2182b")
MID = colors.HexColor("#d9d9d9")
HIGH = colors.HexColor("#2166ac")
SIZE = 8
ROW = 16


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    suppressed: bool = False
    hidden_text: str | None = None  # shown instead of the chart's suppressed_text (a secondary suppression)


def share_bars(bars: Sequence[Bar], width: float, numbers: NumberFormat, suppressed_text: str) -> Drawing:
    """Draw one horizontal bar per share with its 95 % interval as a whisker, on a 0-100 % axis."""
    label_w = width * 0.34
    value_w = 44
    x0 = label_w + 6
    plot_w = width - x0 - value_w
    axis_h = 14
    height = axis_h + ROW * len(bars) + 4
    drawing = Drawing(width, height)
    for tick in range(0, 101, 25):
        x = x0 + plot_w * tick / 100
        drawing.add(Line(x, axis_h, x, height - 2, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(String(x, 3, numbers.percent(tick / 100), fontName=REGULAR, fontSize=SIZE - 1,
                           textAnchor="middle", fillColor=MUTED))
    for index, bar in enumerate(bars):
        y = height - 2 - ROW * (index + 1)
        centre = y + ROW / 2
        drawing.add(String(label_w, centre - 3, fit(bar.label, label_w, REGULAR, SIZE), fontName=REGULAR,
                           fontSize=SIZE, textAnchor="end"))
        if bar.suppressed or bar.share is None:
            drawing.add(String(x0 + 3, centre - 3, bar.hidden_text or suppressed_text, fontName=REGULAR, fontSize=SIZE,
                               fillColor=MUTED))
            continue
        drawing.add(Rect(x0, y + 3, plot_w * bar.share, ROW - 6, fillColor=BAR, strokeColor=None))
        end = bar.share
        if bar.ci_low is not None and bar.ci_high is not None:
            lo, hi = x0 + plot_w * bar.ci_low, x0 + plot_w * bar.ci_high
            drawing.add(Line(lo, centre, hi, centre, strokeColor=WHISKER, strokeWidth=0.8))
            for x in (lo, hi):
                drawing.add(Line(x, centre - 3, x, centre + 3, strokeColor=WHISKER, strokeWidth=0.8))
            end = max(end, bar.ci_high)
        drawing.add(String(x0 + plot_w * end + 4, centre - 3, numbers.percent(bar.share), fontName=REGULAR,
                           fontSize=SIZE))
    return drawing


def palette(count: int) -> list[colors.Color]:
    if count == 1:
        return [HIGH]
    out = []
    for i in range(count):
        t = i / (count - 1)
        start, stop, u = (LOW, MID, t * 2) if t <= 0.5 else (MID, HIGH, (t - 0.5) * 2)
        out.append(colors.Color(*(a + (b - a) * u for a, b in zip(start.rgb(), stop.rgb(), strict=True))))
    return out


def stacked_bar(bars: Sequence[Bar], width: float, numbers: NumberFormat, suppressed_text: str) -> Drawing:
    """Draw the options of a scale (lowest first) as one 100 % bar with a legend underneath.

    Suppressed options get no segment; their legend entry says so instead of a share.
    """
    legend_rows = (len(bars) + 2) // 3
    height = 22 + legend_rows * 13 + 4
    drawing = Drawing(width, height)
    x = 0.0
    bar_y = height - 20
    for bar, colour in zip(bars, palette(len(bars)), strict=True):
        if bar.suppressed or bar.share is None:
            continue
        segment = width * bar.share
        drawing.add(Rect(x, bar_y, segment, 16, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5))
        if segment > 26:
            drawing.add(String(x + segment / 2, bar_y + 5, numbers.percent(bar.share), fontName=REGULAR,
                               fontSize=SIZE - 1, textAnchor="middle"))
        x += segment
    column_w = width / 3
    for index, (bar, colour) in enumerate(zip(bars, palette(len(bars)), strict=True)):
        lx = column_w * (index % 3)
        ly = bar_y - 14 - 13 * (index // 3)
        drawing.add(Rect(lx, ly, 8, 8, fillColor=colour, strokeColor=None))
        hidden = bar.hidden_text or suppressed_text
        value = hidden if bar.suppressed or bar.share is None else numbers.percent(bar.share)
        text = fit(bar.label, column_w - 14, REGULAR, SIZE, suffix=f": {value}")
        drawing.add(String(lx + 11, ly + 1, text, fontName=REGULAR, fontSize=SIZE))
    return drawing

