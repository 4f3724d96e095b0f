"""Long answers (response, item, value) -> the typed item columns of the report frame, in one pass per chunk.

Pure numpy/pandas, no database. The answers of a chunk are placed into a grid by response row and item
column at once; numbers are parsed in one ``to_numeric`` call for all numeric items, not per item. Only
the typing (categorical over the option codes, Int64/Float64, ``str``) is done column by column.

A stored value of a numeric item that is no finite number within ``MAX_MAGNITUDE`` (``inf``, ``nan``,
``1e999999``, a 400-digit integer, text written by an older version or straight into the database) is left
out of the column (missing) and counted in ``frame.attrs["excluded"]`` (item code -> count), so that no
statistic, chart or export sees it and the report can say how many were left out.

A coded "don't know" (itemtypes.DONT_KNOW) of an item that offers one is an answer, yet no point of the scale:
its response is listed in ``frame.attrs["declined"]`` (item code -> response ids, so a report counts them in any
selection of rows: ``declined_count``) and it is left out of the column (reports: missing for statistics, never
among the unusable numbers), or, for exports (``ColumnSpec.keep_declined``), kept as DONT_KNOW_EXPORTED.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveyapp.itemtypes import DONT_KNOW, DONT_KNOW_EXPORTED

# Larger magnitudes are no plausible answer and lose integer precision in float64, Excel and SPSS alike.
MAX_MAGNITUDE = 1e15
EXCLUDED = "excluded"  # the frame attribute with the per-item counts of unusable numeric values
# the frame attribute with the per-item response ids of coded "don't know" answers (frozensets: pandas compares
# attrs when it concatenates frames, which arrays would make ambiguous)
DECLINED = "declined"
EXPORTED_DECLINED = str(DONT_KNOW_EXPORTED)


@dataclass(frozen=True)
class ColumnSpec:
    """What building an item's column(s) needs, taken from the ORM once: code, type and option codes."""

    code: str
    type: str
    numeric: bool
    coded: bool
    multi: bool
    decimals: bool
    options: tuple[str, ...]
    labels: dict[str, str] | None  # option code -> label when an export asks for labels
    declines: bool = False  # offers a coded "don't know" (on any version)
    keep_declined: bool = False  # an export's: "don't know" kept as DONT_KNOW_EXPORTED, not left out

    @property
    def columns(self) -> list[str]:
        return [f"{self.code}_{option}" for option in self.options] if self.multi else [self.code]

    @property
    def categories(self) -> tuple[str, ...]:
        """The codes its column holds: its options, and an export's code of "don't know"."""
        return (*self.options, EXPORTED_DECLINED) if self.declines and self.keep_declined else self.options


@dataclass(frozen=True)
class LongAnswers:
    """One chunk's answers as parallel arrays; ``spec`` is the position of the answer's item in the specs."""

    response_id: np.ndarray  # int64
    spec: np.ndarray  # int64, -1 for items outside the scope
    value: np.ndarray  # object (str)


def item_columns_frame(specs: list[ColumnSpec], answers: LongAnswers, index: pd.Index) -> pd.DataFrame:
    """The item columns of the responses in ``index`` (response ids), in spec order.

    A single-valued item answered twice by one response keeps the answer read last, as before.
    """
    rows = index.get_indexer(answers.response_id)
    keep = (rows >= 0) & (answers.spec >= 0)
    rows, cols, values = rows[keep], answers.spec[keep], answers.value[keep]
    multi = np.array([spec.multi for spec in specs], dtype=bool)
    numeric = np.array([spec.numeric for spec in specs], dtype=bool)
    single = ~multi[cols]
    key = pd.Series(rows[single] * max(len(specs), 1) + cols[single])
    last = ~key.duplicated(keep="last").to_numpy()
    s_rows, s_cols, s_values = rows[single][last], cols[single][last], values[single][last]
    s_rows, s_cols, s_values, declined = _declined(specs, s_rows, s_cols, s_values, index)

    grid = np.full((len(index), len(specs)), None, dtype=object)
    is_number = numeric[s_cols]
    text_at = ~is_number
    grid[s_rows[text_at], s_cols[text_at]] = s_values[text_at]
    numbers = np.full((len(index), len(specs)), np.nan)
    excluded: dict[str, int] = {}
    if is_number.any():
        parsed = usable_numbers(parse_numbers(s_values[is_number]))
        numbers[s_rows[is_number], s_cols[is_number]] = parsed
        counts = np.bincount(s_cols[is_number][np.isnan(parsed)], minlength=len(specs))
        excluded = {specs[n].code: int(count) for n, count in enumerate(counts) if count}

    columns: dict[str, object] = {}
    for position, spec in enumerate(specs):
        if spec.multi:
            mine = cols == position
            columns.update(_indicators(spec, rows[mine], values[mine], len(index)))
        elif spec.numeric:
            columns[spec.code] = _numbers(spec, numbers[:, position])
        else:
            columns[spec.code] = _typed(spec, pd.Series(grid[:, position], index=index, dtype=object))
    frame = pd.DataFrame(columns, index=index)
    frame.attrs[EXCLUDED] = excluded
    frame.attrs[DECLINED] = declined
    return frame


def _declined(specs: list[ColumnSpec], rows: np.ndarray, cols: np.ndarray, values: np.ndarray, index: pd.Index):
    """The single answers with each coded "don't know" noted (by response id), then left out or (exports)
    recoded."""
    declines = np.array([spec.declines for spec in specs] + [False], dtype=bool)
    found = declines[cols] & (values == DONT_KNOW) if len(values) else np.zeros(0, dtype=bool)
    if not found.any():
        return rows, cols, values, {}
    ids = index.to_numpy()[rows[found]]
    declined = {specs[n].code: frozenset(ids[cols[found] == n].tolist()) for n in np.unique(cols[found])}
    keep = np.array([spec.keep_declined for spec in specs] + [False], dtype=bool)
    recoded = found & keep[cols]
    values = values.copy()
    values[recoded] = EXPORTED_DECLINED
    dropped = found & ~recoded
    return rows[~dropped], cols[~dropped], values[~dropped], declined


def usable_numbers(numbers: np.ndarray) -> np.ndarray:
    """``numbers`` with NaN in place of anything not finite or beyond ``MAX_MAGNITUDE``."""
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(numbers) <= MAX_MAGNITUDE, numbers, np.nan)


def merge_excluded(frames) -> dict[str, int]:
    """The ``excluded`` counts of several chunks, added up."""
    total: dict[str, int] = {}
    for frame in frames:
        for code, count in frame.attrs.get(EXCLUDED, {}).items():
            total[code] = total.get(code, 0) + count
    return total


def merge_declined(frames) -> dict[str, frozenset]:
    """The ``declined`` response ids of several chunks, together."""
    found: dict[str, frozenset] = {}
    for frame in frames:
        for code, ids in frame.attrs.get(DECLINED, {}).items():
            found[code] = found.get(code, frozenset()) | ids
    return found


def declined_count(frame: pd.DataFrame, code: str) -> int:
    """How many of `frame`'s responses answered item `code` with its coded "don't know"."""
    ids = frame.attrs.get(DECLINED, {}).get(code)
    if not ids or frame.empty:
        return 0
    return int(frame["response_id"].isin(ids).sum())


def parse_numbers(values: np.ndarray) -> np.ndarray:
    """The answers' text as float64, NaN where it is no number (as ``pd.to_numeric(errors="coerce")``).

    Plain ASCII digit strings, almost all of them, are parsed by numpy in one pass; the rest (signs,
    decimals, anything else) go through ``to_numeric``.
    """
    try:
        ascii_text = values.astype("S")
    except (UnicodeEncodeError, TypeError, ValueError):
        ascii_text = np.zeros(len(values), dtype="S1")
    plain = np.char.isdigit(ascii_text) & (np.char.str_len(ascii_text) <= 15)
    numbers = np.full(len(values), np.nan)
    numbers[plain] = ascii_text[plain].astype(np.int64)
    if not plain.all():
        rest = pd.to_numeric(pd.Series(values[~plain], dtype=object), errors="coerce")
        numbers[~plain] = rest.to_numpy(dtype="float64", na_value=np.nan)
    return numbers


def _numbers(spec: ColumnSpec, values: np.ndarray):
    numbers = pd.array(values, dtype="Float64")
    present = values[~np.isnan(values)]
    if not spec.decimals and (present % 1 == 0).all():
        return numbers.astype("Int64")
    return numbers


def _typed(spec: ColumnSpec, series: pd.Series):
    if spec.coded:
        if spec.labels is not None:
            return series.map(spec.labels).astype("str").where(series.notna())
        # Values outside the options are missing (pandas warns about them in Categorical itself).
        return pd.Categorical(series.where(series.isin(spec.categories)), categories=spec.categories)
    return series.astype("str").where(series.notna())


def _indicators(spec: ColumnSpec, rows: np.ndarray, values: np.ndarray, size: int) -> dict:
    """One 0/1 column per option; respondents who skipped the item stay empty rather than 0."""
    codes = pd.Index(list(spec.options))
    positions = codes.get_indexer(values) if len(values) else np.zeros(0, dtype=np.intp)
    chosen = positions >= 0
    matrix = np.zeros((size, len(codes)), dtype="int8")
    matrix[rows[chosen], positions[chosen]] = 1
    answered = np.zeros(size, dtype=bool)
    answered[rows] = True
    return {
        name: pd.arrays.IntegerArray(matrix[:, n].copy(), ~answered) for n, name in enumerate(spec.columns)
    }
