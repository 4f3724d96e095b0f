"""Report sections of composite items: a matrix's grid (its rows side by side) and a ranking's table.

A matrix's rows are items of their own and get their own sections ("<question>: <row>"); its section adds the
compact grid chart. A ranking's options (its `rank` parts) are shown only in its table: mean rank, the share
of those who ranked anything that put the option first, and n per option; an option fewer than min_n ranked
shows neither figure. Pure pandas on the report's frame, no Flask.
"""

from __future__ import annotations

import pandas as pd

from surveyapp.reports.analysis import frequencies
from surveyapp.reports.model import GridRow, ItemSection, RankRow


def grid_section(item, title: str, frame: pd.DataFrame, lang: str, min_n: int) -> ItemSection:
    """The matrix's respondents (anyone who answered a row) and one distribution per row."""
    answered = _answered(frame, item.parts)
    rows = []
    for part in item.parts:
        table = frequencies(frame[part.code], part.kind.option_codes(part), min_n=min_n)
        rows.append(GridRow(part.text("label", lang) or part.code, table.n,
                            table.as_rows(part.kind.value_labels(part, lang)), table.suppressed))
    return _section(item, title, answered, len(frame), min_n, grid=rows)


def ranking_section(item, title: str, frame: pd.DataFrame, lang: str, min_n: int) -> ItemSection:
    """Per option: n, mean rank and share ranked first, of the respondents who ranked anything."""
    answered = _answered(frame, item.parts)
    rankers = int(answered)
    rows = []
    for part in item.parts:
        ranks = pd.to_numeric(frame[part.code], errors="coerce").dropna()
        shown = len(ranks) >= min_n and rankers >= min_n
        rows.append(RankRow(part.text("label", lang) or part.code, len(ranks) if shown else None,
                            float(ranks.mean()) if shown else None,
                            float((ranks == 1).sum() / rankers) if shown else None, not shown))
    return _section(item, title, answered, len(frame), min_n, ranks=rows)


def _answered(frame: pd.DataFrame, parts) -> int:
    """How many responses answered at least one of the parts."""
    columns = [part.code for part in parts if part.code in frame]
    return int(frame[columns].notna().any(axis=1).sum()) if columns else 0


def _section(item, title: str, answered: int, total: int, min_n: int, **figures) -> ItemSection:
    suppressed = answered < min_n
    return ItemSection(item.code, title, item.type, None if suppressed else answered, total - answered,
                       chart="none", suppressed=suppressed, **figures)
