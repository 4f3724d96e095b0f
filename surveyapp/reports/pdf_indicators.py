"""The report PDF's indicator section: each indicator as a table of groups × periods against its target.

Takes the pdf module's ``_Writer`` for its styles, translations and number format; no Flask. A cell says in
words whether the target is met (not by colour), with the figure, its 95 % interval, n and the change from
the previous period. At most ``PERIODS_PER_TABLE`` periods side by side; more continue in further tables.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from surveyapp.indicators.results import MET, IndicatorCell, IndicatorResult

PERIODS_PER_TABLE = 4
ARROWS = {"up": "↑", "down": "↓", "flat": "→"}
DASH = "–"


def section(writer, width: float) -> list:
    """The "Indicators" heading, its note and one block per indicator (tables ``width`` wide); nothing without any."""
    results = writer.report.indicators
    if not results:
        return []
    _ = writer._
    note = _("Each figure with its 95 %% interval (Wilson for shares, t for means) and n; “target met” compares "
             "the figure itself with the target. Arrows: change from the previous period.") % {}
    out: list = [CondPageBreak(60 * mm), writer.text(_("Indicators"), "h1"), writer.text(note, "small")]
    for result in results:
        out += _indicator(writer, result, width)
    return out


def _indicator(writer, result: IndicatorResult, width: float) -> list:
    _ = writer._
    out: list = [CondPageBreak(50 * mm), writer.text(result.name, "h2"), writer.text(result.question),
                 writer.text(_("Target: %(target)s") % {"target": _target(writer, result)})]
    for period, wording in result.wordings:
        asked = (_("Public link: asked as “%(wording)s”") if period == result.public_period
                 else _("Asked in %(period)s as: “%(wording)s”"))
        out.append(writer.text(asked % {"period": period, "wording": wording}, "small"))
    if result.note or not result.periods:
        return [*out, writer.text(result.note or _("No answers yet."), "small")]
    rows = result.rows + ([result.total] if result.total else [])
    for start in range(0, len(result.periods), PERIODS_PER_TABLE):
        periods = result.periods[start:start + PERIODS_PER_TABLE]
        group_width = width * 0.28
        widths = [group_width] + [(width - group_width) / len(periods)] * len(periods)
        cells = [[row.group] + [_cell(writer, result, cell) for cell in row.cells[start:start + len(periods)]]
                 for row in rows]
        out += [Spacer(1, 3), writer.table([result.dimension, *periods], cells, widths)]
    return out


def _figure(writer, result: IndicatorResult, value: float, digits: int) -> str:
    return writer.pct(value, digits) if result.statistic == "share" else writer.num.decimal(value, digits)


def _target(writer, result: IndicatorResult) -> str:
    sign = "≥" if result.direction == "at_least" else "≤"
    return f"{sign} {_figure(writer, result, result.target, result.target_digits)}"


def _interval(writer, result: IndicatorResult, cell: IndicatorCell) -> str:
    if cell.ci_low is None or cell.ci_high is None:
        return DASH
    if result.statistic == "share":
        return f"{writer.num.decimal(cell.ci_low * 100, 1)}{DASH}{writer.num.decimal(cell.ci_high * 100, 1)}"
    return f"{writer.num.decimal(cell.ci_low, 2)}{DASH}{writer.num.decimal(cell.ci_high, 2)}"


def _cell(writer, result: IndicatorResult, cell: IndicatorCell) -> str:
    _ = writer._
    if cell.suppressed:
        return writer.hidden
    if cell.n is None or cell.value is None:
        return _("not asked") if cell.period in result.not_asked else _("no answers")
    mark = "✓ " + _("target met") if cell.status == MET else "✗ " + _("target not met")
    parts = [f"{_figure(writer, result, cell.value, cell.digits)} ({_interval(writer, result, cell)})",
             _("n = %(n)s") % {"n": writer.num.integer(cell.n)}, mark]
    if cell.wording_changed:
        parts.append(_("wording changed"))
    elif cell.trend is not None and cell.change is not None:
        change = (_("%(value)s pp") % {"value": writer._signed(cell.change * 100)} if result.statistic == "share"
                  else writer._signed(cell.change))
        parts.append(f"{ARROWS[cell.trend]} {change}")
    return " · ".join(parts)
